// The `archlab` command line: `train` and `inspect`, sharing the engine with the extension.
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { inspectCommand } from './inspect';
import { integer, modelNames, positiveInteger, positiveNumber } from './options';
import { EXIT, exitWhenFlushed, printError, UsageError } from './output';
import { BACKEND_PREFERENCES } from '../engine/types';
import { trainCommand, type TrainOptions } from './train';

const backendOption = (fallback: string) =>
  new Option('--backend <name>', 'compute backend').choices(BACKEND_PREFERENCES).default(fallback);

function program(): Command {
  const cli = new Command('archlab')
    .description('Train and compare neural-network architectures written with TensorFlow.js.')
    .version(version)
    // Usage errors exit with 2 (see main), not commander's default 1, which means "a run failed".
    .exitOverride()
    .showHelpAfterError('(run "archlab help <command>" for usage)');

  cli
    .command('train')
    .description('train the architectures of a model file, one after another, and print the results table')
    .argument('<file>', 'model file (.ts, .js or .mjs)')
    .option('--model <name>', 'train only this architecture (repeatable, or comma-separated names)', modelNames)
    .option('--epochs <n>', 'number of epochs', positiveInteger)
    .option('--batch-size <n>', 'batch size', positiveInteger)
    .option('--lr <x>', 'learning rate', positiveNumber)
    .option('--dataset <name>', 'mnist, fashion-mnist, or a folder of IDX files')
    .option('--fashion-mnist-dir <dir>', 'folder holding the Fashion-MNIST IDX files (no download)')
    .addOption(backendOption('auto'))
    .option('--threads <n>', 'WebAssembly threads (default: every core, up to 4, when a model has 5 M MACs per image or more; else 1)', positiveInteger)
    .option('--limit <n>', 'train on the first N training images only', positiveInteger)
    .option('--test-limit <n>', 'evaluate on the first N test images only', positiveInteger)
    .option('--seed <n>', 'seed for weight initialization and shuffling', integer)
    .option('--json', 'print machine-readable results on stdout')
    .option('--runs-dir <dir>', 'where run records go (default .archlab/runs)')
    .action(async (file: string, options: TrainOptions) => {
      process.exitCode = await trainCommand(file, options);
    });

  cli
    .command('inspect')
    .description("print each architecture's layers, params and MACs without training")
    .argument('<file>', 'model file (.ts, .js or .mjs)')
    .option('--json', 'print machine-readable summaries on stdout')
    .addOption(backendOption('cpu'))
    .action(async (file: string, options: { json?: boolean; backend: TrainOptions['backend'] }) => {
      process.exitCode = await inspectCommand(file, options);
    });
  return cli;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // Commander has already printed its message (or the help / version asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    printError(err instanceof Error ? err.message : String(err));
    return err instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

// `archlab inspect --json | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(EXIT.ok);
});
// Exit explicitly: the wasm backend's worker threads would otherwise keep the process alive.
void main(process.argv).then(exitWhenFlushed);

// The `archlab` command line: `train`, `sweep`, `agent`, `export`, `predict` and `inspect`, sharing the engine with the extension.
import { Command, CommanderError, Option } from "commander";
import { version } from "../../package.json";
import { inspectCommand, type InspectOptions } from "./inspect";
import { integer, modelNames, positiveInteger, positiveNumber } from "./options";
import { EXIT, exitWhenFlushed, printError, UsageError } from "./output";
import { BACKEND_PREFERENCES, DEFAULT_KEEP_MODELS, KEEP_MODELS } from "../engine/types";
import { SWEEP_METHODS } from "../engine/sweep/types";
import { exportCommand, predictCommand, type PredictOptions, type StoreOptions } from "./models";
import { agentCommand, type AgentCliOptions } from "./agent";
import { sweepCommand, type SweepOptions } from "./sweep";
import { trainCommand, type TrainOptions } from "./train";

// Options that several commands take, defined once.
const backendOption = (fallback: string) =>
  new Option("--backend <name>", "what trains: auto, the fused WebAssembly engine, or a TensorFlow.js backend")
    .choices(BACKEND_PREFERENCES)
    .default(fallback);
const datasetOption = () => new Option("--dataset <name>", "mnist, fashion-mnist, or a folder of IDX files");
const fashionMnistDirOption = () =>
  new Option("--fashion-mnist-dir <dir>", "folder holding the Fashion-MNIST IDX files (no download)");
const runsDirOption = () => new Option("--runs-dir <dir>", "where run records are (default .archlab/runs)");

function program(): Command {
  const cli = new Command("archlab")
    .description("Train and compare neural-network architectures written with TensorFlow.js.")
    .version(version)
    // Usage errors exit with 2 (see main), not commander's default 1, which means "a run failed".
    .exitOverride()
    .showHelpAfterError('(run "archlab help <command>" for usage)');

  cli
    .command("train")
    .description(
      "train the architectures of a model file, one after another, and print the results table;\n" +
        "or, with --resume RUN, train a run's saved model more epochs as a new run (Continue Training)",
    )
    .argument("[file]", "model file (.ts, .js or .mjs); none with --resume")
    .option("--model <name>", "train only this architecture (repeatable, or comma-separated names)", modelNames)
    .option(
      "--epochs <n>",
      "number of epochs (with --resume: how many more; default: as many as that run was set to train)",
      positiveInteger,
    )
    .option(
      "--resume <run>",
      "continue training a run (id, or a part only its id contains) from its saved weights and optimizer state, with its settings and source, " +
        "as a new run whose epochs go on from its own (not to be confused with sweep --resume, which goes on with an interrupted sweep)",
    )
    .option("--batch-size <n>", "batch size", positiveInteger)
    .option("--lr <x>", "learning rate", positiveNumber)
    .addOption(datasetOption())
    .addOption(fashionMnistDirOption())
    .addOption(backendOption("auto"))
    .option(
      "--threads <n>",
      "threads (default: every core, up to 4, for a model of 50 K MACs per image or more on the fused engine, 5 M on the wasm backend; else 1)",
      positiveInteger,
    )
    .option("--limit <n>", "train on the first N training images only", positiveInteger)
    .option("--test-limit <n>", "evaluate on the first N test images only", positiveInteger)
    .option(
      "--quick",
      "a Quick Run: one epoch on as many images as each model trains in seconds (a full epoch for small models)",
    )
    .option("--seed <n>", "seed for weight initialization and shuffling", integer)
    .option("--json", "print machine-readable results on stdout")
    .addOption(runsDirOption())
    .addOption(
      new Option(
        "--keep-models <policy>",
        "which runs keep their trained model: all, per architecture the best or the latest, or none",
      )
        .choices(KEEP_MODELS)
        .default(DEFAULT_KEEP_MODELS),
    )
    .action(async (file: string | undefined, options: TrainOptions) => {
      process.exitCode = await trainCommand(file, options);
    });

  cli
    .command("sweep")
    .description(
      "train variants of an architecture that takes hp: its file's sweep spec, trials side by side or on a queue",
    )
    .argument("[file]", "model file (.ts, .js or .mjs); optional with --resume")
    .option("--model <name>", "the architecture to sweep (default: the one with a sweep spec)", modelNames)
    .addOption(new Option("--method <name>", "search method (default: the spec's)").choices(SWEEP_METHODS))
    .option("--trials <n>", "number of trials (random, asha; a cap for grid)", positiveInteger)
    .option("--epochs <n>", "epochs of a trial that runs to the end", positiveInteger)
    .option(
      "--parallel <n>",
      "trials at once, each in its own process (default 1; with --queue: trials on the queue at once)",
      positiveInteger,
    )
    .option(
      "--queue <url>",
      "put trials on a BullMQ queue in Redis (redis://HOST:PORT, rediss:// for TLS) for agents to train",
    )
    .option("--no-fallback", "with --queue: fail when Redis cannot be reached instead of running the trials here")
    .option(
      "--resume <id>",
      "go on with an interrupted sweep (a sweep id): finished trials stay, the others run again; to train a run's model further, see train --resume",
    )
    .addOption(datasetOption())
    .addOption(fashionMnistDirOption())
    .addOption(backendOption("auto"))
    .option("--threads <n>", "WebAssembly threads per trial", positiveInteger)
    .option("--limit <n>", "train each trial on the first N training images only", positiveInteger)
    .option("--test-limit <n>", "evaluate on the first N test images only", positiveInteger)
    .option("--seed <n>", "seed for weight initialization and shuffling of every trial", integer)
    .option("--json", "print the sweep record on stdout")
    .addOption(runsDirOption())
    .action(async (file: string | undefined, options: SweepOptions) => {
      process.exitCode = await sweepCommand(file, options);
    });

  cli
    .command("agent")
    .description("train sweep trials from a queue, for controllers started with archlab sweep --queue")
    .requiredOption("--queue <url>", "the queue's Redis (redis://[:password@]HOST:PORT, rediss:// for TLS)")
    .option("--concurrency <n>", "trials at once, each in its own process", positiveInteger, 1)
    .addOption(backendOption("auto"))
    .option("--threads <n>", "WebAssembly threads per trial", positiveInteger)
    .addOption(fashionMnistDirOption())
    .action(async (options: AgentCliOptions) => {
      process.exitCode = await agentCommand(options);
    });

  cli
    .command("export")
    .description("write a run's trained model as a TensorFlow.js layers model (model.json, weights.bin) with a README")
    .argument("<run>", "run id (or a part of it only one run id contains)")
    .argument("<folder>", "where to write it (created when missing; must not hold a model yet)")
    .addOption(runsDirOption())
    .action(async (run: string, folder: string, options: StoreOptions) => {
      process.exitCode = await exportCommand(run, folder, options);
    });

  cli
    .command("predict")
    .description("classify an image, or a test image of the run's dataset, with a run's trained model")
    .argument("<run>", "run id (or a part of it only one run id contains)")
    .argument("<image>", "a PNG or PGM picture (preprocessed as the dataset was), or the index of a test image")
    .option("--top <n>", "how many classes to show", positiveInteger, 3)
    .option("--json", "print the prediction as JSON")
    .addOption(fashionMnistDirOption())
    .addOption(runsDirOption())
    .addOption(backendOption("cpu"))
    .action(async (run: string, image: string, options: PredictOptions) => {
      process.exitCode = await predictCommand(run, image, options);
    });

  cli
    .command("inspect")
    .description("print each architecture's layers, params and MACs without training")
    .argument("<file>", "model file (.ts, .js or .mjs)")
    .option("--json", "print machine-readable summaries on stdout")
    .addOption(backendOption("cpu"))
    .option("--timeout <seconds>", "how long loading the file and building its models may take", positiveNumber, 60)
    .action(async (file: string, options: InspectOptions) => {
      process.exitCode = await inspectCommand(file, options);
    });
  return cli;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    // Commander has already printed its message (or the help / version asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    printError(err instanceof Error ? err.message : String(err));
    return err instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

// `archlab inspect --json | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(EXIT.ok);
});
// Exit explicitly: the wasm backend's worker threads would otherwise keep the process alive.
void main(process.argv).then(exitWhenFlushed);

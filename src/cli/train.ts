// `archlab train`: trains the selected architectures of a model file in turn and prints the table.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunStore } from '../engine/runs/store';
import { resultsTable } from '../engine/runs/table';
import { runJob } from '../engine/train';
import type { BackendPreference, RunRecord, TrainingConfig } from '../engine/types';
import { EXIT, errorLine, shownPath, UsageError } from './output';
import { ProgressDisplay } from './progress';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface TrainOptions {
  model?: string[];
  epochs?: number;
  batchSize?: number;
  lr?: number;
  dataset?: string;
  fashionMnistDir?: string;
  backend: BackendPreference;
  threads?: number;
  limit?: number;
  testLimit?: number;
  seed?: number;
  json?: boolean;
  runsDir?: string;
}

export async function trainCommand(file: string, options: TrainOptions): Promise<number> {
  if (!existsSync(file)) throw new UsageError(`no such model file: ${file}`);
  const store = new RunStore(process.cwd(), options.runsDir && resolve(options.runsDir));
  const display = new ProgressDisplay(Boolean(process.stdout.isTTY && process.stderr.isTTY));
  const controller = new AbortController();
  // First Ctrl-C (or a kill, or the terminal closing): stop after the current batch and keep a
  // cancelled record, rather than leave a run that looks as if it were still going. Second: quit at once.
  const onInterrupt = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      display.stopBar();
      process.exit(EXIT.cancelled);
    }
    display.line(signal === 'SIGINT' ? 'Cancelling the current run (Ctrl-C again to quit at once)...' : `${signal}: cancelling the current run...`);
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onInterrupt);
  let records: RunRecord[];
  try {
    records = await runJob(
      {
        file,
        models: options.model,
        overrides: overridesOf(options),
        backend: options.backend,
        threads: options.threads,
        storeRoot: store.root,
        runsDir: store.runsDir,
        datasetOptions: { fashionMnistDir: options.fashionMnistDir },
      },
      {
        signal: controller.signal,
        onEvent: (event) => {
          display.onEvent(event);
          if (event.type === 'runFailed' && event.record.error) display.line(errorLine(event.record.error, event.record.model));
        },
        onLog: options.json ? undefined : (message) => display.line(message),
      },
    );
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
    display.stopBar();
  }

  if (options.json) {
    process.stdout.write(JSON.stringify({ runsDir: store.runsDir, runs: records.map(essentials) }, null, 2) + '\n');
  } else {
    if (records.length) process.stdout.write('\n' + resultsTable(records, 'text'));
    process.stdout.write(`\nRun records: ${shownPath(store.runsDir)}\n`);
  }
  if (controller.signal.aborted || records.some((r) => r.status === 'cancelled')) return EXIT.cancelled;
  return records.length > 0 && records.every((r) => r.status === 'completed') ? EXIT.ok : EXIT.failed;
}

function overridesOf(options: TrainOptions): Partial<TrainingConfig> {
  const overrides: Partial<TrainingConfig> = {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.lr,
    dataset: options.dataset,
    limit: options.limit,
    testLimit: options.testLimit,
    seed: options.seed,
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}

/** What scripts need from a run; the full record (curves, confusion, source) is in the store. */
function essentials(record: RunRecord) {
  return {
    id: record.id,
    model: record.model,
    file: record.file,
    status: record.status,
    error: record.error,
    params: record.summary?.params,
    macs: record.summary?.macs,
    testAccuracy: record.results?.testAccuracy,
    testLoss: record.results?.testLoss,
    learningTimeSec: record.results?.learningTimeSec,
    totalTimeSec: record.results?.totalTimeSec,
    testExamples: record.results?.testExamples,
    epochs: record.epochs,
    config: record.config,
    backend: record.backend,
    dataset: record.dataset?.name,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}

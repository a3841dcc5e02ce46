// `archlab train`: trains the selected architectures of a model file in turn and prints the table.
import { existsSync } from 'node:fs';
import type { RunStore } from '../engine/runs/store';
import { resultsTable } from '../engine/runs/table';
import { runJob } from '../engine/train';
import type { BackendPreference, RunRecord, TrainingConfig } from '../engine/types';
import { EXIT, errorLine, printError, shownPath, UsageError } from './output';
import { ProgressDisplay } from './progress';
import { cliStore, repairOrphanedRuns } from './runs-folder';

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
  const store = cliStore(options.runsDir);
  const display = new ProgressDisplay(Boolean(process.stdout.isTTY && process.stderr.isTTY));
  await repairOrphanedRuns(store, (line) => display.line(line));
  const controller = new AbortController();
  // The latest state of each run this command started, for a quit that cannot wait for the run.
  const started = new Map<string, RunRecord>();
  const unrecorded = new Set<string>();
  const storeProblems = new Set<string>();
  // First Ctrl-C (or a kill, or the terminal closing): stop after the current batch and keep a
  // cancelled record, rather than leave a run that looks as if it were still going. Second: quit
  // at once, still ending the record of the run that was going.
  const onInterrupt = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      display.stopBar();
      // At most a couple of seconds: a disk that hangs must not keep a quit from quitting.
      const deadline = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      void Promise.race([endRunning(store, started), deadline]).finally(() => process.exit(EXIT.cancelled));
      return;
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
        store,
        datasetOptions: { fashionMnistDir: options.fashionMnistDir },
      },
      {
        signal: controller.signal,
        onEvent: (event) => {
          display.onEvent(event);
          if (event.type === 'runStarted' || event.type === 'runFinished' || event.type === 'runFailed' || event.type === 'runCancelled') {
            started.set(event.runId, event.record);
          } else if (event.type === 'epoch') {
            started.get(event.runId)?.epochs.push(event.metrics);
          }
          if (event.type === 'runFailed' && event.record.error) display.line(errorLine(event.record.error, event.record.model));
        },
        onLog: options.json ? undefined : (message) => display.line(message),
        onStoreError: (err, record) => {
          unrecorded.add(record.id);
          // One line per cause: a full disk fails every write after the first.
          const key = `${err.code}:${err.path === store.runsDir ? 'folder' : 'record'}`;
          if (storeProblems.has(key)) return;
          storeProblems.add(key);
          display.line(`archlab: ${err.withAlternative('choose another folder with --runs-dir')}`);
          display.line('archlab: training goes on; the results table still lists every run, recorded or not.');
        },
      },
    );
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
    display.stopBar();
  }

  if (options.json) {
    process.stdout.write(JSON.stringify({ runsDir: store.runsDir, runs: records.map((r) => essentials(r, unrecorded.has(r.id))) }, null, 2) + '\n');
  } else {
    if (records.length) process.stdout.write('\n' + resultsTable(records, 'text'));
    process.stdout.write(`\nRun records: ${shownPath(store.runsDir)}\n`);
  }
  const lost = records.filter((r) => unrecorded.has(r.id));
  if (lost.length) printError(`${lost.length} of ${records.length} runs could not be recorded (${lost.map((r) => r.model).join(', ')}): their results are only in the table above.`);
  if (controller.signal.aborted || records.some((r) => r.status === 'cancelled')) return EXIT.cancelled;
  return records.length > 0 && !lost.length && records.every((r) => r.status === 'completed') ? EXIT.ok : EXIT.failed;
}

/** Ends, as cancelled, the record of a run still going when the user quits at once. */
async function endRunning(store: RunStore, started: Map<string, RunRecord>): Promise<void> {
  for (const record of started.values()) {
    if (record.status !== 'running') continue;
    const stored = (await store.get(record.id)) ?? record;
    if (stored.status !== 'running') continue;
    const ended: RunRecord = { ...stored, status: 'cancelled', finishedAt: new Date().toISOString(), error: { message: 'Quit at once (a second Ctrl-C) during the run.' } };
    await store.save(ended).catch(() => undefined);
  }
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
function essentials(record: RunRecord, unrecorded: boolean) {
  return {
    id: record.id,
    recorded: !unrecorded,
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

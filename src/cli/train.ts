// `archlab train`: trains the selected architectures of a model file in turn and prints the table.
// The model file's code runs in a trainer child (the one the extension uses), so that whatever it
// does (an endless loop at import, a factory that never returns) Ctrl-C and SIGTERM still end the
// command, and the records of its runs are still ended here.
import { join } from "node:path";
import type { RunStore } from "../engine/runs/store";
import { resultsTable } from "../engine/runs/table";
import type { BackendPreference, KeepModels, RunError, RunRecord } from "../engine/types";
import type { ContinueRequest, TrainerToHost, TrainRequest } from "../shared/protocol";
import { trainingOverrides, type TrainingFlags } from "./options";
import { TrainerProcess } from "../shared/trainer-process";
import { checkDatasetOption, checkModelFile } from "./checks";
import { EXIT, errorLine, printError, shownPath, UsageError } from "./output";
import { ProgressDisplay } from "./progress";
import { cliStore, repairOrphanedRuns } from "./runs-folder";

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
/** How long a stop request may take before the child is killed: a batch ends well within it. */
export const STOP_GRACE_MS = 2_000;

export interface TrainOptions extends TrainingFlags {
  /** A run to continue training (Continue Training) instead of a model file's architectures. */
  resume?: string;
  model?: string[];
  fashionMnistDir?: string;
  backend: BackendPreference;
  threads?: number;
  json?: boolean;
  runsDir?: string;
  keepModels?: KeepModels;
}

/** Settings a continued run takes from the run it continues, by their flags. */
const PARENT_SETTINGS: [keyof TrainOptions, string][] = [
  ["model", "--model"],
  ["batchSize", "--batch-size"],
  ["lr", "--lr"],
  ["dataset", "--dataset"],
  ["limit", "--limit"],
  ["testLimit", "--test-limit"],
  ["quick", "--quick"],
  ["seed", "--seed"],
];

/** What the trainer child is asked to train: a model file's architectures, or a run's saved model further. */
function jobOf(
  file: string | undefined,
  options: TrainOptions,
): Pick<TrainRequest, "file" | "models" | "overrides"> | Pick<ContinueRequest, "runId" | "epochs"> {
  if (options.resume === undefined) {
    if (file === undefined)
      throw new UsageError(
        "missing model file: archlab train FILE trains its architectures, archlab train --resume RUN continues a run",
      );
    checkModelFile(file);
    if (options.dataset !== undefined) checkDatasetOption(options.dataset);
    return { file, models: options.model, overrides: trainingOverrides(options) };
  }
  if (file !== undefined)
    throw new UsageError(
      `--resume trains the run's saved model with the source it was trained from: leave out the model file (${file})`,
    );
  const given = PARENT_SETTINGS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (given.length)
    throw new UsageError(`--resume trains with the settings of the run it continues: leave out ${given.join(", ")}`);
  return { runId: options.resume, epochs: options.epochs };
}

export async function trainCommand(file: string | undefined, options: TrainOptions): Promise<number> {
  const job = jobOf(file, options);
  const store = cliStore(options.runsDir);
  const display = new ProgressDisplay(Boolean(process.stdout.isTTY && process.stderr.isTTY));
  await repairOrphanedRuns(store, (line) => display.line(line));
  const runs = new Map<string, RunRecord>();
  const unrecorded = new Set<string>();
  const trainer = new TrainerProcess(
    {
      ...("runId" in job ? { type: "continue" as const, ...job } : { type: "train" as const, ...job }),
      backend: options.backend,
      threads: options.threads,
      storeRoot: store.root,
      runsDir: store.runsDir,
      fashionMnistDir: options.fashionMnistDir,
      searchPaths: [],
      keepModels: options.keepModels,
      hostGoneReason: "The archlab command that ran it was killed or lost its terminal.",
      runsFolderAlternative: "choose another folder with --runs-dir",
    },
    {
      trainerPath: join(__dirname, "trainer.js"),
      cwd: process.cwd(),
      stopTimeoutMs: STOP_GRACE_MS,
      onMessage: (message) => onTrainerMessage(message, { display, runs, unrecorded, json: options.json }),
    },
  );
  // First Ctrl-C (or a kill, or the terminal closing): stop after the current batch and keep a
  // cancelled record; a child that does not stop in time is killed. Second: kill it at once. Either
  // way the record of a run that was going is ended below, before the command exits.
  let stopping: "asked" | "now" | undefined;
  const onInterrupt = (signal: NodeJS.Signals) => {
    if (stopping) {
      stopping = "now";
      trainer.kill();
      return;
    }
    stopping = "asked";
    display.line(
      signal === "SIGINT"
        ? "Cancelling the current run (Ctrl-C again to quit at once)..."
        : `${signal}: cancelling the current run...`,
    );
    trainer.stop();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onInterrupt);
  const outcome = await trainer.outcome.finally(() => {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
    display.stopBar();
  });

  let records: RunRecord[];
  if (outcome.kind === "trained") {
    records = outcome.records;
  } else if (outcome.kind === "failed" && outcome.usage) {
    throw new UsageError(outcome.error.message);
  } else {
    // The child ended without its results: killed after a stop, crashed, or the job failed as a whole.
    const error =
      outcome.kind === "failed" ? outcome.error.toRunError() : { message: "The trainer answered with an inspection." };
    const reason: RunError = stopping
      ? {
          message:
            stopping === "now"
              ? "Quit at once (a second Ctrl-C) during the run."
              : `The run did not stop within ${STOP_GRACE_MS / 1000} s of the request and was ended.`,
        }
      : error;
    records = await endRunning(store, [...runs.values()], stopping ? "cancelled" : "failed", reason);
    if (stopping && !records.length)
      printError(
        `stopped: the model file did not stop within ${STOP_GRACE_MS / 1000} s (does it loop at its top level or in a factory?)`,
      );
    else if (!stopping)
      process.stderr.write(errorLine(error) + (error.stderr ? `\n${error.stderr.trim()}` : "") + "\n");
  }

  if (options.json) {
    const json: TrainJson = { runsDir: store.runsDir, runs: records.map((r) => essentials(r, unrecorded.has(r.id))) };
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
  } else {
    if (records.length) process.stdout.write("\n" + resultsTable(records, "text"));
    process.stdout.write(`\nRun records: ${shownPath(store.runsDir)}\n`);
  }
  const lost = records.filter((r) => unrecorded.has(r.id));
  if (lost.length)
    printError(
      `${lost.length} of ${records.length} runs could not be recorded (${lost.map((r) => r.model).join(", ")}): their results are only in the table above.`,
    );
  if (stopping || records.some((r) => r.status === "cancelled")) return EXIT.cancelled;
  return records.length > 0 && !lost.length && records.every((r) => r.status === "completed") ? EXIT.ok : EXIT.failed;
}

interface TrainState {
  display: ProgressDisplay;
  /** The latest state of each run the child started. */
  runs: Map<string, RunRecord>;
  unrecorded: Set<string>;
  json?: boolean;
}

function onTrainerMessage(message: TrainerToHost, state: TrainState): void {
  const { display, runs } = state;
  switch (message.type) {
    case "event": {
      const event = message.event;
      display.onEvent(event);
      if (event.type === "epoch") runs.get(event.runId)?.epochs.push(event.metrics);
      else if (event.type !== "batch") runs.set(event.runId, event.record);
      if (event.type === "runFailed" && event.record.error)
        display.line(errorLine(event.record.error, event.record.model));
      return;
    }
    case "log":
      if (!state.json) display.line(message.message);
      return;
    case "warning":
      display.line(`archlab: ${message.message}`);
      return;
    case "notRecorded":
      // One message for the first record that could not be written: a full disk fails every write after it.
      if (!state.unrecorded.size) {
        display.line(`archlab: ${message.message}`);
        display.line("archlab: training goes on; the results table still lists every run, recorded or not.");
      }
      state.unrecorded.add(message.runId);
      return;
    case "ready":
    case "trained":
    case "inspected":
    case "predictions":
    case "sweepPlanned":
    case "failed":
      return;
    default: {
      const unexpected: never = message;
      display.line(`archlab: unexpected trainer message ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Ends the records the child left `running`, as it would have; returns every run in order. */
async function endRunning(
  store: RunStore,
  runs: RunRecord[],
  status: "cancelled" | "failed",
  error: RunError,
): Promise<RunRecord[]> {
  const ended: RunRecord[] = [];
  for (const run of runs) {
    if (run.status !== "running") {
      ended.push(run);
      continue;
    }
    const stored = (await store.get(run.id)) ?? run;
    const record: RunRecord =
      stored.status === "running" ? { ...stored, status, finishedAt: new Date().toISOString(), error } : stored;
    await store.save(record).catch(() => undefined);
    ended.push(record);
  }
  return ended;
}

/** What `archlab train --json` prints. */
export interface TrainJson {
  runsDir: string;
  runs: ReturnType<typeof essentials>[];
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
    savedModel: record.savedModel,
    parent: record.parent,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}

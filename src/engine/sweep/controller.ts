// Runs a sweep's trials through a runner (child processes here, or agents behind a queue), a few
// at a time, with ASHA deciding at rung epochs, and keeps the sweep record current. Resuming is
// running the same record again: finished trials stay, the others (pending, running, cancelled,
// interrupted) start over under their fixed run ids.
import type { RunStore } from "../runs/store";
import type { RunRecord, TrainingEvent } from "../types";
import { Asha, epochValue } from "./asha";
import { bestTrial } from "./pareto";
import { trialConfig } from "./trial-config";
import type { SweepStore } from "./store";
import type { TrialJob, TrialRunHooks } from "./trial";
import type { SweepRecord, SweepSpec, SweepTrial, TrialStatus } from "./types";

export interface TrialRunner {
  /** Trials it runs at once. */
  readonly concurrency: number;
  /** Runs the trial to its end; resolves with its final record, in the run store; rejects when it could not run. */
  run(job: TrialJob, hooks: TrialRunHooks): Promise<RunRecord>;
  close(): Promise<void>;
}

export interface SweepListener {
  trialStarted?(trial: SweepTrial, sweep: SweepRecord): void;
  trialEvent?(trial: SweepTrial, event: TrainingEvent): void;
  trialEnded?(trial: SweepTrial, sweep: SweepRecord): void;
}

export interface SweepContext {
  sweeps: SweepStore;
  runs: RunStore;
  runner: TrialRunner;
  /** The model file trials load. */
  file: string;
  signal?: AbortSignal;
  /** What the sweep is called when the signal stopped it: `stopped` by the user, `interrupted` otherwise. */
  stoppedAs?: () => "stopped" | "interrupted";
  listener?: SweepListener;
}

const FINISHED: ReadonlySet<TrialStatus> = new Set(["completed", "pruned", "failed"]);

export function isFinished(trial: SweepTrial): boolean {
  return FINISHED.has(trial.status);
}

export async function runSweep(sweep: SweepRecord, ctx: SweepContext): Promise<SweepRecord> {
  const { spec } = sweep;
  const asha = spec.method === "asha" ? await restoredAsha(sweep, ctx.runs) : undefined;
  const todo = sweep.trials.filter((t) => !isFinished(t));
  for (const trial of todo) trial.status = "pending";
  sweep.status = "running";
  delete sweep.finishedAt;
  await ctx.sweeps.save(sweep);

  const runOne = async (trial: SweepTrial) => {
    trial.status = "running";
    trial.attempts = (trial.attempts ?? 0) + 1;
    await ctx.sweeps.save(sweep);
    ctx.listener?.trialStarted?.(trial, sweep);
    const job: TrialJob = {
      sweepId: sweep.id,
      trial: trial.trial,
      runId: trial.runId,
      params: trial.params,
      file: ctx.file,
      model: sweep.model,
      config: trialConfig(sweep, trial.params),
      rungs: asha?.rungs ?? [],
      macs: trial.macs,
    };
    let record: RunRecord | undefined;
    try {
      record = await ctx.runner.run(job, {
        signal: ctx.signal,
        onEvent: (event) => ctx.listener?.trialEvent?.(trial, event),
        decide: async (epoch, epochs) => {
          const value = epochValue(spec.metric, epochs);
          return asha && value !== undefined ? asha.report(trial.trial, epoch, value) : "continue";
        },
      });
    } catch (err) {
      trial.error = err instanceof Error ? err.message : String(err);
      record = await closeRunning(ctx.runs, trial.runId, ctx.signal?.aborted ? "cancelled" : "failed", trial.error);
      trial.status = record?.status ?? (ctx.signal?.aborted ? "cancelled" : "failed");
    }
    if (record) applyRecord(trial, record, spec);
    const best = bestTrial(sweep.trials, spec.goal);
    sweep.best = best && { trial: best.trial, value: best.value! };
    await ctx.sweeps.save(sweep);
    ctx.listener?.trialEnded?.(trial, sweep);
  };

  let next = 0;
  const worker = async () => {
    while (!ctx.signal?.aborted && next < todo.length) await runOne(todo[next++]);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.runner.concurrency, todo.length)) }, worker));
  } finally {
    const stopped = ctx.signal?.aborted && sweep.trials.some((t) => !isFinished(t));
    sweep.status = stopped ? (ctx.stoppedAs?.() ?? "stopped") : "completed";
    sweep.finishedAt = new Date().toISOString();
    await ctx.sweeps.save(sweep);
  }
  return sweep;
}

/** The trial's row from its run record: status, the metric, how far it ran. */
export function applyRecord(trial: SweepTrial, record: RunRecord, spec: SweepSpec): void {
  trial.status = record.status === "running" ? "interrupted" : record.status;
  trial.epochsRun = record.epochs.length;
  trial.learningTimeSec = record.results?.learningTimeSec ?? record.epochs.reduce((sum, e) => sum + e.seconds, 0);
  trial.paramsCount = record.summary?.params.total ?? trial.paramsCount;
  trial.macs = record.summary?.macs ?? trial.macs;
  trial.value = metricOf(spec, record, trial);
  trial.error = record.error?.message;
  if (record.sweep?.attempt) trial.attempts = record.sweep.attempt;
}

function metricOf(spec: SweepSpec, record: RunRecord, trial: SweepTrial): number | undefined {
  switch (spec.metric) {
    case "params":
      return trial.paramsCount;
    case "macs":
      return trial.macs;
    case "testAccuracy":
    case "testLoss":
    case "learningTimeSec":
      if (record.results) return record.results[spec.metric];
      return record.status === "pruned" ? epochValue(spec.metric, record.epochs) : undefined;
  }
}

/** ASHA as it stood: the finished trials' values at each rung they reached. */
async function restoredAsha(sweep: SweepRecord, runs: RunStore): Promise<Asha> {
  const asha = new Asha(sweep.spec);
  for (const trial of sweep.trials.filter(isFinished)) {
    const record = await runs.get(trial.runId);
    if (!record) continue;
    for (const rung of asha.rungs) {
      const value = epochValue(sweep.spec.metric, record.epochs.slice(0, rung));
      if (record.epochs.length >= rung && value !== undefined) asha.report(trial.trial, rung, value);
    }
  }
  return asha;
}

/** A trial whose runner died could not end its record: end it here, so no record looks as if it still ran. */
async function closeRunning(
  runs: RunStore,
  runId: string,
  status: "failed" | "cancelled",
  message: string,
): Promise<RunRecord | undefined> {
  const record = await runs.get(runId);
  if (!record) return undefined;
  if (record.status !== "running") return record;
  const ended: RunRecord = { ...record, status, finishedAt: new Date().toISOString(), error: { message } };
  await runs.save(ended);
  return ended;
}

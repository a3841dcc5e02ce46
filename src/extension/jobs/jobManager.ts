// Queues training jobs, runs each in its own trainer child up to the concurrency limit, and turns
// what the child says (or how it dies) into run records and progress.
import type { TrialJob, TrialRunHooks } from "../../engine/sweep/trial";
import { epochsBefore, lastEpoch } from "../../engine/runs/continued";
import type { RunRecord, TrainingConfig, TrainingEvent } from "../../engine/types";
import type { TrainerToHost } from "../../shared/protocol";
import type { ChildProcessError } from "../../shared/child-error";
import type { TrainerOutcome } from "../../shared/trainer-process";
import type { JobProgress } from "./progress";

export interface JobRequest {
  file: string;
  /** Architectures to train; all of the file's when absent. */
  models?: string[];
  overrides?: Partial<TrainingConfig>;
  /** Shown in progress and logs, e.g. "TinyCNN (quick run)". */
  label: string;
  /** Set when the job is one trial of a sweep: its variant, and the sweep's say at ASHA's rungs. */
  trial?: { job: TrialJob; decide: TrialRunHooks["decide"] };
  /** Set when the job trains a run's saved model further (Continue Training): `file` and `models` are that run's. */
  continue?: { runId: string; epochs: number };
}

export type JobState = "queued" | "running" | "stopping" | "done";

export interface Job {
  readonly id: number;
  readonly request: JobRequest;
  state: JobState;
  /** Runs this job has started, in order. */
  readonly runIds: string[];
  progress?: JobProgress;
  readonly done: Promise<void>;
}

/** What the manager needs of a trainer child: TrainerProcess, or a fake in tests. */
export interface TrainerHandle {
  readonly pid: number | undefined;
  readonly outcome: Promise<TrainerOutcome>;
  stop(): void;
  detach(): void;
}

export interface JobManagerDeps {
  startTrainer(request: JobRequest, onMessage: (message: TrainerToHost) => void): TrainerHandle;
  store: { get(id: string): Promise<RunRecord | undefined>; save(record: RunRecord): Promise<void> };
  locks: { acquire(runId: string, pid: number): Promise<void>; release(runId: string): Promise<void> };
  maxConcurrentJobs(): number;
  log(message: string): void;
  now?: () => number;
}

export interface JobListener {
  jobChanged?(job: Job): void;
  trainingEvent?(event: TrainingEvent): void;
  /**
   * The job failed as a whole or its child died. `closedRuns` counts the runs the host had to
   * close as failed (each also came as a `runFailed` training event).
   */
  jobFailed?(job: Job, error: ChildProcessError, closedRuns: number): void;
  /** A run's record could not be written (a full disk, no permission); the run goes on. */
  runNotRecorded?(job: Job, runId: string, message: string): void;
  /** Closing the job's runs after its child ended failed (the store could not be read or written). */
  jobCleanupFailed?(job: Job, error: unknown): void;
}

interface LiveJob extends Job {
  trainer?: TrainerHandle;
  runStartedAt: number;
  finish(): void;
}

export class JobManager {
  private readonly jobs: LiveJob[] = [];
  private readonly listeners = new Set<JobListener>();
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly deps: JobManagerDeps) {
    this.now = deps.now ?? Date.now;
  }

  subscribe(listener: JobListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  enqueue(request: JobRequest): Job {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const job: LiveJob = { id: this.nextId++, request, state: "queued", runIds: [], done, finish, runStartedAt: 0 };
    this.jobs.push(job);
    this.deps.log(`Queued ${request.label} (${request.file}).`);
    this.changed(job);
    this.pump();
    return job;
  }

  list(): Job[] {
    return [...this.jobs];
  }

  /** The job that is training or will train `model` of `file`, if any. */
  activeJobFor(file: string, model: string): Job | undefined {
    return this.jobs.find(
      (j) => j.request.file === file && (!j.request.models || j.request.models.includes(model)) && j.state !== "done",
    );
  }

  stopRun(runId: string): void {
    const job = this.jobs.find((j) => j.runIds.includes(runId));
    if (job) this.stopJob(job.id);
  }

  stopJob(id: number): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) return;
    if (job.state === "queued") {
      this.deps.log(`Removed ${job.request.label} from the queue.`);
      this.settle(job);
    } else if (job.state === "running") {
      this.deps.log(`Stopping ${job.request.label}...`);
      job.state = "stopping";
      job.trainer?.stop();
      this.changed(job);
    }
  }

  stopAll(): void {
    for (const job of [...this.jobs]) this.stopJob(job.id);
  }

  /** The window is going away: queued jobs are dropped, running children record their runs as interrupted. */
  dispose(): void {
    for (const job of [...this.jobs]) {
      if (job.state === "queued") this.settle(job);
      else job.trainer?.detach();
    }
    this.listeners.clear();
  }

  private pump(): void {
    const limit = Math.max(1, this.deps.maxConcurrentJobs());
    for (const job of this.jobs) {
      if (this.jobs.filter((j) => j.state === "running" || j.state === "stopping").length >= limit) return;
      if (job.state === "queued") this.start(job);
    }
  }

  private start(job: LiveJob): void {
    job.state = "running";
    this.deps.log(`Starting ${job.request.label}.`);
    job.trainer = this.deps.startTrainer(job.request, (message) => this.onMessage(job, message));
    this.changed(job);
    // Whatever the clean-up does, the job settles: a job stuck `running` would hold the queue forever.
    void job.trainer.outcome
      .then((outcome) => this.onOutcome(job, outcome))
      .catch((err: unknown) => {
        this.deps.log(`${job.request.label}: could not close its runs: ${messageOf(err)}`);
        for (const l of this.listeners) l.jobCleanupFailed?.(job, err);
      })
      .finally(() => {
        if (job.state !== "done") this.settle(job);
      });
  }

  private onMessage(job: LiveJob, message: TrainerToHost): void {
    switch (message.type) {
      case "log":
        this.deps.log(`[${job.request.label}] ${message.message}`);
        return;
      case "event":
        this.onTrainingEvent(job, message.event);
        return;
      case "failed":
        this.deps.log(`[${job.request.label}] ${message.error.message}`);
        return;
      case "warning":
        // A skipped export: the CodeLens shows only architectures already, the log says why.
        this.deps.log(`[${job.request.label}] ${message.message}`);
        return;
      case "notRecorded":
        this.deps.log(`[${job.request.label}] ${message.message}`);
        for (const l of this.listeners) l.runNotRecorded?.(job, message.runId, message.message);
        return;
      case "ready":
      case "trained":
      case "inspected":
      case "predictions":
      case "sweepPlanned":
        return;
      default: {
        const unexpected: never = message;
        this.deps.log(`Unexpected trainer message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private onTrainingEvent(job: LiveJob, event: TrainingEvent): void {
    switch (event.type) {
      case "runStarted": {
        job.runIds.push(event.runId);
        job.runStartedAt = this.now();
        const { record } = event;
        // A continued run's epochs are numbered on from its parent's.
        const firstEpoch = epochsBefore(record) + 1;
        job.progress = {
          model: record.model,
          epoch: firstEpoch,
          ...(record.parent && { firstEpoch }),
          epochs: lastEpoch(record),
          batch: 0,
          batchesPerEpoch: 0,
          elapsedMs: 0,
        };
        const pid = job.trainer?.pid;
        if (pid !== undefined)
          this.quietly(`record the trainer of ${event.runId}`, this.deps.locks.acquire(event.runId, pid));
        break;
      }
      case "batch":
        if (job.progress) {
          job.progress = {
            ...job.progress,
            epoch: event.epoch,
            batch: event.batch,
            batchesPerEpoch: event.batchesPerEpoch,
            elapsedMs: this.now() - job.runStartedAt,
          };
        }
        break;
      case "epoch":
        this.deps.log(`[${job.request.label}] ${describeEpoch(event.metrics)}`);
        break;
      case "runFinished":
      case "runFailed":
      case "runCancelled":
        this.deps.log(
          `[${job.request.label}] ${event.record.model}: ${event.record.status}${event.record.error ? ` (${event.record.error.message})` : ""}`,
        );
        this.quietly(`release ${event.runId}`, this.deps.locks.release(event.runId));
        break;
    }
    for (const l of this.listeners) l.trainingEvent?.(event);
    this.changed(job);
  }

  private async onOutcome(job: LiveJob, outcome: TrainerOutcome): Promise<void> {
    const stopRequested = job.state === "stopping";
    if (outcome.kind === "failed") {
      const closed = await this.closeRunningRecords(job, outcome.error, stopRequested ? "cancelled" : "failed");
      this.deps.log(
        `${job.request.label} failed: ${outcome.error.message}${outcome.error.stderr ? `\n${outcome.error.stderr}` : ""}`,
      );
      if (!stopRequested) for (const l of this.listeners) l.jobFailed?.(job, outcome.error, closed);
    } else {
      this.deps.log(`Finished ${job.request.label}.`);
    }
  }

  /** A child that died mid-run could not write its final record: the host writes it. */
  private async closeRunningRecords(
    job: LiveJob,
    error: ChildProcessError,
    status: "failed" | "cancelled",
  ): Promise<number> {
    let closed = 0;
    for (const runId of job.runIds) {
      const record = await this.deps.store.get(runId);
      if (record?.status !== "running") continue;
      const ended: RunRecord = {
        ...record,
        status,
        finishedAt: new Date(this.now()).toISOString(),
        error: error.toRunError(),
      };
      await this.deps.store.save(ended);
      await this.deps.locks.release(runId);
      closed++;
      const type = status === "failed" ? "runFailed" : "runCancelled";
      for (const l of this.listeners) l.trainingEvent?.({ type, runId, record: ended });
    }
    return closed;
  }

  private settle(job: LiveJob): void {
    job.state = "done";
    this.jobs.splice(this.jobs.indexOf(job), 1);
    this.changed(job);
    job.finish();
    this.pump();
  }

  /** Pid files only help a later window: failing to write one is logged, never fatal. */
  private quietly(what: string, work: Promise<void>): void {
    work.catch((err: unknown) => this.deps.log(`Could not ${what}: ${messageOf(err)}`));
  }

  private changed(job: Job): void {
    for (const l of this.listeners) l.jobChanged?.(job);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describeEpoch(m: { epoch: number; loss: number; acc: number; valAcc?: number; seconds: number }): string {
  const val = m.valAcc === undefined ? "" : `, val acc ${(m.valAcc * 100).toFixed(2)}%`;
  return `epoch ${m.epoch}: loss ${m.loss.toFixed(4)}, acc ${(m.acc * 100).toFixed(2)}%${val} (${m.seconds.toFixed(1)} s)`;
}

// Local trials of a sweep as jobs of the window's job queue: each in a trainer child of its own,
// `archlab.maxConcurrentJobs` at a time beside any other training, shown and stopped as any job.
import type { TrialRunner } from "../../engine/sweep/controller";
import type { TrialJob, TrialRunHooks } from "../../engine/sweep/trial";
import type { RunRecord } from "../../engine/types";
import type { JobManager } from "../jobs/jobManager";

export class JobTrialRunner implements TrialRunner {
  constructor(
    private readonly jobs: Pick<JobManager, "enqueue" | "stopJob" | "subscribe">,
    private readonly store: { get(id: string): Promise<RunRecord | undefined> },
    readonly concurrency: number,
  ) {}

  async run(job: TrialJob, hooks: TrialRunHooks): Promise<RunRecord> {
    if (hooks.signal?.aborted) throw new Error("the sweep stopped before this trial started");
    const queued = this.jobs.enqueue({
      file: job.file,
      models: [job.model],
      label: `${job.model} trial ${job.trial + 1}`,
      trial: { job, decide: (epoch, epochs) => hooks.decide(epoch, epochs) },
    });
    const events = this.jobs.subscribe({
      trainingEvent: (event) => event.runId === job.runId && hooks.onEvent?.(event),
    });
    const stop = () => this.jobs.stopJob(queued.id);
    hooks.signal?.addEventListener("abort", stop, { once: true });
    try {
      await queued.done;
    } finally {
      events.dispose();
      hooks.signal?.removeEventListener("abort", stop);
    }
    // The child wrote the trial's final record before it exited (the host did for a child that died).
    const record = await this.store.get(job.runId);
    if (record) return record;
    throw new Error(
      hooks.signal?.aborted
        ? "the sweep stopped before this trial started"
        : "the trial ended without starting its run",
    );
  }

  async close(): Promise<void> {}
}

// Trials through BullMQ: each trial becomes a job on the queue; whichever agent takes it trains it
// and streams its events back as job progress. The controller writes the records into the
// workspace's store (the agent's own copies stay on its machine), answers ASHA's rungs, and asks
// agents to stop trials when the sweep stops.
import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import { Queue, QueueEvents, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { bundleModelFile } from "../../models/bundle";
import type { RunStore } from "../../runs/store";
import type { EpochMetrics, RunRecord } from "../../types";
import type { TrialRunner } from "../controller";
import type { TrialJob, TrialRunHooks } from "../trial";
import { connect, decisionKey, QUEUE_NAME, stopKey } from "./connection";
import type { AgentResult, AgentUpdate, QueuedTrial } from "./job";

// Keys for decisions and stops outlive any trial that could still read them, then go.
const KEY_TTL_SEC = 24 * 3600;

export interface QueueRunnerOptions {
  url: string;
  runs: RunStore;
  /** The model file's source, for the records (agents see only the bundle). */
  source: { text: string; sha256: string };
  /** The record's `file`, as the workspace's store writes it. */
  file: string;
  /** Trials put on the queue at once; agents take them as they have room. */
  concurrency: number;
}

interface Live {
  hooks: TrialRunHooks;
  job: TrialJob;
  epochs: EpochMetrics[];
  record?: RunRecord;
  /** Writes of the live record, in order; the final record waits for them. */
  saving: Promise<void>;
  cancel(): void;
}

export class QueueTrialRunner implements TrialRunner {
  readonly concurrency: number;
  private readonly redis: Redis;
  private readonly eventsRedis: Redis;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly live = new Map<string, Live>();
  // A controller's job ids are its own: an earlier sweep run's finished job never stands in for a new one.
  private readonly nonce = randomBytes(3).toString("hex");
  private bundle?: Promise<string>;

  constructor(private readonly options: QueueRunnerOptions) {
    this.concurrency = Math.max(1, options.concurrency);
    this.redis = connect(options.url, "archlab-controller");
    this.queue = new Queue(QUEUE_NAME, { connection: this.redis });
    this.eventsRedis = connect(options.url, "archlab-controller-events");
    this.events = new QueueEvents(QUEUE_NAME, { connection: this.eventsRedis });
    this.events.on("progress", ({ jobId, data }) => void this.onProgress(jobId, data as unknown as AgentUpdate));
  }

  async run(job: TrialJob, hooks: TrialRunHooks): Promise<RunRecord> {
    const jobId = `${job.runId}-${this.nonce}`;
    let cancel!: () => void;
    const cancelled = new Promise<never>(
      (_, reject) => (cancel = () => reject(new Error("stopped before an agent took it"))),
    );
    const live: Live = { hooks, job, epochs: [], saving: Promise.resolve(), cancel };
    this.live.set(jobId, live);
    await this.events.waitUntilReady();
    this.bundle ??= bundleModelFile(job.file).then((b) => b.code);
    const data: QueuedTrial = { trial: job, bundle: await this.bundle, fileName: basename(job.file) };
    const queued: Job = await this.queue.add("trial", data, {
      jobId,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 3600 },
    });
    const stop = () => void this.stop(queued, live);
    if (hooks.signal?.aborted) stop();
    hooks.signal?.addEventListener("abort", stop, { once: true });
    try {
      const result = (await Promise.race([queued.waitUntilFinished(this.events), cancelled])) as AgentResult;
      const record = this.toWorkspace(result.record);
      await live.saving;
      await this.options.runs.save(record);
      return record;
    } finally {
      hooks.signal?.removeEventListener("abort", stop);
      this.live.delete(jobId);
    }
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open: a window that runs many sweeps must not keep
    // one per sweep, reconnecting for ever once Redis goes away.
    this.eventsRedis.disconnect();
    this.redis.disconnect();
  }

  private async onProgress(jobId: string, update: AgentUpdate): Promise<void> {
    const live = this.live.get(jobId);
    if (!live || !update?.event) return;
    const { event } = update;
    if (event.type === "runStarted" || event.type === "epoch") {
      if (event.type === "runStarted") live.record = this.toWorkspace(event.record);
      else {
        live.epochs.push(event.metrics);
        if (live.record) live.record.epochs = [...live.epochs];
      }
      // The workspace sees the trial live, as a run of its own; a retry starts the same record over.
      const snapshot = live.record && structuredClone(live.record);
      if (snapshot) live.saving = live.saving.then(() => this.options.runs.save(snapshot)).catch(() => undefined);
    }
    if (event.type === "runStarted") {
      live.epochs = [];
      live.hooks.onLog?.(`trial ${live.job.trial + 1} on ${update.agent}`);
    }
    live.hooks.onEvent?.(event.type === "runStarted" ? { ...event, record: live.record! } : event);
    if (event.type === "epoch" && live.job.rungs.includes(event.metrics.epoch)) {
      const decision = await live.hooks.decide(event.metrics.epoch, [...live.epochs]);
      const key = decisionKey(live.job.runId, event.metrics.epoch);
      await this.redis.multi().del(key).lpush(key, decision).expire(key, KEY_TTL_SEC).exec();
    }
  }

  /** A trial still waiting is taken off the queue; a running one is asked to stop at its next batch. */
  private async stop(job: Job, live: Live): Promise<void> {
    await this.redis.set(stopKey(live.job.runId), "1", "EX", KEY_TTL_SEC);
    if (!(await job.isWaiting())) return;
    const removed = await job.remove().then(
      () => true,
      () => false,
    );
    if (removed) live.cancel();
  }

  private toWorkspace(record: RunRecord): RunRecord {
    return { ...record, file: this.options.file, source: { ...this.options.source } };
  }
}

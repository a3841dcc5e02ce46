// An agent: takes trials off the queue and trains each in a trainer child of its own, with the
// same engine as local trials. It streams the trial's events back as job progress, waits at ASHA's
// rungs for the controller's decision, and returns the final record. An agent that dies mid-trial
// stops renewing its lock: BullMQ's stalled-job check gives the trial to another agent, whose
// record says it is a retry.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker, type Job } from "bullmq";
import { isBuiltinDataset } from "../../datasets";
import type { BackendPreference, TrainingEvent } from "../../types";
import type { Decision } from "../asha";
import { ChildTrialRunner } from "../child-runner";
import { connect, decisionKey, QUEUE_NAME, stopKey } from "./connection";
import type { AgentResult, AgentUpdate, QueuedTrial } from "./job";

// A controller that is gone never answers: the trial goes on after this long.
const DECISION_TIMEOUT_SEC = 300;
const STOP_POLL_MS = 1_000;
const BATCH_UPDATE_MS = 1_000;
/** How long a trial's lock lasts without renewal: the time before a dead agent's trial is retried. */
const DEFAULT_LOCK_MS = 30_000;

export interface AgentOptions {
  url: string;
  concurrency: number;
  trainerPath: string;
  backend: BackendPreference;
  threads?: number;
  fashionMnistDir?: string;
  lockMs?: number;
  log(message: string): void;
}

export interface RunningAgent {
  readonly name: string;
  /** Stops taking trials; resolves when the running ones have ended. */
  close(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const name = `${hostname()}:${process.pid}`;
  const redis = connect(options.url, `archlab-agent-${name}`);
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;

  const processTrial = async (job: Job<QueuedTrial>): Promise<AgentResult> => {
    const { trial, bundle, fileName } = job.data;
    const dataset = trial.config.dataset;
    if (!isBuiltinDataset(dataset) && !existsSync(dataset)) {
      throw new Error(
        `agent ${name} has no data set folder ${dataset}: put the same folder at that path on the agent's machine`,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), "archlab-agent-"));
    const file = join(dir, fileName.replace(/\.(ts|mts|mjs|js)$/, "") + ".js");
    await writeFile(file, bundle, "utf8");
    // The agent's records stay in the trial's folder: the controller keeps the real ones.
    const runner = new ChildTrialRunner({
      trainerPath: options.trainerPath,
      concurrency: options.concurrency,
      env: {
        backend: options.backend,
        threads: options.threads,
        storeRoot: dir,
        datasetOptions: { fashionMnistDir: options.fashionMnistDir },
      },
    });
    const retried =
      job.stalledCounter > 0 || job.attemptsStarted > 1 ? "the agent that ran it before stopped responding" : undefined;
    options.log(`trial ${trial.trial + 1} of sweep ${trial.sweepId}${retried ? " (retried)" : ""}`);
    const stop = new AbortController();
    const poll = setInterval(() => {
      void redis.exists(stopKey(trial.runId)).then(
        (n) => n > 0 && stop.abort(),
        () => undefined,
      );
    }, STOP_POLL_MS);
    let updates = Promise.resolve();
    let lastBatch = 0;
    const update = (event: TrainingEvent) => {
      if (event.type === "batch") {
        if (Date.now() - lastBatch < BATCH_UPDATE_MS) return;
        lastBatch = Date.now();
      }
      const payload: AgentUpdate = { event, agent: name };
      updates = updates.then(() => job.updateProgress(payload as unknown as object)).catch(() => undefined);
    };
    try {
      const record = await runner.run(
        { ...trial, file, attempt: job.attemptsStarted, retried, agent: name },
        {
          signal: stop.signal,
          onEvent: update,
          onLog: (message) => options.log(`[trial ${trial.trial + 1}] ${message}`),
          decide: (epoch) => waitForDecision(redis.duplicate(), decisionKey(trial.runId, epoch), stop.signal),
        },
      );
      await updates;
      options.log(`trial ${trial.trial + 1}: ${record.status}`);
      // The controller puts back the workspace's source; the bundle need not travel twice.
      return { record: { ...record, source: { text: "", sha256: record.source.sha256 } }, agent: name };
    } finally {
      clearInterval(poll);
      await rm(dir, { recursive: true, force: true });
    }
  };

  const worker = new Worker<QueuedTrial, AgentResult>(QUEUE_NAME, processTrial, {
    connection: connect(options.url, `archlab-agent-worker-${name}`),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 2,
  });
  worker.on("error", (err) => options.log(`queue: ${err.message}`));
  await worker.waitUntilReady();
  return {
    name,
    close: async () => {
      await worker.close();
      redis.disconnect();
    },
  };
}

async function waitForDecision(
  blocking: ReturnType<typeof connect>,
  key: string,
  signal: AbortSignal,
): Promise<Decision> {
  const stopped = new Promise<Decision>((resolve) =>
    signal.addEventListener("abort", () => resolve("continue"), { once: true }),
  );
  try {
    const answer = blocking.blpop(key, DECISION_TIMEOUT_SEC).then((r) => (r?.[1] === "prune" ? "prune" : "continue"));
    return await Promise.race([answer, stopped]);
  } finally {
    blocking.disconnect();
  }
}

// The job manager with fake trainer children: queueing, progress, stopping, crashes.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunRecord, TrainingEvent } from "../../src/engine/types";
import { DEFAULT_TRAINING } from "../../src/engine/types";
import { runRecord } from "../support/records";
import type { TrainerToHost } from "../../src/shared/protocol";
import { ChildProcessError } from "../../src/shared/child-error";
import {
  JobManager,
  type JobManagerDeps,
  type JobRequest,
  type TrainerHandle,
} from "../../src/extension/jobs/jobManager";
import type { TrainerOutcome } from "../../src/shared/trainer-process";

class FakeTrainer implements TrainerHandle {
  readonly pid = 4242;
  stopped = false;
  detached = false;
  readonly outcome: Promise<TrainerOutcome>;
  private resolve!: (o: TrainerOutcome) => void;
  constructor(
    readonly request: JobRequest,
    readonly say: (m: TrainerToHost) => void,
  ) {
    this.outcome = new Promise((r) => (this.resolve = r));
  }
  stop(): void {
    this.stopped = true;
  }
  detach(): void {
    this.detached = true;
  }
  exit(outcome: TrainerOutcome): void {
    this.resolve(outcome);
  }
}

function record(id: string, model: string, status: RunRecord["status"] = "running"): RunRecord {
  return runRecord({
    id,
    model,
    file: "m.model.ts",
    config: { ...DEFAULT_TRAINING, epochs: 2 },
    status,
    startedAt: new Date(0).toISOString(),
  });
}

function setup(maxConcurrentJobs = 1, overrides: Partial<JobManagerDeps> = {}) {
  const trainers: FakeTrainer[] = [];
  const saved = new Map<string, RunRecord>();
  const locks = new Map<string, number>();
  const events: TrainingEvent[] = [];
  const failures: [ChildProcessError, number][] = [];
  let clock = 0;
  const manager = new JobManager({
    startTrainer: (request, onMessage) => {
      const t = new FakeTrainer(request, onMessage);
      trainers.push(t);
      return t;
    },
    store: {
      get: async (id) => saved.get(id),
      save: async (r) => void saved.set(r.id, r),
    },
    locks: {
      acquire: async (id, pid) => void locks.set(id, pid),
      release: async (id) => void locks.delete(id),
    },
    maxConcurrentJobs: () => maxConcurrentJobs,
    log: () => undefined,
    now: () => clock,
    ...overrides,
  });
  manager.subscribe({
    trainingEvent: (e) => events.push(e),
    jobFailed: (_job, err, closed) => failures.push([err, closed]),
  });
  const tick = (ms: number) => (clock += ms);
  return { manager, trainers, saved, locks, events, failures, tick };
}

const start = (t: FakeTrainer, r: RunRecord) =>
  t.say({ type: "event", event: { type: "runStarted", runId: r.id, record: r } });

test("jobs wait in a queue until a slot frees up", async () => {
  const { manager, trainers } = setup(1);
  const first = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  const second = manager.enqueue({ file: "/w/b.model.ts", label: "b" });
  assert.equal(trainers.length, 1);
  assert.deepEqual([first.state, second.state], ["running", "queued"]);
  trainers[0].exit({ kind: "trained", records: [] });
  await first.done;
  assert.equal(trainers.length, 2);
  assert.equal(trainers[1].request.file, "/w/b.model.ts");
  assert.equal(second.state, "running");
});

test("two slots run two jobs at once", () => {
  const { manager, trainers } = setup(2);
  manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  manager.enqueue({ file: "/w/b.model.ts", label: "b" });
  manager.enqueue({ file: "/w/c.model.ts", label: "c" });
  assert.equal(trainers.length, 2);
});

test("progress follows batch events, with an ETA from the elapsed time", () => {
  const { manager, trainers, tick } = setup();
  const job = manager.enqueue({ file: "/w/a.model.ts", models: ["MLP"], label: "MLP" });
  start(trainers[0], record("r1", "MLP"));
  tick(10_000);
  trainers[0].say({
    type: "event",
    event: { type: "batch", runId: "r1", epoch: 1, batch: 50, batchesPerEpoch: 100, loss: 1, acc: 0.5 },
  });
  assert.deepEqual(job.progress, {
    model: "MLP",
    epoch: 1,
    epochs: 2,
    batch: 50,
    batchesPerEpoch: 100,
    elapsedMs: 10_000,
  });
  assert.equal(manager.activeJobFor("/w/a.model.ts", "MLP"), job);
  assert.equal(manager.activeJobFor("/w/a.model.ts", "CNN"), undefined);
});

test("stopping a run asks its child to stop; stopping a queued job drops it", async () => {
  const { manager, trainers } = setup();
  const running = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  const queued = manager.enqueue({ file: "/w/b.model.ts", label: "b" });
  start(trainers[0], record("r1", "MLP"));
  manager.stopRun("r1");
  assert.equal(trainers[0].stopped, true);
  assert.equal(running.state, "stopping");
  manager.stopJob(queued.id);
  await queued.done;
  assert.equal(queued.state, "done");
  trainers[0].exit({ kind: "trained", records: [] });
  await running.done;
  assert.equal(trainers.length, 1, "the dropped job never started");
  assert.deepEqual(manager.list(), []);
});

test("a crashed child marks its running run failed with the exit code, and the user hears of it", async () => {
  const { manager, trainers, saved, locks, events, failures } = setup();
  const job = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  const done = record("r0", "MLP", "completed");
  saved.set("r0", done);
  saved.set("r1", record("r1", "CNN"));
  start(trainers[0], done);
  start(trainers[0], record("r1", "CNN"));
  assert.equal(locks.get("r1"), 4242);
  trainers[0].exit({
    kind: "failed",
    error: new ChildProcessError("The trainer process was killed (SIGKILL).", "oom", 137),
  });
  await job.done;
  assert.equal(saved.get("r0")?.status, "completed", "a finished run is left as it was");
  const failed = saved.get("r1");
  assert.equal(failed?.status, "failed");
  assert.equal(failed?.error?.exitCode, 137);
  assert.match(failed?.error?.message ?? "", /killed/);
  assert.equal(failed?.error?.stderr, "oom");
  assert.equal(locks.has("r1"), false);
  assert.equal(events.at(-1)?.type, "runFailed");
  assert.deepEqual(
    failures.map(([, closed]) => closed),
    [1],
    "the job failure counts the one run it closed",
  );
});

test("a child killed after a stop request leaves its run cancelled, without an error popup", async () => {
  const { manager, trainers, saved, failures } = setup();
  const job = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  saved.set("r1", record("r1", "MLP"));
  start(trainers[0], record("r1", "MLP"));
  manager.stopAll();
  trainers[0].exit({ kind: "failed", error: new ChildProcessError("killed", "", 137) });
  await job.done;
  assert.equal(saved.get("r1")?.status, "cancelled");
  assert.equal(failures.length, 0);
});

test("closing the window detaches running children and drops queued jobs", async () => {
  const { manager, trainers } = setup();
  manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  const queued = manager.enqueue({ file: "/w/b.model.ts", label: "b" });
  manager.dispose();
  await queued.done;
  assert.equal(trainers[0].detached, true);
  assert.equal(trainers.length, 1);
});

test("a job whose clean-up fails still settles, says so once, and the next queued job starts", async () => {
  const logs: string[] = [];
  const cleanupFailures: unknown[] = [];
  const { manager, trainers } = setup(1, {
    store: {
      get: async () => {
        throw new Error("EIO: i/o error, read");
      },
      save: async () => undefined,
    },
    locks: {
      acquire: async () => {
        throw new Error("EACCES: permission denied, open");
      },
      release: async () => {
        throw new Error("EACCES: permission denied, unlink");
      },
    },
    log: (message) => logs.push(message),
  });
  manager.subscribe({ jobCleanupFailed: (_job, err) => cleanupFailures.push(err) });
  const first = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  const second = manager.enqueue({ file: "/w/b.model.ts", label: "b" });
  start(trainers[0], record("r1", "MLP"));
  trainers[0].exit({
    kind: "failed",
    error: new ChildProcessError("The trainer process was killed (SIGKILL).", "", 137),
  });
  await first.done;
  assert.equal(first.state, "done");
  assert.equal(trainers.length, 2, "the queued job started");
  assert.equal(second.state, "running");
  assert.equal(cleanupFailures.length, 1);
  assert.ok(
    logs.some((l) => /a: could not close its runs: EIO/.test(l)),
    logs.join("\n"),
  );
  assert.ok(
    logs.some((l) => /Could not record the trainer of r1: EACCES/.test(l)),
    logs.join("\n"),
  );
  trainers[1].exit({ kind: "trained", records: [] });
  await second.done;
});

test("a record the child could not write reaches the listeners with its run; a skipped export is only logged", async () => {
  const logs: string[] = [];
  const notRecorded: [string, string][] = [];
  const { manager, trainers } = setup(1, { log: (message) => logs.push(message) });
  manager.subscribe({ runNotRecorded: (_job, runId, message) => notRecorded.push([runId, message]) });
  const job = manager.enqueue({ file: "/w/a.model.ts", label: "a" });
  trainers[0].say({ type: "warning", message: "skipped export helper: takes 2 arguments" });
  trainers[0].say({
    type: "notRecorded",
    runId: "r1",
    message: "Could not write the run record /w/.archlab/runs/r1.json: the disk is full (ENOSPC).",
  });
  assert.deepEqual(notRecorded, [
    ["r1", "Could not write the run record /w/.archlab/runs/r1.json: the disk is full (ENOSPC)."],
  ]);
  assert.ok(logs.includes("[a] skipped export helper: takes 2 arguments"), logs.join("\n"));
  trainers[0].exit({ kind: "trained", records: [] });
  await job.done;
});

// Sweeps as the extension runs them, with the real trainer child: planned in a child, trials as
// jobs of the window's queue (never more at once than maxConcurrentJobs), ASHA's decisions sent to
// the children at rung epochs, Stop and Resume, and an unreachable queue falling back to local trials.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RunStore } from "../../src/engine/runs/store";
import { SweepStore } from "../../src/engine/sweep/store";
import type { SweepRecord } from "../../src/engine/sweep/types";
import type { RunRecord } from "../../src/engine/types";
import { JobLocks } from "../../src/extension/jobs/jobLocks";
import { JobManager } from "../../src/extension/jobs/jobManager";
import { TrainerProcess } from "../../src/shared/trainer-process";
import { planInChild } from "../../src/extension/sweeps/planner";
import { SweepSessions, type SweepSettings } from "../../src/extension/sweeps/sweepSessions";
import { describeSweepEnd, describeSweepProgress } from "../../src/extension/sweeps/sweepText";
import { startTrialTrainer } from "../../src/extension/sweeps/trialTrainer";
import { readRunRecords } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const trainerPath = join(REPO, "dist", "trainer.js");
let root: string;
let file: string;

before(async () => {
  ensureBuilt();
  root = await mkdtemp(join(tmpdir(), "archlab-ext-sweep-"));
  file = join(root, "dense.model.ts");
  await writeFile(
    file,
    [
      "import * as tf from '@tensorflow/tfjs';",
      "export function Dense(hp: Hyperparameters) {",
      "  const units = hp.choice('units', [8, 16]);",
      "  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'relu' }), tf.layers.dense({ units: 10 })] });",
      "}",
      "export const training = { limit: 300, testLimit: 100 };",
      // A learning rate that learns and one that barely moves: ASHA stops the slow ones at rung 1.
      "export const sweep = { Dense: { method: 'asha', trials: 4, epochs: 3, seed: 0, parameters: { learningRate: [0.01, 0.000001] } } };",
    ].join("\n"),
  );
});
after(() => rm(root, { recursive: true, force: true }));

interface Lab {
  sessions: SweepSessions;
  jobs: JobManager;
  /** Most trial jobs seen running at once. */
  peak: () => number;
  warnings: string[];
}

function lab(settings: SweepSettings): Lab {
  const store = new RunStore(root);
  const options = { trainerPath, cwd: root, stopTimeoutMs: 20_000 };
  let peak = 0;
  const jobs = new JobManager({
    startTrainer: (request, onMessage) => {
      const env = { backend: "cpu" as const, storeRoot: root, cores: 1, searchPaths: [] };
      if (!request.trial) throw new Error("only trials here");
      return startTrialTrainer(request.trial, env, { ...options, onMessage });
    },
    store,
    locks: new JobLocks(join(root, ".archlab", "jobs")),
    maxConcurrentJobs: () => settings.maxConcurrentJobs,
    log: () => undefined,
  });
  jobs.subscribe({ jobChanged: () => (peak = Math.max(peak, jobs.list().filter((j) => j.state !== "queued").length)) });
  const warnings: string[] = [];
  const sessions = new SweepSessions({
    root,
    plan: (request) => planInChild(request, options),
    sweeps: new SweepStore(root),
    runs: store,
    jobs,
    settings: () => settings,
    remoteEvent: () => undefined,
    loadQueue: () => import("../../src/engine/sweep/queue/choose"),
    queueUnreachable: (message) => warnings.push(message),
    log: () => undefined,
  });
  return { sessions, jobs, peak: () => peak, warnings };
}

async function records(sweep: SweepRecord): Promise<RunRecord[]> {
  const all = await readRunRecords(join(root, ".archlab", "runs"));
  return all.filter((r) => r.sweep?.id === sweep.id);
}

test("a sweep runs every trial as a job of the queue, two at a time, each ending with one record", async () => {
  const { sessions, peak } = lab({ maxConcurrentJobs: 2, overrides: {} });
  const progress: string[] = [];
  sessions.onDidChange((s) => progress.push(describeSweepProgress(s.sweep)));
  const session = await sessions.start({ file, model: "Dense" });
  assert.equal(session.ranOn, "local");
  assert.ok(sessions.activeFor(file, "Dense"), "the sweep is active while it runs");
  const sweep = await session.done;
  assert.equal(sessions.activeFor(file, "Dense"), undefined);

  assert.equal(sweep.status, "completed");
  assert.equal(sweep.trials.length, 4);
  assert.equal(peak(), 2, "trials run as many at a time as maxConcurrentJobs allows, not more");
  const runs = await records(sweep);
  assert.equal(runs.length, 4, "one run record per trial");
  for (const run of runs) {
    const trial = sweep.trials[run.sweep!.trial];
    assert.equal(run.id, trial.runId);
    assert.equal(run.status, trial.status);
    assert.equal(run.config.limit, 300, "the file's training export applies to every trial");
    if (run.status === "pruned") assert.ok(run.epochs.length < 3, "a pruned trial stopped before the last epoch");
    else assert.equal(run.status, "completed");
  }
  // Side by side, which trial reaches a rung first is a matter of timing: only slow learners may be pruned.
  assert.ok(
    sweep.trials.every((t) => t.status !== "pruned" || t.params.learningRate === 0.000001),
    "only slow learners were pruned",
  );
  const stored = await new SweepStore(root).get(sweep.id);
  assert.equal(stored.status, "completed");
  assert.equal(stored.best?.trial, sweep.best?.trial);
  assert.match(progress.at(-1)!, /^4\/4 done · 0 running · \d pruned · best \d+\.\d\d% \(trial \d\)$/);
  assert.match(
    describeSweepEnd(sweep),
    /^Sweep of Dense completed \(4\/4 done.*\)\. Best: trial \d, \d+\.\d\d% with [\d,]+ params; /,
  );
});

test("Stop ends the sweep as stopped with its running trial cancelled; Resume runs only what did not finish", async () => {
  const { sessions, jobs } = lab({ maxConcurrentJobs: 1, overrides: {} });
  const session = await sessions.start({ file, model: "Dense" });
  // Stop once the first trial has finished and the second has begun training.
  await new Promise<void>((resolve) => {
    const listener = jobs.subscribe({
      trainingEvent: (event) => {
        if (event.type === "batch" && event.runId === session.sweep.trials[1].runId) {
          listener.dispose();
          session.stop();
          resolve();
        }
      },
    });
  });
  const stopped = await session.done;
  assert.equal(stopped.status, "stopped");
  assert.deepEqual(
    stopped.trials.map((t) => t.status),
    ["completed", "cancelled", "pending", "pending"],
  );
  const firstBefore = (await records(stopped)).find((r) => r.id === stopped.trials[0].runId)!;
  assert.equal((await records(stopped)).length, 2, "trials that never started have no record");

  const resumed = await (await sessions.resume(stopped.id)).done;
  assert.equal(resumed.status, "completed");
  const runs = await records(resumed);
  assert.equal(runs.length, 4, "every trial keeps one record");
  const first = runs.find((r) => r.id === resumed.trials[0].runId)!;
  assert.equal(first.startedAt, firstBefore.startedAt, "a finished trial is not run again");
  assert.ok(resumed.trials.every((t) => t.status === "completed" || t.status === "pruned"));
  // One at a time, the slow learner after the fast one is below the top third at rung 1.
  assert.equal(resumed.trials[1].params.learningRate, 0.000001);
  assert.equal(resumed.trials[1].status, "pruned");
  assert.equal(
    runs.find((r) => r.id === resumed.trials[1].runId)!.epochs.length,
    1,
    "ASHA stopped it in its child after epoch 1",
  );
});

test("a queue whose Redis does not answer is named with its socket error, and the trials run here", async () => {
  const { sessions, warnings } = lab({ maxConcurrentJobs: 2, overrides: {}, queue: "redis://127.0.0.1:1" });
  const session = await sessions.start({ file, model: "Dense" });
  assert.deepEqual(warnings, [
    "cannot reach the queue's Redis at redis://127.0.0.1:1 (ECONNREFUSED). The trials run here instead.",
  ]);
  assert.equal(session.ranOn, "local");
  const sweep = await session.done;
  assert.equal(sweep.status, "completed");
  assert.equal(sweep.ranOn, "local");
  assert.equal((await records(sweep)).length, 4);
});

test("a bad sweep spec fails with the field named before any trial starts", async () => {
  const bad = join(root, "bad.model.ts");
  await writeFile(bad, (await readFile(file, "utf8")).replace("method: 'asha'", "method: 'bayes'"));
  const { sessions, jobs } = lab({ maxConcurrentJobs: 1, overrides: {} });
  await assert.rejects(
    sessions.start({ file: bad, model: "Dense" }),
    /sweep\.Dense\.method must be one of grid, random, asha/,
  );
  assert.equal(jobs.list().length, 0);
  assert.equal(sessions.list().length, 0);
});

test("planning in a child sizes every trial's variant before training", async () => {
  const outcome = await new TrainerProcess(
    { type: "planSweep", request: { file, model: "Dense", storeRoot: root } },
    { trainerPath, cwd: root, stopTimeoutMs: 5000 },
  ).outcome;
  assert.equal(outcome.kind, "planned");
  if (outcome.kind !== "planned") return;
  assert.equal(outcome.sweep.model, "Dense");
  assert.deepEqual(
    outcome.sweep.trials.map((t) => t.paramsCount),
    outcome.sweep.trials.map((t) => (t.params.units === 8 ? 784 * 8 + 8 + 8 * 10 + 10 : 784 * 16 + 16 + 16 * 10 + 10)),
  );
});

// The real trainer child (dist/trainer.js) on tiny jobs: events, stop, crash and a closing window.
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RunStore } from "../../src/engine/runs/store";
import type { TrainingEvent } from "../../src/engine/types";
import type { TrainRequest, TrainerToHost } from "../../src/shared/protocol";
import { JobLocks } from "../../src/extension/jobs/jobLocks";
import { JobManager } from "../../src/extension/jobs/jobManager";
import { TrainerProcess } from "../../src/shared/trainer-process";

const repo = resolve(import.meta.dirname, "../..");
const trainerPath = join(repo, "dist", "trainer.js");
const examples = join(repo, "examples", "mnist.model.ts");
let root: string;

before(async () => {
  if (!existsSync(trainerPath)) execFileSync(process.execPath, ["esbuild.config.mjs"], { cwd: repo });
  root = await mkdtemp(join(tmpdir(), "archlab-trainer-"));
});
after(() => rm(root, { recursive: true, force: true }));

function trainRequest(overrides: TrainRequest["overrides"]): TrainRequest {
  return {
    type: "train",
    file: examples,
    models: ["MLP"],
    overrides,
    backend: "cpu",
    storeRoot: root,
    searchPaths: [],
  };
}

function startTrainer(request: TrainRequest, onEvent: (e: TrainingEvent, t: TrainerProcess) => void): TrainerProcess {
  const trainer: TrainerProcess = new TrainerProcess(request, {
    trainerPath,
    cwd: root,
    stopTimeoutMs: 20_000,
    onMessage: (m: TrainerToHost) => m.type === "event" && onEvent(m.event, trainer),
  });
  return trainer;
}

const long = { epochs: 50, limit: 1000, testLimit: 200 };

test("inspecting reports every architecture of the example file with its size", async () => {
  const trainer = new TrainerProcess(
    { type: "inspect", file: examples },
    { trainerPath, cwd: root, stopTimeoutMs: 5000 },
  );
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, "inspected");
  if (outcome.kind !== "inspected") return;
  const sizes = Object.fromEntries(outcome.report.models.map((m) => [m.name, m.summary?.params.total]));
  assert.deepEqual(sizes, { MLP: 25_450, TinyCNN: 4_266, CNN: 26_698, StrongCNN: 467_818 });
});

test("inspecting a broken file fails with the line of the error", async () => {
  const broken = join(root, "broken.model.ts");
  await writeFile(
    broken,
    "import * as tf from '@tensorflow/tfjs';\n\nexport function A() {\n  return tf.sequential({ layers: [ }\n}\n",
  );
  const outcome = await new TrainerProcess(
    { type: "inspect", file: broken },
    { trainerPath, cwd: root, stopTimeoutMs: 5000 },
  ).outcome;
  assert.equal(outcome.kind, "failed");
  if (outcome.kind !== "failed") return;
  assert.equal(outcome.error.location?.line, 4);
  assert.match(outcome.error.message, /broken\.model\.ts:4/);
});

test("a tiny training job streams its events in order and saves a completed record", async () => {
  const events: TrainingEvent["type"][] = [];
  const trainer = startTrainer(trainRequest({ epochs: 1, limit: 300, testLimit: 100 }), (e) => events.push(e.type));
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, "trained");
  assert.equal(events[0], "runStarted");
  assert.equal(events.at(-1), "runFinished");
  assert.ok(events.includes("epoch"));
  if (outcome.kind !== "trained") return;
  const stored = await new RunStore(root).get(outcome.records[0].id);
  assert.equal(stored?.status, "completed");
  assert.equal(stored?.epochs.length, 1);
});

test("stop ends the run after the current batch and records it cancelled", async () => {
  const trainer = startTrainer(trainRequest(long), (e, t) => e.type === "epoch" && t.stop());
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, "trained");
  if (outcome.kind !== "trained") return;
  const stored = await new RunStore(root).get(outcome.records[0].id);
  assert.equal(stored?.status, "cancelled");
  assert.ok((stored?.epochs.length ?? 0) < long.epochs);
});

test("a killed child leaves its run failed with the exit code", async () => {
  const store = new RunStore(root);
  const failures: string[] = [];
  const manager = new JobManager({
    startTrainer: (request, onMessage) => {
      const trainer: TrainerProcess = new TrainerProcess(
        { ...trainRequest(request.overrides), models: request.models },
        {
          trainerPath,
          cwd: root,
          stopTimeoutMs: 20_000,
          onMessage: (m) => {
            onMessage(m);
            if (m.type === "event" && m.event.type === "epoch") trainer.kill();
          },
        },
      );
      return trainer;
    },
    store,
    locks: new JobLocks(join(root, ".archlab", "jobs")),
    maxConcurrentJobs: () => 1,
    log: () => undefined,
  });
  manager.subscribe({ jobFailed: (_job, err) => failures.push(err.message) });
  const job = manager.enqueue({ file: examples, models: ["MLP"], overrides: long, label: "MLP" });
  await job.done;
  const record = await store.get(job.runIds[0]);
  assert.equal(record?.status, "failed");
  assert.equal(record?.error?.exitCode, 137);
  assert.match(record?.error?.message ?? "", /killed \(SIGKILL\)/);
  assert.equal(failures.length, 1);
});

test("when the window goes away mid-run, the child records the run as interrupted and exits", async () => {
  let runId = "";
  const trainer = startTrainer(trainRequest(long), (e, t) => {
    if (e.type === "runStarted") runId = e.runId;
    if (e.type === "epoch") t.detach();
  });
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, "failed", "the host no longer hears the result");
  const stored = await new RunStore(root).get(runId);
  assert.equal(stored?.status, "interrupted");
});

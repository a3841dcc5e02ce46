// `archlab sweep` end to end on a few hundred images: trials as run records, the sweep record,
// ASHA's pruned trials, the printed table with the Pareto answer, and resuming after Ctrl-C.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { SweepRecord } from "../../src/engine/sweep/types";
import { readJson, readRunRecords } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const DATA = ["--limit", "300", "--test-limit", "200", "--backend", "wasm"];

let cwd: string;
let file: string;

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-sweep-"));
  file = join(cwd, "small.model.ts");
  await writeFile(
    file,
    [
      "import * as tf from '@tensorflow/tfjs';",
      "export function Small(hp: Hyperparameters) {",
      "  const filters = hp.choice('filters', [2, 4]);",
      "  return tf.sequential({ layers: [",
      "    tf.layers.conv2d({ inputShape: [28, 28, 1], filters, kernelSize: 3, activation: 'relu' }),",
      "    tf.layers.maxPooling2d({ poolSize: 4 }),",
      "    tf.layers.flatten(),",
      "    tf.layers.dense({ units: 10 }),",
      "  ] });",
      "}",
      // Seed 0 draws a learning rate that learns first, then one that barely moves: ASHA prunes it.
      "export const sweep = { Small: { method: 'asha', trials: 4, epochs: 3, seed: 0, parameters: { learningRate: [0.01, 0.000001] } } };",
    ].join("\n"),
  );
});
after(() => rm(cwd, { recursive: true, force: true }));

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const runRecords = () => readRunRecords(join(cwd, ".archlab", "runs"));
const sweepRecord = (name: string) => readJson<SweepRecord>(join(cwd, ".archlab", "sweeps", name));

test("an ASHA sweep: every trial a run record with its params, slow learners pruned at rung 1, the table and the Pareto answer", async () => {
  // One at a time, so that the trials reach the first rung in their order (side by side, a slow
  // learner that gets there first goes on, as ASHA intends).
  const { code, stdout, stderr } = archlab("sweep", file, ...DATA);
  assert.equal(code, 0, stderr);
  assert.match(
    stderr,
    /Sweep \S+: Small, asha, 4 trials of up to 3 epochs, testAccuracy \(max\), 1 at a time on local/,
  );
  assert.match(stdout, /Trial +Params +testAccuracy +Params count +Learning time +Status\n/);
  assert.match(stdout, /pruned at epoch 1/);
  assert.match(stdout, /Best testAccuracy: trial \d: \d+\.\d\d% with [\d,]+ params \(learningRate=0\.01 filters=\d\)/);
  assert.match(stdout, /Smallest model within half a point of the best: /);

  const records = await runRecords();
  assert.equal(records.length, 4);
  const [sweepName] = await readdir(join(cwd, ".archlab", "sweeps"));
  const sweep = await sweepRecord(sweepName);
  assert.equal(sweep.schemaVersion, 1);
  assert.equal(sweep.status, "completed");
  assert.deepEqual(
    sweep.trials.map((t) => t.params),
    [
      { learningRate: 0.01, filters: 2 },
      { learningRate: 0.000001, filters: 2 },
      { learningRate: 0.01, filters: 4 },
      { learningRate: 0.000001, filters: 4 },
    ],
  );
  for (const trial of sweep.trials) {
    const record = records.find((r) => r.id === trial.runId)!;
    assert.deepEqual(record.sweep, { id: sweep.id, trial: trial.trial, params: trial.params });
    assert.equal(record.status, trial.status);
    assert.equal(record.config.learningRate, trial.params.learningRate);
    assert.equal(record.summary?.params.total, trial.paramsCount);
    if (trial.params.learningRate === 0.000001) {
      assert.equal(record.status, "pruned", `trial ${trial.trial + 1} learns nothing and stops at the first rung`);
      assert.equal(record.epochs.length, 1);
      assert.equal(record.results, undefined);
    }
  }
  const first = records.find((r) => r.sweep?.trial === 0)!;
  assert.equal(first.status, "completed");
  assert.equal(first.epochs.length, 3);
  const completed = sweep.trials.filter((t) => t.status === "completed");
  assert.equal(sweep.best?.trial, completed.sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0].trial);
});

test("Ctrl-C interrupts a sweep; --resume keeps the finished trials and runs the rest", async () => {
  await rm(join(cwd, ".archlab"), { recursive: true, force: true });
  const child = spawn(process.execPath, [BIN, "sweep", file, ...DATA, "--method", "grid", "--epochs", "2"], { cwd });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/trial 2\/\d+ started/.test(stderr) && !child.killed) child.kill("SIGINT");
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /resume with archlab sweep --resume (\S+)/);
  const id = /--resume (\S+)/.exec(stderr)![1];
  const interrupted = await sweepRecord(`${id}.json`);
  assert.equal(interrupted.status, "interrupted");
  assert.deepEqual(
    interrupted.trials.map((t) => t.status),
    ["completed", "cancelled", "pending", "pending"],
  );
  const before = (await runRecords()).find((r) => r.sweep?.trial === 0)!;

  const resumed = archlab("sweep", "--resume", id, ...DATA, "--parallel", "2");
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /trial 1\/4 started/, "the finished trial is not run again");
  assert.match(resumed.stderr, /trial 2\/4 started/);
  assert.match(resumed.stderr, /2 at a time on local/);
  const sweep = await sweepRecord(`${id}.json`);
  assert.equal(sweep.status, "completed");
  assert.deepEqual(
    sweep.trials.map((t) => t.status),
    ["completed", "completed", "completed", "completed"],
  );
  const records = await runRecords();
  assert.equal(records.length, 4, "one record per trial: the cancelled run was started over under its id");
  assert.deepEqual(
    records.find((r) => r.sweep?.trial === 0),
    before,
  );
});

test("bad sweep input: the field is named, nothing is recorded", async () => {
  const bad = join(cwd, "bad.model.ts");
  await writeFile(bad, (await readFile(file, "utf8")).replace("method: 'asha'", "method: 'bayes'"));
  await rm(join(cwd, ".archlab"), { recursive: true, force: true });
  const { code, stderr } = archlab("sweep", bad, ...DATA);
  assert.equal(code, 1);
  assert.match(stderr, /sweep\.Small\.method must be one of grid, random, asha, got "bayes"/);
  assert.equal(archlab("sweep", "--resume", "no-such-sweep").code, 2);
  assert.equal(archlab("sweep").code, 2);
});

// Continue Training on a small MNIST subset: a run's saved model trained one more epoch goes on
// where its parent stopped (its loss, its epoch numbers, its optimizer's moments and step count),
// so that on the fused engine it ends exactly where one uninterrupted run of as many epochs does.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { RunStore } from "../../src/engine/runs/store";
import { savedModelDir } from "../../src/engine/saved/files";
import { continueRun, JobSpecError, runJob, type JobSpec } from "../../src/engine/train";
import type { RunRecord, TrainingEvent } from "../../src/engine/types";

const EXAMPLE = join(import.meta.dirname, "../../examples/mnist.model.ts");
const LIMIT = 2000;
const BATCH = 64;
const BATCHES_PER_EPOCH = Math.ceil(LIMIT / BATCH);

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "archlab-continue-"));
});
after(() => rm(root, { recursive: true, force: true }));

/** `model` of the study's file on the first 2,000 training images, on one thread, keeping every model. */
function trainSpec(model: string, backend: "fused" | "wasm", epochs: number): JobSpec {
  return {
    file: EXAMPLE,
    models: [model],
    backend,
    threads: 1,
    storeRoot: root,
    keepModels: "all",
    overrides: { epochs, limit: LIMIT, testLimit: 1000, batchSize: BATCH, seed: 7 },
  };
}

async function train(model: string, backend: "fused" | "wasm", epochs: number): Promise<RunRecord> {
  const [record] = await runJob(trainSpec(model, backend, epochs));
  assert.equal(record.status, "completed", record.error?.message);
  return record;
}

/** The step count saved with a run's optimizer state ('iter', an int32, comes first). */
async function savedSteps(record: RunRecord): Promise<number> {
  const dir = savedModelDir(new RunStore(root), record);
  const state = JSON.parse(await readFile(join(dir, "optimizer.json"), "utf8")) as {
    weights: { name: string; dtype: string }[];
  };
  assert.deepEqual([state.weights[0].name, state.weights[0].dtype], ["iter", "int32"]);
  return (await readFile(join(dir, "optimizer.bin"))).readInt32LE(0);
}

describe("Continue Training", () => {
  test("fused engine: one more epoch of TinyCNN continues its parent, and matches an uninterrupted run bit for bit", async () => {
    const parent = await train("TinyCNN", "fused", 2);
    assert.equal(parent.backend.engine, "wasm-fused");
    const events: TrainingEvent[] = [];
    const child = await continueRun(
      { runId: parent.id, epochs: 1, backend: "fused", threads: 1, storeRoot: root, keepModels: "all" },
      { onEvent: (e) => events.push(e) },
    );
    const straight = await train("TinyCNN", "fused", 3);

    assert.equal(child.status, "completed", child.error?.message);
    assert.equal(child.backend.engine, "wasm-fused");
    assert.deepEqual(child.parent, { id: parent.id, epochs: 2 });
    assert.deepEqual(
      child.epochs.map((e) => e.epoch),
      [3],
      "epochs numbered on from the parent",
    );
    assert.equal(child.config.epochs, 1);
    assert.deepEqual({ ...child.config, epochs: 2 }, parent.config, "the parent's settings");
    assert.equal(child.savedModel?.epoch, 3);
    assert.equal(child.source.sha256, parent.source.sha256);
    assert.equal(child.summary?.architectureHash, parent.summary?.architectureHash);
    const batchEpochs = new Set(events.flatMap((e) => (e.type === "batch" ? [e.epoch] : [])));
    assert.deepEqual([...batchEpochs], [3], "progress says epoch 3");

    // An epoch's loss is the mean over its batches; where the parent stopped is best seen in its
    // model's loss on the test images after epoch 2, and where the child starts in its first batch.
    const stoppedAt = parent.epochs[1].valLoss!;
    const firstBatch = events.find((e) => e.type === "batch" && e.batch === 1);
    assert.ok(firstBatch?.type === "batch");
    const fresh = Math.log(10);
    console.log(
      `TinyCNN: parent's epoch losses ${parent.epochs.map((e) => e.loss.toFixed(4)).join(", ")}, test loss after epoch 2 ${stoppedAt.toFixed(4)}; ` +
        `continued: first batch ${firstBatch.loss.toFixed(4)}, epoch 3 ${child.epochs[0].loss.toFixed(4)}; uninterrupted epoch 3 ${straight.epochs[2].loss.toFixed(4)}`,
    );
    assert.ok(
      Math.abs(firstBatch.loss - stoppedAt) < 0.35 * stoppedAt,
      `the first batch's loss ${firstBatch.loss} is near the parent's last ${stoppedAt}`,
    );
    assert.ok(firstBatch.loss < 0.6 * fresh, `not back at an untrained model's ${fresh.toFixed(2)}`);
    assert.ok(child.epochs[0].loss < parent.epochs[1].loss, "the loss goes on falling");

    // Adam's step count went on: 2 epochs of the parent, then 1 of the child.
    assert.equal(await savedSteps(parent), 2 * BATCHES_PER_EPOCH);
    assert.equal(await savedSteps(child), 3 * BATCHES_PER_EPOCH);
    // Same shuffles, same moments, same bias correction: the very same run as three epochs at once.
    assert.equal(child.epochs[0].loss, straight.epochs[2].loss);
    assert.equal(child.epochs[0].valLoss, straight.epochs[2].valLoss);
    assert.equal(child.results?.testAccuracy, straight.results?.testAccuracy);
    assert.equal(child.savedModel?.sha256, straight.savedModel?.sha256, "the same weights");

    // The control: the same weights with a fresh optimizer (its state files removed) end elsewhere.
    const dir = savedModelDir(new RunStore(root), parent);
    await Promise.all(["optimizer.json", "optimizer.bin"].map((file) => rm(join(dir, file))));
    const logs: string[] = [];
    const afresh = await continueRun(
      { runId: parent.id, epochs: 1, backend: "fused", threads: 1, storeRoot: root, keepModels: "all" },
      { onLog: (m) => logs.push(m) },
    );
    assert.ok(
      logs.some((m) => /kept no optimizer state with its model: adam starts afresh/.test(m)),
      logs.join("\n"),
    );
    assert.equal(await savedSteps(afresh), BATCHES_PER_EPOCH);
    assert.notEqual(afresh.epochs[0].loss, straight.epochs[2].loss);
    assert.notEqual(afresh.savedModel?.sha256, straight.savedModel?.sha256);
  });

  test("fused engine with dropout: the continued run's masks are those the uninterrupted run draws", async () => {
    const file = join(root, "dropout.model.ts");
    await writeFile(
      file,
      "import * as tf from '@tensorflow/tfjs';\n" +
        'export const Dropped = () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 32, activation: "relu" }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 10 })] });\n',
    );
    const run = async (epochs: number) => (await runJob({ ...trainSpec("Dropped", "fused", epochs), file }))[0];
    const parent = await run(1);
    const child = await continueRun({
      runId: parent.id,
      epochs: 1,
      backend: "fused",
      threads: 1,
      storeRoot: root,
      keepModels: "all",
    });
    const straight = await run(2);
    assert.equal(child.backend.engine, "wasm-fused");
    assert.equal(child.epochs[0].loss, straight.epochs[1].loss);
    assert.equal(child.savedModel?.sha256, straight.savedModel?.sha256);
  });

  test("tfjs engine: the MLP's continued epoch is the uninterrupted run's, to float rounding", async () => {
    const parent = await train("MLP", "wasm", 1);
    assert.equal(parent.backend.engine, "tfjs");
    const child = await continueRun({
      runId: parent.id,
      epochs: 1,
      backend: "wasm",
      threads: 1,
      storeRoot: root,
      keepModels: "all",
    });
    const straight = await train("MLP", "wasm", 2);
    assert.equal(child.status, "completed", child.error?.message);
    assert.deepEqual(
      child.epochs.map((e) => e.epoch),
      [2],
    );
    assert.equal(await savedSteps(child), 2 * BATCHES_PER_EPOCH);
    // tfjs recomputes Adam's beta powers from the step count (pow) where an uninterrupted run multiplies.
    const [resumed, expected] = [child.epochs[0].loss, straight.epochs[1].loss];
    console.log(
      `MLP on tfjs: continued epoch 2 loss ${resumed}, uninterrupted ${expected}, parent's epoch 1 ${parent.epochs[0].loss}`,
    );
    assert.ok(Math.abs(resumed - expected) < 1e-4 * expected, `${resumed} vs ${expected}`);
  });

  test("a continued run can itself be continued, and a run without a saved model, still training or unknown cannot", async () => {
    const store = new RunStore(root);
    const { records } = await store.list();
    const child = records.find((r) => r.model === "TinyCNN" && r.parent)!;
    const grandchild = await continueRun({
      runId: child.id,
      epochs: 2,
      backend: "fused",
      threads: 1,
      storeRoot: root,
      keepModels: "all",
    });
    assert.deepEqual(grandchild.parent, { id: child.id, epochs: 3 });
    assert.deepEqual(
      grandchild.epochs.map((e) => e.epoch),
      [4, 5],
    );
    assert.ok(grandchild.epochs[1].loss < child.epochs[0].loss * 1.3);

    const before = (await store.list()).records.length;
    const refused = (runId: string, message: RegExp) =>
      assert.rejects(
        continueRun({ runId, storeRoot: root, backend: "fused" }),
        (err: Error) => err instanceof JobSpecError && message.test(err.message),
      );
    await refused("no-such-run", /Cannot continue training: No run "no-such-run"/);
    await store.deleteSavedModel(child.id);
    await refused(
      child.id,
      /Cannot continue training: Run .* has no saved model: its trained model was not kept \(the archlab.keepModels setting, --keep-models on the command line\) or was deleted \(runs of TinyCNN that kept theirs: …/,
    );
    const running = { ...grandchild, id: `${grandchild.id}-live`, status: "running" as const };
    await store.save(running);
    await refused(running.id, /run .* is still training: continue it once it has ended/);
    await store.delete(running.id);
    assert.equal((await store.list()).records.length, before, "nothing is recorded");
  });
});

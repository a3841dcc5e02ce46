// Training one architecture on a tiny synthetic dataset: what the user sees in records and events.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { initBackend } from "../../src/engine/backend";
import type { Architecture } from "../../src/engine/models";
import { RunStore } from "../../src/engine/runs/store";
import type { Tf } from "../../src/engine/tf";
import { runArchitecture, type RunContext } from "../../src/engine/train/run-model";
import { bandsDataset, CLASSES, SIDE } from "./helpers/bands";
import { DEFAULT_TRAINING, type TrainingConfig, type TrainingEvent } from "../../src/engine/types";

const dataset = bandsDataset;

const config: TrainingConfig = { ...DEFAULT_TRAINING, dataset: "bands", epochs: 2, batchSize: 32, learningRate: 0.01 };

let tf: Tf;
let root: string;

before(async () => {
  ({ tf } = await initBackend("cpu"));
  root = await mkdtemp(join(tmpdir(), "archlab-train-"));
});
after(() => rm(root, { recursive: true, force: true }));

function dense(name: string, options: { softmax?: boolean; inputShape?: number[]; units?: number } = {}): Architecture {
  return {
    name,
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: options.inputShape ?? [SIDE, SIDE, 1] }),
          tf.layers.dense({ units: 16, activation: "relu" }),
          tf.layers.dense({ units: options.units ?? CLASSES, activation: options.softmax ? "softmax" : "linear" }),
        ],
      }),
  };
}

function context(events: TrainingEvent[], signal?: AbortSignal): RunContext {
  return {
    tf,
    backend: { name: "cpu", version: tf.version_core },
    store: new RunStore(root),
    source: { path: join(root, "bands.model.ts"), text: "export {}", sha256: "abc" },
    loadDataset: async () => dataset,
    signal,
    onEvent: (event) => events.push(event),
  };
}

const types = (events: TrainingEvent[]) => events.filter((e) => e.type !== "batch").map((e) => e.type);

describe("training one architecture", () => {
  test("learns, streams events in order and stores a complete record", async () => {
    const events: TrainingEvent[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const record = await runArchitecture(context(events), dense("Bands"), config);

    assert.equal(record.status, "completed", record.error?.message);
    assert.deepEqual(types(events), ["runStarted", "epoch", "epoch", "runFinished"]);
    assert.ok(
      events.some((e) => e.type === "batch"),
      "batch progress is reported",
    );
    const started = events[0];
    assert.ok(started.type === "runStarted" && started.record.summary?.params.total === 8 * 8 * 16 + 16 + 16 * 3 + 3);

    const results = record.results!;
    assert.ok(results.testAccuracy > 0.9, `test accuracy ${results.testAccuracy}`);
    assert.equal(results.testExamples, 150);
    assert.equal(
      results.confusion.flat().reduce((a, b) => a + b, 0),
      150,
    );
    assert.equal(results.misclassified.length, Math.round(150 * (1 - results.testAccuracy)));
    for (const [index, truth, predicted] of results.misclassified) {
      assert.equal(dataset.test.labels[index], truth);
      assert.notEqual(truth, predicted);
    }
    assert.equal(results.perClassAccuracy.length, CLASSES);
    assert.ok(results.learningTimeSec > 0 && results.learningTimeSec <= results.totalTimeSec);
    assert.equal(record.epochs.length, 2);
    assert.ok(record.epochs.every((e) => e.valAcc !== undefined && e.valLoss !== undefined && e.seconds > 0));
    assert.deepEqual(record.dataset?.imageShape, [SIDE, SIDE, 1]);
    assert.ok(record.host && record.finishedAt);

    assert.deepEqual(await new RunStore(root).get(record.id), record);
    assert.equal(tf.memory().numTensors, tensorsBefore, "no tensor outlives the run");
  });

  test("the same seed gives the same run", async () => {
    const first = await runArchitecture(context([]), dense("Seeded"), { ...config, epochs: 1 });
    const second = await runArchitecture(context([]), dense("Seeded"), { ...config, epochs: 1 });
    assert.equal(first.results!.testLoss, second.results!.testLoss);
  });

  test("a model ending in softmax trains (softmax is not applied twice)", async () => {
    const record = await runArchitecture(context([]), dense("Softmax", { softmax: true }), config);
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.summary?.outputsProbabilities, true);
    assert.ok(record.results!.testAccuracy > 0.9, `test accuracy ${record.results!.testAccuracy}`);
  });

  for (const learningRate of [1e9, 1e20]) {
    test(`a diverging loss (learning rate ${learningRate}) stops the run with a failed record that says so`, async () => {
      const events: TrainingEvent[] = [];
      const record = await runArchitecture(context(events), dense("Diverges"), { ...config, learningRate });
      assert.equal(record.status, "failed");
      assert.match(
        record.error!.message,
        /diverged: the loss became (NaN|Infinity|[\d.]+e\+\d+) at epoch 1, batch \d+.*lower learning rate/i,
      );
      assert.equal(record.epochs.length, 0);
      assert.deepEqual(types(events).at(-1), "runFailed");
      assert.equal((await new RunStore(root).get(record.id))?.status, "failed");
    });
  }

  test("a model ending in softmax that diverges stops too, although its clipped loss stays finite", async () => {
    const record = await runArchitecture(context([]), dense("SoftmaxDiverges", { softmax: true }), {
      ...config,
      learningRate: 1e9,
    });
    assert.equal(record.status, "failed", `${record.status}, accuracy ${record.results?.testAccuracy}`);
    assert.match(
      record.error!.message,
      /diverged: the loss stayed above 2\.2, twice that of a uniform guess, for 10 batches \([\d.]+; the softmax output is confidently wrong\) at epoch 1, batch \d+.*lower learning rate \(now 1000000000\)/i,
    );
  });

  test("a model that does not fit the dataset fails before training", async () => {
    const events: TrainingEvent[] = [];
    const record = await runArchitecture(context(events), dense("Wrong", { inputShape: [32, 32, 3] }), config);
    assert.equal(record.status, "failed");
    assert.match(record.error!.message, /expects input \[32,32,3\].*\[8,8,1\]/);
    assert.deepEqual(types(events), ["runStarted", "runFailed"]);
    assert.equal(record.epochs.length, 0);
  });

  test("a factory that throws gives a failed record naming the problem", async () => {
    const broken: Architecture = {
      name: "Broken",
      build: () => {
        throw new Error("units must be positive");
      },
    };
    const events: TrainingEvent[] = [];
    const record = await runArchitecture(context(events), broken, config);
    assert.equal(record.status, "failed");
    assert.match(record.error!.message, /units must be positive/);
    assert.deepEqual(types(events), ["runStarted", "runFailed"]);
  });

  test("cancelling mid-epoch stops within a batch and leaves a cancelled record", async () => {
    const controller = new AbortController();
    const events: TrainingEvent[] = [];
    const ctx = context(events, controller.signal);
    ctx.onEvent = (event) => {
      events.push(event);
      if (event.type === "batch") controller.abort();
    };
    const record = await runArchitecture(ctx, dense("Cancelled"), { ...config, epochs: 50 });
    assert.equal(record.status, "cancelled");
    assert.equal(record.epochs.length, 0, "stopped inside the first epoch");
    assert.equal(events.filter((e) => e.type === "batch").length, 1);
    assert.deepEqual(types(events), ["runStarted", "runCancelled"]);
    assert.equal((await new RunStore(root).get(record.id))?.status, "cancelled");
  });
});

test("a quick run trains one epoch on a size chosen by the model: all of a small one, part of a large one", async () => {
  const { quickRunConfig, QUICK_TRAIN_MACS } = await import("../../src/engine/train/quick");
  const small = quickRunConfig({ ...DEFAULT_TRAINING, quick: true }, 300_000, 60_000, 10_000);
  assert.deepEqual(
    [small.epochs, small.limit, small.testLimit],
    [1, 60_000, 10_000],
    "a 0.3 M MAC model: a full epoch and the whole test set",
  );
  const large = quickRunConfig({ ...DEFAULT_TRAINING, quick: true }, 18_700_000, 60_000, 10_000);
  assert.equal(large.limit, Math.floor(QUICK_TRAIN_MACS / 18_700_000));
  assert.ok(large.limit < 60_000, "StrongCNN (18.7 M MACs): part of an epoch");
  assert.equal(large.testLimit, 10_000, "tested on the same images as the small models");
  assert.equal(
    quickRunConfig({ ...DEFAULT_TRAINING, quick: true, limit: 500 }, 18_700_000, 60_000, 10_000).limit,
    500,
    "a limit given is kept",
  );
});

test("a quick run of a model file set to train 2 epochs trains one, and its record says so", async () => {
  const events: TrainingEvent[] = [];
  const record = await runArchitecture(context(events), dense("QuickBands"), { ...config, epochs: 2, quick: true });
  assert.equal(record.status, "completed");
  assert.equal(record.config.epochs, 1);
  assert.equal(record.epochs.length, 1, "one epoch trained");
  assert.equal(events.filter((e) => e.type === "epoch").length, 1);
  const started = events.find((e) => e.type === "runStarted");
  assert.equal(
    started?.type === "runStarted" && started.record.config.epochs,
    1,
    "progress shows epoch 1/1 from the start",
  );
});

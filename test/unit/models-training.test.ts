import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveTrainingConfig } from "../../src/engine/models";
import { DEFAULT_TRAINING, type TrainingExport } from "../../src/engine/types";

const file: TrainingExport = {
  epochs: 3,
  optimizer: "sgd",
  models: { StrongCNN: { epochs: 1, batchSize: 128 } },
};

describe("resolveTrainingConfig", () => {
  it("uses the defaults when the file has no training export", () => {
    assert.deepEqual(resolveTrainingConfig(undefined, "MLP"), DEFAULT_TRAINING);
    assert.deepEqual(DEFAULT_TRAINING, {
      epochs: 5,
      batchSize: 64,
      learningRate: 1e-3,
      optimizer: "adam",
      dataset: "mnist",
      validation: "test",
      seed: 42,
    });
  });

  it("layers file defaults, the per-model entry and overrides in that order", () => {
    assert.deepEqual(resolveTrainingConfig(file, "MLP"), { ...DEFAULT_TRAINING, epochs: 3, optimizer: "sgd" });
    assert.deepEqual(resolveTrainingConfig(file, "StrongCNN"), {
      ...DEFAULT_TRAINING,
      epochs: 1,
      batchSize: 128,
      optimizer: "sgd",
    });
    assert.deepEqual(resolveTrainingConfig(file, "StrongCNN", { epochs: 7, limit: 2000, learningRate: undefined }), {
      ...DEFAULT_TRAINING,
      epochs: 7,
      batchSize: 128,
      optimizer: "sgd",
      limit: 2000,
    });
  });

  it("starts from a given base instead of the defaults", () => {
    const base = { ...DEFAULT_TRAINING, dataset: "fashion-mnist", seed: 7 };
    assert.deepEqual(resolveTrainingConfig({ epochs: 2 }, "CNN", {}, base), { ...base, epochs: 2 });
  });

  it("accepts a held-out validation split", () => {
    assert.deepEqual(resolveTrainingConfig({ validation: { split: 0.1 } }, "CNN").validation, { split: 0.1 });
  });

  it("rejects bad values naming the setting and where it came from", () => {
    const cases: [TrainingExport | undefined, Record<string, unknown>, RegExp][] = [
      [undefined, { epochs: 0 }, /^overrides\.epochs must be a positive integer, got 0$/],
      [undefined, { batchSize: 12.5 }, /^overrides\.batchSize must be a positive integer, got 12\.5$/],
      [{ learningRate: -1 }, {}, /^training\.learningRate must be a number greater than 0, got -1$/],
      [
        { optimizer: "lbfgs" as never },
        {},
        /^training\.optimizer must be one of adam, sgd, rmsprop, adagrad, adadelta, adamax, got lbfgs$/,
      ],
      [
        { validation: { split: 1.5 } },
        {},
        /^training\.validation must be "test", "none" or \{ split: x \} with 0 < x < 1, got \{"split":1\.5\}$/,
      ],
      [{ models: { CNN: { seed: "x" as never } } }, {}, /^training\.models\.CNN\.seed must be an integer, got x$/],
      [{ dataset: "" }, {}, /^training\.dataset must be "mnist", "fashion-mnist" or the path of a folder of IDX files/],
      [{ epoch: 3 } as TrainingExport, {}, /^training\.epoch is not a training setting \(known: epochs, /],
      [{ models: [] as never }, {}, /^training\.models must map model names to training settings$/],
    ];
    for (const [exported, overrides, message] of cases) {
      assert.throws(() => resolveTrainingConfig(exported, "CNN", overrides), { message });
    }
  });
});

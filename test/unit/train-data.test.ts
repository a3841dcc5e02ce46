// The pieces of a run's data: limits, validation hold-out, seeded epoch order and batches.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Dataset } from "../../src/engine/datasets";
import { gatherBatch, prepareRunData, seededRandom, shuffledIndices } from "../../src/engine/train/data";
import { DEFAULT_TRAINING } from "../../src/engine/types";

function dataset(train: number, testCount: number): Dataset {
  const split = (count: number, offset: number) => ({
    images: Float32Array.from({ length: count * 4 }, (_, i) => offset + Math.floor(i / 4)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 2),
    count,
  });
  return {
    info: {
      name: "tiny",
      imageShape: [2, 2, 1],
      numClasses: 2,
      classNames: ["0", "1"],
      trainSize: train,
      testSize: testCount,
    },
    train: split(train, 0),
    test: split(testCount, 1000),
  };
}

test("limits keep the first images and the record states the sizes used", () => {
  const data = prepareRunData(dataset(100, 50), { ...DEFAULT_TRAINING, limit: 30, testLimit: 10 });
  assert.equal(data.train.count, 30);
  assert.equal(data.test.count, 10);
  assert.equal(data.validation, data.test);
  assert.deepEqual([data.info.trainSize, data.info.testSize], [30, 10]);
  assert.equal(data.train.images[29 * 4], 29);
});

test("a validation split holds out the last training images", () => {
  const data = prepareRunData(dataset(100, 50), { ...DEFAULT_TRAINING, validation: { split: 0.2 } });
  assert.equal(data.train.count, 80);
  assert.equal(data.validation!.count, 20);
  assert.equal(data.validation!.images[0], 80);
  assert.equal(prepareRunData(dataset(100, 50), { ...DEFAULT_TRAINING, validation: "none" }).validation, undefined);
  assert.throws(
    () => prepareRunData(dataset(3, 5), { ...DEFAULT_TRAINING, validation: { split: 0.1 } }),
    /leaves no images/,
  );
});

test("epoch order is a permutation that depends only on the seed", () => {
  const a = shuffledIndices(1000, seededRandom(7));
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.deepEqual(a, shuffledIndices(1000, seededRandom(7)));
  assert.notDeepEqual(a, shuffledIndices(1000, seededRandom(8)));
});

test("a batch holds the chosen images with their labels", () => {
  const { train } = dataset(10, 1);
  const batch = gatherBatch(train, [3, 0], 4);
  assert.deepEqual([...batch.images], [3, 3, 3, 3, 0, 0, 0, 0]);
  assert.deepEqual([...batch.labels], [train.labels[3], train.labels[0]]);
});

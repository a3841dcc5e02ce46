import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DatasetError, loadDataset, loadTestImage, measureMnistLoad } from "../../src/engine/datasets";

function histogram(labels: Uint8Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

describe("mnist", () => {
  it("loads the full 60,000 / 10,000 images as 28x28x1 with classes 0..9", async () => {
    const { info, train, test } = await loadDataset("mnist");
    assert.deepEqual(info, {
      name: "mnist",
      imageShape: [28, 28, 1],
      numClasses: 10,
      classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
      trainSize: 60000,
      testSize: 10000,
    });
    assert.equal(train.count, 60000);
    assert.equal(train.images.length, 60000 * 28 * 28);
    assert.equal(train.labels.length, 60000);
    assert.equal(test.images.length, 10000 * 28 * 28);
  });

  it("has every digit in both splits, with the well-known test counts", async () => {
    const { train, test } = await loadDataset("mnist");
    const trainCounts = histogram(train.labels, 10);
    assert.equal(
      trainCounts.reduce((a, b) => a + b),
      60000,
    );
    assert.ok(
      trainCounts.every((n) => n > 5000),
      `train counts ${trainCounts.join(",")}`,
    );
    assert.deepEqual(histogram(test.labels, 10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it("normalizes pixels to [0,1] with the usual MNIST mean and deviation", async () => {
    const { train } = await loadDataset("mnist");
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let squares = 0;
    for (const v of train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      squares += v * v;
    }
    const mean = sum / train.images.length;
    const std = Math.sqrt(squares / train.images.length - mean * mean);
    assert.equal(min, 0);
    assert.equal(max, 1);
    assert.ok(Math.abs(mean - 0.1307) < 5e-4, `mean ${mean}`);
    assert.ok(Math.abs(std - 0.3081) < 5e-4, `std ${std}`);
  });

  it("keeps the loaded dataset in memory for the next caller", async () => {
    assert.equal(await loadDataset("mnist"), await loadDataset("mnist"));
  });

  it("gives the raw pixels of a test image, matching the normalized split", async () => {
    const { test } = await loadDataset("mnist");
    const image = await loadTestImage("mnist", 9999);
    assert.deepEqual([image.width, image.height], [28, 28]);
    const normalized = test.images.subarray(9999 * 784, 10000 * 784);
    assert.deepEqual(
      [...image.pixels],
      Array.from(normalized, (v) => Math.round(v * 255)),
    );
    assert.ok(
      image.pixels.some((p) => p > 200),
      "the digit has ink",
    );
    await assert.rejects(
      loadTestImage("mnist", 10000),
      /Test image 10000 does not exist .* holds 10000 images \(0\.\.9999\)/,
    );
  });

  it("reports a load cancelled before it starts", async () => {
    await assert.rejects(
      loadDataset("mnist", { signal: AbortSignal.abort() }),
      (err) => err instanceof DatasetError && /cancelled/.test(err.message),
    );
  });

  it("measures a fresh load for the bench", async () => {
    const timing = await measureMnistLoad();
    assert.deepEqual([timing.trainSize, timing.testSize], [60000, 10000]);
    assert.ok(timing.seconds > 0);
  });
});

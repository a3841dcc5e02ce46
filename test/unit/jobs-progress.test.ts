import { test } from "node:test";
import assert from "node:assert/strict";
import { describeProgress, etaSeconds, formatDuration, runFraction } from "../../src/extension/jobs/progress";

test("progress counts batches across epochs", () => {
  assert.equal(runFraction({ epoch: 1, epochs: 2, batch: 50, batchesPerEpoch: 100 }), 0.25);
  assert.equal(runFraction({ epoch: 2, epochs: 2, batch: 100, batchesPerEpoch: 100 }), 1);
  assert.equal(runFraction({ epoch: 1, epochs: 1, batch: 0, batchesPerEpoch: 0 }), 0);
});

test("the ETA extrapolates the time spent so far", () => {
  const p = { model: "MLP", epoch: 1, epochs: 2, batch: 50, batchesPerEpoch: 100, elapsedMs: 10_000 };
  assert.equal(etaSeconds(p), 30);
  assert.equal(describeProgress(p), "MLP · epoch 1/2 · batch 50/100 · ETA 0:30");
  assert.equal(etaSeconds({ ...p, batch: 0 }), undefined);
});

test("a continued run's progress counts its own epochs, numbered on from its parent's", () => {
  // Epochs 4 and 5 after a parent's 3: halfway through epoch 4 is a quarter of the run.
  const p = { model: "CNN", epoch: 4, firstEpoch: 4, epochs: 5, batch: 50, batchesPerEpoch: 100, elapsedMs: 10_000 };
  assert.equal(runFraction(p), 0.25);
  assert.equal(describeProgress(p), "CNN · epoch 4/5 · batch 50/100 · ETA 0:30");
});

test("durations read as m:ss or h:mm:ss", () => {
  assert.equal(formatDuration(5), "0:05");
  assert.equal(formatDuration(125), "2:05");
  assert.equal(formatDuration(3725), "1:02:05");
});

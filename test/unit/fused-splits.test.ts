// The fused engine's batches gathered inside the engine from a split copied in once: the same
// weights as batches copied in by JavaScript, for byte-valued images (kept as bytes) and others.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { fitsBytes } from "../../src/engine/fused/splits";
import { FusedTrainer } from "../../src/engine/fused/trainer";
import { gatherBatch, seededRandom, shuffledIndices } from "../../src/engine/train/data";
import type { Tf } from "../../src/engine/tf";
import { cpuTf } from "../integration/helpers/fused-compare";

let tf: Tf;
before(async () => {
  tf = await cpuTf();
});

function model(): LayersModel {
  const original = Math.random;
  Math.random = seededRandom(3);
  try {
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
  } finally {
    Math.random = original;
  }
}

/** 40 images of 6x6 and their labels; `bytes`: every value k / 255 as the image loaders make them. */
function split(bytes: boolean) {
  const random = seededRandom(9);
  const images = Float32Array.from({ length: 40 * 36 }, () => (bytes ? Math.floor(random() * 256) / 255 : random()));
  const labels = Uint8Array.from({ length: 40 }, () => Math.floor(random() * 3));
  return { images, labels, count: 40 };
}

function weightsAfter(train: (trainer: FusedTrainer, indices: Uint32Array) => void, threads: number): Float32Array[] {
  const m = model();
  const trainer = new FusedTrainer(m, { optimizer: "adam", learningRate: 1e-2, threads, seed: 5 });
  try {
    const order = shuffledIndices(40, seededRandom(2));
    for (let step = 0; step < 4; step++) train(trainer, order.subarray(step * 10, step * 10 + 10));
    trainer.syncModel();
    return m.getWeights().map((w) => w.dataSync() as Float32Array);
  } finally {
    trainer.dispose();
    m.dispose();
  }
}

describe("batches gathered inside the fused engine", () => {
  for (const bytes of [true, false]) {
    it(`give the weights of batches copied in (${bytes ? "byte-valued images, kept as bytes" : "other values, kept as floats"})`, () => {
      const data = split(bytes);
      assert.equal(fitsBytes(data.images), bytes);
      const copied = weightsAfter((trainer, indices) => {
        const { images, labels } = gatherBatch(data, indices, 36);
        trainer.trainBatch(images, labels, indices.length);
      }, 1);
      for (const threads of [1, 2]) {
        let attached: ReturnType<FusedTrainer["attachSplit"]> | undefined;
        const gathered = weightsAfter((trainer, indices) => {
          attached ??= trainer.attachSplit(data.images, data.labels, data.count);
          trainer.trainIndices(attached, indices);
        }, threads);
        assert.equal(attached!.bytes, bytes);
        gathered.forEach((w, i) => assert.deepEqual(w, copied[i], `weights ${i} on ${threads} thread(s)`));
      }
    });
  }
  it("lays plans made before a split is attached out again past it", () => {
    const data = split(true);
    const m = model();
    const trainer = new FusedTrainer(m, { optimizer: "sgd", learningRate: 0.1, threads: 1, seed: 1 });
    try {
      const { images, labels } = gatherBatch(data, [0, 1, 2, 3], 36);
      trainer.trainBatch(images, labels, 4);
      const attached = trainer.attachSplit(data.images, data.labels, data.count);
      const before = Uint8Array.from(
        new Uint8Array(
          (trainer as unknown as { rt: { memory: WebAssembly.Memory } }).rt.memory.buffer,
          attached.images,
          40 * 36,
        ),
      );
      trainer.trainIndices(attached, Uint32Array.from([4, 5, 6, 7]));
      trainer.trainBatch(images, labels, 4);
      const after = new Uint8Array(
        (trainer as unknown as { rt: { memory: WebAssembly.Memory } }).rt.memory.buffer,
        attached.images,
        40 * 36,
      );
      assert.deepEqual(after, before, "the split is untouched by the steps");
    } finally {
      trainer.dispose();
      m.dispose();
    }
  });
});

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { randomValues, startBackends, tf } from "./helpers/kernel-compare";

const SIDE = 12;
const BATCH = 16;

function smallCnn(): LayersModel {
  const conv = (filters: number, first: boolean) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      ...(first ? { inputShape: [SIDE, SIDE, 1] } : {}),
    });
  return tf.sequential({
    layers: [
      conv(4, true),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(8, false),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: "relu" }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

function compile(model: LayersModel): void {
  model.compile({
    optimizer: tf.train.adam(1e-2),
    loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
}

function batch(step: number) {
  const images = randomValues([BATCH, SIDE, SIDE, 1], 1000 + step).map((v) => (v + 1) / 2);
  const labels = Array.from(randomValues([BATCH], 2000 + step, 10));
  return { images, labels };
}

async function trainStep(model: LayersModel, step: number): Promise<number> {
  const { images, labels } = batch(step);
  const x = tf.tensor4d(images, [BATCH, SIDE, SIDE, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10));
  try {
    return (await model.trainOnBatch(x, y)) as number;
  } finally {
    tf.dispose([x, y]);
  }
}

async function trainOn(backend: "wasm" | "cpu", initial: Float32Array[], steps: number) {
  await tf.setBackend(backend);
  const model = smallCnn();
  model.setWeights(initial.map((values, i) => tf.tensor(values, model.getWeights()[i].shape)));
  compile(model);
  const losses: number[] = [];
  // The same batch every step: the loss must fall as the model fits it.
  for (let step = 0; step < steps; step++) losses.push(await trainStep(model, 0));
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return { losses, weights };
}

describe("training a small CNN on the wasm backend", () => {
  before(startBackends);

  it("follows the cpu backend step by step from the same weights", async () => {
    await tf.setBackend("cpu");
    const initialModel = smallCnn();
    const initial = initialModel.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    initialModel.dispose();

    const wasm = await trainOn("wasm", initial, 8);
    const cpu = await trainOn("cpu", initial, 8);
    let maxLossError = 0;
    for (let i = 0; i < cpu.losses.length; i++)
      maxLossError = Math.max(maxLossError, Math.abs(wasm.losses[i] - cpu.losses[i]) / cpu.losses[i]);
    let maxWeightError = 0;
    for (let w = 0; w < cpu.weights.length; w++) {
      const scale = Math.max(...cpu.weights[w].map(Math.abs));
      for (let i = 0; i < cpu.weights[w].length; i++)
        maxWeightError = Math.max(maxWeightError, Math.abs(wasm.weights[w][i] - cpu.weights[w][i]) / scale);
    }
    console.log(
      `  after 8 steps: max relative loss difference ${maxLossError.toExponential(2)}, weights ${maxWeightError.toExponential(2)}`,
    );
    assert.ok(cpu.losses[7] < cpu.losses[0], "the reference run learns");
    assert.ok(maxLossError < 1e-4, `losses differ by ${maxLossError}`);
    assert.ok(maxWeightError < 1e-4, `weights differ by ${maxWeightError}`);
  });

  it("leaks no tensors and no memory over many steps", async () => {
    await tf.setBackend("wasm");
    const model = smallCnn();
    compile(model);
    for (let step = 0; step < 3; step++) await trainStep(model, step);
    const settled = tf.memory();
    for (let step = 3; step < 60; step++) await trainStep(model, step);
    const after = tf.memory();
    console.log(
      `  tensors ${settled.numTensors} -> ${after.numTensors}, bytes ${settled.numBytes} -> ${after.numBytes} over 57 steps`,
    );
    assert.equal(after.numTensors, settled.numTensors);
    assert.equal(after.numBytes, settled.numBytes);
    model.dispose();
  });
});

// The fused engine's training steps against tfjs's cpu backend, layer by layer: the same model
// from the same weights, a few optimizer steps on each, then every weight compared. The printed
// figure is the worst relative error over the weights (float32 rounding differs in summation order).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { winogradTile } from "../../src/engine/fused/lower-conv";
import { seededRandom } from "../../src/engine/train/data";
import { engineTf } from "../../src/engine/tf";
import type { OptimizerName } from "../../src/engine/types";
import { comparePredictions, compareTraining } from "./helpers/fused-compare";

const TOLERANCE = 2e-4;
const tf = engineTf();

/** Builds with seeded initializers, so two calls give the same weights. */
const seeded = (layers: () => unknown[]) => () => {
  const original = Math.random;
  Math.random = seededRandom(11);
  try {
    return tf.sequential({ layers: layers() as never }) as LayersModel;
  } finally {
    Math.random = original;
  }
};

async function check(
  name: string,
  build: () => LayersModel,
  options: Parameters<typeof compareTraining>[1] = {},
): Promise<void> {
  const result = await compareTraining(build, { steps: 3, ...options });
  console.log(
    `${name}: weights max rel error ${result.weights.toExponential(2)}, loss diff ${result.loss.toExponential(2)}`,
  );
  assert.ok(result.weights < TOLERANCE, `${name}: weights differ by ${result.weights}`);
  assert.ok(result.loss < 1e-4, `${name}: losses differ by ${result.loss}`);
  assert.ok(result.losses.every(Number.isFinite));
}

const input = (shape: number[]) => ({ inputShape: shape });

describe("fused layers match tfjs", () => {
  for (const activation of ["relu", "sigmoid", "tanh", "linear"] as const) {
    it(`dense, ${activation}`, () =>
      check(
        `dense ${activation}`,
        seeded(() => [
          tf.layers.flatten(input([5, 5, 2])),
          tf.layers.dense({ units: 7, activation }),
          tf.layers.dense({ units: 4 }),
        ]),
      ));
  }
  it("dense without bias", () =>
    check(
      "dense no bias",
      seeded(() => [
        tf.layers.dense({ ...input([12]), units: 9, useBias: false, activation: "relu" }),
        tf.layers.dense({ units: 3 }),
      ]),
    ));
  for (const [padding, strides, kernelSize] of [
    ["same", 1, 3],
    ["valid", 1, 3],
    ["same", 2, 3],
    ["valid", 2, 3],
    ["same", 1, 5],
    ["valid", 1, 1],
    ["same", 2, 2],
  ] as const) {
    it(`conv2d ${kernelSize}x${kernelSize} ${padding} stride ${strides}`, () =>
      check(
        `conv ${kernelSize} ${padding} s${strides}`,
        seeded(() => [
          tf.layers.conv2d({ ...input([9, 9, 3]), filters: 5, kernelSize, strides, padding, activation: "relu" }),
          tf.layers.conv2d({ filters: 12, kernelSize, strides, padding, activation: "relu" }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4 }),
        ]),
      ));
  }
  // 3x3 at stride 1 with channel counts in fours go through Winograd's minimal filtering, F(2x2,
  // 3x3) for outputs of 5x5 and 6x6, F(4x4, 3x3) from 7x7 on (see winogradTile): 6x6 'same' both
  // ways, 7x7 'valid' to 5x5 forward and F(4x4) for its 7x7 input gradient, odd sizes with partial
  // tiles at the edges; 12 filters leave a partial column panel. SGD: Adam turns a gradient that is
  // zero but for rounding into a full step, in either engine.
  for (const [padding, size, batch] of [
    ["same", 6, 7],
    ["valid", 7, 1],
    ["valid", 9, 2],
    ["same", 10, 64],
    ["same", 8, 5],
    ["valid", 14, 3],
    ["same", 16, 64],
  ] as const) {
    it(`conv2d 3x3 ${padding} on ${size}x${size}, batch ${batch}, by Winograd`, () =>
      check(
        `winograd ${padding} ${size}x${size} batch ${batch}`,
        seeded(() => [
          tf.layers.conv2d({ ...input([size, size, 8]), filters: 12, kernelSize: 3, padding, activation: "relu" }),
          tf.layers.conv2d({ filters: 16, kernelSize: 3, padding, activation: "relu" }),
          tf.layers.conv2d({ filters: 8, kernelSize: 3, padding, activation: "tanh" }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4 }),
        ]),
        { batch, optimizer: "sgd", learningRate: 0.1 },
      ));
  }
  it("Winograd tiles of 4 where they compute fewer products than tiles of 2", () => {
    assert.deepEqual(
      [5, 6, 7, 14, 28].map((n) => winogradTile(n, n)),
      [2, 2, 4, 4, 4],
    );
  });
  it("conv2d with a rectangular kernel and no bias", () =>
    check(
      "conv 3x2 no bias",
      seeded(() => [
        tf.layers.conv2d({ ...input([7, 6, 2]), filters: 8, kernelSize: [3, 2], padding: "same", useBias: false }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ]),
    ));
  for (const [poolSize, strides, padding] of [
    [2, 2, "valid"],
    [3, 2, "same"],
    [3, 1, "valid"],
    [2, 2, "same"],
  ] as const) {
    it(`max and average pooling ${poolSize}/${strides} ${padding}`, async () => {
      for (const pool of ["maxPooling2d", "averagePooling2d"] as const) {
        const build = seeded(() => [
          tf.layers.conv2d({ ...input([9, 9, 2]), filters: 8, kernelSize: 3, padding: "same", activation: "relu" }),
          tf.layers[pool]({ poolSize, strides, padding }),
          tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: "same", activation: "relu" }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4 }),
        ]);
        const name = `${pool} ${poolSize}/${strides} ${padding}`;
        if (pool === "averagePooling2d" && padding === "same") {
          // tfjs's cpu AvgPoolGrad divides by the whole window where its forward pass divided by the
          // positions inside the input: its gradient is not the forward's at the borders. The fused
          // engine's is; the forward pass is compared instead.
          const error = await comparePredictions(build);
          console.log(`${name}: outputs max rel error ${error.toExponential(2)}`);
          assert.ok(error < TOLERANCE, `${name}: outputs differ by ${error}`);
          continue;
        }
        await check(name, build);
      }
    });
  }
  it("a softmax output trains on probabilities, as tfjs does", () =>
    check(
      "softmax output",
      seeded(() => [
        tf.layers.flatten(input([4, 4, 1])),
        tf.layers.dense({ units: 6, activation: "relu" }),
        tf.layers.dense({ units: 5, activation: "softmax" }),
      ]),
    ));
  it("an activation layer and a softmax activation layer at the end", () =>
    check(
      "activation layers",
      seeded(() => [
        tf.layers.dense({ ...input([10]), units: 6 }),
        tf.layers.activation({ activation: "tanh" }),
        tf.layers.dense({ units: 4 }),
        tf.layers.activation({ activation: "softmax" }),
      ]),
    ));
  it("a frozen layer keeps its weights", async () => {
    const build = seeded(() => [
      tf.layers.dense({ ...input([10]), units: 6, activation: "relu", trainable: false }),
      tf.layers.dense({ units: 4 }),
    ]);
    await check("frozen first layer", build);
  });
  it("a batch of one and a batch that is not a multiple of four", async () => {
    const build = seeded(() => [
      tf.layers.conv2d({ ...input([6, 6, 1]), filters: 4, kernelSize: 3, activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ]);
    await check("batch 1", build, { batch: 1 });
    await check("batch 7", build, { batch: 7 });
  });
  for (const optimizer of ["sgd", "adam", "rmsprop", "adagrad", "adadelta", "adamax"] as OptimizerName[]) {
    it(`optimizer ${optimizer}`, () =>
      check(
        `optimizer ${optimizer}`,
        seeded(() => [
          tf.layers.conv2d({ ...input([6, 6, 2]), filters: 4, kernelSize: 3, activation: "relu" }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3 }),
        ]),
        { optimizer, learningRate: 0.01, steps: 4 },
      ));
  }
});

describe("fused branching networks and normalization match tfjs", () => {
  const functional = (make: (input: ReturnType<typeof tf.input>) => unknown) => () => {
    const original = Math.random;
    Math.random = seededRandom(13);
    try {
      const input = tf.input({ shape: [8, 8, 2] });
      return tf.model({ inputs: input, outputs: make(input) as never });
    } finally {
      Math.random = original;
    }
  };
  const apply = (layer: { apply(x: unknown): unknown }, x: unknown) => layer.apply(x) as never;

  // Without biases before the normalization: their gradient is zero up to rounding, which Adam
  // turns into steps of the learning rate's size in a random direction on either engine.
  it("batch normalization after a convolution and a dense layer (moving statistics too)", () =>
    check(
      "batchnorm",
      seeded(() => [
        tf.layers.conv2d({ ...input([8, 8, 2]), filters: 4, kernelSize: 3, padding: "same", useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.activation({ activation: "relu" }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 6, useBias: false }),
        tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-2 }),
        tf.layers.dense({ units: 3 }),
      ]),
    ));
  it("global average pooling", () =>
    check(
      "global average pooling",
      seeded(() => [
        tf.layers.conv2d({ ...input([7, 7, 3]), filters: 8, kernelSize: 3, activation: "relu" }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 4 }),
      ]),
    ));
  it("a residual block (Add) with a layer used by two branches", () =>
    check(
      "residual",
      functional((x) => {
        const stem = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }), x);
        const branch = apply(
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
          stem,
        );
        const sum = apply(tf.layers.add(), [stem, branch]);
        const pooled = apply(tf.layers.maxPooling2d({ poolSize: 2 }), sum);
        return apply(tf.layers.dense({ units: 3 }), apply(tf.layers.flatten(), pooled));
      }),
      // SGD: its 3x3 convolutions run through Winograd's transforms (see the Winograd cases above).
      { optimizer: "sgd", learningRate: 0.1 },
    ));
  it("an inception-like block (Concatenate) of three branches", () =>
    check(
      "concatenate",
      functional((x) => {
        const a = apply(tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: "relu" }), x);
        const b = apply(tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: "same", activation: "relu" }), x);
        const c = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }), x);
        const joined = apply(tf.layers.concatenate(), [a, b, c]);
        return apply(tf.layers.dense({ units: 3 }), apply(tf.layers.globalAveragePooling2d({}), joined));
      }),
    ));
});

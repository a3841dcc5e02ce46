import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Rank } from "@tensorflow/tfjs-core";
import { compareKernel, random, startBackends, tf } from "./helpers/kernel-compare";

type Pad = "same" | "valid" | number[][];
interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filter: [number, number];
  strides: [number, number];
  pad: Pad;
}

const TOLERANCE = 1e-5;

const cases: ConvCase[] = [
  { batch: 1, height: 5, width: 5, inChannels: 1, outChannels: 2, filter: [3, 3], strides: [1, 1], pad: "same" },
  { batch: 2, height: 7, width: 6, inChannels: 3, outChannels: 4, filter: [3, 3], strides: [2, 2], pad: "valid" },
  { batch: 3, height: 9, width: 9, inChannels: 2, outChannels: 3, filter: [2, 3], strides: [2, 2], pad: "same" },
  {
    batch: 2,
    height: 8,
    width: 7,
    inChannels: 3,
    outChannels: 5,
    filter: [3, 3],
    strides: [1, 1],
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    batch: 2,
    height: 9,
    width: 8,
    inChannels: 4,
    outChannels: 2,
    filter: [3, 3],
    strides: [2, 2],
    pad: [
      [0, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    batch: 2,
    height: 6,
    width: 6,
    inChannels: 3,
    outChannels: 3,
    filter: [2, 2],
    strides: [1, 1],
    pad: [
      [0, 0],
      [3, 1],
      [0, 2],
      [0, 0],
    ],
  },
  { batch: 1, height: 11, width: 10, inChannels: 5, outChannels: 7, filter: [5, 5], strides: [1, 2], pad: "valid" },
  { batch: 4, height: 13, width: 13, inChannels: 6, outChannels: 5, filter: [3, 3], strides: [1, 1], pad: "valid" },
  // Many input channels and a smaller output: the filter gradient takes the convolution formulation.
  { batch: 3, height: 7, width: 6, inChannels: 9, outChannels: 4, filter: [3, 3], strides: [2, 2], pad: "valid" },
  {
    batch: 2,
    height: 9,
    width: 9,
    inChannels: 12,
    outChannels: 5,
    filter: [3, 3],
    strides: [2, 2],
    pad: [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ],
  },
  // Many input channels, size kept: patches built from shifted channel planes.
  { batch: 2, height: 10, width: 10, inChannels: 16, outChannels: 8, filter: [3, 3], strides: [1, 1], pad: "same" },
  { batch: 64, height: 14, width: 14, inChannels: 8, outChannels: 16, filter: [3, 3], strides: [1, 1], pad: "same" },
  { batch: 64, height: 28, width: 28, inChannels: 1, outChannels: 8, filter: [3, 3], strides: [1, 1], pad: "same" },
  // One channel with an output as large as the input: the filter gradient copies shifted images.
  { batch: 3, height: 9, width: 7, inChannels: 1, outChannels: 4, filter: [5, 5], strides: [1, 1], pad: "same" },
  { batch: 2, height: 6, width: 8, inChannels: 1, outChannels: 3, filter: [2, 2], strides: [1, 1], pad: "same" },
  {
    batch: 2,
    height: 7,
    width: 5,
    inChannels: 1,
    outChannels: 2,
    filter: [3, 3],
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

const describeCase = (c: ConvCase) =>
  `batch ${c.batch}, ${c.height}x${c.width}x${c.inChannels} -> ${c.outChannels}, filter ${c.filter.join("x")}, strides ${c.strides.join("x")}, pad ${JSON.stringify(c.pad)}`;

function shapes(c: ConvCase) {
  const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  const filterShape: [number, number, number, number] = [...c.filter, c.inChannels, c.outChannels];
  const dyShape = tf.tidy(
    () => tf.conv2d(tf.zeros<Rank.R4>(xShape), tf.zeros<Rank.R4>(filterShape), c.strides, c.pad as "same").shape,
  ) as number[];
  return { xShape, filterShape, dyShape };
}

describe("wasm convolution gradients match the cpu backend", () => {
  before(startBackends);

  for (const [i, c] of cases.entries()) {
    it(`Conv2DBackpropFilter: ${describeCase(c)}`, async () => {
      const { xShape, filterShape, dyShape } = shapes(c);
      const result = await compareKernel(
        "Conv2DBackpropFilter",
        { x: random(xShape, 11 + i), dy: random(dyShape, 23 + i) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", filterShape },
      );
      console.log(
        `  Conv2DBackpropFilter ${describeCase(c)}: max relative error ${result.maxRelativeError.toExponential(2)}`,
      );
      assert.deepEqual(result.shape, filterShape);
      assert.ok(result.maxRelativeError < TOLERANCE, `max relative error ${result.maxRelativeError}`);
    });

    it(`Conv2DBackpropInput: ${describeCase(c)}`, async () => {
      const { xShape, filterShape, dyShape } = shapes(c);
      const result = await compareKernel(
        "Conv2DBackpropInput",
        { dy: random(dyShape, 37 + i), filter: random(filterShape, 41 + i) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", inputShape: xShape },
      );
      console.log(
        `  Conv2DBackpropInput ${describeCase(c)}: max relative error ${result.maxRelativeError.toExponential(2)}`,
      );
      assert.deepEqual(result.shape, xShape);
      assert.ok(result.maxRelativeError < TOLERANCE, `max relative error ${result.maxRelativeError}`);
    });
  }
});

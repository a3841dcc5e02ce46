import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { compareKernel, random, randomValues, startBackends, tf } from "./helpers/kernel-compare";

const TOLERANCE = 1e-5;

function report(name: string, error: number): void {
  console.log(`  ${name}: max relative error ${error.toExponential(2)}`);
  assert.ok(error < TOLERANCE, `${name}: max relative error ${error}`);
}

interface PoolCase {
  shape: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: "same" | "valid";
  /** Few distinct input values, so windows hold ties and the first maximum must win. */
  levels?: number;
}

const poolCases: PoolCase[] = [
  { shape: [1, 4, 4, 1], filterSize: [2, 2], strides: [2, 2], pad: "valid" },
  { shape: [2, 7, 7, 3], filterSize: [2, 2], strides: [2, 2], pad: "valid" },
  { shape: [2, 7, 5, 3], filterSize: [2, 2], strides: [2, 2], pad: "same" },
  { shape: [3, 6, 6, 2], filterSize: [3, 3], strides: [1, 1], pad: "same" },
  { shape: [2, 9, 8, 4], filterSize: [3, 3], strides: [2, 2], pad: "same" },
  { shape: [2, 8, 8, 5], filterSize: [2, 2], strides: [2, 2], pad: "valid", levels: 3 },
  { shape: [2, 7, 7, 2], filterSize: [3, 3], strides: [1, 1], pad: "same", levels: 2 },
  { shape: [64, 28, 28, 8], filterSize: [2, 2], strides: [2, 2], pad: "valid" },
];

describe("wasm gradient and reduction kernels match the cpu backend", () => {
  before(startBackends);

  for (const [i, c] of poolCases.entries()) {
    const name = `MaxPoolGrad ${c.shape.join("x")}, window ${c.filterSize.join("x")}, strides ${c.strides.join("x")}, ${c.pad}${c.levels ? ", with ties" : ""}`;
    it(name, async () => {
      const x = randomValues(c.shape, 101 + i, c.levels);
      const inputs = () => {
        const input = tf.tensor4d(x, c.shape);
        const output = tf.maxPool(input, c.filterSize, c.strides, c.pad);
        const dy = tf.tensor(randomValues(output.shape, 131 + i), output.shape);
        return { dy, input, output };
      };
      const result = await compareKernel("MaxPoolGrad", inputs, {
        filterSize: c.filterSize,
        strides: c.strides,
        pad: c.pad,
      });
      assert.deepEqual(result.shape, c.shape);
      report(name, result.maxRelativeError);
    });
  }

  const matMulCases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
    { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
    { a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
    { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
    { a: [3, 6, 4], b: [3, 6, 5], transposeA: true, transposeB: false },
    { a: [2, 5, 9], b: [2, 4, 5], transposeA: true, transposeB: true },
    { a: [64, 784], b: [64, 32], transposeA: true, transposeB: false },
    { a: [1, 33], b: [1, 10], transposeA: true, transposeB: false },
  ];
  for (const [i, c] of matMulCases.entries()) {
    const name = `BatchMatMul ${c.a.join("x")}${c.transposeA ? "ᵀ" : ""} by ${c.b.join("x")}${c.transposeB ? "ᵀ" : ""}`;
    it(name, async () => {
      const result = await compareKernel(
        "BatchMatMul",
        { a: random(c.a, 201 + i), b: random(c.b, 211 + i) },
        { transposeA: c.transposeA, transposeB: c.transposeB },
      );
      report(name, result.maxRelativeError);
      assert.equal(result.shape.join(), result.expectedShape.join());
    });
  }

  const sumCases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
    { shape: [64, 28, 28, 8], axis: [0, 1, 2], keepDims: false },
    { shape: [64, 10], axis: [0], keepDims: false },
    { shape: [5, 3, 7], axis: [0, 1], keepDims: true },
    { shape: [5, 3, 7], axis: [1, 0], keepDims: false },
    { shape: [5, 3, 7], axis: [-1], keepDims: false },
    { shape: [5, 3, 7], axis: [0, 2], keepDims: true },
    { shape: [4, 6], axis: [0, 1], keepDims: false },
  ];
  for (const [i, c] of sumCases.entries()) {
    const name = `Sum of ${c.shape.join("x")} over axes ${c.axis.join(",")}${c.keepDims ? ", keeping dims" : ""}`;
    it(name, async () => {
      const result = await compareKernel(
        "Sum",
        { x: random(c.shape, 301 + i) },
        { axis: c.axis, keepDims: c.keepDims },
      );
      report(name, result.maxRelativeError);
      assert.equal(result.shape.join(), result.expectedShape.join());
    });
  }

  // A per-channel vector on either side takes the tiled path; any other broadcast stays stock.
  const addCases: { a: number[]; b: number[] }[] = [
    { a: [64, 28, 28, 4], b: [4] },
    { a: [3], b: [2, 5, 3] },
    { a: [7, 33], b: [33] },
    { a: [2, 3, 1], b: [1] },
    { a: [4, 3], b: [4, 1] },
    { a: [5, 6], b: [5, 6] },
  ];
  for (const [i, c] of addCases.entries()) {
    const name = `Add ${c.a.join("x")} + ${c.b.join("x")}`;
    it(name, async () => {
      const result = await compareKernel("Add", { a: random(c.a, 401 + i), b: random(c.b, 411 + i) }, {});
      report(name, result.maxRelativeError);
      assert.equal(result.shape.join(), result.expectedShape.join());
    });
  }

  it("Cast: to the same dtype shares the buffer safely; to another dtype converts", async () => {
    await tf.setBackend("wasm");
    const before = tf.memory().numBytes;
    const original = tf.tensor2d([1.5, -2.25, 3, 0], [2, 2]);
    const same = tf.cast(original, "float32");
    const ints = tf.cast(original, "int32");
    original.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.25, 3, 0]);
    assert.equal(ints.dtype, "int32");
    assert.deepEqual(Array.from(ints.dataSync()), [1, -2, 3, 0]);
    tf.dispose([same, ints]);
    assert.equal(tf.memory().numBytes, before);
  });

  it("Identity: a clone keeps its values after the original is disposed, and frees memory once both are gone", async () => {
    await tf.setBackend("wasm");
    const before = tf.memory().numBytes;
    const original = tf.tensor4d(randomValues([2, 3, 3, 2], 7), [2, 3, 3, 2]);
    const expected = original.dataSync().slice();
    const copy = tf.clone(original);
    original.dispose();
    assert.deepEqual(copy.dataSync(), expected);
    copy.dispose();
    assert.equal(tf.memory().numBytes, before);
  });
});

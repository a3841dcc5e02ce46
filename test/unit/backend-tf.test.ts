import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Tensor } from "@tensorflow/tfjs-core";
import { initBackend } from "../../src/engine/backend";
import type { Tf } from "../../src/engine/tf";

// Model files written for `@tensorflow/tfjs` chain ops on tensors; the engine's namespace must too.
describe("the engine's tfjs namespace", () => {
  let tf: Tf;
  before(async () => {
    ({ tf } = await initBackend("wasm"));
  });

  it("offers core ops and layers side by side", () => {
    assert.equal(typeof tf.add, "function");
    assert.equal(typeof tf.layers.dense, "function");
    assert.equal(typeof tf.sequential, "function");
  });

  it("supports chained tensor methods as @tensorflow/tfjs does", () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, -2],
        [3, -4],
      ]);
      assert.equal(x.abs().square().sum<Tensor>().dataSync()[0], 30);
      assert.deepEqual(x.flatten().shape, [4]);
      assert.equal(x.asType("int32").dtype, "int32");
      assert.equal(x.toFloat().dtype, "float32");
      assert.deepEqual(x.concat(x, 0).shape, [4, 2]);
      assert.deepEqual(x.stack(x).shape, [2, 2, 2]);
      assert.deepEqual(Array.from(x.reshape([1, 2, 2, 1]).resizeBilinear([4, 4]).shape), [1, 4, 4, 1]);
      assert.deepEqual(Array.from(x.matMul(x).dataSync()), [-5, 6, -9, 10]);
      assert.deepEqual(
        Array.from(
          tf
            .tensor1d([1, 2])
            .where(tf.tensor1d([true, false], "bool"), tf.tensor1d([9, 9]))
            .dataSync(),
        ),
        [1, 9],
      );
    });
  });
});

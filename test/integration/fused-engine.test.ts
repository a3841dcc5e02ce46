// The fused engine as a whole: the example models' steps against tfjs, the same weights on any
// thread count and with either build, dropout, and what a user sees when a model is not supported.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { FusedUnsupported, readGraph } from "../../src/engine/fused/graph";
import { FusedRuntime } from "../../src/engine/fused/runtime";
import { FusedTrainer } from "../../src/engine/fused/trainer";
import { loadModelFile, type Architecture } from "../../src/engine/models";
import type { Tf } from "../../src/engine/tf";
import type { BackendInfo } from "../../src/engine/types";

/** A run as `train --json` prints it. */
interface CliRun {
  status: string;
  testAccuracy: number;
  backend: BackendInfo;
  error?: unknown;
}
import { batchOf, compareTraining, cpuTf } from "./helpers/fused-compare";

const REPO = join(__dirname, "../..");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");
let tf: Tf;
let architectures: Architecture[];

before(async () => {
  tf = await cpuTf();
  architectures = (await loadModelFile(EXAMPLE, tf)).architectures;
});

/** The example architecture with its dropout off (tfjs's masks cannot be replayed), seeded. */
function example(name: string): () => LayersModel {
  const arch = architectures.find((a) => a.name === name)!;
  return () => {
    const original = Math.random;
    let state = 5;
    Math.random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    try {
      const model = arch.build();
      for (const layer of model.layers)
        if (layer.getClassName() === "Dropout") (layer as unknown as { rate: number }).rate = 0;
      return model;
    } finally {
      Math.random = original;
    }
  };
}

describe("the example models on the fused engine", () => {
  for (const name of ["MLP", "TinyCNN", "CNN", "StrongCNN"]) {
    // SGD: a step's change is the learning rate times the gradient, so the weights compare the
    // gradients themselves. Adam would magnify rounding: where ReLUs leave a weight's products all
    // zero, tfjs's gradient is exactly 0 while Winograd's transforms leave ~1e-10 of rounding,
    // which Adam's normalization turns into a visible step (the optimizers are compared in
    // fused-kernels.test.ts). StrongCNN's reference (tfjs's pure-JS backend) is slow: a batch of 4.
    it(`${name}: sgd steps give tfjs's weights`, async () => {
      const result = await compareTraining(example(name), {
        steps: 2,
        batch: name === "StrongCNN" ? 4 : 16,
        optimizer: "sgd",
        learningRate: 0.01,
      });
      console.log(
        `${name}: weights max rel error ${result.weights.toExponential(2)}, loss diff ${result.loss.toExponential(2)}`,
      );
      assert.ok(result.weights < 2e-4, `${name}: ${result.weights}`);
    });
  }

  it("one, two and three threads give the same weights, bit for bit", async () => {
    const build = example("CNN");
    const { images, labels } = batchOf(37, 784, 10, 9);
    const weightsAfter = (threads: number) => {
      const model = build();
      const trainer = new FusedTrainer(model, { optimizer: "adam", learningRate: 1e-3, threads, seed: 3 });
      try {
        for (let step = 0; step < 3; step++) trainer.trainBatch(images, labels, 37);
        trainer.syncModel();
        return model.getWeights().map((w) => Array.from(w.dataSync()));
      } finally {
        trainer.dispose();
        model.dispose();
      }
    };
    const one = weightsAfter(1);
    assert.deepEqual(weightsAfter(2), one);
    assert.deepEqual(weightsAfter(3), one);
  });

  it("the plain SIMD128 build and the relaxed-SIMD build train alike", async () => {
    // The relaxed build fuses multiply and add (one rounding instead of two): close, not identical.
    for (const variant of ["simd128", "relaxed"] as const) {
      const result = await compareTraining(example("TinyCNN"), {
        steps: 2,
        batch: 16,
        variant,
        optimizer: "sgd",
        learningRate: 0.05,
      });
      console.log(`${variant} build: weights max rel error ${result.weights.toExponential(2)} against tfjs`);
      assert.ok(result.weights < 2e-4, `${variant}: ${result.weights}`);
    }
  });
});

describe("dropout on the fused engine", () => {
  it("drops each value with the layer's rate, scales the rest, and the same masks on any thread count", () => {
    const count = 20000;
    const masks = [1, 2].map((threads) => {
      const rt = new FusedRuntime(threads);
      try {
        const x = rt.alloc(count * 4);
        const y = rt.alloc(count * 4);
        const mask = rt.alloc(count * 4);
        const seed = rt.alloc(4);
        rt.f32(x, count).fill(2);
        rt.u32(seed, 1)[0] = 1234;
        rt.run(rt.define([{ kernel: "dropout", args: [x, y, mask, count, 0.25, seed, 3] }]));
        const out = rt.f32(y, count).slice();
        assert.ok(out.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6));
        return out;
      } finally {
        rt.dispose();
      }
    });
    const dropped = masks[0].filter((v) => v === 0).length / count;
    console.log(`dropout rate 0.25: ${(100 * dropped).toFixed(2)}% dropped`);
    assert.ok(Math.abs(dropped - 0.25) < 0.015, `dropped ${dropped}`);
    assert.deepEqual(masks[1], masks[0]);
  });

  it("StrongCNN with its dropout learns, and predicts without dropout", () => {
    const model = architectures.find((a) => a.name === "StrongCNN")!.build();
    const trainer = new FusedTrainer(model, { optimizer: "adam", learningRate: 1e-3, threads: 1, seed: 3 });
    try {
      const { images, labels } = batchOf(8, 784, 10, 4);
      const first = trainer.trainBatch(images, labels, 8).loss;
      let last = first;
      for (let step = 0; step < 15; step++) last = trainer.trainBatch(images, labels, 8).loss;
      console.log(`StrongCNN on one batch: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
      assert.ok(last < first * 0.8, `loss ${first} -> ${last}`);
      const a = trainer.predict(images, 8);
      assert.deepEqual(trainer.predict(images, 8), a);
      trainer.syncModel();
      const expected = tf.tidy(() =>
        (model.predict(tf.tensor(images, [8, 28, 28, 1])) as ReturnType<Tf["tensor"]>).dataSync(),
      );
      assert.ok(Math.max(...a.map((v, i) => Math.abs(v - expected[i]))) < 1e-3);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });
});

describe("models the fused engine does not train", () => {
  it("names what it does not support", () => {
    const cases: [() => LayersModel, RegExp][] = [
      [
        () =>
          tf.sequential({
            layers: [
              tf.layers.dense({ inputShape: [4], units: 3 }),
              tf.layers.layerNormalization(),
              tf.layers.dense({ units: 2 }),
            ],
          }),
        /LayerNormalization layers are not supported/,
      ],
      [
        () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "elu" })] }),
        /activation elu is not supported/,
      ],
      [
        () =>
          tf.sequential({
            layers: [tf.layers.dense({ inputShape: [4], units: 3, kernelRegularizer: tf.regularizers.l2() })],
          }),
        /option kernelRegularizer is not supported/,
      ],
      [
        () =>
          tf.sequential({
            layers: [
              tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, dilationRate: 2 }),
              tf.layers.flatten(),
              tf.layers.dense({ units: 2 }),
            ],
          }),
        /dilation/,
      ],
      [
        () => {
          const input = tf.input({ shape: [4] });
          const shared = tf.layers.dense({ units: 4 });
          const twice = shared.apply(shared.apply(input)) as never;
          return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(twice) as never });
        },
        /used more than once/,
      ],
    ];
    for (const [build, reason] of cases) {
      const model = build();
      assert.throws(
        () => readGraph(model),
        (err: Error) => err instanceof FusedUnsupported && reason.test(err.message),
      );
      model.dispose();
    }
  });

  describe("through the CLI", () => {
    let cwd: string;
    before(async () => {
      cwd = await mkdtemp(join(tmpdir(), "archlab-fused-"));
      await writeFile(
        join(cwd, "norm.model.ts"),
        "import * as tf from '@tensorflow/tfjs';\n" +
          "export function Normed() {\n" +
          "  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 16, activation: 'relu' }), tf.layers.layerNormalization(), tf.layers.dense({ units: 10 })] });\n" +
          "}\n",
      );
    });
    after(() => rm(cwd, { recursive: true, force: true }));
    const train = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          join(REPO, "bin/archlab.js"),
          "train",
          ...args,
          "--epochs",
          "1",
          "--limit",
          "2000",
          "--test-limit",
          "500",
          "--json",
        ],
        { cwd, encoding: "utf8", timeout: 180_000 },
      );

    it("the example MLP trains on the fused engine and its record says so", () => {
      const cli = train(EXAMPLE, "--model", "MLP", "--lr", "0.005");
      assert.equal(cli.status, 0, cli.stderr);
      const [run] = (JSON.parse(cli.stdout) as { runs: unknown }).runs as CliRun[];
      assert.equal(run.status, "completed");
      assert.equal(run.backend.engine, "wasm-fused");
      assert.match(run.backend.simd ?? "", /^(relaxed|simd128)$/);
      assert.ok(run.testAccuracy > 0.8, `accuracy ${run.testAccuracy}`);
    });

    it("the example residual network (batch normalization, Add, global pooling) trains on the fused engine", () => {
      const cli = train(join(REPO, "examples/residual.model.ts"));
      assert.equal(cli.status, 0, cli.stderr);
      const [run] = (JSON.parse(cli.stdout) as { runs: unknown }).runs as (CliRun & { epochs: { loss: number }[] })[];
      assert.equal(run.status, "completed");
      assert.equal(run.backend.engine, "wasm-fused");
      // Chance is ln 10 = 2.30; the moving statistics need more than 32 batches to evaluate well.
      assert.ok(run.epochs[0].loss < 2.1, `training loss ${run.epochs[0].loss}`);
    });

    it("auto trains an unsupported model with tfjs and says why; fused refuses it with the reason", () => {
      const auto = train(join(cwd, "norm.model.ts"));
      assert.equal(auto.status, 0, auto.stderr);
      const [run] = (JSON.parse(auto.stdout) as { runs: unknown }).runs as CliRun[];
      assert.equal(run.status, "completed");
      assert.equal(run.backend.engine, "tfjs");
      assert.match(run.backend.fallbackReason ?? "", /fused engine: LayerNormalization layers are not supported/);
      const fused = train(join(cwd, "norm.model.ts"), "--backend", "fused");
      const [refused] = (JSON.parse(fused.stdout) as { runs: unknown }).runs as CliRun[];
      assert.equal(refused.status, "failed");
      assert.match(
        JSON.stringify(refused.error),
        /fused engine cannot train this model: LayerNormalization layers are not supported/,
      );
    });
  });
});

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { engineTf } from "../../src/engine/tf";
import { checkInputShape, inspectModelFile, summarizeModel } from "../../src/engine/models";
import type { DatasetInfo, ModelSummary } from "../../src/engine/types";

const example = path.resolve(__dirname, "../../examples/mnist.model.ts");
const tf = engineTf();

function summarize(build: () => LayersModel, name = "M"): ModelSummary {
  const model = build();
  try {
    return summarizeModel(model, name);
  } finally {
    model.dispose();
  }
}

before(() => tf.setBackend("cpu"));

describe("layer names", () => {
  it("shows unnamed layers Keras-style, numbered within the model and the same on every build", () => {
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [4], units: 3 }),
          tf.layers.dense({ units: 3, name: "hidden" }),
          tf.layers.dense({ units: 2 }),
        ],
      });
    const first = summarize(build).layers.map((l) => l.name);
    const second = summarize(build).layers.map((l) => l.name);
    assert.deepEqual(first, ["dense_1", "hidden", "dense_2"]);
    assert.deepEqual(second, first);
  });
});

describe("the example model file", () => {
  let summaries: Map<string, ModelSummary>;
  before(async () => {
    const inspected = await inspectModelFile(example, tf);
    summaries = new Map(inspected.models.map((m) => [m.name, m.summary!]));
  });

  it("holds the study four architectures with their exact parameter counts, in file order", () => {
    assert.deepEqual([...summaries.keys()], ["MLP", "TinyCNN", "CNN", "StrongCNN"]);
    assert.equal(summaries.get("MLP")!.params.total, 25_450);
    assert.equal(summaries.get("TinyCNN")!.params.total, 4_266);
    assert.equal(summaries.get("CNN")!.params.total, 26_698);
    assert.equal(summaries.get("StrongCNN")!.params.total, 467_818);
    for (const summary of summaries.values()) {
      assert.equal(summary.params.nonTrainable, 0);
      assert.equal(summary.outputsProbabilities, false, `${summary.name} emits logits`);
      assert.deepEqual(summary.inputShape, [28, 28, 1]);
      assert.deepEqual(summary.outputShape, [10]);
    }
  });

  it("summarizes TinyCNN layer by layer, with MACs counted by hand", () => {
    const tiny = summaries.get("TinyCNN")!;
    const rows = tiny.layers.map(({ type, outputShape, params, macs }) => ({ type, outputShape, params, macs }));
    assert.deepEqual(rows, [
      // 3x3 kernel, 1 -> 4 channels: 3*3*1*4 + 4 biases; every one of 28*28 outputs does 3*3*1*4.
      { type: "Conv2D", outputShape: [28, 28, 4], params: 40, macs: 28 * 28 * 3 * 3 * 1 * 4 },
      { type: "MaxPooling2D", outputShape: [14, 14, 4], params: 0, macs: 0 },
      // 3x3 kernel, 4 -> 8 channels on 14x14.
      { type: "Conv2D", outputShape: [14, 14, 8], params: 3 * 3 * 4 * 8 + 8, macs: 14 * 14 * 3 * 3 * 4 * 8 },
      { type: "MaxPooling2D", outputShape: [7, 7, 8], params: 0, macs: 0 },
      { type: "Flatten", outputShape: [392], params: 0, macs: 0 },
      // 7*7*8 = 392 inputs -> 10 units.
      { type: "Dense", outputShape: [10], params: 392 * 10 + 10, macs: 392 * 10 },
    ]);
    assert.equal(tiny.macs, 28_224 + 56_448 + 3_920);
    assert.equal(tiny.params.trainable, 4_266);
  });

  it("gives the same architecture hash to two loads of the same file", async () => {
    const again = await inspectModelFile(example, tf);
    for (const model of again.models) {
      assert.equal(model.summary!.architectureHash, summaries.get(model.name)!.architectureHash);
    }
    const hashes = new Set([...summaries.values()].map((s) => s.architectureHash));
    assert.equal(hashes.size, 4, "different architectures hash differently");
  });
});

describe("architectureHash", () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), "archlab-hash-"))));
  after(() => rm(dir, { recursive: true, force: true }));

  it("changes when a layer changes, and only then", async () => {
    const source = await readFile(example, "utf8");
    const same = path.join(dir, "same.model.ts");
    const changed = path.join(dir, "changed.model.ts");
    await writeFile(same, source);
    // The first "units: 32" is MLP's hidden layer.
    const edited = source.replace("units: 32", "units: 64");
    assert.notEqual(edited, source);
    await writeFile(changed, edited);
    const hashes = async (file: string) =>
      new Map((await inspectModelFile(file, tf)).models.map((m) => [m.name, m.summary!.architectureHash]));
    const [original, copy, widened] = await Promise.all([hashes(example), hashes(same), hashes(changed)]);
    assert.deepEqual(copy, original);
    assert.notEqual(widened.get("MLP"), original.get("MLP"));
    assert.equal(widened.get("CNN"), original.get("CNN"));
  });
});

describe("summarizeModel", () => {
  const head = () => [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 3 })];

  it("detects a model whose last layer already applies softmax", () => {
    const denseSoftmax = () =>
      tf.sequential({
        layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 3, activation: "softmax" })],
      });
    const activation = () => tf.sequential({ layers: [...head(), tf.layers.activation({ activation: "softmax" })] });
    const softmaxLayer = () => tf.sequential({ layers: [...head(), tf.layers.softmax()] });
    const logits = () => tf.sequential({ layers: head() });
    assert.equal(summarize(denseSoftmax).outputsProbabilities, true);
    assert.equal(summarize(activation).outputsProbabilities, true);
    assert.equal(summarize(softmaxLayer).outputsProbabilities, true);
    assert.equal(summarize(logits).outputsProbabilities, false);
  });

  it("summarizes a functional model with a nested block and a frozen layer", () => {
    const summary = summarize(() => {
      const input = tf.input({ shape: [6] });
      const block = tf.sequential({
        layers: [tf.layers.dense({ units: 5, inputShape: [6] }), tf.layers.dense({ units: 4 })],
      });
      const frozen = tf.layers.dense({ units: 3, trainable: false, activation: "softmax" });
      const output = frozen.apply(block.apply(input)) as ReturnType<typeof tf.input>;
      return tf.model({ inputs: input, outputs: output });
    }, "Functional");
    assert.deepEqual(
      summary.layers.map((l) => [l.type, l.outputShape, l.params, l.macs]),
      [
        ["Sequential", [4], 6 * 5 + 5 + 5 * 4 + 4, 6 * 5 + 5 * 4],
        ["Dense", [3], 4 * 3 + 3, 4 * 3],
      ],
    );
    assert.deepEqual(summary.params, { total: 74, trainable: 59, nonTrainable: 15 });
    assert.equal(summary.macs, 62);
    assert.equal(summary.outputsProbabilities, true);
    assert.deepEqual(summary.inputShape, [6]);
  });
});

describe("checkInputShape", () => {
  const mnist: DatasetInfo = {
    name: "mnist",
    imageShape: [28, 28, 1],
    numClasses: 10,
    classNames: [..."0123456789"],
    trainSize: 60_000,
    testSize: 10_000,
  };
  const withShapes = (inputShape: number[], outputShape: number[]): ModelSummary => ({
    ...summarize(() => tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [2] })] }), "CNN"),
    inputShape,
    outputShape,
  });

  it("accepts a model that fits the dataset", () => {
    assert.equal(checkInputShape(withShapes([28, 28, 1], [10]), mnist), undefined);
  });

  it("names the expected and actual image shapes", () => {
    assert.equal(
      checkInputShape(withShapes([32, 32, 3], [10]), mnist),
      "model CNN expects input [32,32,3] but dataset mnist has images [28,28,1]",
    );
  });

  it("fails a model with a shape problem before its images are compared, naming the layer", () => {
    const noFlatten = summarize(
      () =>
        tf.sequential({
          layers: [
            tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3 }),
            tf.layers.dense({ units: 10 }),
          ],
        }),
      "NoFlatten",
    );
    assert.match(
      checkInputShape(noFlatten, mnist) ?? "",
      /^model NoFlatten: Dense gets a 26×26×2 input .*add tf\.layers\.flatten\(\) before it$/,
    );
  });

  it("names a wrong number of output units", () => {
    assert.match(
      checkInputShape(withShapes([28, 28, 1], [26]), mnist) ?? "",
      /^model CNN outputs \[26\] but dataset mnist has 10 classes/,
    );
  });
});

// Each layer's source line, as `archlab inspect --json` reports it: the call in the architecture
// (a helper's call site for the layers it makes), the same line for every iteration of a loop, and
// shape errors at the layer that broke, in readable words.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { InspectReport } from "../../src/engine/models";
import type { LayerSummary, ModelSummary } from "../../src/engine/types";
import { ensureBuilt, REPO } from "./helpers/build";

const EXAMPLE = join(REPO, "examples/mnist.model.ts");
const FIXTURES = join(REPO, "test/fixtures/models");

function inspectJson(file: string): { report: InspectReport; code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), "inspect", file, "--json"], {
    cwd: REPO,
    encoding: "utf8",
  });
  return { report: JSON.parse(result.stdout) as InspectReport, code: result.status, stderr: result.stderr };
}

/** 1-based line and column of the `nth` occurrence of `text` after the line containing `after`. */
function find(file: string, text: string, after = "", nth = 0): { line: number; column: number } {
  const lines = readFileSync(file, "utf8").split("\n");
  let line = after ? lines.findIndex((l) => l.includes(after)) : 0;
  assert.ok(line >= 0, `no line with ${after}`);
  for (let seen = 0; line < lines.length; line++) {
    const column = lines[line].indexOf(text);
    if (column >= 0 && seen++ === nth) return { line: line + 1, column: column + 1 };
  }
  throw new Error(`no ${text} after ${after}`);
}

const model = (report: InspectReport, name: string): ModelSummary => {
  const found = report.models.find((m) => m.name === name);
  assert.ok(found?.summary, `${name} has a summary (${found?.error?.message})`);
  return found.summary;
};
const at = (layer: LayerSummary) => ({ line: layer.location?.line, column: layer.location?.column });

before(() => ensureBuilt());

describe("the example file", () => {
  let report: InspectReport;
  before(() => (report = inspectJson(EXAMPLE).report));

  it("puts each StrongCNN layer at its line in the architecture, helper-made ones at the helper call", () => {
    const layers = model(report, "StrongCNN").layers;
    const calls = [
      "conv(32, true)",
      "conv(32)",
      "pool()",
      "tf.layers.dropout",
      "conv(64)",
      "conv(64)",
      "pool()",
      "tf.layers.dropout",
      "tf.layers.flatten",
      "tf.layers.dense",
      "tf.layers.dropout",
      "tf.layers.dense",
    ];
    const counts = new Map<string, number>();
    const expected = calls.map((call) => {
      const nth = counts.get(call) ?? 0;
      counts.set(call, nth + 1);
      return find(EXAMPLE, call, "export function StrongCNN", nth);
    });
    assert.deepEqual(layers.map(at), expected);
    for (const layer of layers) assert.equal(layer.location?.file, EXAMPLE);
    const helper = find(EXAMPLE, "tf.layers.conv2d", "function conv(");
    assert.deepEqual(
      {
        function: layers[0].location?.via?.function,
        line: layers[0].location?.via?.line,
        column: layers[0].location?.via?.column,
      },
      { function: "conv", ...helper },
    );
    assert.equal(layers[2].location?.via?.function, "pool");
    assert.equal(layers[3].location?.via, undefined, "a layer made in the architecture has no helper");
  });

  it("tells apart the six layers TinyCNN makes on one line, each with the end of its call", () => {
    const layers = model(report, "TinyCNN").layers;
    const line = find(EXAMPLE, "layers: [conv(4, true)").line;
    const text = readFileSync(EXAMPLE, "utf8").split("\n")[line - 1];
    assert.deepEqual(new Set(layers.map((l) => l.location?.line)), new Set([line]));
    const calls = layers.map((l) => text.slice(l.location!.column - 1, l.location!.endColumn - 1));
    assert.deepEqual(calls, [
      "conv(4, true)",
      "pool()",
      "conv(8)",
      "pool()",
      "tf.layers.flatten()",
      "tf.layers.dense({ units: 10 })",
    ]);
  });

  it("gives conv and pool layers their receptive field so far", () => {
    const fields = model(report, "TinyCNN").layers.map((l) => l.receptiveField?.size[0]);
    // 3x3 conv: 3; 2x2 pool: 3 + 1 = 4 (step 2); 3x3 conv: 4 + 2*2 = 8; 2x2 pool: 8 + 1*2 = 10; then no spatial axes.
    assert.deepEqual(fields, [3, 4, 8, 10, undefined, undefined]);
  });
});

describe("a file with helpers and loops", () => {
  const file = join(FIXTURES, "loops.model.ts");
  let report: InspectReport;
  before(() => (report = inspectJson(file).report));

  it("maps every layer a looped block helper makes to the helper call in the loop", () => {
    const layers = model(report, "Looped").layers;
    const block = find(file, "convBnRelu(8 * 2 ** i)");
    const pool = find(file, "tf.layers.maxPooling2d", "export function Looped");
    const blockLayers = layers.filter((l) => ["Conv2D", "BatchNormalization", "ReLU"].includes(l.type));
    assert.equal(blockLayers.length, 9);
    for (const layer of blockLayers) assert.deepEqual(at(layer), block);
    assert.deepEqual(layers.filter((l) => l.type === "MaxPooling2D").map(at), [pool, pool, pool]);
    // Inside the helper, each of its three factory calls.
    assert.deepEqual(
      blockLayers.slice(0, 3).map((l) => l.location?.via?.line),
      [
        find(file, "tf.layers.conv2d").line,
        find(file, "tf.layers.batchNormalization").line,
        find(file, "tf.layers.reLU").line,
      ],
    );
    assert.deepEqual(
      blockLayers.filter((l) => l.type === "Conv2D").map((l) => l.outputShape),
      [
        [28, 28, 8],
        [14, 14, 16],
        [7, 7, 32],
      ],
    );
  });

  it("maps the layers model.add gets in a for...of loop to that line", () => {
    const dense = model(report, "Repeated").layers.filter((l) => l.type === "Dense");
    const loop = find(file, "tf.layers.dense({ units, activation");
    assert.deepEqual(dense.slice(0, 3).map(at), [loop, loop, loop]);
    assert.deepEqual(
      dense.map((l) => l.outputShape[0]),
      [64, 32, 16, 10],
    );
  });
});

describe("a functional residual net", () => {
  const file = join(FIXTURES, "residual.model.ts");
  let summary: ModelSummary;
  before(() => (summary = model(inspectJson(file).report, "ResNet")));

  it("records the data flow: each residual add joins the skip and the block, the concatenation two branches", () => {
    const byName = new Map(summary.layers.map((l) => [l.name, l]));
    const adds = summary.layers.filter((l) => l.type === "Add");
    assert.equal(adds.length, 2);
    assert.deepEqual(adds[0].inputs, ["conv2d_1", "conv2d_3"]);
    assert.deepEqual(adds[1].inputs, ["add_1", "conv2d_5"]);
    const concat = summary.layers.find((l) => l.type === "Concatenate")!;
    assert.deepEqual(
      concat.inputs!.map((n) => byName.get(n)?.config?.kernelSize),
      [
        [5, 5],
        [1, 1],
      ],
    );
    assert.deepEqual(concat.inputShapes, [
      [28, 28, 8],
      [28, 28, 8],
    ]);
    assert.deepEqual(summary.layers[0].inputs, ["input"]);
    assert.deepEqual(summary.inputs, [{ name: "input", shape: [28, 28, 1] }]);
  });

  it("puts the layers of each residual() call at that call, and the merge takes its largest receptive field", () => {
    const calls = [find(file, "x = residual(x, 16)"), find(file, "x = residual(x, 16)", "", 1)].map((p) => ({
      ...p,
      column: p.column + 4,
    }));
    const adds = summary.layers.filter((l) => l.type === "Add");
    assert.deepEqual(adds.map(at), calls);
    assert.deepEqual(
      adds.map((l) => l.location?.via?.function),
      ["residual", "residual"],
    );
    // 3x3 stem: 3; each residual block adds two 3x3 convs (+2 each); the 5x5 branch +4.
    assert.deepEqual(
      adds.map((l) => l.receptiveField?.size),
      [
        [7, 7],
        [11, 11],
      ],
    );
    assert.deepEqual(summary.layers.find((l) => l.type === "Concatenate")?.receptiveField?.size, [15, 15]);
  });
});

describe("a file with shape errors", () => {
  const file = join(FIXTURES, "shape-errors.model.ts");
  let result: ReturnType<typeof inspectJson>;
  before(() => (result = inspectJson(file)));
  const error = (name: string) => result.report.models.find((m) => m.name === name)?.error;

  it("fails inspection and reports each error at the layer that broke", () => {
    assert.equal(result.code, 1);
    const line = (marker: string) => find(file, marker).line;
    assert.equal(error("BigKernel")?.line, line("// 5x5 kernel"));
    assert.equal(error("BadConcat")?.line, line("// 28x28 with 14x14"));
    assert.equal(error("WrongUnits")?.line, line("// a 1-D input"));
    const problem = model(result.report, "NoFlatten").problems?.[0];
    assert.equal(problem?.location?.line, line("// Dense after Conv2D"));
    assert.equal(problem?.layer, "dense_1");
  });

  it("says what is wrong in the shapes of the model file, not in tfjs internals", () => {
    assert.match(error("BigKernel")!.message, /Conv2D: its 5×5 kernel does not fit its 3×3 input \(padding 'valid'\)/);
    assert.match(
      error("BadConcat")!.message,
      /Concatenate needs inputs that match except along the concatenation axis, got 28×28×4 and 14×14×4$/,
    );
    assert.match(error("WrongUnits")!.message, /Conv2D needs a 3-D input per example, got 32 \(1-D\)$/);
    assert.match(
      model(result.report, "NoFlatten").problems![0].message,
      /^Dense gets a 26×26×4 input .* outputs 26×26×10 .* add tf\.layers\.flatten\(\) before it$/,
    );
    for (const m of result.report.models) assert.doesNotMatch(m.error?.message ?? "", /\[null,|_[A-Z][A-Za-z]+\d/);
    const text = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), "inspect", file], {
      cwd: REPO,
      encoding: "utf8",
    });
    assert.match(text.stderr, /^test\/fixtures\/models\/shape-errors\.model\.ts:\d+:7: model NoFlatten: Dense gets/m);
  });
});

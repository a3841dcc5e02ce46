import assert from "node:assert/strict";
import { describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { callExtent } from "../../src/engine/models/call-extent";
import { inspectModelFile } from "../../src/engine/models";
import { engineTf } from "../../src/engine/tf";
import { join } from "node:path";

/** The text of the call found from the position of `marker` in `text`. */
function callAt(text: string, marker: string): string | undefined {
  const offset = text.indexOf(marker);
  const before = text.slice(0, offset).split("\n");
  const extent = callExtent(text, { line: before.length, column: before[before.length - 1].length + 1 });
  if (!extent) return undefined;
  const lines = text.split("\n");
  const start =
    lines.slice(0, extent.start.line - 1).join("\n").length + (extent.start.line > 1 ? 1 : 0) + extent.start.column - 1;
  const end =
    lines.slice(0, extent.end.line - 1).join("\n").length + (extent.end.line > 1 ? 1 : 0) + extent.end.column - 1;
  return text.slice(start, end);
}

describe("callExtent", () => {
  it("goes back over the member chain to the first name, and on to the closing parenthesis", () => {
    assert.equal(callAt("x = tf.layers.dense({ units: 3 }), y", "dense"), "tf.layers.dense({ units: 3 })");
    assert.equal(callAt("a(conv(8), pool())", "conv"), "conv(8)");
    assert.equal(
      callAt("tf.layers\n  .conv2d({\n  filters: 4,\n})\n", "conv2d"),
      "tf.layers\n  .conv2d({\n  filters: 4,\n})",
    );
  });

  it("skips brackets inside strings, template literals and comments", () => {
    assert.equal(
      callAt(`f({ name: ')', x: "(", y: \`\${g(")")})\` }) + 1`, "f("),
      `f({ name: ')', x: "(", y: \`\${g(")")})\` })`,
    );
    assert.equal(callAt("f(1, // )\n 2 /* ) */)", "f("), "f(1, // )\n 2 /* ) */)");
  });

  it("finds no call where none starts or none closes", () => {
    assert.equal(callAt("const units = 3;", "units"), undefined);
    assert.equal(callAt("f(1, 2", "f("), undefined);
  });
});

describe("inspecting unsaved text", () => {
  it("maps layers to the lines of the text given, not of the file on disk", async () => {
    const tf = engineTf();
    await tf.setBackend("cpu");
    const file = join(__dirname, "../../examples/mnist.model.ts");
    const { readFile } = await import("node:fs/promises");
    const edited =
      "// two lines\n// more\n" +
      (await readFile(file, "utf8")).replace("units: 32, activation", "units: 48, activation");
    const [onDisk, unsaved] = await Promise.all([inspectModelFile(file, tf), inspectModelFile(file, tf, edited)]);
    const mlp = (r: typeof onDisk) => r.models.find((m) => m.name === "MLP")!.summary!;
    assert.deepEqual(
      mlp(unsaved).layers.map((l) => l.location!.line),
      mlp(onDisk).layers.map((l) => l.location!.line + 2),
    );
    assert.equal(mlp(unsaved).layers[1].outputShape[0], 48);
    assert.equal(unsaved.file, onDisk.file);
  });
});

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { engineTf, type Tf } from "../../src/engine/tf";
import { inspectModelFile, loadModelFile, ModelFileError } from "../../src/engine/models";

const fixtures = path.resolve(__dirname, "../fixtures/models");
const tf = engineTf();
let dir: string;

/** Writes a model file outside the repository: user files have no node_modules of their own. */
async function modelFile(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, lines.join("\n"));
  return file;
}

const TINY = "tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] })";

async function rejection(promise: Promise<unknown>): Promise<ModelFileError> {
  const err = await promise.then(
    () => assert.fail("expected the model file to be rejected"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ModelFileError, `expected a ModelFileError, got ${String(err)}`);
  return err;
}

before(async () => {
  await tf.setBackend("cpu");
  dir = await mkdtemp(path.join(tmpdir(), "archlab-models-"));
});
after(() => rm(dir, { recursive: true, force: true }));

describe("loadModelFile errors", () => {
  it("reports a syntax error with file, line and column", async () => {
    const badLine = "  return tf.sequential({ layers: [tf.layers.dense({ units: 2 )] });";
    const file = await modelFile("broken.model.ts", [
      "import * as tf from '@tensorflow/tfjs';",
      "",
      "export function Broken() {",
      badLine,
      "}",
    ]);
    const err = await rejection(loadModelFile(file, tf));
    assert.equal(err.file, file);
    assert.equal(err.line, 4);
    // Columns are 1-based: the stray ")" is character 62 of line 4.
    assert.equal(badLine.indexOf(")") + 1, 62);
    assert.equal(err.column, 62);
    assert.match(err.message, /broken\.model\.ts:4:62: Expected "}" but found "\)"/);
  });

  it("reports a file with no model exports and says what it skipped", async () => {
    const file = await modelFile("helpers.model.ts", [
      "import * as tf from '@tensorflow/tfjs';",
      "export const units = 4;",
      "export function dense(n: number) { return tf.layers.dense({ units: n }); }",
    ]);
    const err = await rejection(loadModelFile(file, tf));
    assert.match(
      err.message,
      /no model exports: export a function that takes no arguments \(or an hp object\) and returns a tf\.LayersModel/,
    );
    assert.match(err.message, /units: not a function \(a number\)/);
    assert.match(err.message, /dense: takes 1 argument\(s\)/);
  });

  it("reports a throwing factory for that model only, at the line that threw", async () => {
    const file = await modelFile("mixed.model.ts", [
      "import * as tf from '@tensorflow/tfjs';",
      `export const Good = () => ${TINY};`,
      "export function Bad() {",
      "  throw new Error('kernel size missing');",
      "}",
    ]);
    const loaded = await loadModelFile(file, tf);
    assert.deepEqual(
      loaded.architectures.map((a) => a.name),
      ["Good", "Bad"],
    );
    const good = loaded.architectures[0].build();
    assert.equal(good.countParams(), 8);
    good.dispose();
    assert.throws(
      () => loaded.architectures[1].build(),
      (err: unknown) => {
        assert.ok(err instanceof ModelFileError);
        assert.equal(err.file, file);
        assert.equal(err.line, 4);
        assert.match(err.message, /model Bad failed to build: kernel size missing/);
        return true;
      },
    );

    const inspected = await inspectModelFile(file, tf);
    assert.equal(inspected.models[0].summary?.params.total, 8);
    assert.equal(inspected.models[1].summary, undefined);
    assert.equal(inspected.models[1].error?.line, 4);
  });

  it("rejects a bare import of a package other than tfjs, at the import", async () => {
    const file = await modelFile("lodash.model.ts", [
      "import * as tf from '@tensorflow/tfjs';",
      "import { range } from 'lodash';",
      `export const M = () => (range(3), ${TINY});`,
    ]);
    const err = await rejection(loadModelFile(file, tf));
    assert.equal(err.line, 2);
    assert.match(err.message, /cannot import "lodash": a model file can import @tensorflow\/tfjs/);
  });

  it("reports a missing file", async () => {
    const file = path.join(dir, "nowhere.model.ts");
    const err = await rejection(loadModelFile(file, tf));
    assert.equal(err.file, file);
    assert.match(err.message, /nowhere\.model\.ts: model file not found/);
  });

  it("reports an error thrown while the file loads, at its line", async () => {
    const file = await modelFile("top.model.js", ["const x = undefined;", "x.boom();", `export const M = () => 1;`]);
    const err = await rejection(loadModelFile(file, tf));
    assert.equal(err.line, 2);
    assert.match(err.message, /the model file failed to load: .*boom/);
  });

  it("rejects a bad training export naming the setting", async () => {
    const file = await modelFile("settings.model.ts", [
      "import * as tf from '@tensorflow/tfjs';",
      `export const M = () => ${TINY};`,
      "export const training = { epochs: 0 };",
    ]);
    const err = await rejection(loadModelFile(file, tf));
    assert.match(err.message, /training\.epochs must be a positive integer, got 0/);
  });
});

describe("loadModelFile imports", () => {
  it("resolves tfjs, tfjs-node (require), tfjs-core and tfjs-layers to the engine instance", async () => {
    let built = 0;
    const counting = {
      ...tf,
      sequential: (...args: Parameters<Tf["sequential"]>) => (built++, tf.sequential(...args)),
    };
    const loaded = await loadModelFile(path.join(fixtures, "imports.model.js"), counting);
    assert.deepEqual(
      loaded.architectures.map((a) => a.name),
      ["ViaTfjs", "ViaCore", "ViaLayers", "ViaNode"],
    );
    built = 0;
    for (const architecture of loaded.architectures) {
      const model = architecture.build();
      assert.ok(model instanceof tf.LayersModel);
      assert.equal(model.countParams(), 15);
      model.dispose();
    }
    assert.equal(built, 4, "every import path went through the tfjs instance passed in");
  });

  it("follows relative imports and lists the exports it skipped", async () => {
    const loaded = await loadModelFile(path.join(fixtures, "split/stack.model.ts"), tf);
    assert.deepEqual(
      loaded.architectures.map((a) => a.name),
      ["Stacked"],
    );
    const model = loaded.architectures[0].build();
    // conv 3x3x1x4+4 = 40, conv 3x3x4x8+8 = 296, dense 8*8*8*3+3 = 1539.
    assert.equal(model.countParams(), 40 + 296 + 1539);
    model.dispose();
    assert.deepEqual(loaded.skipped, [
      { name: "width", reason: "not a function (a number)" },
      { name: "wide", reason: "takes 1 argument(s); an architecture takes none, or one hp object" },
      { name: "onlyALayer", reason: "returns a Dense, not a tf.LayersModel" },
      { name: "Later", reason: "returns a Promise; an architecture must build its model synchronously" },
    ]);
    assert.deepEqual(loaded.training, { epochs: 2, models: { Stacked: { learningRate: 0.01 } } });
    assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
  });

  it("leaves no tensors behind after loading and inspecting", async () => {
    const before = tf.memory().numTensors;
    await inspectModelFile(path.join(fixtures, "split/stack.model.ts"), tf);
    assert.equal(tf.memory().numTensors, before);
  });
});

// The tfjs internals of src/engine/backend/tfjs-internals.ts, each checked against the installed
// tfjs. A tfjs upgrade that changes one fails here with a message naming it, before training
// breaks in a way that is hard to trace (a thread count that silently drops to one, a saved
// optimizer state that no longer resumes).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import { getKernel, type KernelConfig } from "@tensorflow/tfjs-core";
import { initBackend } from "../../src/engine/backend";
import {
  LAYERS_GRAPH_FIELDS,
  OPTIMIZER_SLOT_SUFFIXES,
  STOCK_WASM_KERNELS,
  TFJS_VERSION,
  WASM_BACKEND_METHODS,
  WASM_THREADS,
} from "../../src/engine/backend/tfjs-internals";
import type { Tf } from "../../src/engine/tf";

const INTERNALS = "src/engine/backend/tfjs-internals.ts";
const changed = (what: string, detail: string) =>
  `tfjs internal changed: ${what} (${detail}). Adapt the code that ${INTERNALS} names for it.`;

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

describe("tfjs internals the engine depends on", () => {
  let tf: Tf;
  // The stock wasm kernels as tfjs-backend-wasm registers them on import, before the engine
  // replaces some of them (the engine's wasm backend starts in the tests that need it, so that a
  // missing kernel fails its own test rather than every test's setup).
  const stock = new Map<string, KernelConfig | undefined>();
  before(async () => {
    await import("@tensorflow/tfjs-backend-wasm");
    for (const name of [...STOCK_WASM_KERNELS.buildingBlocks, ...STOCK_WASM_KERNELS.replaced])
      stock.set(name, getKernel(name, "wasm"));
    ({ tf } = await initBackend("cpu"));
  });

  it(`the tfjs packages are the version the internals were checked against (${TFJS_VERSION})`, () => {
    for (const name of [
      "@tensorflow/tfjs-core",
      "@tensorflow/tfjs-layers",
      "@tensorflow/tfjs-backend-cpu",
      "@tensorflow/tfjs-backend-wasm",
    ]) {
      const { version } = JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8")) as {
        version: string;
      };
      assert.equal(
        version,
        TFJS_VERSION,
        changed(
          `${name} version`,
          `${version} installed, ${INTERNALS} was checked against ${TFJS_VERSION}; check every entry, then update TFJS_VERSION`,
        ),
      );
    }
  });

  it("WASM_THREADS: the threaded build, its worker source and its load message are where wasm-threads.ts expects them", () => {
    const folder = join(packageDir("@tensorflow/tfjs-backend-wasm"), WASM_THREADS.folder);
    for (const file of [WASM_THREADS.module, WASM_THREADS.worker]) {
      assert.ok(existsSync(join(folder, file)), changed("WASM_THREADS", `${WASM_THREADS.folder}/${file} is missing`));
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS file wasm-threads.ts loads the same way
    const worker = require(join(folder, WASM_THREADS.worker)) as Record<string, unknown>;
    const source = worker[WASM_THREADS.workerExport];
    assert.equal(
      typeof source,
      "string",
      changed(
        "WASM_THREADS.workerExport",
        `${WASM_THREADS.worker} no longer exports the string ${WASM_THREADS.workerExport}`,
      ),
    );
    for (const needle of ['e.data.cmd==="load"', "e.data.urlOrBlob"]) {
      assert.ok(
        (source as string).includes(needle),
        changed("WASM_THREADS worker load message", `the worker source no longer has ${needle}`),
      );
    }
  });

  it("WASM_THREADS: tfjs makes the worker's URL with URL.createObjectURL and counts cores with os.cpus()", () => {
    const bundle = readFileSync(
      join(packageDir("@tensorflow/tfjs-backend-wasm"), "dist", "tf-backend-wasm.node.js"),
      "utf8",
    );
    assert.match(
      bundle,
      /wasmWorkerContents\.replace[\s\S]{0,300}URL\.createObjectURL\(blob\)/,
      changed("WASM_THREADS worker URL", "the worker is no longer loaded from URL.createObjectURL"),
    );
    assert.match(
      bundle,
      /_emscripten_num_logical_cores\(\)\s*\{\s*if \(ENVIRONMENT_IS_NODE\)\s*return [\w$]+\.cpus\(\)\.length/,
      changed("WASM_THREADS core count", "the threaded build no longer counts cores with os.cpus()"),
    );
  });

  it("WASM_THREADS.flag: the multithreading flag exists, and tfjs still turns it off under Node", async () => {
    // getAsync throws for a flag nobody registered (tfjs-backend-wasm registers it on import).
    const value = await tf
      .env()
      .getAsync(WASM_THREADS.flag)
      .catch((err: unknown) =>
        assert.fail(changed("WASM_THREADS.flag", `${WASM_THREADS.flag} is no longer a flag: ${String(err)}`)),
      );
    // True here: tfjs starts threads under Node by itself, and the workaround may go.
    assert.equal(
      value,
      false,
      changed("WASM_THREADS.flag", "tfjs now enables threads under Node: wasm-threads.ts may no longer be needed"),
    );
  });

  it("STOCK_WASM_KERNELS: every stock wasm kernel the training kernels build on or replace is registered", () => {
    for (const [name, kernel] of stock) {
      assert.equal(
        typeof kernel?.kernelFunc,
        "function",
        changed("STOCK_WASM_KERNELS", `tfjs-backend-wasm has no ${name} kernel`),
      );
    }
  });

  it("WASM_BACKEND_METHODS: the wasm backend has the methods the kernels call", async () => {
    const { tf: wasm } = await initBackend("wasm");
    const backend = wasm.backend() as unknown as Record<string, unknown>;
    for (const method of WASM_BACKEND_METHODS) {
      assert.equal(
        typeof backend[method],
        "function",
        changed("WASM_BACKEND_METHODS", `the wasm backend has no ${method}()`),
      );
    }
  });

  it("LAYERS_GRAPH_FIELDS: layers, nodes, symbolic tensors and weights hold the fields the summary reads", () => {
    const input = tf.input({ shape: [4] });
    const dense = tf.layers.dense({ units: 3 });
    const output = dense.apply(input) as ReturnType<typeof tf.input>;
    const model = tf.model({ inputs: input, outputs: output });
    const holders: Record<keyof typeof LAYERS_GRAPH_FIELDS, object> = {
      layer: dense,
      node: (dense as unknown as { inboundNodes: object[] }).inboundNodes[0],
      symbolicTensor: output,
      weight: model.trainableWeights[0],
    };
    for (const [holder, fields] of Object.entries(LAYERS_GRAPH_FIELDS) as [
      keyof typeof LAYERS_GRAPH_FIELDS,
      readonly string[],
    ][]) {
      for (const field of fields) {
        const value = (holders[holder] as Record<string, unknown> | undefined)?.[field];
        assert.notEqual(value, undefined, changed("LAYERS_GRAPH_FIELDS", `a ${holder} has no ${field}`));
      }
    }
    model.dispose();
  });

  it("OPTIMIZER_SLOT_SUFFIXES: tfjs's optimizers name their state iter, then <weight>/<suffix> slot by slot", async () => {
    const optimizers = {
      adam: (lr: number) => tf.train.adam(lr),
      rmsprop: (lr: number) => tf.train.rmsprop(lr),
      adagrad: (lr: number) => tf.train.adagrad(lr),
      adadelta: (lr: number) => tf.train.adadelta(lr),
    };
    for (const [name, suffixes] of Object.entries(OPTIMIZER_SLOT_SUFFIXES) as [
      keyof typeof optimizers,
      readonly string[],
    ][]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
      const optimizer = optimizers[name](0.01);
      model.compile({ optimizer, loss: "meanSquaredError" });
      await model.trainOnBatch(tf.ones([1, 2]), tf.ones([1, 2]));
      const weights = model.trainableWeights.map((w) => w.originalName);
      const expected = ["iter", ...suffixes.flatMap((suffix) => weights.map((w) => `${w}/${suffix}`))];
      const saved = await optimizer.getWeights();
      assert.deepEqual(
        saved.map((w) => w.name),
        expected,
        changed("OPTIMIZER_SLOT_SUFFIXES", `${name}'s state is named differently`),
      );
      for (const { tensor } of saved) tensor.dispose();
      model.dispose();
      optimizer.dispose();
    }
  });
});

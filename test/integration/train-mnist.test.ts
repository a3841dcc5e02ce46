// Training jobs on real MNIST data with the study's model file, on each backend available here.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { RunStore } from "../../src/engine/runs/store";
import { JobSpecError, runJob } from "../../src/engine/train";
import type { TrainingEvent } from "../../src/engine/types";

const EXAMPLE = join(import.meta.dirname, "../../examples/mnist.model.ts");

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "archlab-job-"));
});
after(() => rm(root, { recursive: true, force: true }));

describe("TinyCNN learns MNIST in one short epoch", () => {
  // The pure-JS cpu backend is slow at convolutions: it gets a smaller subset and smaller batches.
  const cases = [
    { backend: "cpu", limit: 1000, batchSize: 16 },
    { backend: "wasm", limit: 2000, batchSize: 32 },
  ] as const;
  for (const { backend, limit, batchSize } of cases) {
    test(`${backend}: above 80% test accuracy after ${limit} images`, async () => {
      const events: TrainingEvent[] = [];
      const [record] = await runJob(
        {
          file: EXAMPLE,
          models: ["TinyCNN"],
          backend,
          storeRoot: root,
          overrides: { epochs: 1, limit, testLimit: 1000, batchSize, learningRate: 0.01 },
        },
        { onEvent: (e) => events.push(e) },
      );
      assert.equal(record.status, "completed", record.error?.message);
      assert.equal(record.backend.name, backend);
      assert.ok(record.results!.testAccuracy > 0.8, `test accuracy ${record.results!.testAccuracy}`);
      assert.equal(record.summary?.params.total, 4266);
      assert.deepEqual([record.dataset?.trainSize, record.results?.testExamples], [limit, 1000]);
      assert.equal(record.file, EXAMPLE, "outside the store root the path stays absolute");
      assert.match(record.source.text, /export function TinyCNN/);
      assert.equal(record.source.sha256.length, 64);
      assert.deepEqual(
        events.filter((e) => e.type !== "batch").map((e) => e.type),
        ["runStarted", "epoch", "runFinished"],
      );
      assert.deepEqual(await new RunStore(root).get(record.id), record);
    });
  }
});

describe("problems become failed records, not exceptions", () => {
  test("a model file with a syntax error: the record points at file, line and column", async () => {
    const file = join(root, "broken.model.ts");
    await writeFile(
      file,
      "import * as tf from '@tensorflow/tfjs';\nexport function A() {\n  return tf.sequential({ layers: [ });\n}\n",
    );
    const events: TrainingEvent[] = [];
    const records = await runJob(
      { file, models: ["A"], backend: "cpu", storeRoot: root },
      { onEvent: (e) => events.push(e) },
    );
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record.status, "failed");
    assert.equal(record.file, "broken.model.ts");
    assert.equal(record.error?.file, file);
    assert.equal(record.error?.line, 3);
    assert.equal(typeof record.error?.column, "number");
    assert.deepEqual(
      events.map((e) => e.type),
      ["runStarted", "runFailed"],
    );
    assert.equal((await new RunStore(root).get(record.id))?.status, "failed");
  });

  test("an unknown model name fails the job before any record; a model that does not fit MNIST gets a failed record", async () => {
    const file = join(root, "color.model.ts");
    await writeFile(
      file,
      "import * as tf from '@tensorflow/tfjs';\n" +
        "export function Color() {\n" +
        "  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10 })] });\n" +
        "}\n",
    );
    const store = new RunStore(root);
    // The same store holds the records of the tests before this one.
    const before = (await store.list()).records.map((r) => r.id);
    await assert.rejects(
      runJob({
        file,
        models: ["Nope", "Color"],
        backend: "cpu",
        storeRoot: root,
        overrides: { epochs: 1, limit: 100 },
      }),
      (err: Error) => err instanceof JobSpecError && /No architecture named "Nope".*available: Color/.test(err.message),
    );
    assert.deepEqual(
      (await store.list()).records.map((r) => r.id),
      before,
      "nothing is recorded",
    );
    const records = await runJob({
      file,
      models: ["Color"],
      backend: "cpu",
      storeRoot: root,
      overrides: { epochs: 1, limit: 100 },
    });
    assert.deepEqual(
      records.map((r) => [r.model, r.status]),
      [["Color", "failed"]],
    );
    assert.match(records[0].error!.message, /expects input \[32,32,3\].*\[28,28,1\]/);
    assert.equal(records[0].epochs.length, 0);
  });
});

// Trained models kept with their runs: saved in the layers format after every epoch, loadable by
// stock tfjs with the same predictions, subject to archlab.keepModels, deleted with their run.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { io } from "@tensorflow/tfjs-core";
import { initBackend } from "../../src/engine/backend";
import type { Architecture } from "../../src/engine/models";
import { RunStore } from "../../src/engine/runs/store";
import { exportSavedModel } from "../../src/engine/saved/export";
import { savedModelDir } from "../../src/engine/saved/files";
import { loadSavedModel } from "../../src/engine/saved/load";
import type { Tf } from "../../src/engine/tf";
import { TfjsBatchTrainer } from "../../src/engine/train/batch-trainer";
import { evaluateSplit } from "../../src/engine/train/evaluate";
import { runArchitecture, type RunContext } from "../../src/engine/train/run-model";
import { DEFAULT_TRAINING, type KeepModels, type RunRecord, type TrainingConfig } from "../../src/engine/types";
import { bandsDataset, CLASSES, SIDE } from "./helpers/bands";

const config: TrainingConfig = { ...DEFAULT_TRAINING, dataset: "bands", epochs: 2, batchSize: 32, learningRate: 0.01 };

let tf: Tf;
let root: string;

before(async () => {
  ({ tf } = await initBackend("cpu"));
  root = await mkdtemp(join(tmpdir(), "archlab-saved-"));
});
after(() => rm(root, { recursive: true, force: true }));

function net(name: string, hidden = 16, sabotage?: (model: ReturnType<Tf["sequential"]>) => void): Architecture {
  return {
    name,
    build: () => {
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [SIDE, SIDE, 1] }),
          tf.layers.dense({ units: hidden, activation: "relu" }),
          tf.layers.dense({ units: CLASSES }),
        ],
      });
      sabotage?.(model);
      return model;
    },
  };
}

function context(store: RunStore, keepModels?: KeepModels, signal?: AbortSignal): RunContext {
  return {
    tf,
    backend: { name: "cpu", version: "test" },
    store,
    source: { path: join(root, "bands.model.ts"), text: "", sha256: "" },
    loadDataset: async () => bandsDataset,
    keepModels,
    signal,
  };
}

const folderOf = (store: RunStore, record: RunRecord) => savedModelDir(store, record);

describe("a run keeps its trained model", () => {
  test("model.json and weights.bin in .archlab/models/<run id>, named in the record with size and hash, out of git", async () => {
    const store = new RunStore(join(root, "one"));
    const record = await runArchitecture(context(store, "all"), net("Dense"), config);
    assert.equal(record.status, "completed");
    const saved = record.savedModel!;
    assert.equal(saved.path, `.archlab/models/${record.id}`);
    assert.equal(saved.epoch, 2);
    assert.equal(saved.optimizer, "adam");
    const dir = folderOf(store, record);
    const weights = await readFile(join(dir, "weights.bin"));
    assert.equal(saved.sha256, createHash("sha256").update(weights).digest("hex"));
    // Dense 64x16 + 16, Dense 16x3 + 3, float32.
    assert.equal(weights.length, (64 * 16 + 16 + 16 * 3 + 3) * 4);
    assert.ok(saved.bytes > weights.length);
    const modelJson = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as io.ModelJSON;
    assert.equal(modelJson.format, "layers-model");
    assert.deepEqual(modelJson.weightsManifest[0].paths, ["./weights.bin"]);
    assert.match(await readFile(join(store.root, ".archlab", ".gitignore"), "utf8"), /^models\/$/m);
    assert.deepEqual((await store.get(record.id))?.savedModel, saved);
  });

  test("loaded back with tf.loadLayersModel, it makes exactly the predictions the run recorded", async () => {
    const store = new RunStore(join(root, "roundtrip"));
    const record = await runArchitecture(context(store, "all"), net("Dense", 4), {
      ...config,
      learningRate: 0.0005,
      epochs: 1,
    });
    const model = await loadSavedModel(tf, store, record);
    const options = { numClasses: CLASSES, imageShape: [SIDE, SIDE, 1], outputsProbabilities: false };
    const trainer = new TfjsBatchTrainer(tf, model, { ...options, optimizer: "adam", learningRate: 1e-3 });
    const evaluation = await evaluateSplit(trainer, bandsDataset.test, options);
    trainer.dispose();
    model.dispose();
    assert.ok(record.results!.misclassified.length > 0, "an undertrained model, so that some predictions are wrong");
    assert.equal(evaluation.accuracy, record.results!.testAccuracy);
    assert.deepEqual(evaluation.misclassified, record.results!.misclassified);
  });

  test("a changed weights file is refused with a message instead of predicting", async () => {
    const store = new RunStore(join(root, "tampered"));
    const record = await runArchitecture(context(store, "all"), net("Dense"), config);
    await writeFile(join(folderOf(store, record), "weights.bin"), Buffer.alloc(100));
    await assert.rejects(loadSavedModel(tf, store, record), /do not match its record/);
    await assert.rejects(exportSavedModel(store, record, join(root, "tampered-out")), /do not match its record/);
  });

  test("a cancelled run keeps the weights of its last finished epoch", async () => {
    const store = new RunStore(join(root, "cancel"));
    const controller = new AbortController();
    const ctx = {
      ...context(store, "all", controller.signal),
      onEvent: (e: { type: string }) => e.type === "epoch" && controller.abort(),
    };
    const record = await runArchitecture(ctx, net("Dense"), { ...config, epochs: 3 });
    assert.equal(record.status, "cancelled");
    assert.equal(record.savedModel?.epoch, 1);
    assert.ok(existsSync(join(folderOf(store, record), "model.json")));
  });

  test("a model that cannot be saved still completes, and the record says why", async () => {
    const store = new RunStore(join(root, "unsaveable"));
    const record = await runArchitecture(
      context(store, "all"),
      net("Dense", 16, (model) => {
        model.save = async () => {
          throw new Error("Unknown layer: Custom");
        };
      }),
      config,
    );
    assert.equal(record.status, "completed");
    assert.equal(record.savedModel, undefined);
    assert.match(record.savedModelError ?? "", /could not be saved: Unknown layer: Custom/);
    assert.ok(!existsSync(store.modelDir(record.id)));
  });
});

describe("archlab.keepModels", () => {
  // Three runs of one architecture (accuracy rising with the learning rate here) and one of another.
  async function runs(keep: KeepModels) {
    const store = new RunStore(join(root, `keep-${keep}`));
    const ctx = context(store, keep);
    const best = await runArchitecture(ctx, net("Dense"), { ...config, learningRate: 0.01 });
    const worse = await runArchitecture(ctx, net("Dense"), { ...config, learningRate: 0.0003, epochs: 1 });
    const other = await runArchitecture(ctx, net("Wide", 32), config);
    const latest = await runArchitecture(ctx, net("Dense"), { ...config, learningRate: 0.0001, epochs: 1 });
    assert.ok(best.results!.testAccuracy > Math.max(worse.results!.testAccuracy, latest.results!.testAccuracy));
    const kept = async (r: RunRecord) =>
      Boolean((await store.get(r.id))?.savedModel) && existsSync(join(store.modelDir(r.id), "weights.bin"));
    return { best: await kept(best), worse: await kept(worse), other: await kept(other), latest: await kept(latest) };
  }

  test("best: per architecture, only the most accurate run keeps its model", async () => {
    assert.deepEqual(await runs("best"), { best: true, worse: false, other: true, latest: false });
  });
  test("latest: per architecture, only the newest run keeps its model", async () => {
    assert.deepEqual(await runs("latest"), { best: false, worse: false, other: true, latest: true });
  });
  test("all and none", async () => {
    assert.deepEqual(await runs("all"), { best: true, worse: true, other: true, latest: true });
    assert.deepEqual(await runs("none"), { best: false, worse: false, other: false, latest: false });
  });
  test("a failed (diverged) run keeps nothing", async () => {
    const store = new RunStore(join(root, "diverged"));
    const record = await runArchitecture(context(store, "all"), net("Dense"), {
      ...config,
      learningRate: 1e9,
      epochs: 3,
    });
    assert.equal(record.status, "failed");
    assert.equal(record.savedModel, undefined);
    assert.ok(!existsSync(store.modelDir(record.id)));
  });
});

describe("deleting", () => {
  test("deleting a run deletes its model; deleting a run's model keeps the record", async () => {
    const store = new RunStore(join(root, "delete"));
    const ctx = context(store, "all");
    const a = await runArchitecture(ctx, net("Dense"), config);
    const b = await runArchitecture(ctx, net("Dense"), config);
    await store.delete(a.id);
    assert.ok(!existsSync(store.modelDir(a.id)));
    const kept = await store.deleteSavedModel(b.id);
    assert.ok(!existsSync(store.modelDir(b.id)));
    assert.equal(kept?.savedModel, undefined);
    assert.equal((await store.get(b.id))?.status, "completed");
    await assert.rejects(
      loadSavedModel(tf, store, (await store.get(b.id))!),
      /has no saved model: its trained model was not kept/,
    );
  });
});

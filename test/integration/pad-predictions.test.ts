// The drawing pad's pipeline against real MNIST digits and a real trained model: a test image drawn
// back at pad size and preprocessed is what the dataset holds, and the model classifies it as the
// original; the trainer child's prediction server answers from the saved model.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { initBackend } from "../../src/engine/backend";
import { loadDataset, type Split } from "../../src/engine/datasets";
import { RunStore } from "../../src/engine/runs/store";
import { savedModelDir } from "../../src/engine/saved/files";
import { loadSavedModel } from "../../src/engine/saved/load";
import { predictImages } from "../../src/engine/saved/predict";
import type { Tf } from "../../src/engine/tf";
import { runJob } from "../../src/engine/train";
import type { RunRecord } from "../../src/engine/types";
import { preprocess, type GreyImage } from "../../src/shared/preprocess";
import { Predictor } from "../../src/extension/predict/predictor";
import { PredictionServer } from "../../src/trainer/predictions";
import { ensureBuilt, REPO } from "./helpers/build";

const COUNT = 300;
const SCALE = 10;

let root: string;
let tf: Tf;
let test_: Split;
let record: RunRecord;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "archlab-pad-"));
  ({ tf } = await initBackend("auto", { threads: 1 }));
  test_ = (await loadDataset("mnist")).test;
  [record] = await runJob({
    file: join(REPO, "examples/mnist.model.ts"),
    models: ["CNN"],
    overrides: { limit: 6000, epochs: 1, testLimit: 1000 },
    threads: 1,
    storeRoot: root,
    keepModels: "all",
  });
  assert.equal(record.status, "completed");
});
after(() => rm(root, { recursive: true, force: true }));

const original = (i: number) => test_.images.slice(i * 784, (i + 1) * 784);

/** A test image as a user would draw it on the 280x280 pad: ten times larger, smooth edges. */
function drawnAtPadSize(i: number): GreyImage {
  const size = 28 * SCALE;
  const pixels = new Float32Array(size * size);
  const image = original(i);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Bilinear: the pad's anti-aliased strokes, not blocky pixels.
      const [fx, fy] = [(x + 0.5) / SCALE - 0.5, (y + 0.5) / SCALE - 0.5];
      const [x0, y0] = [Math.floor(fx), Math.floor(fy)];
      const at = (px: number, py: number) => (px < 0 || py < 0 || px > 27 || py > 27 ? 0 : image[py * 28 + px]);
      const [dx, dy] = [fx - x0, fy - y0];
      pixels[y * size + x] =
        at(x0, y0) * (1 - dx) * (1 - dy) +
        at(x0 + 1, y0) * dx * (1 - dy) +
        at(x0, y0 + 1) * (1 - dx) * dy +
        at(x0 + 1, y0 + 1) * dx * dy;
    }
  }
  return { width: size, height: size, pixels };
}

describe("the drawing pad on MNIST", () => {
  test("MNIST's own test images are a fixed point of the preprocessing: their ink fills 20 pixels, centred by mass", () => {
    for (let i = 0; i < COUNT; i++) {
      assert.deepEqual(
        preprocess({ width: 28, height: 28, pixels: original(i) }, 28, "mnist"),
        original(i),
        `test image ${i}`,
      );
    }
  });

  test("a test image drawn back at pad size comes out of the preprocessing close to the original", () => {
    let total = 0;
    for (let i = 0; i < COUNT; i++) {
      const back = preprocess(drawnAtPadSize(i), 28, "mnist");
      const a = original(i);
      let diff = 0;
      for (let p = 0; p < 784; p++) diff += Math.abs(back[p] - a[p]);
      total += diff / a.reduce((s, v) => s + v, 0);
    }
    // Relative to the ink: resampling twice blurs edges a little, a shift by a pixel would be ~100%.
    assert.ok(total / COUNT < 0.35, `mean difference ${(total / COUNT).toFixed(3)} of the ink`);
  });

  test("and the trained model classifies it as it classifies the original", async () => {
    const store = new RunStore(root);
    const model = await loadSavedModel(tf, store, record);
    const indices = Array.from({ length: COUNT }, (_, i) => i);
    const fromDataset = await predictImages(tf, model, indices.map(original), [28, 28, 1], false);
    const fromPad = await predictImages(
      tf,
      model,
      indices.map((i) => preprocess(drawnAtPadSize(i), 28, "mnist")),
      [28, 28, 1],
      false,
    );
    model.dispose();
    const same = indices.filter((i) => fromDataset[i].top[0].label === fromPad[i].top[0].label).length;
    const right = (predictions: typeof fromPad) =>
      indices.filter((i) => predictions[i].top[0].label === test_.labels[i]).length;
    // A model trained for one short epoch: the few it changes its mind on are its borderline cases.
    assert.ok(same / COUNT >= 0.9, `${same} of ${COUNT} the same`);
    assert.ok(
      right(fromPad) >= right(fromDataset) - 0.05 * COUNT,
      `${right(fromPad)} right from the pad, ${right(fromDataset)} from the dataset, of ${COUNT}`,
    );
    process.stdout.write(
      `# same prediction for ${same} of ${COUNT}; right: ${right(fromPad)} from the pad, ${right(fromDataset)} from the dataset\n`,
    );
  });

  test("the extension's predictor gets them from a trainer child, which keeps the model loaded between strokes", async () => {
    ensureBuilt();
    const predictor = new Predictor(
      { trainerPath: join(REPO, "dist/trainer.js"), cwd: root, stopTimeoutMs: 5000, storeRoot: root },
      () => undefined,
    );
    try {
      const pixels = Array.from(original(1));
      const [first] = await predictor.predict([record], pixels);
      const started = performance.now();
      const [again] = await predictor.predict([record], pixels);
      const ms = performance.now() - started;
      assert.equal(first.top![0].label, test_.labels[1]);
      assert.deepEqual(again.top, first.top);
      assert.ok(ms < 1000, `a second prediction took ${ms.toFixed(0)} ms`);
      process.stdout.write(`# first prediction (child start, model load) then ${ms.toFixed(1)} ms per stroke\n`);
      const [none] = await predictor.predict([{ ...record, id: "no-model", savedModel: undefined }], pixels);
      assert.deepEqual(none, { runId: "no-model", error: "This run has no saved model." });
    } finally {
      predictor.dispose();
    }
  });

  test("the prediction server answers with the saved model's probabilities, and names bad input", async () => {
    const server = new PredictionServer();
    const dir = savedModelDir(new RunStore(root), record);
    const model = {
      runId: record.id,
      model: "CNN",
      dir,
      sha256: record.savedModel!.sha256,
      inputShape: [28, 28, 1],
      outputsProbabilities: false,
    };
    const [answer] = await server.predict([model], Array.from(original(0)));
    const expected = await (async () => {
      const loaded = await loadSavedModel(tf, new RunStore(root), record);
      const [p] = await predictImages(tf, loaded, [original(0)], [28, 28, 1], false);
      loaded.dispose();
      return p.top.slice(0, 5);
    })();
    assert.deepEqual(answer.top, expected);
    assert.equal(answer.top[0].label, test_.labels[0]);
    assert.ok(Math.abs(expected.reduce((s, t) => s + t.probability, 0) - 1) < 0.1);
    const [wrongSize] = await server.predict([model], [0.5, 0.5]);
    assert.equal(wrongSize.error, "CNN takes 28x28x1 images, not 2 values");
    await writeFile(join(dir, "weights.bin"), Buffer.alloc(16));
    const [changed] = await server.predict(
      [{ ...model, runId: "other", sha256: "b".repeat(64) }],
      Array.from(original(0)),
    );
    assert.match(changed.error ?? "", /do not match its record/);
  });
});

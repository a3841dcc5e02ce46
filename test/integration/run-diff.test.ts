// What changed between two runs: the architecture diff of real summaries (StrongCNN against a copy
// with one layer changed and one added, a residual net against itself), and the misclassified-set
// diff of two runs recorded by `archlab train`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { TrainJson } from "../../src/cli/train";
import type { InspectReport } from "../../src/engine/models";
import type { ModelSummary, RunRecord } from "../../src/engine/types";
import { diffArchitectures, headlineDeltas, misclassifiedDiff } from "../../webview/diff/runDiff";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");

let cwd: string;
before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-diff-"));
});
after(() => rm(cwd, { recursive: true, force: true }));

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const summaryOf = (file: string, model: string): ModelSummary => {
  const summary = (JSON.parse(archlab("inspect", file, "--json")) as InspectReport).models.find(
    (m) => m.name === model,
  )?.summary;
  assert.ok(summary);
  return summary;
};

describe("architecture diff", () => {
  it("aligns StrongCNN with a copy that widens one convolution and adds a Dense layer", async () => {
    const source = await readFile(EXAMPLE, "utf8");
    const edited = source
      .replace("      conv(64),\n      conv(64),", "      conv(64),\n      conv(96),")
      .replace(
        "tf.layers.dense({ units: 128, activation: 'relu' }),",
        "tf.layers.dense({ units: 128, activation: 'relu' }),\n      tf.layers.dense({ units: 64, activation: 'relu' }),",
      );
    assert.notEqual(edited, source);
    const file = join(cwd, "edited.model.ts");
    await writeFile(file, edited);
    const before = summaryOf(EXAMPLE, "StrongCNN");
    const after = summaryOf(file, "StrongCNN");
    const rows = diffArchitectures(before, after);
    const kinds = rows.map((r) => r.kind);
    assert.equal(kinds.filter((k) => k === "removed").length, 0);
    const added = rows.filter((r) => r.kind === "added");
    assert.equal(added.length, 1);
    assert.equal(added[0].after?.type, "Dense");
    assert.equal(added[0].dParams, 128 * 64 + 64);
    const changed = rows.filter((r) => r.kind === "changed");
    // The widened convolution, and the layers whose shapes or weights follow from it.
    const conv = changed.find((r) => r.after?.type === "Conv2D")!;
    assert.deepEqual(conv.changes, ["filters 64 → 96", "output 14×14×64 → 14×14×96"]);
    assert.equal(conv.dParams, 64 * 9 * 96 + 96 - (64 * 9 * 64 + 64));
    assert.equal(conv.dMacs, 14 * 14 * 9 * 64 * 32);
    const firstDense = changed.find((r) => r.after?.type === "Dense")!;
    assert.equal(firstDense.dParams, 7 * 7 * 32 * 128, "the Flatten is 32 values wider per position");
    assert.deepEqual(firstDense.changes, ["input 3136 → 4704"]);
    const last = rows[rows.length - 1];
    assert.equal(last.kind, "changed", "the logits layer now reads 64 inputs instead of 128");
    assert.equal(last.dParams, 64 * 10 + 10 - (128 * 10 + 10));
    assert.equal(
      rows.reduce((s, r) => s + r.dParams, 0),
      after.params.total - before.params.total,
      "the rows add up to the total",
    );
    assert.ok(rows.filter((r) => r.kind === "same").every((r) => r.changes.length === 0 && r.dParams === 0));
  });

  it("finds nothing changed between a residual net and itself, and a removed layer when one goes", () => {
    const resnet = summaryOf(join(REPO, "test/fixtures/models/residual.model.ts"), "ResNet");
    assert.ok(diffArchitectures(resnet, resnet).every((r) => r.kind === "same"));
    const without = { ...resnet, layers: resnet.layers.filter((l) => l.type !== "MaxPooling2D") };
    const rows = diffArchitectures(resnet, without);
    assert.deepEqual(
      rows.filter((r) => r.kind !== "same").map((r) => [r.kind, r.before?.type]),
      [["removed", "MaxPooling2D"]],
    );
  });
});

describe("misclassified diff of two recorded runs", () => {
  let a: RunRecord;
  let b: RunRecord;
  before(async () => {
    const runsDir = join(cwd, "runs");
    // Two small architectures that differ in one layer's width: seconds to train on any backend.
    const file = join(cwd, "pair.model.ts");
    const mlp = (name: string, units: number) =>
      `export function ${name}() {\n  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: ${units}, activation: 'relu' }), tf.layers.dense({ units: 10 })] });\n}\n`;
    await writeFile(file, `import * as tf from '@tensorflow/tfjs';\n${mlp("Narrow", 8)}${mlp("Wide", 32)}`);
    const train = (model: string) => {
      const out = JSON.parse(
        archlab(
          "train",
          file,
          "--model",
          model,
          "--limit",
          "600",
          "--test-limit",
          "300",
          "--epochs",
          "1",
          "--runs-dir",
          runsDir,
          "--json",
        ),
      ) as TrainJson;
      return readFile(join(runsDir, `${out.runs[0].id}.json`), "utf8").then((t) => JSON.parse(t) as RunRecord);
    };
    a = await train("Narrow");
    b = await train("Wide");
  });

  it("names the images the second run fixed and broke, with both predictions", () => {
    const outcome = misclassifiedDiff(a, b);
    assert.ok("diff" in outcome, "reason" in outcome ? outcome.reason : "");
    const { fixed, broken, bothWrong, confusionDelta } = outcome.diff;
    const wrongA = new Map(a.results!.misclassified.map(([i, t, p]) => [i, [t, p]]));
    const wrongB = new Map(b.results!.misclassified.map(([i, t, p]) => [i, [t, p]]));
    assert.equal(fixed.length + bothWrong, wrongA.size);
    assert.equal(broken.length + bothWrong, wrongB.size);
    assert.ok(fixed.length + broken.length > 0, "two different widths disagree somewhere");
    for (const f of fixed) {
      assert.ok(!wrongB.has(f.index));
      assert.deepEqual([f.truth, f.before, f.after], [wrongA.get(f.index)![0], wrongA.get(f.index)![1], f.truth]);
    }
    for (const x of broken) assert.deepEqual([x.truth, x.after], wrongB.get(x.index));
    // Same test images: every true class has as many images in both matrices.
    assert.ok(confusionDelta.every((row) => row.reduce((s, n) => s + n, 0) === 0));
    const diagonal = confusionDelta.reduce((s, row, i) => s + row[i], 0);
    assert.equal(diagonal, fixed.length - broken.length, "the diagonal gains what was fixed and loses what broke");
    const deltas = headlineDeltas(a, b);
    assert.ok(Math.abs(deltas.testAccuracy! - (b.results!.testAccuracy - a.results!.testAccuracy) * 100) < 1e-9);
    assert.equal(deltas.params, 784 * 32 + 32 + 32 * 10 + 10 - (784 * 8 + 8 + 8 * 10 + 10));
    const [changed] = diffArchitectures(a.summary!, b.summary!).filter((r) => r.kind !== "same");
    assert.deepEqual(changed.changes, ["units 8 → 32", "output 8 → 32"]);
  });

  it("refuses runs tested on different images, saying so", () => {
    const other = { ...b, results: { ...b.results!, testExamples: 200 } };
    const outcome = misclassifiedDiff(a, other);
    assert.ok("reason" in outcome);
    assert.match(outcome.reason, /different images/);
  });
});

// Architectures that take an hp object: they load, build with their defaults outside a sweep,
// build a trial's variant with its values, and inspection says which can be swept.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { inspectModelFile, loadModelFile } from "../../src/engine/models";
import { fixedPicker, HyperparameterSet } from "../../src/engine/sweep/hp";
import { engineTf } from "../../src/engine/tf";

const tf = engineTf();
let dir: string;
let file: string;

before(async () => {
  await tf.setBackend("cpu");
  dir = await mkdtemp(path.join(tmpdir(), "archlab-hp-"));
  file = path.join(dir, "hp.model.ts");
  await writeFile(
    file,
    [
      "import * as tf from '@tensorflow/tfjs';",
      "export function Net(hp: Hyperparameters) {",
      "  const units = hp.int('units', 4, 16, { step: 4 });",
      "  const layers = [tf.layers.dense({ inputShape: [3], units, activation: 'relu' })];",
      "  if (hp.bool('second')) layers.push(tf.layers.dense({ units: hp.choice('units2', [2, 5]) }));",
      "  return tf.sequential({ layers });",
      "}",
      "export function Plain() { return tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] }); }",
      "export function dense(n: number) { return tf.layers.dense({ units: n }); }",
      "export function Broken(hp: Hyperparameters) { hp.int('x', 1, 2); throw new Error('no layers yet'); }",
      'export const sweep = { Net: { method: "grid" } };',
    ].join("\n"),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

it("an hp architecture builds with its defaults, or with a trial values", async () => {
  const loaded = await loadModelFile(file, tf);
  assert.deepEqual(
    loaded.architectures.map((a) => [a.name, a.takesHyperparameters]),
    [
      ["Net", true],
      ["Plain", false],
      ["Broken", true],
    ],
  );
  assert.deepEqual(loaded.skipped, [
    { name: "dense", reason: "takes 1 argument(s); an architecture takes none, or one hp object" },
  ]);
  const net = loaded.architectures[0];
  const byDefault = net.build();
  assert.equal(byDefault.countParams(), 3 * 4 + 4);
  byDefault.dispose();
  const variant = net.build(new HyperparameterSet(fixedPicker({ units: 16, second: true, units2: 5 })));
  assert.equal(variant.countParams(), 3 * 16 + 16 + 16 * 5 + 5);
  variant.dispose();
  assert.throws(
    () => loaded.architectures[2].build(),
    /hp\.model\.ts:10:\d+: model Broken failed to build: no layers yet/,
  );
});

it("inspection gives an hp architecture its default values and says whether it has a sweep spec", async () => {
  const report = await inspectModelFile(file, tf);
  const [net, plain, broken] = report.models;
  assert.deepEqual(net.hyperparameters, { units: 4, second: false });
  assert.equal(net.sweepable, true);
  assert.equal(plain.hyperparameters, undefined);
  assert.equal(plain.sweepable, undefined);
  assert.equal(broken.sweepable, false);
  assert.match(broken.error!.message, /no layers yet/);
});

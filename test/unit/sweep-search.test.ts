// Search spaces: the hp object, grid order, random draws reproducible from the seed, bounds, log
// scales and steps, and spaces that change between trials.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultValue, fixedPicker, HyperparameterSet, type Picker } from "../../src/engine/sweep/hp";
import { planTrials, type Probe } from "../../src/engine/sweep/search";
import { gridValues, sampleValue } from "../../src/engine/sweep/space";
import type { SweepSpec, TrialParams } from "../../src/engine/sweep/types";
import { seededRandom } from "../../src/engine/train/data";

const spec = (over: Partial<SweepSpec>): SweepSpec => ({
  method: "random",
  trials: 10,
  metric: "testAccuracy",
  goal: "max",
  epochs: 3,
  seed: 0,
  reduction: 3,
  parameters: {},
  ...over,
});

/** An "architecture" that only declares its space, as a model factory does before building layers. */
function probeOf(space: (hp: HyperparameterSet) => void): Probe {
  return (pick: Picker) => {
    const hp = new HyperparameterSet(pick);
    space(hp);
    return { declared: hp.declared, values: hp.values };
  };
}

// Blocks decide how many filter choices exist: filters_1 only with two blocks or more.
const conditional = probeOf((hp) => {
  const blocks = hp.int("blocks", 1, 2);
  for (let i = 0; i < blocks; i++) hp.choice(`filters_${i}`, [4, 8]);
});

describe("the hp object", () => {
  it("builds with defaults outside a sweep: default, first choice, minimum, false", () => {
    const hp = new HyperparameterSet();
    assert.equal(hp.choice("filters", [8, 16]), 8);
    assert.equal(hp.int("blocks", 1, 3), 1);
    assert.equal(hp.float("dropout", 0.1, 0.5), 0.1);
    assert.equal(hp.bool("batchNorm"), false);
    assert.equal(hp.int("units", 16, 128, { step: 16, default: 64 }), 64);
    assert.deepEqual(Object.keys(hp.values), ["filters", "blocks", "dropout", "batchNorm", "units"]);
  });

  it("refuses a name used twice and bad bounds, naming the call", () => {
    const hp = new HyperparameterSet();
    hp.int("units", 1, 4);
    assert.throws(() => hp.int("units", 1, 4), /hp name 'units' is used twice: names are unique per architecture/);
    assert.throws(() => hp.int("a", 1.5, 4), /hp\.int\('a'\): min must be an integer, got 1\.5/);
    assert.throws(() => hp.float("lr", 0, 1, { log: true }), /hp\.float\('lr'\): a log scale needs min greater than 0/);
    assert.throws(() => hp.choice("act", []), /hp\.choice\('act'\): values must be a non-empty array/);
    assert.throws(() => hp.choice("act", ["relu"], { default: "tanh" }), /default 'tanh' is not one of the values/);
    assert.throws(() => hp.int("b", 5, 2), /min \(5\) is greater than max \(2\)/);
  });

  it("a trial picks its own values and falls back to defaults for names it does not have", () => {
    const hp = new HyperparameterSet(fixedPicker({ filters: 16 }));
    assert.equal(hp.choice("filters", [8, 16]), 16);
    assert.equal(hp.int("blocks", 2, 3), 2);
  });
});

describe("space values", () => {
  it("int and float draws stay in bounds and on their steps; log draws spread over decades", () => {
    const random = seededRandom(7);
    const ints = Array.from(
      { length: 500 },
      () => sampleValue({ kind: "int", min: 16, max: 128, step: 16 }, random) as number,
    );
    assert.ok(ints.every((v) => v >= 16 && v <= 128 && v % 16 === 0));
    assert.deepEqual(
      [...new Set(ints)].sort((a, b) => a - b),
      [16, 32, 48, 64, 80, 96, 112, 128],
    );
    const stepped = Array.from(
      { length: 300 },
      () => sampleValue({ kind: "float", min: 0, max: 0.5, step: 0.1 }, random) as number,
    );
    assert.deepEqual([...new Set(stepped)].sort(), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const logs = Array.from(
      { length: 2000 },
      () => sampleValue({ kind: "float", min: 1e-4, max: 1e-2, log: true }, random) as number,
    );
    assert.ok(logs.every((v) => v >= 1e-4 && v <= 1e-2));
    const belowMillesimal = logs.filter((v) => v < 1e-3).length / logs.length;
    // Log-uniform: half the draws in each decade (uniform would put 9% below 1e-3).
    assert.ok(belowMillesimal > 0.4 && belowMillesimal < 0.6, String(belowMillesimal));
  });

  it("grid values enumerate a range; a float range without a step is refused with its name", () => {
    assert.deepEqual(gridValues("units", { kind: "int", min: 16, max: 64, step: 16 }), [16, 32, 48, 64]);
    assert.deepEqual(gridValues("dropout", { kind: "float", min: 0, max: 0.3, step: 0.1 }), [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(gridValues("bn", { kind: "bool" }), [false, true]);
    assert.throws(
      () => gridValues("hp 'dropout'", { kind: "float", min: 0, max: 0.5 }),
      /hp 'dropout': a grid needs a step/,
    );
    assert.equal(defaultValue({ kind: "choice", values: ["a", "b"] }), "a");
  });
});

describe("planning trials", () => {
  it("a grid runs every point in order, the first name slowest, training parameters first", () => {
    const probe = probeOf((hp) => {
      hp.choice("filters", [4, 8]);
      hp.bool("dense");
    });
    const trials = planTrials(
      spec({ method: "grid", trials: undefined, parameters: { batchSize: { kind: "choice", values: [32, 64] } } }),
      probe,
    );
    assert.deepEqual(trials, [
      { batchSize: 32, filters: 4, dense: false },
      { batchSize: 32, filters: 4, dense: true },
      { batchSize: 32, filters: 8, dense: false },
      { batchSize: 32, filters: 8, dense: true },
      { batchSize: 64, filters: 4, dense: false },
      { batchSize: 64, filters: 4, dense: true },
      { batchSize: 64, filters: 8, dense: false },
      { batchSize: 64, filters: 8, dense: true },
    ]);
  });

  it("a grid over a conditional space has exactly the points the code declares", () => {
    const trials = planTrials(spec({ method: "grid", trials: undefined }), conditional);
    assert.deepEqual(trials, [
      { blocks: 1, filters_0: 4 },
      { blocks: 1, filters_0: 8 },
      { blocks: 2, filters_0: 4, filters_1: 4 },
      { blocks: 2, filters_0: 4, filters_1: 8 },
      { blocks: 2, filters_0: 8, filters_1: 4 },
      { blocks: 2, filters_0: 8, filters_1: 8 },
    ]);
  });

  it("random draws are the same for the same seed, differ for another, and follow the conditional space", () => {
    const space = probeOf((hp) => {
      const blocks = hp.int("blocks", 1, 3);
      for (let i = 0; i < blocks; i++) hp.int(`units_${i}`, 8, 64, { step: 8 });
      hp.float("dropout", 0, 0.5);
    });
    const parameters = { learningRate: { kind: "float" as const, min: 1e-4, max: 1e-2, log: true } };
    const a = planTrials(spec({ seed: 3, trials: 12, parameters }), space);
    const b = planTrials(spec({ seed: 3, trials: 12, parameters }), space);
    const c = planTrials(spec({ seed: 4, trials: 12, parameters }), space);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(a.length, 12);
    for (const t of a) {
      const blocks = t.blocks as number;
      const units = Object.keys(t).filter((k) => k.startsWith("units_"));
      assert.equal(units.length, blocks, JSON.stringify(t));
      assert.ok((t.learningRate as number) >= 1e-4 && (t.learningRate as number) <= 1e-2);
    }
    assert.ok(new Set(a.map((t) => t.blocks)).size > 1, "the draws cover more than one block count");
  });

  it("random draws avoid repeating a trial while the space has points left", () => {
    const trials = planTrials(spec({ trials: 6 }), conditional);
    const keys = trials.map((t: TrialParams) => JSON.stringify(t));
    assert.equal(new Set(keys).size, 6);
  });

  it("an hp name that is also a training parameter is refused", () => {
    const probe = probeOf((hp) => void hp.choice("batchSize", [8, 16]));
    assert.throws(
      () => planTrials(spec({ parameters: { batchSize: { kind: "choice", values: [32] } } }), probe),
      /hp name 'batchSize' is also a training parameter/,
    );
  });
});

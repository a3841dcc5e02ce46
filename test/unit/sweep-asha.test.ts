// ASHA on synthetic learning curves, the Pareto answer, and sweep spec validation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Asha, ashaRungs } from "../../src/engine/sweep/asha";
import { paretoAnswer, paretoFront } from "../../src/engine/sweep/pareto";
import { checkSweepSpec, withOverrides } from "../../src/engine/sweep/spec";
import type { SweepTrial } from "../../src/engine/sweep/types";
import { DEFAULT_TRAINING } from "../../src/engine/types";

describe("ASHA", () => {
  it("has rungs at 1, 3, 9... below the full budget", () => {
    assert.deepEqual(ashaRungs({ epochs: 9, reduction: 3 }), [1, 3]);
    assert.deepEqual(ashaRungs({ epochs: 27, reduction: 3 }), [1, 3, 9]);
    assert.deepEqual(ashaRungs({ epochs: 10, reduction: 2 }), [1, 2, 4, 8]);
    assert.deepEqual(ashaRungs({ epochs: 1, reduction: 3 }), []);
  });

  it("keeps the top third at a rung and prunes the rest, deciding as trials arrive", () => {
    // Trial i's accuracy after an epoch: a curve with its own ceiling, so better trials stay better.
    const curve = (ceiling: number, epoch: number) => ceiling * (1 - Math.exp(-epoch));
    const ceilings = [0.9, 0.5, 0.95, 0.6, 0.4, 0.99, 0.7, 0.3, 0.8];
    const asha = new Asha({ epochs: 9, reduction: 3, goal: "max" });
    const ran: number[] = [];
    const pruned: number[] = [];
    for (const [trial, ceiling] of ceilings.entries()) {
      let epoch = 1;
      for (; epoch <= 9; epoch++) {
        if (asha.report(trial, epoch, curve(ceiling, epoch)) === "prune") break;
      }
      ran.push(Math.min(epoch, 9));
      if (epoch <= 9) pruned.push(trial);
    }
    // In arrival order: the first trial always goes on; later ones go on only in the top third so far.
    assert.deepEqual(pruned, [1, 3, 4, 6, 7, 8]);
    assert.deepEqual(ran, [9, 1, 9, 1, 1, 9, 1, 1, 1]);
    const full = ceilings.map((_, i) => i).filter((i) => !pruned.includes(i));
    assert.deepEqual(full, [0, 2, 5], "the three best by their ceiling ran to the end");
  });

  it("minimises a loss and replaces the value of a trial run again", () => {
    const asha = new Asha({ epochs: 3, reduction: 3, goal: "min" });
    assert.equal(asha.report(0, 1, 0.5), "continue");
    assert.equal(asha.report(1, 1, 0.9), "prune");
    assert.equal(asha.report(1, 1, 0.1), "continue", "the restarted trial now leads its rung");
    assert.equal(asha.report(2, 2, 100), "continue", "epoch 2 is no rung");
  });
});

const trial = (n: number, value: number, params: number, status: SweepTrial["status"] = "completed"): SweepTrial => ({
  trial: n,
  params: {},
  runId: `r${n}`,
  status,
  value,
  paramsCount: params,
  macs: params * 10,
  learningTimeSec: params / 100,
});

describe("Pareto answer", () => {
  const trials = [
    trial(0, 0.981, 26_000),
    trial(1, 0.978, 4_266),
    trial(2, 0.96, 1_200),
    trial(3, 0.97, 9_000),
    trial(4, 0.99, 2_000, "pruned"),
    trial(5, 0.9825, 60_000),
  ];

  it("the front of accuracy against params leaves out dominated and unfinished trials", () => {
    assert.deepEqual(
      paretoFront(trials, "max").map((t) => t.trial),
      [2, 1, 0, 5],
    );
  });

  it("the answer is the smallest model within half a point of the best", () => {
    const answer = paretoAnswer(trials, "testAccuracy", "max")!;
    assert.equal(answer.best.trial, 5);
    assert.equal(answer.smallest.trial, 1, "97.8% is within 0.5 points of 98.25%; 97.0% is not");
  });

  it("for a loss, within half a percent of the lowest", () => {
    const losses = [trial(0, 0.1, 50_000), trial(1, 0.1004, 3_000), trial(2, 0.2, 100)];
    assert.equal(paretoAnswer(losses, "testLoss", "min")!.smallest.trial, 1);
    assert.equal(paretoAnswer([trial(0, 1, 1, "failed")], "testLoss", "min"), undefined);
  });
});

describe("sweep spec", () => {
  const check = (spec: unknown) => checkSweepSpec({ Net: spec }, "Net", DEFAULT_TRAINING);

  it("fills defaults", () => {
    assert.deepEqual(check({}), {
      method: "random",
      trials: 10,
      metric: "testAccuracy",
      goal: "max",
      epochs: 5,
      seed: 0,
      reduction: 3,
      parameters: {},
    });
    assert.equal(check({ metric: "testLoss" }).goal, "min");
    assert.equal(check({ method: "grid" }).trials, undefined);
  });

  it("reads training parameter ranges and lists", () => {
    const spec = check({
      method: "asha",
      trials: 24,
      epochs: 9,
      parameters: { learningRate: { min: 1e-4, max: 1e-2, log: true }, batchSize: [32, 64, 128] },
    });
    assert.deepEqual(spec.parameters, {
      learningRate: { kind: "float", min: 1e-4, max: 1e-2, log: true, step: undefined },
      batchSize: { kind: "choice", values: [32, 64, 128] },
    });
  });

  it("names the bad field", () => {
    assert.throws(
      () => check({ method: "bayes" }),
      /sweep\.Net\.method must be one of grid, random, asha, got "bayes"/,
    );
    assert.throws(() => check({ trials: 0 }), /sweep\.Net\.trials must be a positive integer, got 0/);
    assert.throws(() => check({ metrik: "x" }), /sweep\.Net\.metrik is not a sweep field/);
    assert.throws(() => check({ metric: "f1" }), /sweep\.Net\.metric must be one of testAccuracy/);
    assert.throws(
      () => check({ parameters: { batchSize: [32, 0] } }),
      /sweep\.Net\.parameters\.batchSize\[1\] must be a positive integer, got 0/,
    );
    assert.throws(
      () => check({ parameters: { momentum: [0.9] } }),
      /sweep\.Net\.parameters\.momentum is not a training parameter/,
    );
    assert.throws(
      () => check({ parameters: { optimizer: ["adam", "lion"] } }),
      /parameters\.optimizer\[1\] must be one of adam/,
    );
    assert.throws(
      () => check({ parameters: { learningRate: { min: 0.1, max: 0.01 } } }),
      /learningRate\.min \(0\.1\) is greater than/,
    );
    assert.throws(
      () => check({ method: "asha", metric: "params" }),
      /sweep\.Net\.metric: asha compares trials after epochs/,
    );
    assert.throws(
      () => check({ method: "asha", parameters: { epochs: [1, 2] } }),
      /parameters\.epochs: asha decides how many epochs/,
    );
    assert.throws(() => checkSweepSpec({ Other: {} }, "Net", DEFAULT_TRAINING), /no spec for Net/);
  });

  it("command-line choices override the file and are checked", () => {
    const spec = withOverrides(check({ method: "grid" }), { method: "random", trials: 3 }, "Net");
    assert.equal(spec.method, "random");
    assert.equal(spec.trials, 3);
    assert.throws(() => withOverrides(spec, { method: "bohb" }, "Net"), /--method must be one of/);
  });
});

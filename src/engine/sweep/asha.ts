// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
// Tuning", 2020), in its stopping form: rungs at min·r^k epochs; a trial reaching a rung goes on
// only while it is in the top 1/r of the trials that reached that rung so far. No trial waits for
// another, so trials on several machines never idle.
import type { EpochMetrics } from "../types";
import type { SweepGoal, SweepMetric, SweepSpec } from "./types";

export type Decision = "continue" | "prune";

/** Epochs after which a trial is compared: 1, r, r^2... below the full budget. */
export function ashaRungs(spec: Pick<SweepSpec, "epochs" | "reduction">, minEpochs = 1): number[] {
  const rungs: number[] = [];
  for (let epochs = minEpochs; epochs < spec.epochs; epochs *= spec.reduction) rungs.push(epochs);
  return rungs;
}

export class Asha {
  private readonly results = new Map<number, Map<number, number>>();
  readonly rungs: number[];

  constructor(
    private readonly spec: Pick<SweepSpec, "epochs" | "reduction" | "goal">,
    minEpochs = 1,
  ) {
    this.rungs = ashaRungs(spec, minEpochs);
  }

  isRung(epoch: number): boolean {
    return this.rungs.includes(epoch);
  }

  /** Records the trial's value at the rung and says whether it goes on. A trial run again replaces its value. */
  report(trial: number, epoch: number, value: number): Decision {
    if (!this.isRung(epoch)) return "continue";
    let rung = this.results.get(epoch);
    if (!rung) this.results.set(epoch, (rung = new Map<number, number>()));
    rung.set(trial, value);
    const kept = Math.ceil(rung.size / this.spec.reduction);
    const better = [...rung.values()].filter((v) => isBetter(v, value, this.spec.goal)).length;
    return better < kept ? "continue" : "prune";
  }
}

function isBetter(a: number, b: number, goal: SweepGoal): boolean {
  if (Number.isNaN(b)) return !Number.isNaN(a);
  return goal === "max" ? a > b : a < b;
}

/** The metric as known after an epoch: validation accuracy or loss, or learning time so far. */
export function epochValue(metric: SweepMetric, epochs: EpochMetrics[]): number | undefined {
  const last = epochs[epochs.length - 1];
  if (!last) return undefined;
  switch (metric) {
    case "testAccuracy":
      return last.valAcc;
    case "testLoss":
      return last.valLoss;
    case "learningTimeSec":
      return epochs.reduce((sum, e) => sum + e.seconds, 0);
    case "params":
    case "macs":
      return undefined;
  }
}

// The multi-objective answer of a sweep: the trials no other trial beats on both the metric and a
// cost (params, MACs, learning time), and the smallest model within half a point of the best.
import type { SweepGoal, SweepMetric, SweepTrial } from "./types";

export type Cost = "paramsCount" | "macs" | "learningTimeSec";

/** Half a percentage point of accuracy; for other metrics, half a percent of the best value. */
export function tolerance(metric: SweepMetric, best: number): number {
  return metric === "testAccuracy" ? 0.005 : Math.abs(best) * 0.005;
}

function finished(trials: SweepTrial[], cost: Cost): (SweepTrial & { value: number })[] {
  return trials.filter(
    (t): t is SweepTrial & { value: number } =>
      t.status === "completed" && Number.isFinite(t.value) && t[cost] !== undefined,
  );
}

const better = (goal: SweepGoal) => (a: number, b: number) => (goal === "max" ? a > b : a < b);

/** Completed trials on the front of metric against cost, cheapest first. */
export function paretoFront(trials: SweepTrial[], goal: SweepGoal, cost: Cost = "paramsCount"): SweepTrial[] {
  const beats = better(goal);
  const sorted = finished(trials, cost).sort((a, b) => a[cost]! - b[cost]! || (beats(a.value, b.value) ? -1 : 1));
  const front: SweepTrial[] = [];
  let bestSoFar: number | undefined;
  for (const trial of sorted) {
    if (bestSoFar === undefined || beats(trial.value, bestSoFar)) {
      front.push(trial);
      bestSoFar = trial.value;
    }
  }
  return front;
}

/** The best completed trial by the metric (fewer params breaks ties). */
export function bestTrial(trials: SweepTrial[], goal: SweepGoal): SweepTrial | undefined {
  const beats = better(goal);
  return finished(trials, "paramsCount").reduce<SweepTrial | undefined>((best, t) => {
    if (!best) return t;
    if (beats(t.value, best.value!)) return t;
    return t.value === best.value && t.paramsCount! < best.paramsCount! ? t : best;
  }, undefined);
}

export interface ParetoAnswer {
  best: SweepTrial;
  /** The smallest model whose metric is within `tolerance` of the best. */
  smallest: SweepTrial;
  tolerance: number;
}

export function paretoAnswer(trials: SweepTrial[], metric: SweepMetric, goal: SweepGoal): ParetoAnswer | undefined {
  const best = bestTrial(trials, goal);
  if (!best) return undefined;
  const margin = tolerance(metric, best.value!);
  const close = finished(trials, "paramsCount").filter((t) => Math.abs(t.value - best.value!) <= margin + 1e-12);
  const smallest = close.reduce((a, b) =>
    b.paramsCount! < a.paramsCount! || (b.paramsCount === a.paramsCount && better(goal)(b.value, a.value)) ? b : a,
  );
  return { best, smallest, tolerance: margin };
}

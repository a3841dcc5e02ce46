// What the sweep view draws, from a sweep record: one axis per hyperparameter the trials drew
// (numeric, or categorical for choices of strings and booleans), the trials as points of the
// metric against each, pruned trials at the value of their last rung, and the best trial marked.
import type { SweepRecord, SweepTrial } from "../../src/engine/sweep/types";
import type { ParamValue } from "../../src/engine/types";

export interface ParamAxis {
  name: string;
  kind: "numeric" | "categorical";
  /** Numeric axes spanning two decades or more, or declared `log`, read on a log scale. */
  log: boolean;
  /** Categorical axes: the values in the order they first appear. */
  categories: string[];
}

export interface TrialPoint {
  /** The value on the axis: the number itself, or the category's index. */
  x: number;
  /** The sweep's metric, in the unit the chart shows (accuracy in %). */
  y: number;
  trial: SweepTrial;
  /** Absent when the trial's value is what it had at its last rung (pruned). */
  final: boolean;
  best: boolean;
}

export const hasValue = (t: SweepTrial): t is SweepTrial & { value: number } =>
  typeof t.value === "number" && Number.isFinite(t.value);

export function paramAxes(sweep: SweepRecord): ParamAxis[] {
  const values = new Map<string, ParamValue[]>();
  for (const trial of sweep.trials) {
    for (const [name, value] of Object.entries(trial.params)) values.set(name, [...(values.get(name) ?? []), value]);
  }
  return [...values].map(([name, seen]) => {
    const numeric = seen.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!numeric) return { name, kind: "categorical", log: false, categories: [...new Set(seen.map(String))] };
    const numbers = seen as number[];
    const declared = sweep.spec.parameters[name];
    const declaredLog = declared && "log" in declared && declared.log === true;
    const positive = numbers.every((v) => v > 0);
    const wide = positive && Math.max(...numbers) / Math.min(...numbers) >= 100;
    return { name, kind: "numeric", log: positive && (declaredLog || wide), categories: [] };
  });
}

/** The metric as the chart reads it: accuracy as a percentage, everything else as recorded. */
export function shownValue(sweep: SweepRecord, value: number): number {
  return sweep.spec.metric === "testAccuracy" ? value * 100 : value;
}

export function trialPoints(sweep: SweepRecord, axis: ParamAxis): TrialPoint[] {
  const best = sweep.best?.trial;
  return sweep.trials.filter(hasValue).flatMap((trial) => {
    if (!Object.hasOwn(trial.params, axis.name)) return [];
    const value = trial.params[axis.name];
    const x = axis.kind === "numeric" ? (value as number) : axis.categories.indexOf(String(value));
    return [
      { x, y: shownValue(sweep, trial.value), trial, final: trial.status === "completed", best: trial.trial === best },
    ];
  });
}

// The `sweep` export of a model file: one spec per architecture. Checked when a sweep starts, so a
// bad spec never keeps the file's architectures from training; every problem names its field.
import { checkTrainingExport } from "../models/training";
import type { ParamValue, TrainingConfig } from "../types";
import { SWEEP_METHODS, SWEEP_METRICS, type ParamDef, type SweepGoal, type SweepMetric, type SweepSpec } from "./types";

/** Metrics measured after every epoch, which ASHA can compare at its rungs. */
export const EPOCH_METRICS: readonly SweepMetric[] = ["testAccuracy", "testLoss", "learningTimeSec"];
const TRAINING_PARAMETERS = ["learningRate", "batchSize", "optimizer", "epochs"] as const;
const FIELDS = ["method", "trials", "metric", "goal", "epochs", "seed", "reduction", "parameters"];
const DEFAULT_TRIALS = 10;

/** The architectures the export has a spec for; throws when the export is not an object of specs. */
export function sweptModels(value: unknown): string[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new Error("the sweep export must map architecture names to sweep specs");
  return Object.keys(value).filter((name) => value[name] !== undefined);
}

/** The spec of one architecture, checked and completed with defaults. */
export function checkSweepSpec(exported: unknown, model: string, base: TrainingConfig): SweepSpec {
  if (!sweptModels(exported).includes(model)) throw new Error(`the model file's sweep export has no spec for ${model}`);
  const at = `sweep.${model}`;
  const raw = (exported as Record<string, unknown>)[model];
  if (!isObject(raw)) throw new Error(`${at} must be an object such as { method: 'random', trials: 10 }`);
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key)) throw new Error(`${at}.${key} is not a sweep field (known: ${FIELDS.join(", ")})`);
  }
  const method = oneOf(raw.method ?? "random", SWEEP_METHODS, `${at}.method`);
  const metric = oneOf(raw.metric ?? "testAccuracy", SWEEP_METRICS, `${at}.metric`);
  const goal = oneOf<SweepGoal>(raw.goal ?? (metric === "testAccuracy" ? "max" : "min"), ["max", "min"], `${at}.goal`);
  const trials =
    raw.trials === undefined
      ? method === "grid"
        ? undefined
        : DEFAULT_TRIALS
      : positiveInteger(raw.trials, `${at}.trials`);
  const spec: SweepSpec = {
    method,
    trials,
    metric,
    goal,
    epochs: raw.epochs === undefined ? base.epochs : positiveInteger(raw.epochs, `${at}.epochs`),
    seed: raw.seed === undefined ? 0 : integer(raw.seed, `${at}.seed`),
    reduction: raw.reduction === undefined ? 3 : positiveInteger(raw.reduction, `${at}.reduction`),
    parameters: checkParameters(raw.parameters, `${at}.parameters`),
  };
  if (method === "asha") checkAsha(spec, base, at);
  return spec;
}

/** Command-line or panel choices over the file's spec, checked as the file's own would be. */
export function withOverrides(
  spec: SweepSpec,
  overrides: { method?: string; trials?: number; epochs?: number },
  model: string,
): SweepSpec {
  const at = `--`;
  const method = overrides.method === undefined ? spec.method : oneOf(overrides.method, SWEEP_METHODS, `${at}method`);
  const next: SweepSpec = {
    ...spec,
    method,
    trials: overrides.trials ?? spec.trials,
    epochs: overrides.epochs ?? spec.epochs,
  };
  if (next.method !== "grid" && next.trials === undefined) next.trials = DEFAULT_TRIALS;
  if (next.method === "asha") checkAsha(next, undefined, `sweep.${model}`);
  return next;
}

function checkAsha(spec: SweepSpec, base: TrainingConfig | undefined, at: string): void {
  if (!EPOCH_METRICS.includes(spec.metric)) {
    throw new Error(
      `${at}.metric: asha compares trials after epochs, so it needs ${EPOCH_METRICS.join(", ")}, not ${spec.metric}`,
    );
  }
  if (spec.parameters.epochs)
    throw new Error(`${at}.parameters.epochs: asha decides how many epochs a trial runs; set ${at}.epochs instead`);
  if (spec.reduction < 2) throw new Error(`${at}.reduction must be at least 2, got ${spec.reduction}`);
  if (base?.validation === "none" && spec.metric !== "learningTimeSec") {
    throw new Error(`${at}.method: asha needs a metric after every epoch, but validation is "none"`);
  }
}

function checkParameters(value: unknown, at: string): Record<string, ParamDef> {
  if (value === undefined) return {};
  if (!isObject(value))
    throw new Error(`${at} must be an object such as { learningRate: { min: 1e-4, max: 1e-2, log: true } }`);
  const defs: Record<string, ParamDef> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (raw === undefined) continue;
    if (!(TRAINING_PARAMETERS as readonly string[]).includes(name)) {
      throw new Error(
        `${at}.${name} is not a training parameter a sweep can search (known: ${TRAINING_PARAMETERS.join(", ")})`,
      );
    }
    defs[name] = parameterDef(name as (typeof TRAINING_PARAMETERS)[number], raw, `${at}.${name}`);
  }
  return defs;
}

function parameterDef(name: (typeof TRAINING_PARAMETERS)[number], raw: unknown, at: string): ParamDef {
  const checkValue = (v: unknown, where: string) => {
    try {
      checkTrainingExport({ [name]: v });
    } catch (err) {
      throw new Error(`${where}${(err as Error).message.replace(`training.${name}`, "")}`, { cause: err });
    }
  };
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new Error(`${at} must list at least one value`);
    raw.forEach((v, i) => checkValue(v, `${at}[${i}]`));
    if (new Set(raw).size !== raw.length) throw new Error(`${at} lists a value twice`);
    return { kind: "choice", values: raw as ParamValue[] };
  }
  if (!isObject(raw) || raw.min === undefined || raw.max === undefined) {
    throw new Error(`${at} must be a list of values or a range { min, max } (optionally log, step)`);
  }
  if (name === "optimizer") throw new Error(`${at} must be a list of optimizer names`);
  for (const key of Object.keys(raw)) {
    if (!["min", "max", "log", "step"].includes(key))
      throw new Error(`${at}.${key} is not a range field (known: min, max, log, step)`);
  }
  checkValue(raw.min, `${at}.min`);
  checkValue(raw.max, `${at}.max`);
  const min = raw.min as number;
  const max = raw.max as number;
  if (min > max) throw new Error(`${at}.min (${min}) is greater than ${at}.max (${max})`);
  if (raw.log !== undefined && typeof raw.log !== "boolean") throw new Error(`${at}.log must be true or false`);
  if (raw.step !== undefined && !(typeof raw.step === "number" && raw.step > 0))
    throw new Error(`${at}.step must be a number greater than 0`);
  const log = raw.log === true ? true : undefined;
  if (name === "learningRate") return { kind: "float", min, max, log, step: raw.step };
  const step = raw.step ?? 1;
  if (!Number.isInteger(step)) throw new Error(`${at}.step must be a whole number for ${name}`);
  return { kind: "int", min, max, step, log };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string): T {
  if (allowed.includes(value as T)) return value as T;
  throw new Error(`${at} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

function positiveInteger(value: unknown, at: string): number {
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number;
  throw new Error(`${at} must be a positive integer, got ${JSON.stringify(value)}`);
}

function integer(value: unknown, at: string): number {
  if (Number.isSafeInteger(value)) return value as number;
  throw new Error(`${at} must be an integer, got ${JSON.stringify(value)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Training settings: engine defaults <- the file's `training` export <- its per-model entry <- overrides.
import {
  DEFAULT_TRAINING,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type TrainingConfig,
  type TrainingExport,
  type ValidationSpec,
} from "../types";

const REQUIRED = ["epochs", "batchSize", "learningRate", "optimizer", "dataset", "validation", "seed"] as const;

type Check = (value: unknown) => string | undefined;

const positiveInteger: Check = (v) =>
  Number.isInteger(v) && (v as number) > 0 ? undefined : "must be a positive integer";

const CHECKS: Record<keyof TrainingConfig, Check> = {
  epochs: positiveInteger,
  batchSize: positiveInteger,
  learningRate: (v) =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "must be a number greater than 0",
  optimizer: (v) =>
    OPTIMIZER_NAMES.includes(v as OptimizerName) ? undefined : `must be one of ${OPTIMIZER_NAMES.join(", ")}`,
  dataset: (v) =>
    typeof v === "string" && v.trim() !== ""
      ? undefined
      : 'must be "mnist", "fashion-mnist" or the path of a folder of IDX files',
  validation: (v) => (isValidation(v) ? undefined : 'must be "test", "none" or { split: x } with 0 < x < 1'),
  seed: (v) => (Number.isSafeInteger(v) ? undefined : "must be an integer"),
  limit: positiveInteger,
  testLimit: positiveInteger,
  quick: (v) => (typeof v === "boolean" ? undefined : "must be true or false"),
};

function isValidation(v: unknown): v is ValidationSpec {
  if (v === "test" || v === "none") return true;
  const split = (v as { split?: unknown } | null)?.split;
  return typeof v === "object" && typeof split === "number" && split > 0 && split < 1;
}

function show(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Checks the settings that are present; `where` names their origin in messages, e.g. "training.models.CNN". */
function checkPartial(value: unknown, where: string): Partial<TrainingConfig> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object of training settings`);
  }
  const settings: Partial<TrainingConfig> = {};
  for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
    if (setting === undefined) continue;
    const check = CHECKS[key as keyof TrainingConfig];
    if (!check) {
      throw new Error(`${where}.${key} is not a training setting (known: ${Object.keys(CHECKS).join(", ")})`);
    }
    const problem = check(setting);
    if (problem) throw new Error(`${where}.${key} ${problem}, got ${show(setting)}`);
    Object.assign(settings, { [key]: setting });
  }
  return settings;
}

/** Validates a model file's `training` export; throws an Error naming the bad setting. */
export function checkTrainingExport(value: unknown): TrainingExport {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("the training export must be an object of training settings");
  }
  const { models, ...defaults } = value as Record<string, unknown>;
  const checked: TrainingExport = checkPartial(defaults, "training");
  if (models !== undefined) {
    if (typeof models !== "object" || models === null || Array.isArray(models)) {
      throw new Error("training.models must map model names to training settings");
    }
    checked.models = Object.fromEntries(
      Object.entries(models).map(([name, settings]) => [name, checkPartial(settings, `training.models.${name}`)]),
    );
  }
  return checked;
}

export function resolveTrainingConfig(
  file: TrainingExport | undefined,
  model: string,
  overrides: Partial<TrainingConfig> = {},
  base: TrainingConfig = DEFAULT_TRAINING,
): TrainingConfig {
  const fromFile = file ? checkTrainingExport(file) : {};
  const { models, ...fileDefaults } = fromFile;
  const config = {
    ...checkPartial(base, "defaults"),
    ...fileDefaults,
    ...models?.[model],
    ...checkPartial(overrides, "overrides"),
  };
  const missing = REQUIRED.filter((key) => config[key] === undefined);
  if (missing.length > 0) throw new Error(`training settings for ${model} lack ${missing.join(", ")}`);
  return config as TrainingConfig;
}

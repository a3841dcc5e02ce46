// The `archlab.*` settings, read into one typed object. Training defaults left empty (null) defer
// to the model file's `training` export and then to ArchLab's defaults.
import { isAbsolute, join } from "node:path";
import {
  BACKEND_PREFERENCES,
  DEFAULT_KEEP_MODELS,
  KEEP_MODELS,
  type BackendPreference,
  type KeepModels,
  type TrainingConfig,
} from "../engine/types";
import { DEFAULT_MODEL_GLOB, Settings } from "./constants";

/** The part of vscode.WorkspaceConfiguration read here. */
export interface ConfigurationReader {
  get<T>(key: string): T | undefined;
}

export interface ArchlabSettings {
  modelGlob: string;
  /** Only the values the user set: they override the model file's `training` export. */
  overrides: Partial<TrainingConfig>;
  fashionMnistDir?: string;
  backend: BackendPreference;
  /** WebAssembly threads per job; absent: chosen from the models' size. */
  threads?: number;
  maxConcurrentJobs: number;
  /** Absent: chosen per model (engine/train/quick.ts). */
  quickRunSize?: number;
  /** Absolute folder for run records, when not the default `<workspace>/.archlab/runs`. */
  runsDir?: string;
  keepModels: KeepModels;
  /** Redis URL of the BullMQ queue sweeps put their trials on; absent: trials run here. */
  queue?: string;
}

export function readSettings(config: ConfigurationReader, workspaceRoot: string): ArchlabSettings {
  const positive = (key: string): number | undefined => {
    const value = config.get<number | null>(key);
    return typeof value === "number" && value > 0 ? value : undefined;
  };
  const text = (key: string): string | undefined => {
    const value = config.get<string | null>(key);
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const overrides: Partial<TrainingConfig> = {};
  const epochs = positive(Settings.epochs);
  const batchSize = positive(Settings.batchSize);
  const learningRate = positive(Settings.learningRate);
  const dataset = text(Settings.dataset);
  const threads = positive(Settings.threads);
  if (epochs) overrides.epochs = Math.round(epochs);
  if (batchSize) overrides.batchSize = Math.round(batchSize);
  if (learningRate) overrides.learningRate = learningRate;
  if (dataset) overrides.dataset = dataset;
  const backend = config.get<string>(Settings.backend) as BackendPreference;
  const inWorkspace = (folder: string | undefined) =>
    folder && (isAbsolute(folder) ? folder : join(workspaceRoot, folder));
  return {
    modelGlob: text(Settings.modelGlob) ?? DEFAULT_MODEL_GLOB,
    overrides,
    fashionMnistDir: inWorkspace(text(Settings.fashionMnistDir)),
    backend: BACKEND_PREFERENCES.includes(backend) ? backend : "auto",
    threads: threads ? Math.round(threads) : undefined,
    maxConcurrentJobs: Math.max(1, Math.round(positive(Settings.maxConcurrentJobs) ?? 1)),
    quickRunSize:
      positive(Settings.quickRunSize) === undefined ? undefined : Math.round(positive(Settings.quickRunSize)!),
    runsDir: inWorkspace(text(Settings.runsFolder)),
    keepModels: KEEP_MODELS.find((k) => k === config.get<string>(Settings.keepModels)) ?? DEFAULT_KEEP_MODELS,
    queue: text(Settings.queue),
  };
}

/** A quick run: one epoch, on the first `quickRunSize` images when set, else on a size chosen by each model's MACs. */
export function quickRunOverrides(settings: ArchlabSettings): Partial<TrainingConfig> {
  const size = settings.quickRunSize;
  return { ...settings.overrides, epochs: 1, quick: true, ...(size ? { limit: size, testLimit: size } : {}) };
}

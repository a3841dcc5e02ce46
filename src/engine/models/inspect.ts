import type { Tf } from "../tf";
import { HyperparameterSet } from "../sweep/hp";
import { sweptModels } from "../sweep/spec";
import type { ModelSummary, ParamValue, RunError, TrainingExport } from "../types";
import { toRunError } from "./errors";
import { loadModelFile } from "./load";
import { summarizeModel } from "./summary";

export interface InspectedModel {
  name: string;
  summary?: ModelSummary;
  error?: RunError;
  /** For an architecture that takes `hp`: the values it builds with outside a sweep. */
  hyperparameters?: Record<string, ParamValue>;
  /** It takes `hp` and the file's `sweep` export has a spec for it. */
  sweepable?: boolean;
}

export interface InspectReport {
  file: string;
  sha256: string;
  models: InspectedModel[];
  skipped: { name: string; reason: string }[];
  training?: TrainingExport;
}

/**
 * Loads and summarizes every architecture of a file (or of `content`, its unsaved text); a model
 * that fails to build carries its error.
 */
export async function inspectModelFile(file: string, tf: Tf, content?: string): Promise<InspectReport> {
  const loaded = await loadModelFile(file, tf, content);
  const swept = sweptModels(loaded.sweep);
  const models = loaded.architectures.map((architecture): InspectedModel => {
    const hp = new HyperparameterSet();
    const space = architecture.takesHyperparameters
      ? { hyperparameters: hp.values, sweepable: swept.includes(architecture.name) }
      : {};
    try {
      const model = architecture.build(hp);
      try {
        return { name: architecture.name, summary: summarizeModel(model, architecture.name), ...space };
      } finally {
        model.dispose();
      }
    } catch (err) {
      return { name: architecture.name, error: toRunError(err), ...space };
    }
  });
  return { file: loaded.file, sha256: loaded.sha256, models, skipped: loaded.skipped, training: loaded.training };
}

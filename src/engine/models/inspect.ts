import type { Tf } from '../tf';
import type { ModelSummary, RunError, TrainingExport } from '../types';
import { toRunError } from './errors';
import { loadModelFile } from './load';
import { summarizeModel } from './summary';

export interface InspectedModel {
  name: string;
  summary?: ModelSummary;
  error?: RunError;
}

export interface InspectReport {
  file: string;
  sha256: string;
  models: InspectedModel[];
  skipped: { name: string; reason: string }[];
  training?: TrainingExport;
}

/** Loads and summarizes every architecture of a file; a model that fails to build carries its error. */
export async function inspectModelFile(file: string, tf: Tf): Promise<InspectReport> {
  const loaded = await loadModelFile(file, tf);
  const models = loaded.architectures.map((architecture): InspectedModel => {
    try {
      const model = architecture.build();
      try {
        return { name: architecture.name, summary: summarizeModel(model, architecture.name) };
      } finally {
        model.dispose();
      }
    } catch (err) {
      return { name: architecture.name, error: toRunError(err) };
    }
  });
  return { file: loaded.file, sha256: loaded.sha256, models, skipped: loaded.skipped, training: loaded.training };
}

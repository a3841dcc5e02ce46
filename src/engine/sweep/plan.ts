// Planning a sweep where its controller runs: load the model file, check the architecture's sweep
// spec, list the trials and the size of each variant (params and MACs are known before training,
// so the Pareto front covers pruned and running trials too).
import { resolve } from "node:path";
import { initBackend } from "../backend";
import { loadModelFile, resolveTrainingConfig, summarizeModel } from "../models";
import { displayPath } from "../train/record";
import type { TrainingConfig } from "../types";
import { HyperparameterSet, fixedPicker, type Picker } from "./hp";
import { planTrials } from "./search";
import { checkSweepSpec, sweptModels, withOverrides } from "./spec";
import type { SweepRecord, SweepSpec, SweepTrial } from "./types";
import { SWEEP_SCHEMA_VERSION } from "./types";

export interface SweepRequest {
  file: string;
  /** The architecture; the only one with a sweep spec when absent. */
  model?: string;
  method?: string;
  trials?: number;
  epochs?: number;
  /** Settings over the file's `training` export (limit, dataset...), as for a plain run. */
  overrides?: Partial<TrainingConfig>;
  storeRoot: string;
}

export interface PlannedSweep {
  record: SweepRecord;
  /** The model file's source when planned. */
  source: string;
}

export async function planSweep(
  request: SweepRequest,
  newId: (model: string) => string,
  ranOn: string,
): Promise<PlannedSweep> {
  const file = resolve(request.file);
  // Planning only builds models: the cpu backend starts fastest and counts the same.
  const { tf } = await initBackend("cpu");
  const loaded = await loadModelFile(file, tf);
  const candidates = loaded.architectures.filter((a) => a.takesHyperparameters);
  const model =
    request.model ??
    pickModel(
      candidates.map((a) => a.name),
      loaded.sweep,
    );
  const arch = loaded.architectures.find((a) => a.name === model);
  if (!arch)
    throw new Error(
      `No architecture named "${model}" in ${request.file} (available: ${loaded.architectures.map((a) => a.name).join(", ")})`,
    );
  if (!arch.takesHyperparameters)
    throw new Error(
      `${model} takes no hp object, so there is nothing to sweep: write it as ${model}(hp) and draw values with hp.choice, hp.int...`,
    );
  const baseConfig = resolveTrainingConfig(loaded.training, model, request.overrides);
  // An architecture without a spec sweeps with the defaults (random, 10 trials) and the command's choices.
  const exported = sweptModels(loaded.sweep).includes(model)
    ? loaded.sweep
    : { ...(loaded.sweep as object | undefined), [model]: {} };
  let spec: SweepSpec = checkSweepSpec(exported, model, baseConfig);
  spec = withOverrides(spec, { method: request.method, trials: request.trials, epochs: request.epochs }, model);

  const build = (pick: Picker) => {
    const hp = new HyperparameterSet(pick);
    const built = arch.build(hp);
    const summary = summarizeModel(built, model);
    built.dispose();
    return { hp, summary };
  };
  const params = planTrials(spec, (pick) => {
    const { hp } = build(pick);
    return { declared: hp.declared, values: hp.values };
  });
  if (params.length === 0) throw new Error(`sweep.${model} plans no trials`);
  const id = newId(model);
  const trials = params.map((p, trial): SweepTrial => {
    const { summary } = build(fixedPicker(p));
    return {
      trial,
      params: p,
      runId: `${id}-t${String(trial + 1).padStart(3, "0")}`,
      status: "pending",
      paramsCount: summary.params.total,
      macs: summary.macs,
    };
  });
  const record: SweepRecord = {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    id,
    model,
    file: displayPath(file, request.storeRoot),
    spec,
    baseConfig,
    status: "running",
    startedAt: new Date().toISOString(),
    ranOn,
    trials,
  };
  return { record, source: loaded.source };
}

function pickModel(candidates: string[], sweep: unknown): string {
  const specs = sweep && typeof sweep === "object" ? Object.keys(sweep) : [];
  const swept = candidates.filter((name) => specs.includes(name));
  if (swept.length === 1) return swept[0];
  if (swept.length > 1)
    throw new Error(`several architectures have a sweep spec (${swept.join(", ")}): choose one with --model`);
  if (candidates.length === 1) return candidates[0];
  throw new Error(
    candidates.length
      ? `choose the architecture to sweep with --model (${candidates.join(", ")})`
      : "no architecture of the file takes an hp object: nothing to sweep",
  );
}

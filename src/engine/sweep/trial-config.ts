// A trial's training settings, apart from planning: the controller needs them where no model file
// is loaded (the extension host), so this module imports nothing that pulls in TensorFlow.js.
import type { TrainingConfig } from "../types";
import type { SweepRecord, TrialParams } from "./types";

/** A trial's settings: the base ones, the sweep's epochs, then the trial's training parameters. */
export function trialConfig(sweep: Pick<SweepRecord, "baseConfig" | "spec">, params: TrialParams): TrainingConfig {
  const config: TrainingConfig = { ...sweep.baseConfig, epochs: sweep.spec.epochs };
  for (const key of Object.keys(sweep.spec.parameters)) {
    if (Object.hasOwn(params, key)) Object.assign(config, { [key]: params[key] });
  }
  return config;
}

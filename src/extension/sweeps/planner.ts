// Planning a sweep loads the model file and builds every trial's variant: TensorFlow.js work, so it
// happens in a trainer child like an inspection, never in the extension host.
import type { SweepRequest } from "../../engine/sweep/plan";
import type { SweepRecord } from "../../engine/sweep/types";
import { ChildProcessError } from "../../shared/child-error";
import { TrainerProcess, type TrainerOptions } from "../../shared/trainer-process";

// A grid of a few hundred variants takes seconds to size; a file that never returns must not hang the sweep.
const PLAN_TIMEOUT_MS = 120_000;

export async function planInChild(request: SweepRequest, options: TrainerOptions): Promise<SweepRecord> {
  const trainer = new TrainerProcess({ type: "planSweep", request }, options);
  const timer = setTimeout(() => trainer.kill(), PLAN_TIMEOUT_MS);
  const outcome = await trainer.outcome;
  clearTimeout(timer);
  switch (outcome.kind) {
    case "planned":
      return outcome.sweep;
    case "failed":
      throw outcome.error;
    default:
      throw new ChildProcessError(`Planning the sweep got an unexpected answer (${outcome.kind}).`);
  }
}

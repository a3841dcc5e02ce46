// A sweep's trial in a trainer child: the child trains the trial's variant and waits at each rung
// epoch for the sweep's decision, which this asks for as the epochs arrive.
import type { TrialEnv } from "../../engine/sweep/trial";
import type { EpochMetrics } from "../../engine/types";
import type { TrainerToHost } from "../../shared/protocol";
import type { JobRequest } from "../jobs/jobManager";
import { TrainerProcess, type TrainerOptions } from "../../shared/trainer-process";

export function startTrialTrainer(
  trial: NonNullable<JobRequest["trial"]>,
  env: TrialEnv,
  options: TrainerOptions,
): TrainerProcess {
  const epochs: EpochMetrics[] = [];
  const onMessage = (message: TrainerToHost) => {
    options.onMessage?.(message);
    if (message.type !== "event" || message.event.type !== "epoch") return;
    const { metrics } = message.event;
    epochs.push(metrics);
    if (!trial.job.rungs.includes(metrics.epoch)) return;
    void trial.decide(metrics.epoch, [...epochs]).then((decision) => trainer.decide(metrics.epoch, decision));
  };
  const trainer: TrainerProcess = new TrainerProcess({ type: "trial", job: trial.job, env }, { ...options, onMessage });
  return trainer;
}

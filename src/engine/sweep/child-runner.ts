// Trials in child processes: each trial in a trainer child of its own (the same one the extension
// forks), so a crash or a kill takes one trial down, never the sweep, and trials side by side get
// a share of the cores each.
import { fork } from "node:child_process";
import os from "node:os";
import type { HostToTrainer, TrainerToHost } from "../../shared/protocol";
import type { EpochMetrics, RunRecord } from "../types";
import type { TrialRunner } from "./controller";
import type { TrialEnv, TrialJob, TrialRunHooks } from "./trial";

const STDERR_TAIL = 4_000;

export interface ChildRunnerOptions {
  /** The bundled trainer child (dist/trainer.js). */
  trainerPath: string;
  concurrency: number;
  env: Omit<TrialEnv, "cores">;
  /** How long a trial may take to stop after being asked before its child is killed. */
  stopTimeoutMs?: number;
}

export class ChildTrialRunner implements TrialRunner {
  readonly concurrency: number;

  constructor(private readonly options: ChildRunnerOptions) {
    this.concurrency = Math.max(1, options.concurrency);
  }

  run(job: TrialJob, hooks: TrialRunHooks): Promise<RunRecord> {
    const cores = Math.max(1, Math.floor(os.cpus().length / this.concurrency));
    const child = fork(this.options.trainerPath, [], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
      execArgv: [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)));
    child.stdout?.on("data", (chunk: Buffer) => hooks.onLog?.(chunk.toString().trimEnd()));
    const send = (message: HostToTrainer) => {
      if (child.connected) child.send(message, () => undefined);
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      send({ type: "stop" });
      killTimer = setTimeout(() => child.kill("SIGKILL"), this.options.stopTimeoutMs ?? 10_000);
    };
    if (hooks.signal?.aborted) stop();
    hooks.signal?.addEventListener("abort", stop, { once: true });
    const epochs: EpochMetrics[] = [];

    return new Promise<RunRecord>((resolve, reject) => {
      let record: RunRecord | undefined;
      let failure: string | undefined;
      child.on("message", (message: TrainerToHost) => {
        switch (message.type) {
          case "ready":
            send({ type: "trial", job, env: { ...this.options.env, cores } });
            return;
          case "event": {
            const event = message.event;
            hooks.onEvent?.(event);
            if (event.type !== "epoch") return;
            epochs.push(event.metrics);
            const epoch = event.metrics.epoch;
            if (job.rungs.includes(epoch)) {
              void hooks.decide(epoch, [...epochs]).then((decision) => send({ type: "decision", epoch, decision }));
            }
            return;
          }
          case "log":
          case "warning":
          case "notRecorded":
            hooks.onLog?.(message.message);
            return;
          case "trained":
            record = message.records[0];
            return;
          case "failed":
            failure = message.error.message;
            return;
          case "inspected":
          case "sweepPlanned":
            return;
        }
      });
      child.on("error", (err) => {
        failure ??= `could not start the trainer: ${err.message}`;
      });
      child.on("exit", (code, signal) => {
        clearTimeout(killTimer);
        hooks.signal?.removeEventListener("abort", stop);
        if (record) return resolve(record);
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const tail = stderr.trim() ? `\n${stderr.trim()}` : "";
        reject(new Error(failure ?? `the trainer ${how} during the trial${tail}`));
      });
    });
  }

  async close(): Promise<void> {}
}

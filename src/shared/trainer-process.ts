// One trainer child process: fork, ready handshake, one request, graceful stop, hard kill.
import { fork, type ChildProcess } from "node:child_process";
import type { RunError, RunRecord } from "../engine/types";
import type { InspectReport } from "../engine/models";
import type { Decision } from "../engine/sweep/asha";
import type { SweepRecord } from "../engine/sweep/types";
import type {
  ContinueRequest,
  HostToTrainer,
  InspectRequest,
  PlanSweepRequest,
  PredictorRequest,
  TrainerToHost,
  TrainRequest,
  TrialRequest,
} from "./protocol";
import { ChildProcessError, describeExit, exitCodeOf } from "./child-error";

export interface TrainerOptions {
  trainerPath: string;
  cwd: string;
  onMessage?: (message: TrainerToHost) => void;
  stopTimeoutMs: number;
}

export type TrainerOutcome =
  | { kind: "trained"; records: RunRecord[] }
  | { kind: "inspected"; report: InspectReport }
  | { kind: "planned"; sweep: SweepRecord }
  | { kind: "failed"; error: ChildProcessError; usage?: boolean };

/** What one child serves. */
export type TrainerRequest =
  TrainRequest | ContinueRequest | InspectRequest | PredictorRequest | TrialRequest | PlanSweepRequest;

const STDERR_TAIL = 8_000;
// A Record over the union's tags: a new TrainerToHost variant does not type-check until it is listed
// here, so it cannot be dropped on arrival without anyone noticing.
const TRAINER_MESSAGE_TYPES: Record<TrainerToHost["type"], true> = {
  ready: true,
  event: true,
  log: true,
  warning: true,
  notRecorded: true,
  trained: true,
  inspected: true,
  predictions: true,
  sweepPlanned: true,
  failed: true,
};

export function isTrainerMessage(value: unknown): value is TrainerToHost {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof value === "object" && typeof type === "string" && Object.hasOwn(TRAINER_MESSAGE_TYPES, type);
}

export class TrainerProcess {
  readonly outcome: Promise<TrainerOutcome>;
  private readonly child: ChildProcess;
  private stderr = "";
  private stopTimer: NodeJS.Timeout | undefined;
  private exited = false;
  /** Messages for after the request, held until the child is ready for them. */
  private queued: HostToTrainer[] | undefined = [];

  constructor(
    request: TrainerRequest,
    private readonly options: TrainerOptions,
  ) {
    // VS Code's host is Electron: this makes the forked binary behave as plain Node.
    // execArgv is cleared so a debugger flag of the host is not inherited by every child.
    this.child = fork(options.trainerPath, [], {
      cwd: options.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
      execArgv: [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    this.child.stdout?.on("data", (chunk: Buffer) =>
      this.options.onMessage?.({ type: "log", message: chunk.toString().trimEnd() }),
    );
    this.outcome = this.watch(request);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the child to stop after the current batch; kills it if it has not exited in time. */
  stop(): void {
    if (this.exited || this.stopTimer) return;
    this.trySend({ type: "stop" });
    this.stopTimer = setTimeout(() => this.kill(), this.options.stopTimeoutMs);
  }

  /** Sends a message to the child, after its request once it is ready. */
  send(message: HostToTrainer): void {
    if (this.queued) this.queued.push(message);
    else this.trySend(message);
  }

  /** A trial waiting at an ASHA rung goes on or stops as the sweep decided. */
  decide(epoch: number, decision: Decision): void {
    this.send({ type: "decision", epoch, decision });
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /** Lets the child finish on its own terms: it cancels its run and records it as interrupted. */
  detach(): void {
    if (this.child.connected) this.child.disconnect();
  }

  dispose(): void {
    this.kill();
  }

  private trySend(message: HostToTrainer): void {
    if (!this.child.connected) return;
    // With a callback, a child that died in between is reported here instead of as an 'error' event.
    this.child.send(message, (err) => {
      if (err) this.options.onMessage?.({ type: "log", message: `Could not reach the trainer: ${err.message}` });
    });
  }

  private watch(request: TrainerRequest): Promise<TrainerOutcome> {
    return new Promise((resolve) => {
      let result: TrainerOutcome | undefined;
      this.child.on("message", (message: unknown) => {
        if (!isTrainerMessage(message)) return;
        switch (message.type) {
          case "ready": {
            this.trySend(request);
            const queued = this.queued ?? [];
            this.queued = undefined;
            for (const next of queued) this.trySend(next);
            break;
          }
          case "trained":
            result = { kind: "trained", records: message.records };
            break;
          case "inspected":
            result = { kind: "inspected", report: message.report };
            break;
          case "sweepPlanned":
            result = { kind: "planned", sweep: message.sweep };
            break;
          case "failed":
            result = { kind: "failed", error: this.failure(message.error), usage: message.usage };
            break;
        }
        this.options.onMessage?.(message);
      });
      this.child.on("error", (err) => {
        result ??= {
          kind: "failed",
          error: new ChildProcessError(`Could not start the trainer: ${err.message}`, this.stderr),
        };
        // A child that never started emits no 'exit'.
        if (this.child.pid === undefined) resolve(result);
      });
      this.child.on("exit", (code, signal) => {
        this.exited = true;
        clearTimeout(this.stopTimer);
        resolve(
          result ?? {
            kind: "failed",
            error: new ChildProcessError(describeExit(code, signal), this.stderr, exitCodeOf(code, signal)),
          },
        );
      });
    });
  }

  private failure(error: RunError): ChildProcessError {
    const failure = ChildProcessError.fromRunError(error);
    return failure.stderr ? failure : new ChildProcessError(failure.message, this.stderr, null, failure.location);
  }
}

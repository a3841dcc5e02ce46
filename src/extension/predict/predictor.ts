// The pad's predictions come from one trainer child kept for them (see trainer/predictions.ts for
// why there): started on the first request, stopped after a while without one.
import type * as vscode from "vscode";
import { isAbsolute, resolve } from "node:path";
import type { RunRecord } from "../../engine/types";
import type { PredictModel, PredictionResult } from "../../shared/protocol";
import { TrainerProcess, type TrainerOptions } from "../../shared/trainer-process";

const IDLE_MS = 5 * 60_000;
const TIMEOUT_MS = 60_000;

interface Waiting {
  resolve(results: PredictionResult[]): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class Predictor implements vscode.Disposable {
  private child: TrainerProcess | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: Omit<TrainerOptions, "onMessage"> & { storeRoot: string },
    private readonly log: (message: string) => void,
  ) {}

  /** Each run's top classes for one image (the dataset's layout, 0..1), or why there are none. */
  async predict(records: RunRecord[], pixels: number[]): Promise<PredictionResult[]> {
    const models: PredictModel[] = [];
    const missing: PredictionResult[] = [];
    for (const record of records) {
      const shape = record.summary?.inputShape ?? record.dataset?.imageShape;
      if (!record.savedModel || !shape) missing.push({ runId: record.id, error: "This run has no saved model." });
      else {
        const { path, sha256 } = record.savedModel;
        const dir = isAbsolute(path) ? path : resolve(this.options.storeRoot, path);
        models.push({
          runId: record.id,
          model: record.model,
          dir,
          sha256,
          inputShape: shape,
          outputsProbabilities: record.summary?.outputsProbabilities ?? false,
        });
      }
    }
    const served = models.length ? await this.ask(models, pixels) : [];
    return [...served, ...missing];
  }

  dispose(): void {
    clearTimeout(this.idle);
    this.child?.dispose();
    this.child = undefined;
    for (const waiting of this.waiting.values()) waiting.reject(new Error("The predictor stopped"));
    this.waiting.clear();
  }

  private ask(models: PredictModel[], pixels: number[]): Promise<PredictionResult[]> {
    const child = this.start();
    const requestId = this.nextId++;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.dispose(), IDLE_MS);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error("The models did not answer in time"));
      }, TIMEOUT_MS);
      this.waiting.set(requestId, { resolve, reject, timer });
      child.send({ type: "predict", requestId, models, pixels });
    });
  }

  private start(): TrainerProcess {
    if (this.child) return this.child;
    const child = new TrainerProcess(
      { type: "predictor" },
      {
        ...this.options,
        onMessage: (message) => {
          if (message.type === "predictions") {
            const waiting = this.waiting.get(message.requestId);
            this.waiting.delete(message.requestId);
            clearTimeout(waiting?.timer);
            waiting?.resolve(message.results);
          } else if (message.type === "log") this.log(`predictor: ${message.message}`);
        },
      },
    );
    this.child = child;
    void child.outcome.then((outcome) => {
      if (this.child !== child) return;
      this.child = undefined;
      const reason = outcome.kind === "failed" ? outcome.error.message : "it exited";
      for (const waiting of this.waiting.values()) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`The predictor stopped: ${reason}`));
      }
      this.waiting.clear();
    });
    return child;
  }
}

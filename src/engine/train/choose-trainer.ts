// Which engine trains a model: tfjs when tfjs-node runs (native code beats WebAssembly) or when
// asked for a tfjs backend by name; otherwise the fused WebAssembly engine, unless the model has
// something it does not support (or this JavaScript engine cannot run it), in which case tfjs
// trains it and the record says why.
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { FusedTrainer } from "../fused/trainer";
import type { Tf } from "../tf";
import type { BackendInfo, BackendPreference } from "../types";
import { FusedBatchTrainer, TfjsBatchTrainer, type BatchTrainer, type TrainerOptions } from "./batch-trainer";

export interface TrainerChoice {
  trainer: BatchTrainer;
  /** The run's backend as recorded: the engine, its threads and build, any fallback reason. */
  backend: BackendInfo;
}

export function chooseTrainer(
  tf: Tf,
  model: LayersModel,
  options: TrainerOptions & {
    preference: BackendPreference;
    backend: BackendInfo;
    threads: number;
    seed: number;
    batchSize: number;
  },
): TrainerChoice {
  const { preference, backend } = options;
  const tfjs = (): TrainerChoice => ({
    trainer: new TfjsBatchTrainer(tf, model, options),
    backend: { ...backend, engine: "tfjs" },
  });
  if (!(preference === "fused" || (preference === "auto" && backend.name !== "tensorflow"))) return tfjs();
  let fused: FusedTrainer;
  try {
    fused = new FusedTrainer(model, {
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      threads: options.threads,
      seed: options.seed,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (preference === "fused") {
      throw new Error(
        `The fused engine cannot train this model: ${reason}. Choose the auto backend to train it with TensorFlow.js.`,
        { cause: err },
      );
    }
    // Not only FusedUnsupported: an engine that cannot run the module (no SIMD) falls back too.
    const note = `fused engine: ${reason}`;
    const choice = tfjs();
    choice.backend.fallbackReason = backend.fallbackReason ? `${backend.fallbackReason}; ${note}` : note;
    return choice;
  }
  return {
    trainer: new FusedBatchTrainer(fused, options.batchSize, tf, model, options),
    // The name stays the tfjs backend that built the model; the threads are the engine's.
    backend: { ...backend, engine: "wasm-fused", threads: fused.threads, simd: fused.variant },
  };
}

// What the training loop trains with: a model behind trainBatch and predict. Two engines: tfjs
// (the model's own trainOnBatch on whichever tfjs backend runs) and the fused WebAssembly engine,
// which runs each whole step as one kernel program (see src/engine/fused).
import type { Optimizer, Tensor } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { OPTIMIZER_SLOT_SUFFIXES } from "../backend/tfjs-internals";
import { FusedTrainer } from "../fused/trainer";
import type { Tf } from "../tf";
import type { EngineName, OptimizerName } from "../types";
import type { Split } from "../datasets";
import type { EngineSplit } from "../fused/splits";
import type { SavedOptimizerState } from "../saved/optimizer-state";
import { compileForTraining } from "./loss";

export interface BatchTrainer {
  readonly engine: EngineName;
  /** Images per predict call in evaluation. */
  readonly evalBatchSize: number;
  /** One optimizer step; images flattened in the model's input layout, integer labels. */
  trainBatch(images: Float32Array, labels: Int32Array, count: number): Promise<{ loss: number; acc: number }>;
  /** One optimizer step on images `indices` of a split, for an engine that keeps the split itself (else undefined). */
  trainSplitBatch?(split: Split, indices: Uint32Array): Promise<{ loss: number; acc: number }>;
  /** Outputs (count x classes) in inference mode: probabilities if the model ends in softmax, else logits. */
  predict(images: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Makes the tfjs model hold the trained weights (the fused engine trains a copy of them), and its
   * compiled optimizer the optimizer's state, so that saving the model saves both.
   */
  syncModel(): Promise<void>;
  /** Continues from a saved optimizer state (a continued run's parent's), before the first step. */
  restoreOptimizer(state: SavedOptimizerState): Promise<void>;
  dispose(): void;
}

export interface TrainerOptions {
  optimizer: OptimizerName;
  learningRate: number;
  outputsProbabilities: boolean;
  imageShape: number[];
  numClasses: number;
}

export class TfjsBatchTrainer implements BatchTrainer {
  readonly engine = "tfjs";
  readonly evalBatchSize = 500;
  private readonly optimizer: Optimizer;

  constructor(
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly options: TrainerOptions,
  ) {
    this.optimizer = compileForTraining(tf, model, options);
  }

  async trainBatch(images: Float32Array, labels: Int32Array, count: number): Promise<{ loss: number; acc: number }> {
    const { tf } = this;
    const x = tf.tensor(images, [count, ...this.options.imageShape]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), this.options.numClasses).toFloat());
    try {
      const values = await this.model.trainOnBatch(x, y);
      const [loss, acc] = Array.isArray(values) ? values : [values, NaN];
      return { loss, acc };
    } finally {
      tf.dispose([x, y]);
    }
  }

  async predict(images: Float32Array, count: number): Promise<Float32Array> {
    const output = this.tf.tidy(
      () => this.model.predict(this.tf.tensor(images, [count, ...this.options.imageShape])) as Tensor,
    );
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }

  async syncModel(): Promise<void> {}

  async restoreOptimizer(state: SavedOptimizerState): Promise<void> {
    // tfjs's optimizers take their step count from 'iter' (Adam recomputes its beta powers from it)
    // and their slots by position, in the order of the model's trainable weights.
    await this.optimizer.setWeights(state.weights);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

// sgd has no state; tfjs's adamax cannot set or get its weights.
const SLOT_SUFFIXES: Partial<Record<OptimizerName, readonly string[]>> = OPTIMIZER_SLOT_SUFFIXES;

export class FusedBatchTrainer implements BatchTrainer {
  readonly engine = "wasm-fused";

  private readonly optimizer: Optimizer;
  private readonly splits = new WeakMap<Split, EngineSplit>();

  /** Evaluation reuses the training batch's memory (a larger batch would need its own). */
  constructor(
    readonly fused: FusedTrainer,
    readonly evalBatchSize: number,
    private readonly tf: Tf,
    private readonly model: LayersModel,
    private readonly options: TrainerOptions,
  ) {
    // Compiled but never stepped by tfjs: it holds the fused engine's optimizer state for saving.
    this.optimizer = compileForTraining(tf, model, options);
  }

  async trainBatch(images: Float32Array, labels: Int32Array, count: number): Promise<{ loss: number; acc: number }> {
    return this.fused.trainBatch(images, labels, count);
  }

  /** The split is copied into the engine at its first batch (the job's training split: once). */
  async trainSplitBatch(split: Split, indices: Uint32Array): Promise<{ loss: number; acc: number }> {
    let attached = this.splits.get(split);
    if (!attached) {
      attached = this.fused.attachSplit(split.images, split.labels, split.count);
      this.splits.set(split, attached);
    }
    return this.fused.trainIndices(attached, indices);
  }

  async predict(images: Float32Array, count: number): Promise<Float32Array> {
    return this.fused.predict(images, count);
  }

  async syncModel(): Promise<void> {
    this.fused.syncModel();
    const suffixes = SLOT_SUFFIXES[this.options.optimizer];
    if (!suffixes) return;
    const { tf } = this;
    const weights = this.model.trainableWeights;
    const slots = this.fused.optimizerSlots();
    const named = [
      { name: "iter", tensor: tf.scalar(this.fused.steps, "int32") },
      ...slots.flatMap((values, s) =>
        values.map((v, i) => ({
          name: `${weights[i].originalName}/${suffixes[s]}`,
          tensor: tf.tensor(v, weights[i].shape as number[]),
        })),
      ),
    ];
    // setWeights makes variables of its own from these and drops the previous ones: dispose both.
    const previous = await this.optimizer.getWeights();
    await this.optimizer.setWeights(named);
    for (const { tensor } of [...previous, ...named]) tensor.dispose();
  }

  async restoreOptimizer(state: SavedOptimizerState): Promise<void> {
    // The saved weights are getWeights's: 'iter', then each slot's values for every trainable weight.
    const [iter, ...slotWeights] = state.weights;
    const count = this.model.trainableWeights.length;
    const slots = (SLOT_SUFFIXES[this.options.optimizer] ?? []).map((_, s) =>
      slotWeights.slice(s * count, (s + 1) * count).map((w) => w.tensor.dataSync() as Float32Array),
    );
    if (slotWeights.length !== slots.length * count) {
      throw new Error(
        `The saved ${state.optimizer} state holds ${slotWeights.length} tensors; ${this.options.optimizer} on this model needs ${slots.length * count}`,
      );
    }
    this.fused.loadOptimizerState(slots, iter.tensor.dataSync()[0]);
  }

  dispose(): void {
    this.fused.dispose();
    this.optimizer.dispose();
  }
}

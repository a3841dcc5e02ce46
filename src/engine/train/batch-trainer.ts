// What the training loop trains with: a model behind trainBatch and predict. Two engines: tfjs
// (the model's own trainOnBatch on whichever tfjs backend runs) and the fused WebAssembly engine,
// which runs each whole step as one kernel program (see src/engine/fused).
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FusedTrainer } from '../fused/trainer';
import type { Tf } from '../tf';
import type { EngineName, OptimizerName } from '../types';
import { compileForTraining } from './loss';

export interface BatchTrainer {
  readonly engine: EngineName;
  /** Images per predict call in evaluation. */
  readonly evalBatchSize: number;
  /** One optimizer step; images flattened in the model's input layout, integer labels. */
  trainBatch(images: Float32Array, labels: Int32Array, count: number): Promise<{ loss: number; acc: number }>;
  /** Outputs (count x classes) in inference mode: probabilities if the model ends in softmax, else logits. */
  predict(images: Float32Array, count: number): Promise<Float32Array>;
  /** Makes the tfjs model hold the trained weights (the fused engine trains a copy of them). */
  syncModel(): void;
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
  readonly engine = 'tfjs';
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
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), this.options.numClasses).toFloat());
    try {
      const values = await this.model.trainOnBatch(x, y);
      const [loss, acc] = Array.isArray(values) ? values : [values, NaN];
      return { loss, acc };
    } finally {
      tf.dispose([x, y]);
    }
  }

  async predict(images: Float32Array, count: number): Promise<Float32Array> {
    const output = this.tf.tidy(() => this.model.predict(this.tf.tensor(images, [count, ...this.options.imageShape])) as Tensor);
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }

  syncModel(): void {}

  dispose(): void {
    this.optimizer.dispose();
  }
}

export class FusedBatchTrainer implements BatchTrainer {
  readonly engine = 'wasm-fused';

  /** Evaluation reuses the training batch's memory (a larger batch would need its own). */
  constructor(
    readonly fused: FusedTrainer,
    readonly evalBatchSize: number,
  ) {}

  async trainBatch(images: Float32Array, labels: Int32Array, count: number): Promise<{ loss: number; acc: number }> {
    return this.fused.trainBatch(images, labels, count);
  }

  async predict(images: Float32Array, count: number): Promise<Float32Array> {
    return this.fused.predict(images, count);
  }

  syncModel(): void {
    this.fused.syncModel();
  }

  dispose(): void {
    this.fused.dispose();
  }
}

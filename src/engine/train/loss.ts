// Loss and optimizer. Models end in logits by convention; a model whose last layer already applies
// softmax gets cross-entropy on probabilities instead, so softmax is never applied twice.
import type { Optimizer, Tensor } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { Tf } from "../tf";
import type { OptimizerName } from "../types";

/** Cross-entropy of each example (shape [batch]); the layers engine averages it for training. */
export function perExampleLoss(tf: Tf, oneHot: Tensor, output: Tensor, outputsProbabilities: boolean): Tensor {
  return outputsProbabilities
    ? tf.metrics.categoricalCrossentropy(oneHot, output)
    : tf.losses.softmaxCrossEntropy(oneHot, output, undefined, 0, tf.Reduction.NONE);
}

const EPSILON = 1e-7;

/**
 * The cross-entropy of one example from the model's output row, as tfjs computes it: on logits,
 * -log softmax at the label; on probabilities (categoricalCrossentropy), the row normalized by
 * its sum and clipped to [1e-7, 1 - 1e-7] before the log.
 */
export function exampleLoss(row: ArrayLike<number>, label: number, outputsProbabilities: boolean): number {
  if (outputsProbabilities) {
    let sum = 0;
    for (let c = 0; c < row.length; c++) sum += row[c];
    const p = Math.min(Math.max(row[label] / sum, EPSILON), 1 - EPSILON);
    return -Math.log(p);
  }
  let top = -Infinity;
  for (let c = 0; c < row.length; c++) top = Math.max(top, row[c]);
  let sum = 0;
  for (let c = 0; c < row.length; c++) sum += Math.exp(row[c] - top);
  return -(row[label] - top - Math.log(sum));
}

export function createOptimizer(tf: Tf, name: OptimizerName, learningRate: number): Optimizer {
  switch (name) {
    case "adam":
      return tf.train.adam(learningRate);
    case "sgd":
      return tf.train.sgd(learningRate);
    case "rmsprop":
      return tf.train.rmsprop(learningRate);
    case "adagrad":
      return tf.train.adagrad(learningRate);
    case "adadelta":
      return tf.train.adadelta(learningRate);
    case "adamax":
      return tf.train.adamax(learningRate);
    default: {
      const unknown: never = name;
      throw new Error(`Unknown optimizer "${String(unknown)}"`);
    }
  }
}

/** Compiles the model for training; returns the optimizer, which the caller disposes after the run. */
export function compileForTraining(
  tf: Tf,
  model: LayersModel,
  options: { optimizer: OptimizerName; learningRate: number; outputsProbabilities: boolean },
): Optimizer {
  const optimizer = createOptimizer(tf, options.optimizer, options.learningRate);
  model.compile({
    optimizer,
    loss: (yTrue: Tensor, yPred: Tensor) => perExampleLoss(tf, yTrue, yPred, options.outputsProbabilities),
    // With a custom loss, tfjs-layers maps "accuracy" to categorical accuracy (argmax match).
    metrics: ["accuracy"],
  });
  return optimizer;
}

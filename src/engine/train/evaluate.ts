// Evaluation of a model on a split, in batches so that memory stays bounded whatever the split size.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Split } from '../datasets';
import type { Tf } from '../tf';
import type { Misclassified } from '../types';
import { perExampleLoss } from './loss';

const EVAL_BATCH = 500;

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
  perClassAccuracy: number[];
  misclassified: Misclassified[];
  examples: number;
}

export async function evaluateSplit(
  tf: Tf,
  model: LayersModel,
  split: Split,
  options: { numClasses: number; imageShape: number[]; outputsProbabilities: boolean; afterBatch?: () => Promise<void> },
): Promise<Evaluation> {
  const { numClasses, imageShape, outputsProbabilities } = options;
  const imageSize = imageShape.reduce((a, b) => a * b, 1);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const misclassified: Misclassified[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const end = Math.min(start + EVAL_BATCH, split.count);
    const labels = split.labels.subarray(start, end);
    const [losses, predicted] = tf.tidy(() => {
      const x = tf.tensor(split.images.subarray(start * imageSize, end * imageSize), [end - start, ...imageShape]);
      const output = model.predict(x) as Tensor;
      const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses);
      return [perExampleLoss(tf, oneHot, output, outputsProbabilities), tf.argMax(output, -1)];
    });
    const [lossValues, predictedValues] = await Promise.all([losses.data(), predicted.data()]);
    tf.dispose([losses, predicted]);
    for (let i = 0; i < labels.length; i++) {
      const truth = labels[i];
      const guess = predictedValues[i];
      lossSum += lossValues[i];
      confusion[truth][guess]++;
      if (truth === guess) correct++;
      else misclassified.push([start + i, truth, guess]);
    }
    await options.afterBatch?.();
  }
  const examples = split.count;
  return {
    loss: examples ? lossSum / examples : NaN,
    accuracy: examples ? correct / examples : NaN,
    confusion,
    perClassAccuracy: confusion.map((row, truth) => {
      const total = row.reduce((a, b) => a + b, 0);
      return total ? row[truth] / total : 0;
    }),
    misclassified,
    examples,
  };
}

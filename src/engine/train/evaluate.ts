// Evaluation of a model on a split, in batches so that memory stays bounded whatever the split size.
import type { Split } from "../datasets";
import type { Misclassified } from "../types";
import type { BatchTrainer } from "./batch-trainer";
import { exampleLoss } from "./loss";

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
  trainer: BatchTrainer,
  split: Split,
  options: {
    numClasses: number;
    imageShape: number[];
    outputsProbabilities: boolean;
    afterBatch?: () => Promise<void>;
  },
): Promise<Evaluation> {
  const { numClasses, imageShape, outputsProbabilities } = options;
  const batchSize = trainer.evalBatchSize;
  const imageSize = imageShape.reduce((a, b) => a * b, 1);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const misclassified: Misclassified[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const end = Math.min(start + batchSize, split.count);
    const outputs = await trainer.predict(split.images.subarray(start * imageSize, end * imageSize), end - start);
    for (let i = 0; i < end - start; i++) {
      const truth = split.labels[start + i];
      const row = outputs.subarray(i * numClasses, (i + 1) * numClasses);
      let guess = 0;
      for (let c = 1; c < numClasses; c++) if (row[c] > row[guess]) guess = c;
      lossSum += exampleLoss(row, truth, outputsProbabilities);
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

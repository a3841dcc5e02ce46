import type { DatasetInfo, ModelSummary } from "../types";

const show = (shape: readonly number[]): string => `[${shape.join(",")}]`;

/**
 * An error message when the model has a shape problem, cannot take the dataset's images or does not
 * emit one unit per class.
 */
export function checkInputShape(summary: ModelSummary, dataset: DatasetInfo): string | undefined {
  const problem = summary.problems?.[0];
  if (problem) return `model ${summary.name}: ${problem.message}`;
  const expected = summary.inputShape;
  const images = dataset.imageShape;
  const fits = expected.length === images.length && expected.every((d, i) => d === -1 || d === images[i]);
  if (!fits) {
    return `model ${summary.name} expects input ${show(expected)} but dataset ${dataset.name} has images ${show(images)}`;
  }
  const output = summary.outputShape;
  if (output.length !== 1 || output[0] !== dataset.numClasses) {
    return (
      `model ${summary.name} outputs ${show(output)} but dataset ${dataset.name} has ${dataset.numClasses} classes: ` +
      `end the model with a Dense layer of ${dataset.numClasses} units`
    );
  }
  return undefined;
}

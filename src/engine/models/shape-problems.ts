// Shapes tfjs builds without complaint but that cannot train as a classifier: a kernel or pooling
// window larger than its input (the axis shrinks to nothing), a reshape to another number of values,
// and a model whose output is not one vector per example (a Dense after a Conv2D without Flatten
// maps only the last axis). Each problem names the layer where it starts.
import type { LayerSummary, ModelSummary, ShapeProblem } from "../types";
import { showShape, windowTooLarge } from "./shape-errors";

const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const known = (shape: number[]): boolean => shape.every((d) => d >= 0);

export function shapeProblems(summary: ModelSummary): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const at = (layer: LayerSummary, message: string): ShapeProblem => ({
    message,
    layer: layer.name,
    ...(layer.location ? { location: layer.location } : {}),
  });
  const emptied = summary.layers.find((layer) => layer.outputShape.includes(0));
  if (emptied) problems.push(at(emptied, emptyAxis(emptied)));
  for (const layer of summary.layers) {
    const input = layer.inputShapes?.[0];
    if (layer.type !== "Reshape" || !input || !known(input) || !known(layer.outputShape)) continue;
    if (product(input) !== product(layer.outputShape)) {
      problems.push(
        at(
          layer,
          `Reshape to ${showShape(layer.outputShape)} (${product(layer.outputShape)} values) cannot take a ${showShape(input)} input (${product(input)} values)`,
        ),
      );
    }
  }
  if (!emptied && summary.outputShape.length > 1 && summary.layers.length > 0) problems.push(notAVector(summary, at));
  return problems;
}

function emptyAxis(layer: LayerSummary): string {
  const input = layer.inputShapes?.[0];
  const tooLarge = input && windowTooLarge(layer.type, layer.config, input, layer.outputShape);
  return (
    tooLarge || `${layer.type} outputs ${showShape(layer.outputShape)}: an axis of size 0 leaves nothing to train on`
  );
}

function notAVector(summary: ModelSummary, at: (layer: LayerSummary, message: string) => ShapeProblem): ShapeProblem {
  const output = showShape(summary.outputShape);
  const dense = summary.layers.find((layer) => layer.type === "Dense" && (layer.inputShapes?.[0]?.length ?? 0) > 1);
  if (dense) {
    return at(
      dense,
      `Dense gets a ${showShape(dense.inputShapes![0])} input and maps only its last axis, so the model outputs ${output} ` +
        `instead of one vector per example: add tf.layers.flatten() before it`,
    );
  }
  const last = summary.layers[summary.layers.length - 1];
  return at(
    last,
    `the model outputs ${output} per example; a classifier ends with a vector: add tf.layers.flatten() and a dense layer`,
  );
}

// Per-layer summary, parameter counts, MACs and softmax detection of a built model.
import type { LayersModel, Shape } from '@tensorflow/tfjs-layers';
import type { LayerSummary, ModelSummary } from '../types';
import { architectureHash } from './hash';
import { layerMacs, type LayerConfig } from './macs';
import { nestedModel, type Layer } from './nested';

/** Unknown dimensions (null) are reported as -1. */
const withoutBatch = (shape: Shape): number[] => shape.slice(1).map((d) => d ?? -1);

export function summarizeModel(model: LayersModel, name: string): ModelSummary {
  const layers = displayNames(model.layers.filter((layer) => layer.getClassName() !== 'InputLayer').map(summarizeLayer));
  const trainable = countWeights(model.trainableWeights);
  const nonTrainable = countWeights(model.nonTrainableWeights);
  return {
    name,
    inputShape: withoutBatch(model.inputs[0].shape),
    outputShape: withoutBatch(model.outputs[0].shape),
    layers,
    params: { total: trainable + nonTrainable, trainable, nonTrainable },
    macs: layers.reduce((sum, layer) => sum + layer.macs, 0),
    outputsProbabilities: endsWithSoftmax(model),
    architectureHash: architectureHash(model),
  };
}

function summarizeLayer(layer: Layer): LayerSummary {
  return {
    name: layer.name,
    type: layer.getClassName(),
    outputShape: withoutBatch(firstShape(layer.inboundNodes[0]?.outputShapes) ?? []),
    params: layer.countParams(),
    macs: macsOf(layer),
  };
}

function macsOf(layer: Layer): number {
  const inner = nestedModel(layer);
  if (inner) return inner.layers.reduce((sum, l) => sum + macsOf(l), 0);
  const node = layer.inboundNodes[0];
  const input = firstShape(node?.inputShapes);
  const output = firstShape(node?.outputShapes);
  if (!input || !output) return 0;
  return layerMacs(layer.getClassName(), layer.getConfig() as LayerConfig, input.slice(1), output.slice(1));
}

/**
 * tfjs names unnamed layers with a process-wide counter and the class name (`conv2d_Conv2D9`), so
 * the same file shows different names on every build. Such names are shown Keras-style, numbered
 * within this model (`conv2d_1`); names the user gave are kept.
 */
function displayNames(layers: LayerSummary[]): LayerSummary[] {
  const counts = new Map<string, number>();
  return layers.map((layer) => {
    const auto = /^([a-z0-9_]+)_([A-Z][A-Za-z0-9]*?)\d+$/.exec(layer.name);
    if (!auto || auto[2] !== layer.type) return layer;
    const n = (counts.get(auto[1]) ?? 0) + 1;
    counts.set(auto[1], n);
    return { ...layer, name: `${auto[1]}_${n}` };
  });
}

/** tfjs gives one shape or a list of shapes (one per input/output tensor); MACs use the first. */
function firstShape(shapes: Shape | Shape[] | undefined): Shape | undefined {
  if (!shapes || shapes.length === 0) return undefined;
  return Array.isArray(shapes[0]) ? (shapes[0] as Shape) : (shapes as Shape);
}

function countWeights(weights: { shape: Shape }[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 1), 1), 0);
}

/** True when the model's output already went through softmax, so training must not apply it again. */
function endsWithSoftmax(model: LayersModel): boolean {
  const last = model.outputs[0].sourceLayer as Layer;
  const inner = nestedModel(last);
  if (inner) return endsWithSoftmax(inner);
  if (last.getClassName() === 'Softmax') return true;
  return (last.getConfig() as { activation?: unknown }).activation === 'softmax';
}

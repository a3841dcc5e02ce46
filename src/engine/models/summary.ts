// Per-layer summary of a built model: shapes, parameters, MACs, data flow, receptive fields, the
// source line of each layer, and shapes that cannot train; plus softmax detection.
import type { LayersModel, Shape } from "@tensorflow/tfjs-layers";
import type { LayerSetting, LayerSummary, ModelSummary, ReceptiveField } from "../types";
import { architectureHash } from "./hash";
import { siteOfLayer } from "./instrument";
import { layerMacs, type LayerConfig } from "./macs";
import { nestedModel, type Layer } from "./nested";
import { inputField, receptiveFieldOf, type FieldConfig } from "./receptive-field";
import { shapeProblems } from "./shape-problems";
import { locateSite } from "./sites";

/** Unknown dimensions (null) are reported as -1; an axis a layer shrank below nothing as 0. */
const withoutBatch = (shape: Shape): number[] => shape.slice(1).map((d) => (d === null ? -1 : Math.max(0, d)));

export function summarizeModel(model: LayersModel, name: string): ModelSummary {
  const inputLayers = inputLayersOf(model);
  const names = displayNames(model, inputLayers);
  const fields = new Map<Layer, ReceptiveField | undefined>();
  for (const input of inputLayers) fields.set(input, inputField(withoutBatch(input.batchInputShape ?? []).length - 1));
  const layers = model.layers
    .filter((layer) => !isInputLayer(layer))
    .map((layer) => summarizeLayer(layer, names, fields));
  const trainable = countWeights(model.trainableWeights);
  const nonTrainable = countWeights(model.nonTrainableWeights);
  const summary: ModelSummary = {
    name,
    inputShape: withoutBatch(model.inputs[0].shape),
    outputShape: withoutBatch(model.outputs[0].shape),
    layers,
    params: { total: trainable + nonTrainable, trainable, nonTrainable },
    macs: layers.reduce((sum, layer) => sum + layer.macs, 0),
    outputsProbabilities: endsWithSoftmax(model),
    architectureHash: architectureHash(model),
    inputs: model.inputs.map((input) => ({
      name: names.get(input.sourceLayer) ?? input.name,
      shape: withoutBatch(input.shape),
    })),
  };
  const problems = shapeProblems(summary);
  return problems.length ? { ...summary, problems } : summary;
}

/** Multiply-accumulates per image, without the rest of the summary. */
export function modelMacs(model: LayersModel): number {
  return model.layers.filter((layer) => !isInputLayer(layer)).reduce((sum, layer) => sum + macsOf(layer), 0);
}

function isInputLayer(layer: Layer): boolean {
  return layer.getClassName() === "InputLayer";
}

/** The input layers the model's layers are connected to (a Sequential keeps them out of `layers`). */
function inputLayersOf(model: LayersModel): Layer[] {
  const inputs = new Set<Layer>(model.layers.filter(isInputLayer));
  for (const input of model.inputs)
    if (input.sourceLayer && isInputLayer(input.sourceLayer)) inputs.add(input.sourceLayer);
  for (const layer of model.layers)
    for (const inbound of layer.inboundNodes[0]?.inboundLayers ?? []) if (isInputLayer(inbound)) inputs.add(inbound);
  return [...inputs];
}

function summarizeLayer(
  layer: Layer,
  names: Map<Layer, string>,
  fields: Map<Layer, ReceptiveField | undefined>,
): LayerSummary {
  const node = layer.inboundNodes[0];
  const outputShape = withoutBatch(firstShape(node?.outputShapes) ?? []);
  const inbound = node?.inboundLayers ?? [];
  const config = layer.getConfig() as LayerConfig & FieldConfig;
  const field = receptiveFieldOf(
    layer.getClassName(),
    config,
    inbound.map((l) => fields.get(l)),
    Math.max(0, outputShape.length - 1),
  );
  fields.set(layer, field);
  const site = siteOfLayer(layer);
  const location = site && locateSite(site);
  return {
    name: names.get(layer) ?? layer.name,
    type: layer.getClassName(),
    outputShape,
    params: layer.countParams(),
    macs: macsOf(layer),
    inputShapes: allShapes(node?.inputShapes).map(withoutBatch),
    trainableParams: countWeights(layer.trainableWeights),
    inputs: inbound.map((l) => names.get(l) ?? l.name),
    config: settingsOf(config as Record<string, unknown>),
    ...(location ? { location } : {}),
    ...(field ? { receptiveField: field } : {}),
  };
}

function macsOf(layer: Layer): number {
  const inner = nestedModel(layer);
  if (inner) return inner.layers.reduce((sum, l) => sum + macsOf(l), 0);
  const node = layer.inboundNodes[0];
  const input = firstShape(node?.inputShapes);
  const output = firstShape(node?.outputShapes);
  if (!input || !output) return 0;
  return layerMacs(layer.getClassName(), layer.getConfig(), input.slice(1), output.slice(1));
}

const LEFT_OUT = new Set(["name", "dtype", "batchInputShape", "inputShape", "layers"]);

/** The config's plain settings; initializers, regularizers and constraints by their class name. */
function settingsOf(config: Record<string, unknown>): Record<string, LayerSetting> {
  const settings: Record<string, LayerSetting> = {};
  for (const [key, value] of Object.entries(config)) {
    if (LEFT_OUT.has(key) || value === null || value === undefined) continue;
    if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") settings[key] = value;
    else if (Array.isArray(value) && value.every((v) => v === null || typeof v === "number"))
      settings[key] = value as (number | null)[];
    else if (typeof (value as { className?: unknown }).className === "string")
      settings[key] = (value as { className: string }).className;
  }
  return settings;
}

/**
 * tfjs names unnamed layers with a process-wide counter and the class name (`conv2d_Conv2D9`), so
 * the same file shows different names on every build. Such names are shown Keras-style, numbered
 * within this model (`conv2d_1`), and generated input names as `input` (`input_1`... for several);
 * names the user gave are kept.
 */
function displayNames(model: LayersModel, inputs: Layer[]): Map<Layer, string> {
  const names = new Map<Layer, string>();
  const counts = new Map<string, number>();
  for (const layer of [...inputs, ...model.layers]) {
    if (names.has(layer)) continue;
    if (isInputLayer(layer)) {
      if (!/^input\d+$|_input$/.test(layer.name)) continue;
      names.set(layer, inputs.length === 1 ? "input" : `input_${inputs.indexOf(layer) + 1}`);
      continue;
    }
    const auto = /^([a-z0-9_]+)_([A-Z][A-Za-z0-9]*?)\d+$/.exec(layer.name);
    if (!auto || auto[2] !== layer.getClassName()) continue;
    const n = (counts.get(auto[1]) ?? 0) + 1;
    counts.set(auto[1], n);
    names.set(layer, `${auto[1]}_${n}`);
  }
  return names;
}

/** tfjs gives one shape or a list of shapes (one per input/output tensor). */
function allShapes(shapes: Shape | Shape[] | undefined): Shape[] {
  if (!shapes || shapes.length === 0) return [];
  return Array.isArray(shapes[0]) ? (shapes as Shape[]) : [shapes as Shape];
}

/** MACs use the first shape. */
function firstShape(shapes: Shape | Shape[] | undefined): Shape | undefined {
  return allShapes(shapes)[0];
}

function countWeights(weights: { shape: Shape }[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 1), 1), 0);
}

/** True when the model's output already went through softmax, so training must not apply it again. */
function endsWithSoftmax(model: LayersModel): boolean {
  const last = model.outputs[0].sourceLayer;
  const inner = nestedModel(last);
  if (inner) return endsWithSoftmax(inner);
  if (last.getClassName() === "Softmax") return true;
  return (last.getConfig() as { activation?: unknown }).activation === "softmax";
}

// A tfjs LayersModel read as the graph of layers the fused engine can train (a chain, or branches
// joined by Add and Concatenate), or the reason it cannot (the caller then trains with tfjs). Only
// what is read here is supported: every other layer type, option or connection is refused by name.
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { ACTIVATIONS, type ActivationName } from "./kernels";

export class FusedUnsupported extends Error {}

interface Conv {
  kind: "conv";
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  padding: "same" | "valid";
  activation: ActivationName;
  bias: boolean;
}
interface Dense {
  kind: "dense";
  units: number;
  activation: ActivationName;
  bias: boolean;
}
interface Pool {
  kind: "maxpool" | "avgpool";
  size: [number, number];
  strides: [number, number];
  padding: "same" | "valid";
}
interface Dropout {
  kind: "dropout";
  rate: number;
}
interface Activation {
  kind: "activation";
  activation: ActivationName;
}
interface Reshape {
  kind: "reshape";
}
interface BatchNorm {
  kind: "batchnorm";
  epsilon: number;
  momentum: number;
}
interface Join {
  kind: "add" | "concat" | "gap";
}

type Op = Conv | Dense | Pool | Dropout | Activation | Reshape | BatchNorm | Join;

export type FusedLayer = Op & {
  name: string;
  /** The layers whose outputs this one takes, in order (-1: the model's input). */
  inputs: number[];
  /** Without the batch axis, of each input. */
  inShapes: number[][];
  /** Without the batch axis: of the first input, and of the output. */
  inShape: number[];
  outShape: number[];
  /** The tfjs layer (for its weights) and whether the optimizer updates them. */
  source: LayersModel["layers"][number];
  trainable: boolean;
};

export interface FusedGraph {
  layers: FusedLayer[];
  inputShape: number[];
  classes: number;
  /** The last layer applies softmax: the loss is cross-entropy on probabilities, as tfjs's. */
  probabilities: boolean;
}

type Config = Record<string, unknown>;

const IGNORED = new Set(["name", "trainable", "batchInputShape", "dtype", "inputShape", "batchSize"]);

export function readGraph(model: LayersModel): FusedGraph {
  const layers: FusedLayer[] = [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new FusedUnsupported("models with several inputs or outputs");
  // Which layer made each tensor; tfjs lists a model's layers in an order where producers come first.
  const producers = new Map<unknown, number>([[model.inputs[0], -1]]);
  for (const layer of model.layers.filter((l) => l.getClassName() !== "InputLayer")) {
    const inbound = layer.inboundNodes;
    if (inbound.length !== 1)
      throw new FusedUnsupported(`layer ${layer.name} is used more than once (shared layers are not supported)`);
    const inputs = inbound[0].inputTensors.map((t) => producers.get(t));
    if (inputs.some((i) => i === undefined))
      throw new FusedUnsupported(`layer ${layer.name} takes a tensor from outside the model`);
    const inShapes = inbound[0].inputTensors.map((t) => t.shape.slice(1) as number[]);
    const outShape = inbound[0].outputTensors[0].shape.slice(1) as number[];
    if ([...inShapes.flat(), ...outShape].some((d) => typeof d !== "number" || d < 1))
      throw new FusedUnsupported(`layer ${layer.name} has an unknown shape`);
    const op = readLayer(layer.getClassName(), layer.getConfig(), layer.name);
    if (op.kind !== "add" && op.kind !== "concat" && inputs.length !== 1)
      throw new FusedUnsupported(`layer ${layer.name} takes several inputs`);
    if (op.kind === "add" && inShapes.some((shape) => shape.join() !== outShape.join()))
      throw new FusedUnsupported(`layer ${layer.name} adds tensors of different shapes`);
    producers.set(inbound[0].outputTensors[0], layers.length);
    layers.push({
      ...op,
      name: layer.name,
      inputs: inputs as number[],
      inShapes,
      inShape: inShapes[0],
      outShape,
      source: layer,
      trainable: layer.trainable,
    });
  }
  if (producers.get(model.outputs[0]) !== layers.length - 1)
    throw new FusedUnsupported("the model output is not the last layer");
  const last = layers[layers.length - 1];
  if (!last) throw new FusedUnsupported("a model without layers");
  const outShape = last.outShape;
  if (outShape.length !== 1) throw new FusedUnsupported("the output is not a vector of class scores");
  const softmaxAt = layers.findIndex((l) => "activation" in l && l.activation === "softmax");
  if (softmaxAt >= 0 && softmaxAt !== layers.length - 1)
    throw new FusedUnsupported(`softmax before the last layer (${layers[softmaxAt].name})`);
  return {
    layers,
    inputShape: (model.inputs[0].shape as number[]).slice(1),
    classes: outShape[0],
    probabilities: softmaxAt >= 0,
  };
}

function readLayer(type: string, config: Config, name: string): Op {
  const refuse = (what: string) => new FusedUnsupported(`${type} layer ${name}: ${what}`);
  const only = (allowed: string[]) => {
    for (const [key, value] of Object.entries(config)) {
      if (IGNORED.has(key) || allowed.includes(key) || value === null || value === undefined) continue;
      throw refuse(`option ${key} is not supported`);
    }
  };
  const initializers = ["kernelInitializer", "biasInitializer"];
  switch (type) {
    case "Conv2D": {
      only([
        "rank",
        "filters",
        "kernelSize",
        "strides",
        "padding",
        "dataFormat",
        "dilationRate",
        "activation",
        "useBias",
        ...initializers,
      ]);
      if (config.dataFormat !== "channelsLast") throw refuse("only channelsLast data");
      if (pair(config.dilationRate ?? 1).some((d) => d !== 1)) throw refuse("dilation is not supported");
      return {
        kind: "conv",
        filters: config.filters as number,
        kernel: pair(config.kernelSize),
        strides: pair(config.strides ?? 1),
        padding: padding(config.padding, refuse),
        activation: activation(config.activation, refuse),
        bias: config.useBias !== false,
      };
    }
    case "Dense":
      only(["units", "activation", "useBias", ...initializers]);
      return {
        kind: "dense",
        units: config.units as number,
        activation: activation(config.activation, refuse),
        bias: config.useBias !== false,
      };
    case "MaxPooling2D":
    case "AveragePooling2D":
      only(["poolSize", "strides", "padding", "dataFormat"]);
      if (config.dataFormat !== "channelsLast") throw refuse("only channelsLast data");
      return {
        kind: type === "MaxPooling2D" ? "maxpool" : "avgpool",
        size: pair(config.poolSize),
        strides: pair(config.strides ?? config.poolSize),
        padding: padding(config.padding, refuse),
      };
    case "Dropout":
      only(["rate", "seed"]);
      if (config.noiseShape) throw refuse("noiseShape is not supported");
      return { kind: "dropout", rate: config.rate as number };
    case "Activation":
      only(["activation"]);
      return { kind: "activation", activation: activation(config.activation, refuse) };
    case "Flatten":
      only(["dataFormat"]);
      return { kind: "reshape" };
    case "Reshape":
      only(["targetShape"]);
      return { kind: "reshape" };
    case "BatchNormalization": {
      only([
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        "betaInitializer",
        "gammaInitializer",
        "movingMeanInitializer",
        "movingVarianceInitializer",
      ]);
      if (config.axis !== -1) throw refuse("only the last axis (channels) is normalized");
      if (config.center === false || config.scale === false) throw refuse("center and scale must be on");
      return { kind: "batchnorm", epsilon: config.epsilon as number, momentum: config.momentum as number };
    }
    case "GlobalAveragePooling2D":
      only(["dataFormat"]);
      if (config.dataFormat !== "channelsLast") throw refuse("only channelsLast data");
      return { kind: "gap" };
    case "Add":
      only([]);
      return { kind: "add" };
    case "Concatenate":
      only(["axis"]);
      if (config.axis !== -1 && config.axis !== 3) throw refuse("only the channel axis is concatenated");
      return { kind: "concat" };
    default:
      throw new FusedUnsupported(`${type} layers are not supported`);
  }
}

function pair(value: unknown): [number, number] {
  if (!Array.isArray(value)) return [value as number, value as number];
  const [first, second] = value as number[];
  return [first, second ?? first];
}

function padding(value: unknown, refuse: (what: string) => Error): "same" | "valid" {
  if (value === "same" || value === "valid") return value;
  throw refuse(`padding ${String(value)} is not supported`);
}

function activation(value: unknown, refuse: (what: string) => Error): ActivationName {
  const name =
    typeof value === "string" ? value : value === undefined || value === null ? "linear" : JSON.stringify(value);
  if ((ACTIVATIONS as readonly string[]).includes(name) || name === "softmax") return name as ActivationName;
  throw refuse(`activation ${name} is not supported`);
}

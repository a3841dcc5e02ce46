// Receptive fields: how many input pixels one output position of a layer sees (per spatial axis),
// and the step in input pixels between neighbouring output positions, composed layer by layer:
// a window of k (dilation d) on a grid of step j grows the field by (k - 1)·d·j, and a stride s
// multiplies the step by s. Merges take the largest of their inputs.
import type { ReceptiveField } from "../types";

export interface FieldConfig {
  kernelSize?: number | number[];
  poolSize?: number | number[];
  strides?: number | number[] | null;
  dilationRate?: number | number[];
  size?: number | number[];
}

const perAxis = (value: number | number[] | null | undefined, rank: number, fallback: number): number[] =>
  Array.isArray(value) ? value.slice(0, rank) : Array.from({ length: rank }, () => value ?? fallback);

const WINDOWED = /^(Conv[123]D|DepthwiseConv2D|SeparableConv[12]D|(Max|Average)Pooling[123]D)$/;
const TRANSPOSED = /^Conv[23]DTranspose$/;
const UPSAMPLING = /^UpSampling[123]D$/;

/** The field of a layer's output from its inputs' fields; undefined once the output has no spatial axes. */
export function receptiveFieldOf(
  type: string,
  config: FieldConfig,
  inputs: (ReceptiveField | undefined)[],
  spatialRank: number,
): ReceptiveField | undefined {
  const known = inputs.filter((f): f is ReceptiveField => f !== undefined && f.size.length === spatialRank);
  if (spatialRank === 0 || known.length === 0) return undefined;
  const input: ReceptiveField = {
    size: known[0].size.map((_, axis) => Math.max(...known.map((f) => f.size[axis]))),
    stride: known[0].stride.map((_, axis) => Math.max(...known.map((f) => f.stride[axis]))),
  };
  const dilation = perAxis(config.dilationRate, spatialRank, 1);
  if (WINDOWED.test(type)) {
    const window = perAxis(config.kernelSize ?? config.poolSize, spatialRank, 1);
    // Pooling strides default to the pool size, convolution strides to 1.
    const strides = perAxis(config.strides, spatialRank, config.poolSize !== undefined ? 0 : 1).map(
      (s, axis) => s || window[axis],
    );
    return {
      size: input.size.map((size, axis) => size + (window[axis] - 1) * dilation[axis] * input.stride[axis]),
      stride: input.stride.map((step, axis) => step * strides[axis]),
    };
  }
  if (TRANSPOSED.test(type)) {
    const window = perAxis(config.kernelSize, spatialRank, 1);
    const strides = perAxis(config.strides, spatialRank, 1);
    // Each output position gathers ceil(k / s) input positions.
    return {
      size: input.size.map((size, axis) => size + (Math.ceil(window[axis] / strides[axis]) - 1) * input.stride[axis]),
      stride: input.stride.map((step, axis) => step / strides[axis]),
    };
  }
  if (UPSAMPLING.test(type)) {
    const factor = perAxis(config.size, spatialRank, 2);
    return { size: input.size, stride: input.stride.map((step, axis) => step / factor[axis]) };
  }
  return input;
}

/** The field of a model input: each position sees itself. */
export function inputField(spatialRank: number): ReceptiveField | undefined {
  return spatialRank > 0
    ? { size: new Array<number>(spatialRank).fill(1), stride: new Array<number>(spatialRank).fill(1) }
    : undefined;
}

// Multiply-accumulate counts for one example (batch size 1).
//
// Convention: only products against a layer's weights count: Dense, the convolutions and the
// recurrent layers' matrix products. Bias adds, activations, pooling, normalization, dropout and
// reshapes count 0: they are elementwise, small next to the products, and tools disagree on how to
// count them. A dimension of unknown size (null) counts as 1.

type Shape = (number | null)[];

export interface LayerConfig {
  units?: number;
  filters?: number;
  kernelSize?: number | number[];
  depthMultiplier?: number;
  dataFormat?: string;
}

const product = (dims: Shape): number => dims.reduce<number>((acc, d) => acc * (d ?? 1), 1);

/** Splits a shape without batch dimension into spatial dims and channels. */
function channels(shape: Shape, dataFormat: string | undefined): { spatial: Shape; channels: number } {
  return dataFormat === "channelsFirst"
    ? { spatial: shape.slice(1), channels: shape[0] ?? 1 }
    : { spatial: shape.slice(0, -1), channels: shape[shape.length - 1] ?? 1 };
}

function kernelArea(config: LayerConfig, rank: number): number {
  const k = config.kernelSize ?? 1;
  return Array.isArray(k) ? product(k) : k ** rank;
}

const RECURRENT_GATES: Record<string, number> = { SimpleRNN: 1, GRU: 3, LSTM: 4 };

/** MACs of one layer given its class name, config, and input/output shapes without the batch dim. */
export function layerMacs(type: string, config: LayerConfig, input: Shape, output: Shape): number {
  const inFormat = channels(input, config.dataFormat);
  const outFormat = channels(output, config.dataFormat);
  const rank = outFormat.spatial.length;
  switch (type) {
    case "Dense":
      // Applied to the last axis: every leading position does in * units.
      return product(input) * (config.units ?? 0);
    case "Conv1D":
    case "Conv2D":
    case "Conv3D":
      return product(outFormat.spatial) * kernelArea(config, rank) * inFormat.channels * outFormat.channels;
    case "DepthwiseConv2D":
      return product(outFormat.spatial) * kernelArea(config, rank) * outFormat.channels;
    case "SeparableConv1D":
    case "SeparableConv2D": {
      const depthwise = inFormat.channels * (config.depthMultiplier ?? 1);
      const positions = product(outFormat.spatial);
      return positions * kernelArea(config, rank) * depthwise + positions * depthwise * outFormat.channels;
    }
    case "Conv2DTranspose":
    case "Conv3DTranspose":
      // Each input position scatters a kernel-sized patch to every output channel.
      return product(inFormat.spatial) * kernelArea(config, rank) * inFormat.channels * outFormat.channels;
    case "SimpleRNN":
    case "GRU":
    case "LSTM": {
      const [steps, features] = [input[0] ?? 1, input[input.length - 1] ?? 1];
      const units = config.units ?? 0;
      return RECURRENT_GATES[type] * steps * (features * units + units * units);
    }
    default:
      return 0;
  }
}

// The tfjs namespace the engine hands to model files and training code.
import * as core from "@tensorflow/tfjs-core";
import * as layers from "@tensorflow/tfjs-layers";
// Types only (erased at run time): declares the chained methods registered below on Tensor.
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";

export type Tf = typeof import("@tensorflow/tfjs-core") & typeof import("@tensorflow/tfjs-layers");

let merged: Tf | undefined;

/** The engine's own tfjs-core and tfjs-layers on one namespace, as `@tensorflow/tfjs` exposes them. */
export function engineTf(): Tf {
  if (!merged) {
    registerChainedOps();
    merged = Object.freeze({ ...core, ...layers });
  }
  return merged;
}

// Chained methods (`x.square().sum()`) come with the `@tensorflow/tfjs` package, which registers
// them on the Tensor class as it loads; tfjs-core's Node build alone does not. Model files written
// for `@tensorflow/tfjs` use them, so they are registered the same way: `x.op(...args)` is
// `op(x, ...args)` for each of these (names as in tfjs-core's public/chained_ops).
const PASS_THROUGH =
  "abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh avgPool batchToSpaceND batchNorm broadcastTo cast ceil " +
  "clipByValue conv1d conv2d conv2dTranspose cos cosh cumprod cumsum depthToSpace depthwiseConv2d dilation2d div divNoNan dot elu " +
  "equal erf euclideanNorm exp expandDims expm1 floor floorDiv gather greater greaterEqual isFinite isInf isNaN leakyRelu less " +
  "lessEqual localResponseNormalization log log1p logSigmoid logSoftmax logSumExp logicalAnd logicalNot logicalOr logicalXor matMul " +
  "max maxPool maximum mean min minimum mirrorPad mod mul neg norm notEqual oneHot onesLike pad pool pow prelu prod reciprocal relu " +
  "relu6 reshape reverse round rsqrt selu separableConv2d sigmoid sign sin sinh slice softmax softplus spaceToBatchND split sqrt " +
  "square squaredDifference squeeze step stridedSlice sub sum tan tanh tile topk transpose unique unsortedSegmentSum unstack zerosLike";

type Op = (x: core.Tensor, ...args: unknown[]) => unknown;

function registerChainedOps(): void {
  const proto = core.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = core as unknown as Record<string, Op | undefined>;
  const nested = [core.image, core.spectral] as unknown as Record<string, Op | undefined>[];
  const define = (name: string, method: (this: core.Tensor, ...args: unknown[]) => unknown) => {
    if (typeof proto[name] !== "function") proto[name] = method;
  };
  for (const name of PASS_THROUGH.split(" ")) {
    const op = ops[name];
    if (op)
      define(name, function (...args) {
        return op(this, ...args);
      });
  }
  for (const name of ["resizeBilinear", "resizeNearestNeighbor", "fft", "ifft", "rfft", "irfft"]) {
    const op = nested.map((ns) => ns[name]).find((f) => f !== undefined);
    if (op)
      define(name, function (...args) {
        return op(this, ...args);
      });
  }
  define("asType", function (dtype) {
    return core.cast(this, dtype as core.DataType);
  });
  define("toFloat", function () {
    return core.cast(this, "float32");
  });
  define("toInt", function () {
    return core.cast(this, "int32");
  });
  define("toBool", function () {
    return core.cast(this, "bool");
  });
  define("flatten", function () {
    return core.reshape(this, [this.size]);
  });
  define("as1D", function () {
    return core.reshape(this, [this.size]);
  });
  for (const [name, rank] of [
    ["as2D", 2],
    ["as3D", 3],
    ["as4D", 4],
    ["as5D", 5],
  ] as const) {
    define(name, function (...dims) {
      return core.reshape(this, dims.slice(0, rank) as number[]);
    });
  }
  define("asScalar", function () {
    return core.reshape(this, []);
  });
  define("reshapeAs", function (other) {
    return core.reshape(this, (other as core.Tensor).shape);
  });
  define("concat", function (x, axis) {
    return core.concat([this, ...(x instanceof core.Tensor ? [x] : (x as core.Tensor[]))], axis as number);
  });
  define("stack", function (x, axis) {
    return core.stack([this, ...(x instanceof core.Tensor ? [x] : (x as core.Tensor[]))], axis as number);
  });
  define("where", function (condition, x) {
    return core.where(condition as core.Tensor, this, x as core.Tensor);
  });
}

// Lowering: a FusedGraph at one batch size becomes the kernel calls of a training step (forward,
// loss, backward, optimizer) or of inference. Buffers are byte offsets in the runtime's memory.
import { activationCode } from "./kernels";
import type { FusedGraph } from "./graph";
import { convBackward, convForward } from "./lower-conv";
import { Lowering, size, window } from "./lowering";
import type { FusedRuntime } from "./runtime";

/** Where a layer's parameters, their gradients and the optimizer's slots live. */
export interface LayerParams {
  kernel: number;
  kernelCount: number;
  bias: number;
  biasCount: number;
  /** Batch normalization's moving mean, then its moving variance: state, not trained. */
  state?: number;
  /** Offset of the gradient from the parameter (the same for kernel and bias). */
  gradOffset: number;
}

export interface Shared {
  params: (LayerParams | undefined)[];
  /** The optimizer kernel, its slot arrays (offset from each parameter) and its scalars. */
  optimizer: { kernel: string; slotOffsets: number[]; scalars: number };
  /** The step's dropout seed (a u32 rewritten before each step). */
  stepSeed: number;
  /** Two floats: the batch's mean loss and accuracy. */
  metrics: number;
  /** Where a training step's batch comes from (struct Gather in gather.c). */
  gather: number;
}

export interface Plan {
  id: number;
  batch: number;
  input: number;
  labels: number;
  /** Inference: the model's outputs (probabilities when it ends in softmax, else logits). */
  output: number;
  /** Training: the batch's image indices in an attached split (gathered by the step's first kernel). */
  indices: number;
}

interface Forward {
  /** Each layer's output buffer. */
  outputs: number[];
  /** Per layer, what its backward pass needs: im2col rows, pooling indices, dropout masks, xhat. */
  saved: number[];
  /** Batch normalization's per-channel inverse deviations. */
  inv: number[];
}

function forward(lo: Lowering, graph: FusedGraph, shared: Shared, input: number, train: boolean): Forward {
  const B = lo.batch;
  const outputs: number[] = [];
  const saved: number[] = [];
  const inv: number[] = [];
  const bufferOf = (i: number) => (i < 0 ? input : outputs[i]);
  graph.layers.forEach((layer, index) => {
    const x = bufferOf(layer.inputs[0]);
    let y = x;
    let keep = 0;
    const p = shared.params[index];
    const out = size(layer.outShape);
    switch (layer.kind) {
      case "dense": {
        const F = size(layer.inShape);
        y = lo.buffer(B * out);
        lo.gemm(B, layer.units, F, x, F, 1, p!.kernel, layer.units, 1, y, layer.units, {
          bias: layer.bias ? p!.bias : 0,
          activation: layer.activation,
        });
        break;
      }
      case "conv":
        y = lo.buffer(B * out);
        convForward(lo, layer, x, p!.kernel, layer.bias ? p!.bias : 0, y);
        break;
      case "maxpool": {
        const win = window(layer, B, layer.size, layer.strides, layer.padding);
        y = lo.buffer(B * out);
        keep = lo.buffer(B * out);
        lo.call("maxpool", x, y, keep, ...win);
        break;
      }
      case "avgpool": {
        const win = window(layer, B, layer.size, layer.strides, layer.padding);
        y = lo.buffer(B * out);
        lo.call("avgpool", x, y, ...win);
        break;
      }
      case "dropout":
        if (train && layer.rate > 0) {
          y = lo.buffer(B * out);
          keep = lo.buffer(B * out);
          lo.call("dropout", x, y, keep, B * out, layer.rate, shared.stepSeed, index);
        }
        break;
      case "activation":
        if (layer.activation !== "linear" && layer.activation !== "softmax") {
          y = lo.buffer(B * out);
          lo.call("copy", y, x, B * out);
          lo.call("bias_act", y, B, out, 0, activationCode(layer.activation));
        }
        break;
      case "batchnorm": {
        const C = layer.outShape[layer.outShape.length - 1];
        const rows = (B * out) / C;
        const mean = p!.state!;
        const variance = mean + C * 4;
        y = lo.buffer(B * out);
        if (!train) {
          lo.call("bn_normalize", x, y, 0, rows, C, mean, variance, p!.kernel, p!.bias, layer.epsilon, lo.buffer(C));
          break;
        }
        const batchMean = lo.buffer(C);
        const batchVar = lo.buffer(C);
        keep = lo.buffer(B * out);
        inv[index] = lo.buffer(C);
        lo.columnSums(x, rows, C, batchMean);
        lo.call("divide", batchMean, C, rows);
        lo.reduced("colsum_sqdiff_chunks", C, [x, rows, C, batchMean], batchVar);
        lo.call("divide", batchVar, C, rows);
        lo.call(
          "bn_normalize",
          x,
          y,
          keep,
          rows,
          C,
          batchMean,
          batchVar,
          p!.kernel,
          p!.bias,
          layer.epsilon,
          inv[index],
        );
        lo.call("moving_average", mean, batchMean, C, 1 - layer.momentum);
        lo.call("moving_average", variance, batchVar, C, 1 - layer.momentum);
        break;
      }
      case "gap": {
        const [h, w, c] = layer.inShape;
        y = lo.buffer(B * out);
        lo.call("global_avgpool", x, y, B, h * w, c);
        break;
      }
      case "add": {
        y = lo.buffer(B * out);
        lo.call("add", y, x, bufferOf(layer.inputs[1]), B * out);
        for (const other of layer.inputs.slice(2)) lo.call("add", y, y, bufferOf(other), B * out);
        break;
      }
      case "concat": {
        y = lo.buffer(B * out);
        const C = layer.outShape[layer.outShape.length - 1];
        let offset = 0;
        layer.inputs.forEach((i, k) => {
          const shape = layer.inShapes[k];
          const c = shape[shape.length - 1];
          lo.call("strided_copy", y + offset * 4, bufferOf(i), (B * out) / C, c, C, c);
          offset += c;
        });
        break;
      }
      case "reshape":
        break;
    }
    outputs.push(y);
    saved.push(keep);
  });
  return { outputs, saved, inv };
}

function backward(lo: Lowering, graph: FusedGraph, shared: Shared, fwd: Forward, input: number, dLogits: number): void {
  const B = lo.batch;
  const layers = graph.layers;
  // A layer needs its input gradients only if a trainable layer lies upstream of that input.
  const upstream: boolean[] = [];
  layers.forEach((layer, i) => {
    upstream[i] =
      (layer.trainable && shared.params[i] !== undefined) || layer.inputs.some((j) => j >= 0 && upstream[j]);
  });
  const wants = (j: number) => j >= 0 && upstream[j];
  // The gradient of each layer's output: the first consumer's buffer, later consumers added in.
  const grads: (number | undefined)[] = layers.map(() => undefined);
  grads[layers.length - 1] = dLogits;
  const contribute = (j: number, dx: number, count: number) => {
    if (grads[j] === undefined) grads[j] = dx;
    else lo.call("add", grads[j], grads[j], dx, count);
  };
  const inputOf = (j: number) => (j < 0 ? input : fwd.outputs[j]);
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index];
    const dy = grads[index];
    if (dy === undefined || !upstream[index]) continue;
    const p = shared.params[index];
    const x = inputOf(layer.inputs[0]);
    const y = fwd.outputs[index];
    const needInput = wants(layer.inputs[0]);
    const inCount = B * size(layer.inShape);
    const outCount = B * size(layer.outShape);
    const act = "activation" in layer ? layer.activation : "linear";
    let dx: number | undefined;
    switch (layer.kind) {
      case "dense": {
        const F = size(layer.inShape);
        const U = layer.units;
        if (act !== "linear" && act !== "softmax") lo.call("act_grad", dy, y, B * U, activationCode(act));
        if (layer.trainable) {
          lo.gemm(F, U, B, x, 1, F, dy, U, 1, p!.kernel + p!.gradOffset, U);
          if (layer.bias) lo.columnSums(dy, B, U, p!.bias + p!.gradOffset);
        }
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.gemm(B, F, U, dy, U, 1, p!.kernel, 1, U, dx, F);
        }
        break;
      }
      case "conv":
        if (act !== "linear") lo.call("act_grad", dy, y, outCount, activationCode(act));
        if (needInput) dx = lo.buffer(inCount);
        convBackward(
          lo,
          layer,
          x,
          p!.kernel,
          dy,
          layer.trainable ? { dW: p!.kernel + p!.gradOffset, dBias: p!.bias + p!.gradOffset } : undefined,
          dx,
        );
        break;
      case "maxpool":
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call(
            "maxpool_grad",
            dy,
            fwd.saved[index],
            dx,
            ...window(layer, B, layer.size, layer.strides, layer.padding),
          );
        }
        break;
      case "avgpool":
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call("avgpool_grad", dy, dx, ...window(layer, B, layer.size, layer.strides, layer.padding));
        }
        break;
      case "dropout":
        dx = dy;
        if (fwd.saved[index] && needInput) {
          dx = lo.buffer(inCount);
          lo.call("multiply", dx, dy, fwd.saved[index], inCount);
        }
        break;
      case "activation":
        if (act !== "linear" && act !== "softmax") lo.call("act_grad", dy, y, inCount, activationCode(act));
        dx = dy;
        break;
      case "batchnorm": {
        const C = layer.outShape[layer.outShape.length - 1];
        const rows = outCount / C;
        const dgamma = p!.kernel + p!.gradOffset;
        const dbeta = p!.bias + p!.gradOffset;
        lo.columnSums(dy, rows, C, dbeta);
        lo.reduced("colsum_prod_chunks", C, [dy, fwd.saved[index], rows, C], dgamma);
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call("bn_grad", dy, fwd.saved[index], dx, rows, C, p!.kernel, fwd.inv[index], dbeta, dgamma);
        }
        break;
      }
      case "gap": {
        const [h, w, c] = layer.inShape;
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call("global_avgpool_grad", dy, dx, B, h * w, c);
        }
        break;
      }
      case "add":
        // Each input's gradient is the output's; all but the first get a copy of their own (a
        // consumer may change its gradient in place).
        layer.inputs.forEach((j, k) => {
          if (!wants(j)) return;
          let own = dy;
          if (k > 0) {
            own = lo.buffer(outCount);
            lo.call("copy", own, dy, outCount);
          }
          contribute(j, own, outCount);
        });
        continue;
      case "concat": {
        const C = layer.outShape[layer.outShape.length - 1];
        let offset = 0;
        layer.inputs.forEach((j, k) => {
          const shape = layer.inShapes[k];
          const c = shape[shape.length - 1];
          if (wants(j)) {
            const part = lo.buffer((outCount / C) * c);
            lo.call("strided_copy", part, dy + offset * 4, outCount / C, c, c, C);
            contribute(j, part, (outCount / C) * c);
          }
          offset += c;
        });
        continue;
      }
      case "reshape":
        dx = dy;
        break;
    }
    if (dx !== undefined && needInput) contribute(layer.inputs[0], dx, inCount);
  }
}

function optimize(lo: Lowering, graph: FusedGraph, shared: Shared, scalars: number): void {
  const { kernel, slotOffsets } = shared.optimizer;
  graph.layers.forEach((layer, index) => {
    const p = shared.params[index];
    if (!p || !layer.trainable) return;
    // The kernel and the bias are contiguous: one update covers both.
    const w = p.kernel;
    lo.call(kernel, w, w + p.gradOffset, ...slotOffsets.map((o) => w + o), p.kernelCount + p.biasCount, scalars);
  });
}

/** The calls of one training step, or of inference, at batch size `batch`. */
export function lowerPlan(
  rt: FusedRuntime,
  graph: FusedGraph,
  shared: Shared,
  batch: number,
  train: boolean,
  scalars: number,
): Plan {
  const lo = new Lowering(rt, batch);
  const input = lo.buffer(batch * size(graph.inputShape));
  const labels = lo.buffer(batch);
  const indices = train ? lo.buffer(batch) : 0;
  if (train) lo.call("gather_batch", shared.gather, input, labels);
  const fwd = forward(lo, graph, shared, input, train);
  const logits = fwd.outputs[fwd.outputs.length - 1];
  let output = logits;
  if (train) {
    const dLogits = lo.buffer(batch * graph.classes);
    lo.call("softmax_xent", logits, labels, dLogits, batch, graph.classes, graph.probabilities ? 1 : 0, shared.metrics);
    backward(lo, graph, shared, fwd, input, dLogits);
    optimize(lo, graph, shared, scalars);
  } else if (graph.probabilities) {
    output = lo.buffer(batch * graph.classes);
    lo.call("softmax", logits, output, batch, graph.classes);
  }
  const id = rt.define(lo.finish());
  return { id, batch, input, labels, output, indices };
}

// Lowering: a FusedGraph at one batch size becomes the kernel calls of a training step (forward,
// loss, backward, optimizer) or of inference. Buffers are byte offsets in the runtime's memory.
import { activationCode } from './kernels';
import type { FusedGraph, FusedLayer } from './graph';
import type { Call, FusedRuntime } from './runtime';

/** Must match KC and REDUCTION_CHUNKS in native/fused. */
const GEMM_KC = 256;
const REDUCTION_CHUNKS = 4;
const F32 = 4;

/** Where a layer's parameters, their gradients and the optimizer's slots live. */
export interface LayerParams {
  kernel: number;
  kernelCount: number;
  bias: number;
  biasCount: number;
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
}

export interface Plan {
  id: number;
  batch: number;
  input: number;
  labels: number;
  /** Inference: the model's outputs (probabilities when it ends in softmax, else logits). */
  output: number;
}

/** Placeholders patched once the plan knows how much scratch its products need. */
const PACK = -1;
const PARTIALS = -2;

class Lowering {
  readonly calls: Call[] = [];
  private packFloats = 0;
  private partialFloats = 0;

  constructor(
    readonly rt: FusedRuntime,
    readonly batch: number,
  ) {}

  buffer(floats: number): number {
    return this.rt.alloc(floats * F32);
  }

  call(kernel: string, ...args: number[]): void {
    this.calls.push({ kernel, args });
  }

  /** C[M x N] (+)= A * B with the strides in elements; threads split the larger side. */
  gemm(M: number, N: number, K: number, A: number, sam: number, sak: number, B: number, sbk: number, sbn: number, C: number, ldc: number, accumulate = false): void {
    const splitCols = N >= M && Math.ceil(N / 8) >= this.rt.threads ? 1 : 0;
    this.packFloats = Math.max(this.packFloats, GEMM_KC * Math.ceil(N / 8) * 8);
    this.call('gemm', splitCols, M, N, K, A, sam, sak, B, sbk, sbn, C, ldc, accumulate ? 1 : 0, PACK);
  }

  /** dst[M x N] = A * B over a long K, as REDUCTION_CHUNKS partial products summed in order. */
  gemmReduced(M: number, N: number, K: number, A: number, sam: number, sak: number, B: number, sbk: number, sbn: number, dst: number): void {
    this.packFloats = Math.max(this.packFloats, GEMM_KC * Math.ceil(N / 8) * 8);
    this.partialFloats = Math.max(this.partialFloats, REDUCTION_CHUNKS * M * N);
    this.call('gemm_chunks', M, N, K, A, sam, sak, B, sbk, sbn, PARTIALS, PACK);
    this.call('reduce_chunks', dst, PARTIALS, M * N, 0);
  }

  columnSums(X: number, rows: number, cols: number, dst: number): void {
    this.partialFloats = Math.max(this.partialFloats, REDUCTION_CHUNKS * cols);
    this.call('colsum_chunks', X, rows, cols, PARTIALS);
    this.call('reduce_chunks', dst, PARTIALS, cols, 0);
  }

  finish(): Call[] {
    const pack = this.packFloats ? this.buffer(this.packFloats * this.rt.threads) : 0;
    const partials = this.partialFloats ? this.buffer(this.partialFloats) : 0;
    for (const call of this.calls) call.args = call.args.map((a) => (a === PACK ? pack : a === PARTIALS ? partials : a));
    return this.calls;
  }
}

interface Window {
  args: number[];
}

function window(layer: FusedLayer, batch: number, kernel: [number, number], strides: [number, number], padding: 'same' | 'valid'): Window {
  const [h, w, c] = layer.inShape;
  const [ho, wo] = layer.outShape;
  const pad = (size: number, out: number, k: number, s: number) => (padding === 'same' ? Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) : 0);
  const pt = pad(h, ho, kernel[0], strides[0]);
  const pl = pad(w, wo, kernel[1], strides[1]);
  return { args: [batch, h, w, c, kernel[0], kernel[1], strides[0], strides[1], pt, pl, ho, wo] };
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

interface Forward {
  /** Each layer's input and output buffers. */
  inputs: number[];
  outputs: number[];
  /** Per layer, what its backward pass needs: im2col rows, pooling indices, dropout masks. */
  saved: number[];
}

function forward(lo: Lowering, graph: FusedGraph, shared: Shared, input: number, train: boolean): Forward {
  const B = lo.batch;
  const inputs: number[] = [];
  const outputs: number[] = [];
  const saved: number[] = [];
  let x = input;
  graph.layers.forEach((layer, index) => {
    inputs.push(x);
    let y = x;
    let keep = 0;
    const p = shared.params[index];
    const out = size(layer.outShape);
    switch (layer.kind) {
      case 'dense': {
        const F = size(layer.inShape);
        y = lo.buffer(B * out);
        lo.gemm(B, layer.units, F, x, F, 1, p!.kernel, layer.units, 1, y, layer.units);
        lo.call('bias_act', y, B, layer.units, layer.bias ? p!.bias : 0, activationCode(layer.activation));
        break;
      }
      case 'conv': {
        const win = window(layer, B, layer.kernel, layer.strides, layer.padding);
        const K = layer.kernel[0] * layer.kernel[1] * layer.inShape[2];
        const rows = B * layer.outShape[0] * layer.outShape[1];
        const direct = K === layer.inShape[2] && layer.strides[0] === 1 && layer.strides[1] === 1;
        keep = direct ? x : lo.buffer(rows * K);
        if (!direct) lo.call('im2col', x, keep, ...win.args);
        y = lo.buffer(B * out);
        lo.gemm(rows, layer.filters, K, keep, K, 1, p!.kernel, layer.filters, 1, y, layer.filters);
        lo.call('bias_act', y, rows, layer.filters, layer.bias ? p!.bias : 0, activationCode(layer.activation));
        break;
      }
      case 'maxpool': {
        const win = window(layer, B, layer.size, layer.strides, layer.padding);
        y = lo.buffer(B * out);
        keep = lo.buffer(B * out);
        lo.call('maxpool', x, y, keep, ...win.args);
        break;
      }
      case 'avgpool': {
        const win = window(layer, B, layer.size, layer.strides, layer.padding);
        y = lo.buffer(B * out);
        lo.call('avgpool', x, y, ...win.args);
        break;
      }
      case 'dropout':
        if (train && layer.rate > 0) {
          y = lo.buffer(B * out);
          keep = lo.buffer(B * out);
          lo.call('dropout', x, y, keep, B * out, layer.rate, shared.stepSeed, index);
        }
        break;
      case 'activation':
        if (layer.activation !== 'linear' && layer.activation !== 'softmax') {
          y = lo.buffer(B * out);
          lo.call('copy', y, x, B * out);
          lo.call('bias_act', y, B, out, 0, activationCode(layer.activation));
        }
        break;
      case 'reshape':
        break;
    }
    outputs.push(y);
    saved.push(keep);
    x = y;
  });
  return { inputs, outputs, saved };
}

function backward(lo: Lowering, graph: FusedGraph, shared: Shared, fwd: Forward, dLogits: number): void {
  const B = lo.batch;
  // Input gradients are needed only down to the first layer with trainable parameters.
  const firstTrainable = graph.layers.findIndex((l, i) => l.trainable && shared.params[i]);
  let dy = dLogits;
  for (let index = graph.layers.length - 1; index >= Math.max(firstTrainable, 0); index--) {
    const layer = graph.layers[index];
    const p = shared.params[index];
    const x = fwd.inputs[index];
    const y = fwd.outputs[index];
    const needInput = index > firstTrainable;
    const inCount = B * size(layer.inShape);
    let dx = dy;
    const act = 'activation' in layer ? layer.activation : 'linear';
    switch (layer.kind) {
      case 'dense': {
        const F = size(layer.inShape);
        const U = layer.units;
        if (act !== 'linear' && act !== 'softmax') lo.call('act_grad', dy, y, B * U, activationCode(act));
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
      case 'conv': {
        const win = window(layer, B, layer.kernel, layer.strides, layer.padding);
        const Co = layer.filters;
        const K = layer.kernel[0] * layer.kernel[1] * layer.inShape[2];
        const rows = B * layer.outShape[0] * layer.outShape[1];
        const col = fwd.saved[index];
        const direct = col === x;
        if (act !== 'linear') lo.call('act_grad', dy, y, rows * Co, activationCode(act));
        if (layer.trainable) {
          lo.gemmReduced(K, Co, rows, col, 1, K, dy, Co, 1, p!.kernel + p!.gradOffset);
          if (layer.bias) lo.columnSums(dy, rows, Co, p!.bias + p!.gradOffset);
        }
        if (needInput) {
          dx = lo.buffer(inCount);
          const dcol = direct ? dx : lo.buffer(rows * K);
          lo.gemm(rows, K, Co, dy, Co, 1, p!.kernel, 1, Co, dcol, K);
          if (!direct) lo.call('col2im', dcol, dx, ...win.args);
        }
        break;
      }
      case 'maxpool':
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call('maxpool_grad', dy, fwd.saved[index], dx, ...window(layer, B, layer.size, layer.strides, layer.padding).args);
        }
        break;
      case 'avgpool':
        if (needInput) {
          dx = lo.buffer(inCount);
          lo.call('avgpool_grad', dy, dx, ...window(layer, B, layer.size, layer.strides, layer.padding).args);
        }
        break;
      case 'dropout':
        if (fwd.saved[index] && needInput) {
          dx = lo.buffer(inCount);
          lo.call('multiply', dx, dy, fwd.saved[index], inCount);
        }
        break;
      case 'activation':
        if (act !== 'linear' && act !== 'softmax') lo.call('act_grad', dy, y, inCount, activationCode(act));
        break;
      case 'reshape':
        break;
    }
    dy = dx;
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
export function lowerPlan(rt: FusedRuntime, graph: FusedGraph, shared: Shared, batch: number, train: boolean, scalars: number): Plan {
  const lo = new Lowering(rt, batch);
  const input = lo.buffer(batch * size(graph.inputShape));
  const labels = lo.buffer(batch);
  const fwd = forward(lo, graph, shared, input, train);
  const logits = fwd.outputs[fwd.outputs.length - 1];
  let output = logits;
  if (train) {
    const dLogits = lo.buffer(batch * graph.classes);
    lo.call('softmax_xent', logits, labels, dLogits, batch, graph.classes, graph.probabilities ? 1 : 0, shared.metrics);
    backward(lo, graph, shared, fwd, dLogits);
    optimize(lo, graph, shared, scalars);
  } else if (graph.probabilities) {
    output = lo.buffer(batch * graph.classes);
    lo.call('softmax', logits, output, batch, graph.classes);
  }
  const id = rt.define(lo.finish());
  return { id, batch, input, labels, output };
}

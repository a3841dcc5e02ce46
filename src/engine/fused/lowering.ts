// The kernel calls of one plan under construction: buffers (byte offsets in the runtime's memory),
// the calls in order, and the scratch the products share (one region sized for the largest user).
import { activationCode, type ActivationName } from "./kernels";
import type { FusedLayer } from "./graph";
import type { Call, FusedRuntime } from "./runtime";

/** Must match REDUCTION_CHUNKS in native/fused/fused.h. */
export const REDUCTION_CHUNKS = 4;
const F32 = 4;

/** Placeholders patched once the plan knows how much scratch its products need. */
export const WORK = -1;
export const PARTIALS = -2;

interface Epilogue {
  bias?: number;
  activation?: ActivationName;
  accumulate?: boolean;
}

/** The products apply relu (or nothing) as they store their results; sigmoid and tanh take a pass of their own (softmax goes with the loss). */
export const fusedActivation = (activation: ActivationName): ActivationName =>
  activation === "relu" ? "relu" : "linear";
export const ownPass = (activation: ActivationName) => activation === "sigmoid" || activation === "tanh";

export class Lowering {
  readonly calls: Call[] = [];
  private partialFloats = 0;
  private workFloats = 0;

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

  /** Reserves `floats` per thread of the shared scratch for a call that takes WORK. */
  work(floats: number): typeof WORK {
    this.workFloats = Math.max(this.workFloats, floats);
    return WORK;
  }

  /** Reserves `floats` of the shared partial sums for a call that takes PARTIALS. */
  partials(floats: number): typeof PARTIALS {
    this.partialFloats = Math.max(this.partialFloats, floats);
    return PARTIALS;
  }

  /**
   * C[M x N] (+)= A * B (+ bias, then relu) with the strides in elements; threads split the larger
   * side. Activations other than relu follow as a pass of their own.
   */
  gemm(
    M: number,
    N: number,
    K: number,
    A: number,
    sam: number,
    sak: number,
    B: number,
    sbk: number,
    sbn: number,
    C: number,
    ldc: number,
    epilogue: Epilogue = {},
  ): void {
    const splitCols = N >= M && Math.ceil(N / 8) >= this.rt.threads ? 1 : 0;
    const { bias = 0, activation = "linear", accumulate = false } = epilogue;
    this.call(
      "gemm",
      splitCols,
      M,
      N,
      K,
      A,
      sam,
      sak,
      B,
      sbk,
      sbn,
      C,
      ldc,
      accumulate ? 1 : 0,
      bias,
      activationCode(fusedActivation(activation)),
      this.work(this.rt.productWorkFloats),
    );
    if (ownPass(activation)) this.call("bias_act", C, M, N, 0, activationCode(activation));
  }

  columnSums(X: number, rows: number, cols: number, dst: number): void {
    this.reduced("colsum_chunks", cols, [X, rows, cols], dst);
  }

  /** A per-chunk column reduction `kernel(...args, partials)` of `cols` sums, then their sum into dst. */
  reduced(kernel: string, cols: number, args: number[], dst: number): void {
    this.call(kernel, ...args, this.partials(REDUCTION_CHUNKS * cols));
    this.call("reduce_chunks", dst, PARTIALS, cols, 0);
  }

  finish(): Call[] {
    // Kernels may read a vector past the end of their scratch (columns they then drop): 16 floats spare.
    const work = this.workFloats ? this.buffer(this.workFloats * this.rt.threads + 16) : 0;
    const partials = this.partialFloats ? this.buffer(this.partialFloats) : 0;
    for (const call of this.calls)
      call.args = call.args.map((a) => (a === WORK ? work : a === PARTIALS ? partials : a));
    return this.calls;
  }
}

/** A sliding window's kernel arguments (SHAPE_ARGS in conv.c): input, kernel, strides, padding, output. */
export function window(
  layer: FusedLayer,
  batch: number,
  kernel: [number, number],
  strides: [number, number],
  padding: "same" | "valid",
): number[] {
  const [h, w, c] = layer.inShape;
  const [ho, wo] = layer.outShape;
  const pad = (size: number, out: number, k: number, s: number) =>
    padding === "same" ? Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) : 0;
  const pt = pad(h, ho, kernel[0], strides[0]);
  const pl = pad(w, wo, kernel[1], strides[1]);
  return [batch, h, w, c, kernel[0], kernel[1], strides[0], strides[1], pt, pl, ho, wo];
}

export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

// A convolution's forward and backward kernel calls. 3x3 convolutions at stride 1 whose channel
// counts are multiples of 4 run through Winograd's F(2x2, 3x3) (from 4 channels on, measured on
// the example models: TinyCNN's 4 -> 8 layer 0.51 + 0.58 + 0.26 -> 0.31 + 0.32 + 0.16 ms on one
// thread); 3x3 on a single input channel at stride 1 through kernels of its own (conv1.c); the others
// through blocked products over the patches.
import { activationCode } from "./kernels";
import type { FusedLayer } from "./graph";
import { fusedActivation, type Lowering, ownPass, REDUCTION_CHUNKS, window } from "./lowering";

type ConvLayer = Extract<FusedLayer, { kind: "conv" }>;

/** Products per tile: (m + 2)^2. */
const taps = (m: number) => (m + 2) * (m + 2);

/**
 * Winograd's tile size for an output of ho x wo: F(4x4, 3x3) (36 products for 16 outputs) unless
 * rounding the output up to tiles of 4 wastes more than F(2x2, 3x3) (16 for 4) saves. Measured on
 * StrongCNN (one thread): F(4x4) on its 28x28 layer alone 92 -> 79 ms a step, on its 14x14 layers
 * too (computing 16x16) 73 ms.
 */
export function winogradTile(ho: number, wo: number): 2 | 4 {
  const products = (m: number) => taps(m) * Math.ceil(ho / m) * Math.ceil(wo / m);
  return products(4) < products(2) ? 4 : 2;
}

export function usesWinograd(layer: ConvLayer): boolean {
  const [kh, kw] = layer.kernel;
  const c = layer.inShape[2];
  const fits = (n: number) => n % 4 === 0;
  return kh === 3 && kw === 3 && layer.strides[0] === 1 && layer.strides[1] === 1 && fits(c) && fits(layer.filters);
}

/** 3x3 on a single input channel at stride 1 (a grayscale first layer): kernels of their own, four positions a vector. */
function singleChannel(layer: ConvLayer): boolean {
  const [kh, kw] = layer.kernel;
  return (
    layer.inShape[2] === 1 &&
    kh === 3 &&
    kw === 3 &&
    layer.strides[0] === 1 &&
    layer.strides[1] === 1 &&
    layer.filters % 4 === 0
  );
}

/** The transformed filter: a tap's c x (co rounded up to 8) floats per tap. */
function transformedFilter(lo: Lowering, W: number, c: number, co: number, flipped: boolean, m: number): number {
  const U = lo.buffer(taps(m) * c * Math.ceil(co / 8) * 8);
  lo.call("winograd_filter", W, U, c, co, flipped ? 1 : 0, m);
  return U;
}

/** y = act(conv(x, W) + bias). */
export function convForward(lo: Lowering, layer: ConvLayer, x: number, W: number, bias: number, y: number): void {
  const win = window(layer, lo.batch, layer.kernel, layer.strides, layer.padding);
  const [n, h, w, c, , , , , pt, pl, ho, wo] = win;
  const co = layer.filters;
  const act = activationCode(fusedActivation(layer.activation));
  if (usesWinograd(layer)) {
    const m = winogradTile(ho, wo);
    const U = transformedFilter(lo, W, c, co, false, m);
    lo.call(
      "winograd_forward",
      x,
      U,
      bias,
      y,
      c,
      co,
      act,
      m,
      n,
      h,
      w,
      pt,
      pl,
      ho,
      wo,
      lo.work(lo.rt.winogradWorkFloats(c, co, m)),
    );
  } else if (singleChannel(layer)) {
    lo.call("conv1_forward", x, W, bias, y, co, act, n, h, w, pt, pl, ho, wo);
  } else {
    lo.call("conv_forward", x, W, bias, y, co, act, ...win, lo.work(lo.rt.productWorkFloats));
  }
  if (ownPass(layer.activation)) lo.call("bias_act", y, n * ho * wo, co, 0, activationCode(layer.activation));
}

/**
 * Given dy (already through the activation's gradient), the filter's and the bias's gradients
 * (when trainable) and, when `dx` is given, the input's.
 */
export function convBackward(
  lo: Lowering,
  layer: ConvLayer,
  x: number,
  W: number,
  dy: number,
  grads: { dW: number; dBias: number } | undefined,
  dx?: number,
): void {
  const win = window(layer, lo.batch, layer.kernel, layer.strides, layer.padding);
  const [n, h, w, ci, kh, kw, sh, sw, pt, pl, ho, wo] = win;
  const co = layer.filters;
  const winograd = usesWinograd(layer);
  const m = winogradTile(ho, wo);
  if (grads) {
    if (winograd) {
      const partials = lo.partials(REDUCTION_CHUNKS * taps(m) * ci * co);
      lo.call(
        "winograd_filter_grad",
        x,
        dy,
        partials,
        ci,
        co,
        m,
        n,
        h,
        w,
        pt,
        pl,
        ho,
        wo,
        lo.work(lo.rt.winogradWorkFloats(ci, co, m)),
      );
      lo.call("winograd_filter_grad_finish", partials, grads.dW, ci, co, m);
    } else if (singleChannel(layer)) {
      lo.call("conv1_filter_grad", x, dy, grads.dW, co, n, h, w, pt, pl, ho, wo);
    } else {
      // Threads split whichever side of dW has more tiles.
      const splitCols = Math.ceil((kh * kw * ci) / 4) < Math.ceil(co / 8) ? 1 : 0;
      lo.call("conv_filter_grad", splitCols, x, dy, grads.dW, co, 0, ...win, lo.work(lo.rt.productWorkFloats));
    }
    if (layer.bias) lo.columnSums(dy, n * ho * wo, co, grads.dBias);
  }
  if (dx === undefined) return;
  // At stride 1 the input gradient is a convolution of dy: with the filter turned half a turn and
  // its channels swapped, the complementary padding, and x's size out.
  const [tpt, tpl] = [kh - 1 - pt, kw - 1 - pl];
  if (winograd) {
    // Tiles of the input gradient's own output (x's size).
    const md = winogradTile(h, w);
    const U = transformedFilter(lo, W, co, ci, true, md);
    lo.call(
      "winograd_forward",
      dy,
      U,
      0,
      dx,
      co,
      ci,
      activationCode("linear"),
      md,
      n,
      ho,
      wo,
      tpt,
      tpl,
      h,
      w,
      lo.work(lo.rt.winogradWorkFloats(co, ci, md)),
    );
  } else if (sh === 1 && sw === 1) {
    lo.call(
      "conv_input_grad",
      dy,
      W,
      dx,
      ci,
      n,
      ho,
      wo,
      co,
      kh,
      kw,
      1,
      1,
      tpt,
      tpl,
      h,
      w,
      lo.work(lo.rt.productWorkFloats),
    );
  } else {
    // Other strides: dy times W^T gives each position's patch gradient, which col2im adds up.
    const K = kh * kw * ci;
    const rows = n * ho * wo;
    const dcol = lo.buffer(rows * K);
    lo.gemm(rows, K, co, dy, co, 1, W, 1, co, dcol, K);
    lo.call("col2im", dcol, dx, ...win);
  }
}

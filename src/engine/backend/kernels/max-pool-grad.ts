// MaxPoolGrad in one pass over the pooling windows: each window's first maximum (scan order, as the
// cpu backend picks it) receives the window's gradient. The stock wasm kernel visits every input
// pixel and re-scans every window covering it.
import { backend_util, MaxPoolGrad, type KernelConfig } from "@tensorflow/tfjs-core";
import {
  floatsOf,
  stockKernelFunc,
  type Shape4,
  type StockKernels,
  type WasmKernelFunc,
  wasmKernelConfig,
} from "./wasm-ops";

export function maxPoolGradConfig(stock: StockKernels): KernelConfig {
  const stockMaxPoolGrad = stockKernelFunc(stock, MaxPoolGrad);

  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs;
    // Only float32 is covered; other dtypes keep the stock kernel.
    if (input.dtype !== "float32" || dy.dtype !== "float32") return stockMaxPoolGrad(args);
    const info = backend_util.computePool2DInfo(
      input.shape as Shape4,
      attrs.filterSize as [number, number],
      attrs.strides as [number, number],
      1,
      attrs.pad as "same",
      attrs.dimRoundingMode as "floor" | undefined,
    );
    const dx = backend.makeOutput(input.shape, "float32");
    const x = floatsOf(backend, input);
    const dyValues = floatsOf(backend, dy);
    const dxValues = floatsOf(backend, dx);
    dxValues.fill(0);
    if (isTwoByTwoTiling(info)) scatterTwoByTwo(info, x, dyValues, dxValues);
    else scatterToFirstMaxima(info, x, dyValues, dxValues);
    return dx;
  };

  return wasmKernelConfig(MaxPoolGrad, stock, kernelFunc);
}

// Channels are innermost in memory, so each window is scanned for all channels at once: the
// running maxima live in small per-channel arrays and every read is contiguous.
function scatterToFirstMaxima(
  info: backend_util.Conv2DInfo,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const rowStride = inWidth * channels;
  const bestValue = new Float32Array(channels);
  const best = new Int32Array(channels);
  let dyBase = 0;
  for (let b = 0; b < batchSize; b++) {
    const batchBase = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const rowStart = yr * strideHeight - top;
      for (let yc = 0; yc < outWidth; yc++, dyBase += channels) {
        const colStart = yc * strideWidth - left;
        for (let c = 0; c < channels; c++) {
          bestValue[c] = -Infinity;
          best[c] = -1;
        }
        for (let wr = 0; wr < fh; wr += dilationHeight) {
          const r = rowStart + wr;
          if (r < 0 || r >= inHeight) continue;
          for (let wc = 0; wc < fw; wc += dilationWidth) {
            const col = colStart + wc;
            if (col < 0 || col >= inWidth) continue;
            const pixel = batchBase + r * rowStride + col * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[pixel + c];
              if (value > bestValue[c]) {
                bestValue[c] = value;
                best[c] = pixel + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) if (best[c] >= 0) dx[best[c]] += dy[dyBase + c];
      }
    }
  }
}

/** 2x2 windows at stride 2 without padding: the pooling nearly every CNN uses, unrolled. */
function isTwoByTwoTiling(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const square = filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2;
  // Every window must lie inside the input: no leading padding, none trailing ('same' on odd sizes pads).
  const inside =
    padInfo.top === 0 && padInfo.left === 0 && info.outHeight * 2 <= info.inHeight && info.outWidth * 2 <= info.inWidth;
  return square && dilationHeight === 1 && dilationWidth === 1 && inside;
}

function scatterTwoByTwo(info: backend_util.Conv2DInfo, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      const rowBase = (b * inHeight + yr * 2) * rowStride;
      for (let yc = 0; yc < outWidth; yc++) {
        const topLeft = rowBase + yc * 2 * channels;
        for (let c = 0; c < channels; c++, dyIndex++) {
          const p0 = topLeft + c;
          const p1 = p0 + channels;
          const p2 = p0 + rowStride;
          const p3 = p2 + channels;
          // Strict comparisons in scan order: the first maximum wins, as on the cpu backend.
          let best = p0;
          let bestValue = x[p0];
          if (x[p1] > bestValue) {
            best = p1;
            bestValue = x[p1];
          }
          if (x[p2] > bestValue) {
            best = p2;
            bestValue = x[p2];
          }
          if (x[p3] > bestValue) best = p3;
          dx[best] = dy[dyIndex];
        }
      }
    }
  }
}

// The filter gradient as one matrix product: patches [fh*fw*Ci, M] times dy [M, Co], with
// M = N*Ho*Wo. The product runs on XNNPACK and lands directly in the [fh, fw, Ci, Co] filter layout.
// Building the patches is cheap for layers that keep their size (block copies of shifted channel
// planes) or have few input channels; other layers take the convolution formulation.
import type { backend_util, TensorInfo } from "@tensorflow/tfjs-core";
import { floatsOf, type WasmBackend, type WasmKernelFunc } from "./wasm-ops";

/**
 * Up to this many values per patch (a 5x5 filter on one channel), patches win even when built pixel
 * by pixel: the convolution formulation then has a "batch" of Ci = 1 or 2 images, too few rows for
 * XNNPACK to be efficient (64x28x28, 1 -> 32 channels: 1.7 ms against 15 ms).
 */
export const MAX_PATCH_SIZE = 25;

/** Patches beyond this many values (256 MB) would strain the WebAssembly heap (4 GB at most). */
const MAX_PATCH_VALUES = 64 * 1024 * 1024;

/**
 * Whether the patches formulation is the faster one. Layers that keep their size (stride 1, padding
 * 'same') build patches with block copies, and then the plain matrix product is at least as fast as
 * the convolution formulation at every layer of the example models, on an idle machine (batch 64,
 * 14x14, 32 -> 64 channels: 18 ms against 26 ms; 64 -> 64: 39 ms both; 4 -> 8: 0.50 ms against 0.60 ms).
 * Other layers build patches pixel by pixel, which pays only for small patches.
 */
export function patchesPay(info: backend_util.Conv2DInfo): boolean {
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  if (patchSize * positions > MAX_PATCH_VALUES) return false;
  return patchSize <= MAX_PATCH_SIZE || keepsSize(info);
}

export interface PatchKernels {
  batchMatMul: WasmKernelFunc;
  transpose: WasmKernelFunc;
}

export function filterGradientFromPatches(
  backend: WasmBackend,
  kernels: PatchKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = fh * fw * ci;
  const patches = backend.makeOutput([1, patchSize, positions], "float32");
  if (keepsSize(info)) {
    // Channel planes [Ci, N, H, W], so that every patch row is one shifted plane.
    const planes = ci === 1 ? x : kernels.transpose({ inputs: { x }, backend, attrs: { perm: [3, 0, 1, 2] } });
    fillShiftedPlanes(info, floatsOf(backend, planes), floatsOf(backend, patches));
    if (planes !== x) backend.disposeData(planes.dataId);
  } else {
    fillPatchesByPixel(info, floatsOf(backend, x), floatsOf(backend, patches));
  }
  const dw = kernels.batchMatMul({
    inputs: { a: patches, b: { dataId: dy.dataId, shape: [1, positions, co], dtype: dy.dtype } },
    backend,
    attrs: { transposeA: false, transposeB: false },
  });
  backend.disposeData(patches.dataId);
  return { dataId: dw.dataId, shape: [fh, fw, ci, co], dtype: dw.dtype };
}

/** Stride 1 and an output as large as the input (padding 'same'): most image models' layers. */
export function keepsSize(info: backend_util.Conv2DInfo): boolean {
  return (
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  );
}

/**
 * Patch row (i, j, c) is then channel plane c shifted by (i - top) rows and (j - left) columns:
 * one block copy, after which only the pixels the shift pulled in from across an image's edge (a
 * neighbouring row or image) are set to zero. Far fewer operations than a copy per pixel.
 */
function fillShiftedPlanes(info: backend_util.Conv2DInfo, planes: Float32Array, patches: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: ci, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * h * w;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let c = 0; c < ci; c++) {
        const rowStart = ((i * fw + j) * ci + c) * positions;
        const row = patches.subarray(rowStart, rowStart + positions);
        const plane = planes.subarray(c * positions, (c + 1) * positions);
        copyShifted(plane, row, i - top, j - left, batchSize, h, w);
      }
    }
  }
}

/** row[n, y, x] = plane[n, y + rowShift, x + colShift], 0 where that lies outside image n. */
function copyShifted(
  plane: Float32Array,
  row: Float32Array,
  rowShift: number,
  colShift: number,
  batchSize: number,
  h: number,
  w: number,
): void {
  const positions = row.length;
  const shift = rowShift * w + colShift;
  const from = Math.max(0, -shift);
  const to = Math.min(positions, positions - shift);
  row.fill(0, 0, from);
  row.set(plane.subarray(from + shift, to + shift), from);
  row.fill(0, to);
  for (let n = 0; n < batchSize; n++) {
    const image = n * h * w;
    // Rows whose source row lies above or below the image.
    for (let y = 0; y < h; y++) {
      if (y + rowShift < 0 || y + rowShift >= h) row.fill(0, image + y * w, image + (y + 1) * w);
    }
    // Columns whose source column lies left or right of the image.
    for (let x = 0; x < w; x++) {
      if (x + colShift >= 0 && x + colShift < w) continue;
      for (let y = 0; y < h; y++) row[image + y * w + x] = 0;
    }
  }
}

/** patches[(i*fw + j)*Ci + c][(n*Ho + yo)*Wo + xo] = x[n, yo*sh - top + i, xo*sw - left + j, c], 0 outside. */
function fillPatchesByPixel(info: backend_util.Conv2DInfo, x: Float32Array, patches: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  let out = 0;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let c = 0; c < ci; c++) {
        for (let n = 0; n < batchSize; n++) {
          for (let yo = 0; yo < outHeight; yo++) {
            const r = yo * strideHeight - top + i;
            if (r < 0 || r >= inHeight) {
              patches.fill(0, out, out + outWidth);
              out += outWidth;
              continue;
            }
            const rowBase = (n * inHeight + r) * inWidth * ci + c;
            for (let xo = 0; xo < outWidth; xo++, out++) {
              const col = xo * strideWidth - left + j;
              patches[out] = col >= 0 && col < inWidth ? x[rowBase + col * ci] : 0;
            }
          }
        }
      }
    }
  }
}

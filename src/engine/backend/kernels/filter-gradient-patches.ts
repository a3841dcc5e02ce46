// The filter gradient of a layer with few input channels (the first layer of an image model) as one
// matrix product: patches [fh*fw*Ci, M] times dy [M, Co], with M = N*Ho*Wo. Building the patches
// costs fh*fw*Ci copies of a pixel per output position, which is cheap only while fh*fw*Ci is small;
// the product then runs on XNNPACK and lands directly in the [fh, fw, Ci, Co] filter layout.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { floatsOf, type WasmBackend, type WasmKernelFunc } from './wasm-ops';

/**
 * Up to this many values per patch (a 5x5 filter on one channel), patches win: the convolution
 * formulation then has a "batch" of Ci = 1 or 2 images, too few rows for XNNPACK to be efficient
 * (64x28x28, 1 -> 32 channels: 1.7 ms against 15 ms). From 4 channels on, the convolution is faster.
 */
export const MAX_PATCH_SIZE = 25;

export function filterGradientFromPatches(backend: WasmBackend, batchMatMul: WasmKernelFunc, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const patchSize = fh * fw * ci;
  const patches = backend.makeOutput([1, patchSize, positions], 'float32');
  fillPatches(info, floatsOf(backend, x), floatsOf(backend, patches));
  const dw = batchMatMul({
    inputs: { a: patches, b: { dataId: dy.dataId, shape: [1, positions, co], dtype: dy.dtype } },
    backend,
    attrs: { transposeA: false, transposeB: false },
  });
  backend.disposeData(patches.dataId);
  return { dataId: dw.dataId, shape: [fh, fw, ci, co], dtype: dw.dtype };
}

/** patches[(i*fw + j)*Ci + c][(n*Ho + yo)*Wo + xo] = x[n, yo*sh - top + i, xo*sw - left + j, c], 0 outside. */
function fillPatches(info: backend_util.Conv2DInfo, x: Float32Array, patches: Float32Array): void {
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
            const rowBase = ((n * inHeight + r) * inWidth) * ci + c;
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

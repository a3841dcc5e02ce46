// The filter gradient as ONE forward convolution, so XNNPACK does the work: with batch and channels
// swapped, x becomes a [Ci, H, W, N] "batch" and dy a [Ho, Wo, N, Co] "filter"; the forward stride
// becomes the dilation. The result [Ci, fh, fw, Co] is transposed to the filter layout.
// Most layers take a matrix product of patches instead (see patchesPay).
import { Conv2DBackpropFilter, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { filterGradientFromPatches, patchesPay } from "./filter-gradient-patches";
import { conv2DInfoOf, stockKernelFunc, type StockKernels, type WasmKernelFunc, wasmKernelConfig } from "./wasm-ops";

export function conv2DBackpropFilterConfig(stock: StockKernels): KernelConfig {
  const conv2d = stockKernelFunc(stock, "Conv2D");
  const transpose = stockKernelFunc(stock, "Transpose");
  const slice = stockKernelFunc(stock, "Slice");
  const batchMatMul = stockKernelFunc(stock, "BatchMatMul");

  const kernelFunc: WasmKernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    // The wasm backend has no Conv2DBackpropFilter to fall back to, and its forward Conv2D is
    // channels-last only, so this is the one layout a wasm model can train with.
    const dataFormat = attrs.dataFormat as string;
    if (dataFormat !== "NHWC") {
      throw new Error(`Conv2DBackpropFilter on wasm supports channels-last (NHWC) data only, not ${dataFormat}`);
    }
    const info = conv2DInfoOf(x.shape, attrs.filterShape as number[], attrs);
    if (patchesPay(info)) return filterGradientFromPatches(backend, { batchMatMul, transpose }, x, dy, info);
    const { top, left } = info.padInfo;
    // Padding that makes the output exactly fh x fw; negative means trailing input rows the stride
    // never reached: those are cropped, since padding cannot be negative.
    const bottom = info.filterHeight + (info.outHeight - 1) * info.strideHeight - info.inHeight - top;
    const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - info.inWidth - left;

    const temporaries: TensorInfo[] = [];
    let input = x;
    if (bottom < 0 || right < 0) {
      const size = [
        info.batchSize,
        info.inHeight + Math.min(bottom, 0),
        info.inWidth + Math.min(right, 0),
        info.inChannels,
      ];
      input = slice({ inputs: { x }, backend, attrs: { begin: [0, 0, 0, 0], size } });
      temporaries.push(input);
    }
    const xSwapped = transpose({ inputs: { x: input }, backend, attrs: { perm: [3, 1, 2, 0] } });
    const dySwapped = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
    const swappedGradient = conv2d({
      inputs: { x: xSwapped, filter: dySwapped },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, Math.max(bottom, 0)],
          [left, Math.max(right, 0)],
          [0, 0],
        ],
        dataFormat: "NHWC",
        dilations: [info.strideHeight, info.strideWidth],
      },
    });
    temporaries.push(xSwapped, dySwapped, swappedGradient);
    const dw = transpose({ inputs: { x: swappedGradient }, backend, attrs: { perm: [1, 2, 0, 3] } });
    for (const t of temporaries) backend.disposeData(t.dataId);
    return dw;
  };

  return wasmKernelConfig(Conv2DBackpropFilter, stock, kernelFunc);
}

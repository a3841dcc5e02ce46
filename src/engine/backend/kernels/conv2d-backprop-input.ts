// The input gradient at stride 1 as a forward convolution of dy with the filter flipped spatially
// and its in/out channels swapped, padded so the output is H x W: XNNPACK instead of a naive loop.
import { Conv2DBackpropInput, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import {
  conv2DInfoOf,
  floatsOf,
  stockKernelFunc,
  type StockKernels,
  type WasmBackend,
  type WasmKernelFunc,
  wasmKernelConfig,
} from "./wasm-ops";

export function conv2DBackpropInputConfig(stock: StockKernels): KernelConfig {
  const conv2d = stockKernelFunc(stock, "Conv2D");
  const stockBackpropInput = stockKernelFunc(stock, Conv2DBackpropInput);

  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const info = conv2DInfoOf(attrs.inputShape as number[], filter.shape, attrs);
    const { top, bottom, left, right } = info.padInfo;
    const padding = [
      info.filterHeight - 1 - top,
      info.filterHeight - 1 - bottom,
      info.filterWidth - 1 - left,
      info.filterWidth - 1 - right,
    ];
    // Strides above 1, padding wider than the filter and channels-first data are not covered by
    // this formulation: the stock kernel handles them.
    const covered =
      attrs.dataFormat === "NHWC" && info.strideHeight === 1 && info.strideWidth === 1 && padding.every((p) => p >= 0);
    if (!covered) return stockBackpropInput(args);

    const flipped = flippedTransposedFilter(backend, filter);
    const dx = conv2d({
      inputs: { x: dy, filter: flipped },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padding[0], padding[1]],
          [padding[2], padding[3]],
          [0, 0],
        ],
        dataFormat: "NHWC",
        dilations: [1, 1],
      },
    });
    backend.disposeData(flipped.dataId);
    return dx;
  };

  return wasmKernelConfig(Conv2DBackpropInput, stock, kernelFunc);
}

/** [fh, fw, Ci, Co] -> [fh, fw, Co, Ci], rotated 180 degrees spatially. Filters are small: a plain loop. */
function flippedTransposedFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [fh, fw, ci, co] = filter.shape;
  const out = backend.makeOutput([fh, fw, co, ci], "float32");
  // Views are taken after allocating: a heap growth detaches earlier views.
  const src = floatsOf(backend, filter);
  const dst = floatsOf(backend, out);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const srcBase = ((fh - 1 - i) * fw + (fw - 1 - j)) * ci * co;
      const dstBase = (i * fw + j) * co * ci;
      for (let c = 0; c < ci; c++) {
        for (let o = 0; o < co; o++) dst[dstBase + o * ci + c] = src[srcBase + c * co + o];
      }
    }
  }
  return out;
}

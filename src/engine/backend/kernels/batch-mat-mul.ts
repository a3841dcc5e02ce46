// BatchMatMul with transposed operands: the stock kernel takes a naive loop for them (the weight
// and input gradients of every Dense layer), while a plain product reaches XNNPACK. Transposing
// explicitly first is far cheaper than the slow path.
import { BatchMatMul, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import {
  stockKernelFunc,
  type StockKernels,
  type WasmBackend,
  type WasmKernelFunc,
  wasmKernelConfig,
} from "./wasm-ops";

export function batchMatMulConfig(stock: StockKernels): KernelConfig {
  const stockBatchMatMul = stockKernelFunc(stock, BatchMatMul);
  const transpose = stockKernelFunc(stock, "Transpose");
  const swapLastTwo = (backend: WasmBackend, x: TensorInfo): TensorInfo => {
    const rank = x.shape.length;
    return transpose({ inputs: { x }, backend, attrs: { perm: [...Array(rank - 2).keys(), rank - 1, rank - 2] } });
  };

  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    // Plain products are already fast in the stock kernel; non-float data stays with it too.
    if ((!attrs.transposeA && !attrs.transposeB) || a.dtype !== "float32" || b.dtype !== "float32")
      return stockBatchMatMul(args);
    const aPlain = attrs.transposeA ? swapLastTwo(backend, a) : a;
    const bPlain = attrs.transposeB ? swapLastTwo(backend, b) : b;
    const out = stockBatchMatMul({
      inputs: { a: aPlain, b: bPlain },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    });
    if (aPlain !== a) backend.disposeData(aPlain.dataId);
    if (bPlain !== b) backend.disposeData(bPlain.dataId);
    return out;
  };

  return wasmKernelConfig(BatchMatMul, stock, kernelFunc);
}

// BatchMatMul with a transposed left operand: the stock kernel takes a naive loop for it (this is
// the weight gradient of every Dense layer), while a plain product reaches XNNPACK. Transposing
// explicitly first is far cheaper than the slow path.
import { BatchMatMul, type KernelConfig } from '@tensorflow/tfjs-core';
import { stockKernelFunc, type StockKernels, type WasmKernelFunc } from './wasm-ops';

export function batchMatMulConfig(stock: StockKernels): KernelConfig {
  const stockBatchMatMul = stockKernelFunc(stock, BatchMatMul);
  const transpose = stockKernelFunc(stock, 'Transpose');

  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    // Products without a transposed left operand are already fast in the stock kernel.
    if (!attrs.transposeA || a.dtype !== 'float32') return stockBatchMatMul(args);
    const rank = a.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const aT = transpose({ inputs: { x: a }, backend, attrs: { perm } });
    const out = stockBatchMatMul({ inputs: { a: aT, b }, backend, attrs: { ...attrs, transposeA: false } });
    backend.disposeData(aT.dataId);
    return out;
  };

  return {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    setupFunc: stock[BatchMatMul]?.setupFunc,
    kernelFunc: kernelFunc as unknown as KernelConfig['kernelFunc'],
  };
}

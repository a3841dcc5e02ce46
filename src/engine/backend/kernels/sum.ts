// Sum over leading axes (the bias gradient: dy summed over batch and spatial positions). The stock
// kernel transposes the whole tensor to make those axes innermost before summing; here the rows are
// accumulated in place, in double precision like the cpu backend.
import { Sum, util, type KernelConfig } from "@tensorflow/tfjs-core";
import { floatsOf, stockKernelFunc, type StockKernels, type WasmKernelFunc, wasmKernelConfig } from "./wasm-ops";

export function sumConfig(stock: StockKernels): KernelConfig {
  const stockSum = stockKernelFunc(stock, Sum);

  const kernelFunc: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
    const leading = axes.length < rank && axes.every((axis, i) => axis === i);
    // Reductions over trailing or scattered axes, whole-tensor sums and non-float data keep the
    // stock kernel (its trailing-axis case needs no transpose).
    if (!leading || x.dtype !== "float32" || util.sizeFromShape(x.shape) === 0) return stockSum(args);

    const kept = x.shape.slice(axes.length);
    const outShape = attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = backend.makeOutput(outShape, "float32");
    const values = floatsOf(backend, x);
    const columns = util.sizeFromShape(kept);
    const rows = values.length / columns;
    const totals = new Float64Array(columns);
    // Four rows per pass: a quarter of the accumulator traffic.
    const blocked = rows - (rows % 4);
    const stride = columns;
    let base = 0;
    for (let r = 0; r < blocked; r += 4, base += 4 * stride) {
      for (let c = 0; c < columns; c++) {
        const i = base + c;
        totals[c] += values[i] + values[i + stride] + values[i + 2 * stride] + values[i + 3 * stride];
      }
    }
    for (let r = blocked; r < rows; r++, base += stride) {
      for (let c = 0; c < columns; c++) totals[c] += values[base + c];
    }
    floatsOf(backend, out).set(totals);
    return out;
  };

  return wasmKernelConfig(Sum, stock, kernelFunc);
}

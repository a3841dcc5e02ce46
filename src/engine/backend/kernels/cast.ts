// A cast to the dtype a tensor already has shares its buffer, as the cpu backend's does, instead of
// copying it: every ReLU gradient casts its float mask to float (64x28x28x4: 0.3 ms a copy).
import { Cast, type KernelConfig } from "@tensorflow/tfjs-core";
import { sharedBuffer, stockKernelFunc, type StockKernels, type WasmKernelFunc, wasmKernelConfig } from "./wasm-ops";

export function castConfig(stock: StockKernels): KernelConfig {
  const stockCast = stockKernelFunc(stock, Cast);

  const kernelFunc: WasmKernelFunc = (args) => {
    const { x } = args.inputs;
    if (x.dtype !== args.attrs.dtype || x.dtype === "string") return stockCast(args);
    return sharedBuffer(args.backend, x);
  };

  return wasmKernelConfig(Cast, stock, kernelFunc);
}

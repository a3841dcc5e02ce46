// Identity shares the input's buffer (reference counted) instead of copying it, as the cpu backend
// does: tfjs-layers and the optimizers clone tensors often.
import { Identity, type KernelConfig } from "@tensorflow/tfjs-core";
import { sharedBuffer, stockKernelFunc, type StockKernels, type WasmKernelFunc, wasmKernelConfig } from "./wasm-ops";

export function identityConfig(stock: StockKernels): KernelConfig {
  const stockIdentity = stockKernelFunc(stock, Identity);

  const kernelFunc: WasmKernelFunc = (args) => {
    const { x } = args.inputs;
    // Strings live outside the wasm heap: the stock kernel handles them.
    if (x.dtype === "string") return stockIdentity(args);
    return sharedBuffer(args.backend, x);
  };

  return wasmKernelConfig(Identity, stock, kernelFunc);
}

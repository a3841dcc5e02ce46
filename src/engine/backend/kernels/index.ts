// Training kernels for the wasm backend, registered in place of (or, for Conv2DBackpropFilter, in
// addition to) the stock ones. Each keeps the stock kernel as its fallback for cases it does not cover.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "./batch-mat-mul";
import { biasAddConfig } from "./bias-add";
import { castConfig } from "./cast";
import { conv2DBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2DBackpropInputConfig } from "./conv2d-backprop-input";
import { identityConfig } from "./identity";
import { maxPoolGradConfig } from "./max-pool-grad";
import { sumConfig } from "./sum";
import { STOCK_WASM_KERNELS } from "../tfjs-internals";
import { captureStockKernels } from "./wasm-ops";

let registered: string[] | undefined;

/** Registers the training kernels for 'wasm' (idempotent); returns the kernel names now served by them. */
export function registerWasmTrainingKernels(): string[] {
  if (registered) return registered;
  const stock = captureStockKernels([...STOCK_WASM_KERNELS.buildingBlocks, ...STOCK_WASM_KERNELS.replaced]);
  const configs: KernelConfig[] = [
    conv2DBackpropFilterConfig(stock),
    conv2DBackpropInputConfig(stock),
    maxPoolGradConfig(stock),
    batchMatMulConfig(stock),
    sumConfig(stock),
    identityConfig(stock),
    biasAddConfig(stock),
    castConfig(stock),
  ];
  for (const config of configs) {
    if (getKernel(config.kernelName, "wasm")) unregisterKernel(config.kernelName, "wasm");
    registerKernel(config);
  }
  registered = configs.map((c) => c.kernelName);
  return registered;
}

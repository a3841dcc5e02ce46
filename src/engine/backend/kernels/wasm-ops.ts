// Access to the wasm backend's own kernels, so replacements can be written in terms of the fast
// XNNPACK-backed ones (Conv2D, BatchMatMul) and the stock versions stay reachable as fallbacks.
import { backend_util, getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs-core";

/** The parts of the wasm backend (`BackendWasm`) the replacement kernels use (tfjs-internals.ts's WASM_BACKEND_METHODS). */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32" | "int32" | "bool"): TensorInfo;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export type WasmKernelFunc = (args: {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs: NamedAttrMap;
}) => TensorInfo;

export type StockKernels = Partial<Record<string, KernelConfig>>;

/** Snapshot of the stock wasm kernel configs, taken before any replacement is registered. */
export function captureStockKernels(names: string[]): StockKernels {
  const stock: StockKernels = {};
  for (const name of names) stock[name] = getKernel(name, "wasm");
  return stock;
}

export function stockKernelFunc(stock: StockKernels, name: string): WasmKernelFunc {
  const config = stock[name];
  if (!config) throw new Error(`The wasm backend has no ${name} kernel to build on`);
  return config.kernelFunc as unknown as WasmKernelFunc;
}

/**
 * A replacement kernel for 'wasm'. It keeps the stock kernel's setup (the bindings to its wasm
 * functions), which the stock kernel needs whenever the replacement falls back to it.
 */
export function wasmKernelConfig(kernelName: string, stock: StockKernels, kernelFunc: WasmKernelFunc): KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    setupFunc: stock[kernelName]?.setupFunc,
    kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"],
  };
}

/** The input itself as the output, reference counted, as the cpu backend's Identity does: no copy. */
export function sharedBuffer(backend: WasmBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function floatsOf(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export type Shape4 = [number, number, number, number];

/** A 2-D convolution's geometry from its input and filter shapes and a gradient kernel's attrs. */
export function conv2DInfoOf(
  inputShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    inputShape as Shape4,
    filterShape as Shape4,
    attrs.strides as [number, number],
    1,
    attrs.pad as "same",
    attrs.dimRoundingMode as "floor" | undefined,
  );
}

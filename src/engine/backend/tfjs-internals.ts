// Every TensorFlow.js internal the engine depends on, in one place. None of these is public API:
// they hold for the tfjs version package.json pins, and test/unit/tfjs-internals.test.ts fails
// naming the one that changed when an upgrade changes any of them. After an upgrade, fix what the
// test names in the file listed beside it here, then TFJS_VERSION.

/** The version every entry below was checked against (tfjs-core, -layers, -backend-cpu, -backend-wasm). */
export const TFJS_VERSION = "4.22.0";

/**
 * wasm-threads.ts: tfjs-backend-wasm's threaded build under Node. It ships a threaded module and
 * its pthread worker in `folder`; the worker's source is the string export `workerExport` of the
 * worker file, and its `load` message carries the module as `urlOrBlob`. tfjs turns that source
 * into a Blob URL (URL.createObjectURL), keeps `flag` false under Node, and caps the thread count
 * at half of os.cpus(): wasm-threads.ts works around all three while the backend starts.
 */
export const WASM_THREADS = {
  folder: "wasm-out",
  module: "tfjs-backend-wasm-threaded-simd.js",
  worker: "tfjs-backend-wasm-threaded-simd.worker.js",
  workerExport: "wasmWorkerContents",
  flag: "WASM_HAS_MULTITHREAD_SUPPORT",
} as const;

/**
 * kernels/: the stock wasm kernels the training kernels are built on (their kernelFunc called with
 * `{ inputs, backend, attrs }`) and the ones they replace (whose setupFunc they keep as fallback).
 */
export const STOCK_WASM_KERNELS = {
  buildingBlocks: ["Conv2D", "Transpose", "Slice"],
  replaced: ["Conv2DBackpropInput", "MaxPoolGrad", "BatchMatMul", "Sum", "Identity", "Add", "Cast"],
} as const;

/** kernels/wasm-ops.ts: methods of the wasm backend's BackendWasm class that the kernels call. */
export const WASM_BACKEND_METHODS = ["makeOutput", "disposeData", "incRef", "typedArrayFromHeap"] as const;

/**
 * train/batch-trainer.ts: the names tfjs's optimizers give their state in getWeights and
 * setWeights, `<variable's originalName>/<suffix>` in this order, after an `iter` scalar. The fused
 * engine writes its optimizer state under these names so that a saved model resumes in tfjs.
 */
export const OPTIMIZER_SLOT_SUFFIXES = {
  adam: ["m", "v"],
  rmsprop: ["rms", "momentum"],
  adagrad: ["accumulator"],
  adadelta: ["accum_grad", "accum_var"],
} as const;

/**
 * models/summary.ts, models/instrument.ts, fused/graph.ts: tfjs-layers' graph as its classes hold
 * it, beyond the documented API: `layer.inboundNodes[0]` with `inboundLayers`, `inputShapes` and
 * `outputShapes`; a symbolic tensor's `sourceLayer`; a weight's `originalName`.
 */
export const LAYERS_GRAPH_FIELDS = {
  layer: ["inboundNodes"],
  node: ["inboundLayers", "inputShapes", "outputShapes"],
  symbolicTensor: ["sourceLayer"],
  weight: ["originalName"],
} as const;

// The wasm backend with the training kernels.
import { registerWasmTrainingKernels } from './kernels';
import type { Tf } from '../tf';

export async function startWasm(tf: Tf, threads: number | undefined): Promise<{ version: string; threads: number }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  // Under Node, tfjs-backend-wasm 4.22 loads the single-threaded binary whatever is asked
  // (WASM_HAS_MULTITHREAD_SUPPORT is false there); the count actually used is read back below.
  if (threads !== undefined) wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly module failed to initialize');
  return { version: wasm.version_wasm, threads: Math.max(1, wasm.getThreadsCount()) };
}

// The wasm backend with the training kernels, single-threaded or on a pool of threads.
import { registerWasmTrainingKernels } from './kernels';
import { withThreadedWasm } from './wasm-threads';
import type { Tf } from '../tf';

/** Starts the wasm backend; more than one thread takes the threaded build (see wasm-threads.ts). */
export async function startWasm(tf: Tf, threads = 1): Promise<{ version: string; threads: number }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  const init = async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly module failed to initialize');
  };
  if (threads > 1) await withThreadedWasm(tf, threads, wasm.setThreadsCount, init);
  else await init();
  return { version: wasm.version_wasm, threads: Math.max(1, wasm.getThreadsCount()) };
}

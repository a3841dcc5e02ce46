// The wasm backend with the training kernels, single-threaded or on a pool of threads.
import { registerWasmTrainingKernels } from "./kernels";
import { withThreadedWasm } from "./wasm-threads";
import type { Tf } from "../tf";

/**
 * Starts the wasm backend; more than one thread takes the threaded build (see wasm-threads.ts).
 * Where that build cannot be prepared, one thread runs and `threadsProblem` says why.
 */
export async function startWasm(
  tf: Tf,
  threads = 1,
): Promise<{ version: string; threads: number; threadsProblem?: string }> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  registerWasmTrainingKernels();
  let initialized = false;
  const init = async () => {
    initialized = true;
    if (!(await tf.setBackend("wasm"))) throw new Error("the WebAssembly module failed to initialize");
  };
  let threadsProblem: string | undefined;
  if (threads > 1) {
    try {
      await withThreadedWasm(tf, threads, wasm.setThreadsCount, init);
    } catch (error) {
      if (initialized) throw error;
      threadsProblem = `${threads} threads unavailable, one used: ${error instanceof Error ? error.message : String(error)}`;
      wasm.setThreadsCount(1);
      await init();
    }
  } else {
    await init();
  }
  return { version: wasm.version_wasm, threads: Math.max(1, wasm.getThreadsCount()), threadsProblem };
}

// Multithreaded WebAssembly under Node. tfjs-backend-wasm 4.22 ships a threaded build (pthreads on
// worker_threads) but cannot start it in Node, for three reasons worked around here, only while the
// backend initializes (the tfjs internals this relies on are listed in tfjs-internals.ts):
// 1. WASM_HAS_MULTITHREAD_SUPPORT is hard-coded false under Node: the flag is set by hand.
// 2. Its pthread workers load from blob: URLs, which Node's Worker rejects: they get a real file,
//    and that file loads the threaded module from its own path instead of from a Blob.
// 3. The thread count is capped at half the logical cores: os.cpus() reports twice the cores for
//    that moment, so that a count up to the real number of cores is kept.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import type { Tf } from "../tf";
import { WASM_THREADS } from "./tfjs-internals";

/**
 * Runs `init` (which must initialize the wasm backend) with the threaded build enabled. Throws
 * before touching the backend when the worker script cannot be written.
 */
export async function withThreadedWasm<T>(
  tf: Tf,
  threads: number,
  setThreadsCount: (n: number) => void,
  init: () => Promise<T>,
): Promise<T> {
  const workerFile = writeWorkerFile();
  // Descriptors, so that the originals go back exactly as they were.
  const createObjectURL = Object.getOwnPropertyDescriptor(URL, "createObjectURL")!;
  const cpus = Object.getOwnPropertyDescriptor(os, "cpus")!;
  const realCpus = os.cpus();
  tf.env().set(WASM_THREADS.flag, true);
  setThreadsCount(threads);
  URL.createObjectURL = () => workerFile;
  os.cpus = () => [...realCpus, ...realCpus];
  try {
    return await init();
  } finally {
    Object.defineProperty(URL, "createObjectURL", createObjectURL);
    Object.defineProperty(os, "cpus", cpus);
  }
}

/**
 * The pthread worker script: tfjs's own, plus a step that hands it the threaded module's path where
 * tfjs sends a Blob. Written into a private folder of this process (a shared, predictable path
 * would let another user of the machine put code there for us to run), removed when it exits.
 */
function writeWorkerFile(): string {
  const outDir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), WASM_THREADS.folder);
  const modulePath = join(outDir, WASM_THREADS.module);
  // The worker source is a template string whose "\n" escapes became real newlines: tfjs escapes
  // them again before use, and so must this.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file of tfjs's package, found at run time
  const worker = require(join(outDir, WASM_THREADS.worker)) as Record<typeof WASM_THREADS.workerExport, string>;
  const source =
    worker[WASM_THREADS.workerExport].replace(/\n/g, "\\n") +
    `\n;{const onLoad=self.onmessage;self.onmessage=(e)=>{if(e.data&&e.data.cmd==="load"&&typeof e.data.urlOrBlob!=="string")e.data.urlOrBlob=${JSON.stringify(modulePath)};return onLoad(e)}}\n`;
  const folder = mkdtempSync(join(os.tmpdir(), "archlab-wasm-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, "pthread-worker.cjs");
  writeFileSync(file, source);
  return file;
}

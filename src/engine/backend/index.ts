// Backend selection: tfjs-node when it loads, else WebAssembly with fast training kernels, else
// the pure-JS cpu backend. A forced preference that cannot be met is an error that says why.
// With 'auto' and 'fused', training itself runs on the fused engine where it can (see
// train/choose-trainer.ts); the tfjs backend then builds the models and trains the others.
import type { BackendInfo, BackendPreference } from "../types";
import { sharedPromise } from "../shared-promise";
import { engineTf, type Tf } from "../tf";
import { loadTfjsNode } from "./tfjs-node";
import { startWasm } from "./wasm";

export interface BackendOptions {
  threads?: number;
  /** Extra folders to resolve @tensorflow/tfjs-node from, e.g. the workspace. */
  searchPaths?: string[];
}

export class BackendError extends Error {}

const TFJS_NODE_HELP =
  "Install it next to ArchLab or in the workspace with `npm install @tensorflow/tfjs-node` " +
  "(its install downloads libtensorflow; offline, point TFJS_NODE_CDN_STORAGE at a mirror).";

const started = new Map<string, Promise<{ tf: Tf; backend: BackendInfo }>>();

/** Selects and initializes a backend; repeated calls with the same preference share one result. */
export function initBackend(
  pref: BackendPreference,
  opts: BackendOptions = {},
): Promise<{ tf: Tf; backend: BackendInfo }> {
  const key = `${pref}:${opts.threads ?? ""}:${(opts.searchPaths ?? []).join("|")}`;
  return sharedPromise(started, key, () => select(pref, opts));
}

async function select(pref: BackendPreference, opts: BackendOptions): Promise<{ tf: Tf; backend: BackendInfo }> {
  const reasons: string[] = [];
  if (pref === "auto" || pref === "tensorflow") {
    const node = loadTfjsNode(opts.searchPaths);
    if ("tf" in node) {
      quietBanners(node.tf);
      await node.tf.ready();
      return { tf: node.tf, backend: { name: "tensorflow", version: node.version } };
    }
    if (pref === "tensorflow")
      throw new BackendError(`The tensorflow backend is unavailable: ${node.reason}. ${TFJS_NODE_HELP}`);
    reasons.push(node.reason);
  }
  const tf = engineTf();
  quietBanners(tf);
  if (pref === "auto" || pref === "fused" || pref === "wasm") {
    try {
      const wasm = await startWasm(tf, opts.threads);
      if (wasm.threadsProblem) reasons.push(wasm.threadsProblem);
      return { tf, backend: withReason({ name: "wasm", version: wasm.version, threads: wasm.threads }, reasons) };
    } catch (error) {
      const reason = `wasm: ${messageOf(error)}`;
      if (pref === "wasm") throw new BackendError(`The wasm backend is unavailable: ${reason}`);
      reasons.push(reason);
    }
  }
  try {
    const cpu = await import("@tensorflow/tfjs-backend-cpu");
    if (!(await tf.setBackend("cpu"))) throw new Error("initialization failed");
    return { tf, backend: withReason({ name: "cpu", version: cpu.version_cpu }, reasons) };
  } catch (error) {
    throw new BackendError(`No backend could be started (${[...reasons, `cpu: ${messageOf(error)}`].join("; ")})`);
  }
}

/** tfjs advises installing tfjs-node on first use of the cpu backend; the run record already says which backend ran. */
function quietBanners(tf: Tf): void {
  tf.env().set("PROD", true);
}

function withReason(info: BackendInfo, reasons: string[]): BackendInfo {
  return reasons.length > 0 ? { ...info, fallbackReason: reasons.join("; ") } : info;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

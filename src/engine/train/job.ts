// What every training job is given (the CLI's flags, the extension's settings), and the context its
// runs share once the backend runs: for a model file's architectures (index.ts) and for Continue
// Training (continue.ts) alike.
import { loadDataset, type DatasetOptions } from "../datasets";
import { RunStore } from "../runs/store";
import type { Tf } from "../tf";
import type { BackendInfo, BackendPreference, KeepModels, TrainingEvent } from "../types";
import type { SourceSnapshot } from "./record";
import type { RunContext } from "./run-model";

export interface JobEnv {
  backend?: BackendPreference;
  /** WebAssembly threads; when absent, chosen from the models' size (see threads.ts). */
  threads?: number;
  /** Cores the automatic thread choice may use (default: all): a share when jobs run side by side. */
  cores?: number;
  /** Workspace folder (or the CLI's working directory): records go to <storeRoot>/.archlab/runs. */
  storeRoot: string;
  /** Another folder for the records, e.g. the CLI's --runs-dir. */
  runsDir?: string;
  /** The store itself, when the caller writes records too (one store keeps one record's writes in order). */
  store?: RunStore;
  datasetOptions?: DatasetOptions;
  searchPaths?: string[];
  /** Which runs keep their trained model (default DEFAULT_KEEP_MODELS). */
  keepModels?: KeepModels;
}

export interface JobHooks {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  onLog?: (message: string) => void;
  /** A run record could not be written: the job goes on, the run's results are still returned. */
  onStoreError?: RunContext["onStoreError"];
  /** Exports of the file that are not architectures, when the whole file trains. */
  onWarning?: (message: string) => void;
}

/** A job that cannot start as asked (an unknown architecture name, no such run): nothing is recorded. */
export class JobSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobSpecError";
  }
}

export function storeOf(env: JobEnv): RunStore {
  return env.store ?? new RunStore(env.storeRoot, env.runsDir);
}

/** The context of the job's runs, on the backend that started; says which one it is. */
export function runContext(
  env: JobEnv,
  hooks: JobHooks,
  started: { tf: Tf; backend: BackendInfo },
  store: RunStore,
  source: SourceSnapshot,
): RunContext {
  const { backend } = started;
  hooks.onLog?.(
    `Backend: ${backend.name} ${backend.version}${backend.fallbackReason ? ` (${backend.fallbackReason})` : ""}`,
  );
  return {
    tf: started.tf,
    backend,
    store,
    source,
    // loadDataset keeps loaded datasets in memory: models trained in a row parse the data once.
    loadDataset: (name) => loadDataset(name, { ...env.datasetOptions, signal: hooks.signal, onProgress: hooks.onLog }),
    signal: hooks.signal,
    onEvent: hooks.onEvent,
    onLog: hooks.onLog,
    onStoreError: hooks.onStoreError,
    keepModels: env.keepModels,
    preference: env.backend ?? "auto",
    fusedThreads: env.threads,
    cores: env.cores,
  };
}

// A training job: one model file, one or more of its architectures trained in turn, one run record
// each. Shared by the CLI and the extension's trainer child.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initBackend } from '../backend';
import { loadTfjsNode } from '../backend/tfjs-node';
import { loadDataset, type DatasetOptions } from '../datasets';
import { loadModelFile, resolveTrainingConfig, type Architecture, type LoadedModelFile } from '../models';
import { RunStore } from '../runs/store';
import { DEFAULT_TRAINING, type BackendPreference, type KeepModels, type RunRecord, type TrainingConfig, type TrainingEvent } from '../types';
import type { Tf } from '../tf';
import type { SourceSnapshot } from './record';
import { failRun, runArchitecture, type RunContext } from './run-model';
import { threadsForArchitectures } from './threads';

export interface JobSpec {
  file: string;
  /** Export names to train, in this order; all of the file's architectures when absent. */
  models?: string[];
  overrides?: Partial<TrainingConfig>;
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
  onStoreError?: RunContext['onStoreError'];
  /** Exports of the file that are not architectures, when the whole file trains. */
  onWarning?: (message: string) => void;
}

/** A job that cannot start as asked (an unknown architecture name): nothing is recorded. */
export class JobSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobSpecError';
  }
}

type LoadResult = { loaded: LoadedModelFile } | { error: unknown };

/**
 * Trains the selected architectures in turn. Problems of the file, a model or the data become
 * failed records; asking for an architecture the file does not have is a JobSpecError, before any
 * record. The model file is evaluated once per job.
 */
export async function runJob(spec: JobSpec, hooks: JobHooks = {}): Promise<RunRecord[]> {
  const file = resolve(spec.file);
  const preference = spec.backend ?? 'auto';
  const cores = spec.cores ?? os.cpus().length;
  const load = (tf: Tf): Promise<LoadResult> => loadModelFile(file, tf).then((loaded) => ({ loaded }), (error: unknown) => ({ error }));
  // The wasm backend takes its thread count when it starts, and the count depends on the models'
  // size: the file is then loaded first, on the cpu backend of the same tfjs the wasm backend
  // uses, and that module trains. Each factory is called twice: once when the file is loaded (to
  // tell architectures from other exports, and count MACs), once to build the model that trains.
  let early: { tf: Tf; result: LoadResult } | undefined;
  let threads = spec.threads;
  if (threads === undefined && cores > 1 && mayUseWasm(preference, spec.searchPaths)) {
    const { tf } = await initBackend('cpu');
    early = { tf, result: await load(tf) };
    threads = 'loaded' in early.result ? threadsForArchitectures(early.result.loaded.architectures, spec.models, cores) : 1;
  }
  const { tf, backend } = await initBackend(preference, { threads: threads ?? 1, searchPaths: spec.searchPaths });
  const result = early?.tf === tf ? early.result : await load(tf);
  if ('loaded' in result) checkRequested(spec.models, result.loaded);
  hooks.onLog?.(`Backend: ${backend.name} ${backend.version}${backend.fallbackReason ? ` (${backend.fallbackReason})` : ''}`);
  const ctx: RunContext = {
    tf,
    backend,
    store: spec.store ?? new RunStore(spec.storeRoot, spec.runsDir),
    source: await readSource(file),
    // loadDataset keeps loaded datasets in memory: models trained in a row parse the data once.
    loadDataset: (name) => loadDataset(name, { ...spec.datasetOptions, signal: hooks.signal, onProgress: hooks.onLog }),
    signal: hooks.signal,
    onEvent: hooks.onEvent,
    onLog: hooks.onLog,
    onStoreError: hooks.onStoreError,
    keepModels: spec.keepModels,
    preference,
    fusedThreads: spec.threads,
    cores: spec.cores,
  };

  if ('error' in result) {
    const config = { ...DEFAULT_TRAINING, ...spec.overrides };
    const names = spec.models?.length ? spec.models : [fileLabel(file)];
    return Promise.all(names.map((name) => failRun(ctx, name, config, result.error)));
  }
  const { loaded } = result;
  ctx.source = { path: file, text: loaded.source, sha256: loaded.sha256 };
  if (!spec.models?.length) for (const s of loaded.skipped) hooks.onWarning?.(`skipped export ${s.name}: ${s.reason}`);

  const records: RunRecord[] = [];
  for (const arch of spec.models?.length ? spec.models.map((name) => loaded.architectures.find((a) => a.name === name)!) : loaded.architectures) {
    if (hooks.signal?.aborted) break;
    let config: TrainingConfig;
    try {
      config = resolveTrainingConfig(loaded.training, arch.name, spec.overrides);
    } catch (err) {
      records.push(await failRun(ctx, arch.name, { ...DEFAULT_TRAINING, ...spec.overrides }, err));
      continue;
    }
    records.push(await runArchitecture(ctx, arch, config));
  }
  return records;
}

/** tfjs-node, when it loads, is the automatic choice: it has no thread count to choose. */
function mayUseWasm(preference: BackendPreference, searchPaths: string[] | undefined): boolean {
  return preference === 'wasm' || (preference === 'auto' && !('tf' in loadTfjsNode(searchPaths)));
}

function checkRequested(models: string[] | undefined, loaded: LoadedModelFile): void {
  for (const name of models ?? []) {
    if (!loaded.architectures.some((a) => a.name === name)) throw new JobSpecError(unknownModelMessage(name, loaded));
  }
}

async function readSource(file: string): Promise<SourceSnapshot> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return { path: file, text, sha256: createHash('sha256').update(text).digest('hex') };
}

function fileLabel(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function unknownModelMessage(name: string, loaded: LoadedModelFile): string {
  const skipped = loaded.skipped.find((s) => s.name === name);
  if (skipped) return `${name} is not an architecture: ${skipped.reason}`;
  const available = loaded.architectures.map((a: Architecture) => a.name).join(', ') || 'none';
  return `No architecture named "${name}" in the file (available: ${available})`;
}

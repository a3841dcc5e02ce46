// A training job: one model file, one or more of its architectures trained in turn, one run record
// each. Shared by the CLI and the extension's trainer child.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initBackend } from '../backend';
import { loadDataset, type DatasetOptions } from '../datasets';
import { loadModelFile, resolveTrainingConfig, type Architecture, type LoadedModelFile } from '../models';
import { RunStore } from '../runs/store';
import { DEFAULT_TRAINING, type BackendPreference, type RunRecord, type TrainingConfig, type TrainingEvent } from '../types';
import type { SourceSnapshot } from './record';
import { failRun, runArchitecture, type RunContext } from './run-model';
import { threadsForJob } from './threads';

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
}

export interface JobHooks {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  onLog?: (message: string) => void;
  /** A run record could not be written: the job goes on, the run's results are still returned. */
  onStoreError?: RunContext['onStoreError'];
}

/** Trains the selected architectures in turn. Problems of the file, a model or the data become failed records. */
export async function runJob(spec: JobSpec, hooks: JobHooks = {}): Promise<RunRecord[]> {
  const file = resolve(spec.file);
  const preference = spec.backend ?? 'auto';
  const threads = spec.threads ?? (await threadsForJob(file, spec.models, preference, spec.cores));
  const { tf, backend } = await initBackend(preference, { threads, searchPaths: spec.searchPaths });
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
  };

  let loaded: LoadedModelFile;
  try {
    loaded = await loadModelFile(file, tf);
  } catch (err) {
    const config = { ...DEFAULT_TRAINING, ...spec.overrides };
    const names = spec.models?.length ? spec.models : [fileLabel(file)];
    return Promise.all(names.map((name) => failRun(ctx, name, config, err)));
  }
  ctx.source = { path: file, text: loaded.source, sha256: loaded.sha256 };

  const records: RunRecord[] = [];
  for (const name of spec.models?.length ? spec.models : loaded.architectures.map((a) => a.name)) {
    if (hooks.signal?.aborted) break;
    const arch = loaded.architectures.find((a) => a.name === name);
    let config: TrainingConfig;
    try {
      config = resolveTrainingConfig(loaded.training, name, spec.overrides);
      if (!arch) throw new Error(unknownModelMessage(name, loaded));
    } catch (err) {
      records.push(await failRun(ctx, name, { ...DEFAULT_TRAINING, ...spec.overrides }, err));
      continue;
    }
    records.push(await runArchitecture(ctx, arch, config));
  }
  if (!records.length && !loaded.architectures.length) {
    const reason = loaded.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    const err = new Error(`${spec.file} exports no architecture${reason ? ` (${reason})` : ''}`);
    records.push(await failRun(ctx, fileLabel(file), { ...DEFAULT_TRAINING, ...spec.overrides }, err));
  }
  return records;
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

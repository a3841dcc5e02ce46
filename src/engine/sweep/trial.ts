// One trial of a sweep, in this process: the architecture built with the trial's values, trained
// as any run (same record, same events), with the controller's say at ASHA's rungs. The trainer
// child runs it, for local trials and on agents alike.
import os from "node:os";
import { resolve } from "node:path";
import { initBackend } from "../backend";
import { loadDataset, type DatasetOptions } from "../datasets";
import { loadModelFile, type Architecture } from "../models";
import { RunStore } from "../runs/store";
import { autoThreadCount } from "../train/threads";
import { failRun, runArchitecture, type RunContext } from "../train/run-model";
import type { BackendPreference, EpochMetrics, RunRecord, TrainingConfig, TrainingEvent } from "../types";
import type { Decision } from "./asha";
import { fixedPicker, HyperparameterSet } from "./hp";
import { TrialPruned } from "./trial-hooks";
import type { TrialParams } from "./types";

/** Everything a trial needs, wherever it runs: what travels in a queue's job. */
export interface TrialJob {
  sweepId: string;
  trial: number;
  runId: string;
  params: TrialParams;
  /** The model file (for an agent, the bundle written out where it runs). */
  file: string;
  model: string;
  /** The base settings with the trial's training parameters applied. */
  config: TrainingConfig;
  /** Epochs after which the controller decides whether the trial goes on (ASHA); empty: it runs to the end. */
  rungs: number[];
  /** MACs per image of this variant, for the thread choice. */
  macs?: number;
  attempt?: number;
  retried?: string;
  agent?: string;
}

export interface TrialEnv {
  backend: BackendPreference;
  threads?: number;
  /** Cores this trial may use: a share when trials run side by side. */
  cores?: number;
  storeRoot: string;
  runsDir?: string;
  datasetOptions?: DatasetOptions;
  searchPaths?: string[];
}

export interface TrialRunHooks {
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  onLog?: (message: string) => void;
  /** Asked at each rung epoch, once the epoch is in the record, with the epochs so far. */
  decide(epoch: number, epochs: EpochMetrics[]): Promise<Decision>;
}

/** A store whose new records take the trial's id, so that a trial run again keeps one record. */
class TrialStore extends RunStore {
  constructor(
    root: string,
    runsDir: string | undefined,
    private readonly runId: string,
  ) {
    super(root, runsDir);
  }
  override newRunId(): string {
    return this.runId;
  }
}

export async function runTrial(job: TrialJob, env: TrialEnv, hooks: TrialRunHooks): Promise<RunRecord> {
  const file = resolve(job.file);
  const backendThreads = env.threads ?? autoThreadCount([job.macs ?? 0], env.cores ?? os.cpus().length);
  const { tf, backend } = await initBackend(env.backend, { threads: backendThreads, searchPaths: env.searchPaths });
  const sweep = {
    id: job.sweepId,
    trial: job.trial,
    params: job.params,
    attempt: job.attempt,
    retried: job.retried,
    agent: job.agent,
  };
  const ctx: RunContext = {
    tf,
    backend,
    store: new TrialStore(env.storeRoot, env.runsDir, job.runId),
    source: { path: file, text: "", sha256: "" },
    loadDataset: (name) => loadDataset(name, { ...env.datasetOptions, signal: hooks.signal, onProgress: hooks.onLog }),
    signal: hooks.signal,
    onEvent: hooks.onEvent,
    onLog: hooks.onLog,
    onStoreError: (err) => hooks.onLog?.(err.message),
    preference: env.backend,
    fusedThreads: env.threads,
    cores: env.cores,
    trial: {
      runId: job.runId,
      sweep,
      afterEpoch: async (metrics, record) => {
        if (!job.rungs.includes(metrics.epoch)) return;
        if ((await hooks.decide(metrics.epoch, record.epochs)) === "prune") throw new TrialPruned(metrics.epoch);
      },
    },
  };
  let arch: Architecture | undefined;
  try {
    const loaded = await loadModelFile(file, tf);
    ctx.source = { path: file, text: loaded.source, sha256: loaded.sha256 };
    arch = loaded.architectures.find((a) => a.name === job.model);
    if (!arch) throw new Error(`No architecture named "${job.model}" in the file any more`);
  } catch (err) {
    const record = await failRun(ctx, job.model, job.config, err);
    record.sweep = sweep;
    await ctx.store.save(record);
    return record;
  }
  const found = arch;
  const variant: Architecture = {
    name: found.name,
    takesHyperparameters: found.takesHyperparameters,
    build: () => found.build(new HyperparameterSet(fixedPicker(job.params))),
  };
  return runArchitecture(ctx, variant, job.config);
}

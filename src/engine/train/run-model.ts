// One architecture, one run: build, check against the dataset, train, evaluate, and keep its record
// up to date in the store (at the start, after every epoch, at the end).
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { Dataset } from "../datasets";
import { checkInputShape, summarizeModel, toRunError, type Architecture } from "../models";
import type { RunStore } from "../runs/store";
import type { StoreWriteError } from "../runs/write-error";
import { backendLabel } from "../runs/table";
import { TrialPruned, type TrialHooks } from "../sweep/trial-hooks";
import type { Tf } from "../tf";
import { applyKeepPolicy } from "../saved/keep";
import type { SavedOptimizerState } from "../saved/optimizer-state";
import { saveRunModel } from "../saved/save";
import {
  DEFAULT_KEEP_MODELS,
  type BackendInfo,
  type BackendPreference,
  type KeepModels,
  type ModelSummary,
  type RunRecord,
  type RunStatus,
  type TrainingConfig,
  type TrainingEvent,
} from "../types";
import { prepareRunData, seededRandom } from "./data";
import { evaluateSplit, type Evaluation } from "./evaluate";
import type { BatchTrainer } from "./batch-trainer";
import { chooseTrainer } from "./choose-trainer";
import { cancellationPoint, fitModel, TrainingStopped } from "./fit";
import { newRecord, type SourceSnapshot } from "./record";
import { quickRunConfig } from "./quick";
import { saveRecord } from "./save-record";
import { fusedThreadCount } from "./threads";

export interface RunContext {
  tf: Tf;
  backend: BackendInfo;
  store: RunStore;
  source: SourceSnapshot;
  /** Loads (or returns the already loaded) dataset named by a config. */
  loadDataset: (spec: string) => Promise<Dataset>;
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
  onLog?: (message: string) => void;
  /** A record could not be written; the run goes on (see save-record.ts). */
  onStoreError?: (error: StoreWriteError, record: RunRecord) => void;
  /** The backend asked for: 'auto' and 'fused' train on the fused engine where it can. */
  preference?: BackendPreference;
  /** Threads of the fused engine; by default chosen from the model's MACs (threads.ts). */
  fusedThreads?: number;
  /** Cores the automatic thread choice may use (a share when jobs run side by side). */
  cores?: number;
  /** Set when the run is a sweep's trial. */
  trial?: TrialHooks;
  /** Which runs keep their trained model (default DEFAULT_KEEP_MODELS). */
  keepModels?: KeepModels;
}

/** A model to train and its summary, or why there is none. */
export type BuiltModel = { model: LayersModel; summary: ModelSummary } | { error: unknown };

/** Where a continued run starts: after its parent's last epoch, with its parent's optimizer state when one was saved. */
export interface StartPoint {
  firstEpoch: number;
  optimizer?: SavedOptimizerState;
}

/** Trains one architecture. Never throws for problems of the model or the data: they end the record. */
export async function runArchitecture(ctx: RunContext, arch: Architecture, config: TrainingConfig): Promise<RunRecord> {
  const { store } = ctx;
  const started = performance.now();
  // A quick run is one epoch from its start (its image counts wait for the dataset's size).
  const recorded = config.quick ? { ...config, epochs: 1 } : config;
  const record = newRecord({
    id: ctx.trial?.runId ?? store.newRunId(arch.name),
    model: arch.name,
    storeRoot: store.root,
    source: ctx.source,
    config: recorded,
    backend: ctx.backend,
  });
  if (ctx.trial) record.sweep = ctx.trial.sweep;
  let built: BuiltModel;
  try {
    const model = withSeededMathRandom(config.seed, () => arch.build());
    built = { model, summary: summarizeModel(model, arch.name) };
    record.summary = built.summary;
  } catch (err) {
    built = { error: err };
  }
  return runBuilt(ctx, record, built, started);
}

/** Records the run's start, trains and ends it; the model is disposed afterwards. */
export async function runBuilt(
  ctx: RunContext,
  record: RunRecord,
  built: BuiltModel,
  started: number,
  start?: StartPoint,
): Promise<RunRecord> {
  try {
    await saveRecord(ctx, record);
    ctx.onEvent?.({ type: "runStarted", runId: record.id, record: structuredClone(record) });
    return await trainAndEvaluate(ctx, record, built, started, start);
  } finally {
    if ("model" in built) built.model.dispose();
  }
}

/** The run after its start: ends the record as completed, failed or cancelled. */
async function trainAndEvaluate(
  ctx: RunContext,
  record: RunRecord,
  built: BuiltModel,
  started: number,
  start?: StartPoint,
): Promise<RunRecord> {
  const { tf } = ctx;
  const config = record.config;
  const emit = (event: TrainingEvent) => ctx.onEvent?.(event);
  if ("error" in built)
    return endedBy(ctx, record, built.error ?? new Error(`${record.model}() did not return a model`));
  const { model, summary } = built;
  let trainer: BatchTrainer | undefined;
  try {
    ctx.onLog?.(`${record.model}: loading dataset ${config.dataset}`);
    const dataset = await ctx.loadDataset(config.dataset);
    if (config.quick)
      record.config = quickRunConfig(config, summary.macs ?? 0, dataset.train.count, dataset.test.count);
    const data = prepareRunData(dataset, record.config);
    record.dataset = data.info;
    const mismatch = checkInputShape(summary, data.info);
    if (mismatch) throw new Error(mismatch);
    const choice = chooseTrainer(tf, model, {
      ...config,
      outputsProbabilities: summary.outputsProbabilities,
      imageShape: data.info.imageShape,
      numClasses: data.info.numClasses,
      preference: ctx.preference ?? "auto",
      backend: ctx.backend,
      threads: ctx.fusedThreads ?? fusedThreadCount(summary.macs ?? 0, ctx.cores),
    });
    trainer = choice.trainer;
    record.backend = choice.backend;
    if (start?.optimizer) await trainer.restoreOptimizer(start.optimizer);
    ctx.onLog?.(`${record.model}: training on ${data.train.count} images (${backendLabel(record.backend)})`);
    let validated: Evaluation | undefined;
    await fitModel(trainer, data, {
      // record.config: a quick run's (one epoch), not the config the run was started with.
      ...record.config,
      firstEpoch: start?.firstEpoch,
      outputsProbabilities: summary.outputsProbabilities,
      signal: ctx.signal,
      onBatch: (progress) => emit({ type: "batch", runId: record.id, ...progress }),
      onEpoch: async (metrics) => {
        record.epochs.push(metrics);
        await saveRunModel(ctx.store, record, model, ctx.keepModels ?? DEFAULT_KEEP_MODELS);
        await saveRecord(ctx, record);
        emit({ type: "epoch", runId: record.id, metrics });
        await ctx.trial?.afterEpoch(metrics, record);
      },
      onValidated: (evaluation) => (validated = evaluation),
    });
    // Validating on the test split (the default) already evaluated the final weights on it.
    const test =
      data.validation === data.test && validated
        ? validated
        : await evaluateSplit(trainer, data.test, {
            numClasses: data.info.numClasses,
            imageShape: data.info.imageShape,
            outputsProbabilities: summary.outputsProbabilities,
            afterBatch: cancellationPoint(ctx.signal),
          });
    record.results = {
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      learningTimeSec: record.epochs.reduce((sum, e) => sum + e.seconds, 0),
      totalTimeSec: (performance.now() - started) / 1000,
      confusion: test.confusion,
      perClassAccuracy: test.perClassAccuracy,
      misclassified: test.misclassified,
      testExamples: test.examples,
    };
    return await finish(ctx, record, "completed");
  } catch (err) {
    return await endedBy(ctx, record, err);
  } finally {
    trainer?.dispose();
  }
}

/** A run that ended by an exception: stopped, pruned at a rung, or failed. */
function endedBy(ctx: RunContext, record: RunRecord, err: unknown): Promise<RunRecord> {
  const cancelled = (err instanceof TrainingStopped && err.reason === "cancelled") || ctx.signal?.aborted;
  if (cancelled) return finish(ctx, record, "cancelled");
  if (err instanceof TrialPruned) return finish(ctx, record, "pruned");
  record.error = toRunError(err);
  return finish(ctx, record, "failed");
}

/** A record that failed before any architecture could be built (e.g. the model file does not load). */
export async function failRun(
  ctx: RunContext,
  model: string,
  config: TrainingConfig,
  err: unknown,
): Promise<RunRecord> {
  const record = newRecord({
    id: ctx.store.newRunId(model),
    model,
    storeRoot: ctx.store.root,
    source: ctx.source,
    config,
    backend: ctx.backend,
  });
  record.error = toRunError(err);
  ctx.onEvent?.({ type: "runStarted", runId: record.id, record: structuredClone({ ...record, error: undefined }) });
  return finish(ctx, record, "failed");
}

async function finish(
  ctx: RunContext,
  record: RunRecord,
  status: Exclude<RunStatus, "running" | "interrupted">,
): Promise<RunRecord> {
  record.status = status;
  record.finishedAt = new Date().toISOString();
  await applyKeepPolicy(ctx.store, record, ctx.keepModels ?? DEFAULT_KEEP_MODELS);
  await saveRecord(ctx, record);
  const type =
    status === "completed" || status === "pruned" ? "runFinished" : status === "failed" ? "runFailed" : "runCancelled";
  ctx.onEvent?.({ type, runId: record.id, record: structuredClone(record) });
  return record;
}

// Layer initializers draw their seeds from Math.random; seeding it while the model is built makes
// the initial weights, and so the whole run on a given backend, reproducible from the run's seed.
function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const original = Math.random;
  Math.random = seededRandom(seed ^ 0x5eed);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

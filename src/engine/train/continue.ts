// Continue Training: a run's saved model trained for more epochs, from its weights and its
// optimizer's state, as a new run linked to its parent (record.parent). The new run's epochs are
// numbered on from the parent's, as Keras's initial_epoch does, and train with the parent's
// settings and source: on the fused engine, the result is the run the parent would have been had
// it been given the extra epochs in the first place.
import os from "node:os";
import { isAbsolute, resolve } from "node:path";
import { initBackend } from "../backend";
import { datasetSpecIn } from "../datasets";
import { summarizeModel } from "../models";
import { shortRunId } from "../runs/continued";
import type { RunStore } from "../runs/store";
import { findRun, savedModelDir } from "../saved/files";
import { loadSavedModel } from "../saved/load";
import { readOptimizerState } from "../saved/optimizer-state";
import type { RunRecord, SavedModelRef, TrainingConfig } from "../types";
import { JobSpecError, runContext, storeOf, type JobEnv, type JobHooks } from "./job";
import { newRecord } from "./record";
import { runBuilt } from "./run-model";
import { autoThreadCount } from "./threads";

export interface ContinueSpec extends JobEnv {
  /** The parent run: its id, or a part that only its id contains. */
  runId: string;
  /** How many more epochs; default: as many as the parent run was set to train. */
  epochs?: number;
}

/**
 * Trains the parent's saved model `epochs` more epochs as a new run. A parent that does not exist,
 * is still training or kept no model is a JobSpecError, before any record.
 */
export async function continueRun(spec: ContinueSpec, hooks: JobHooks = {}): Promise<RunRecord> {
  const began = performance.now();
  const store = storeOf(spec);
  const { parent, saved } = await parentRun(store, spec.runId);
  const macs = parent.summary?.macs ?? 0;
  // The wasm backend's thread count, as a job training this model would choose it.
  const threads = spec.threads ?? autoThreadCount([macs], spec.cores ?? os.cpus().length);
  const started = await initBackend(spec.backend ?? "auto", { threads, searchPaths: spec.searchPaths });
  const path = isAbsolute(parent.file) ? parent.file : resolve(store.root, parent.file);
  const ctx = runContext(spec, hooks, started, store, { path, ...parent.source });
  // A folder dataset is named in the record relative to the store's root.
  const loadDataset = ctx.loadDataset;
  ctx.loadDataset = (name) => loadDataset(datasetSpecIn(name, store.root));

  const model = await loadSavedModel(started.tf, store, parent);
  // The parent's summary keeps what a model read back from disk lacks: each layer's source line.
  const summary = parent.summary ? structuredClone(parent.summary) : summarizeModel(model, parent.model);
  const optimizer = await readOptimizerState(savedModelDir(store, parent)).catch((err: unknown) => {
    model.dispose();
    throw err;
  });
  // tfjs's adamax cannot export its state, so its runs keep none.
  if (!optimizer)
    hooks.onLog?.(
      `${parent.model}: run ${parent.id} kept no optimizer state with its model: ${parent.config.optimizer} starts afresh`,
    );
  // The limits a Quick Run chose are in its config: continuing it trains the same images, for as many epochs as asked.
  const config: TrainingConfig = { ...parent.config, epochs: spec.epochs ?? parent.config.epochs };
  delete config.quick;
  const record = newRecord({
    id: store.newRunId(parent.model),
    model: parent.model,
    storeRoot: store.root,
    source: ctx.source,
    config,
    backend: started.backend,
  });
  record.parent = { id: parent.id, epochs: saved.epoch };
  record.summary = summary;
  hooks.onLog?.(
    `${parent.model}: continuing run ${parent.id} from epoch ${saved.epoch} for ${config.epochs} more epoch${config.epochs === 1 ? "" : "s"}`,
  );
  try {
    return await runBuilt(ctx, record, { model, summary }, began, { firstEpoch: saved.epoch + 1, optimizer });
  } finally {
    for (const { tensor } of optimizer?.weights ?? []) tensor.dispose();
  }
}

/** The run to continue and its saved model, when it can be: it exists, has ended, and kept its trained model. */
async function parentRun(store: RunStore, id: string): Promise<{ parent: RunRecord; saved: SavedModelRef }> {
  const refuse = (message: string) => new JobSpecError(`Cannot continue training: ${message}`);
  const parent = await findRun(store, id).catch((err: Error) => {
    throw refuse(err.message);
  });
  if (parent.status === "running") throw refuse(`run ${parent.id} is still training: continue it once it has ended`);
  try {
    savedModelDir(store, parent);
  } catch (err) {
    throw refuse(`${(err as Error).message}${await keptByOthers(store, parent)}`);
  }
  return { parent, saved: parent.savedModel! };
}

/** Where keepModels kept the model of the parent's architecture instead: " (runs of TinyCNN that kept theirs: …3f9a)". */
async function keptByOthers(store: RunStore, parent: RunRecord): Promise<string> {
  const hash = parent.summary?.architectureHash;
  const { records } = await store.list();
  const kept = records.filter(
    (r) => r.savedModel && r.id !== parent.id && r.model === parent.model && r.summary?.architectureHash === hash,
  );
  return kept.length
    ? ` (runs of ${parent.model} that kept theirs: ${kept
        .slice(0, 3)
        .map((r) => shortRunId(r.id))
        .join(", ")})`
    : "";
}

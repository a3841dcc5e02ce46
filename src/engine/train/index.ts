// A training job: one model file, one or more of its architectures trained in turn, one run record
// each. Shared by the CLI and the extension's trainer child.
import { createHash } from "node:crypto";
import os from "node:os";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { initBackend } from "../backend";
import { loadTfjsNode } from "../backend/tfjs-node";
import { loadModelFile, resolveTrainingConfig, type Architecture, type LoadedModelFile } from "../models";
import { DEFAULT_TRAINING, type BackendPreference, type RunRecord, type TrainingConfig } from "../types";
import type { Tf } from "../tf";
import type { SourceSnapshot } from "./record";
import { JobSpecError, runContext, storeOf, type JobEnv, type JobHooks } from "./job";
import { failRun, runArchitecture } from "./run-model";
import { threadsForArchitectures } from "./threads";

export { JobSpecError, type JobEnv, type JobHooks } from "./job";
export { continueRun, type ContinueSpec } from "./continue";

export interface JobSpec extends JobEnv {
  file: string;
  /** Export names to train, in this order; all of the file's architectures when absent. */
  models?: string[];
  overrides?: Partial<TrainingConfig>;
}

type LoadResult = { loaded: LoadedModelFile } | { error: unknown };

/**
 * Trains the selected architectures in turn. Problems of the file, a model or the data become
 * failed records; asking for an architecture the file does not have is a JobSpecError, before any
 * record. The model file is evaluated once per job.
 */
export async function runJob(spec: JobSpec, hooks: JobHooks = {}): Promise<RunRecord[]> {
  const file = resolve(spec.file);
  const preference = spec.backend ?? "auto";
  const cores = spec.cores ?? os.cpus().length;
  const load = (tf: Tf): Promise<LoadResult> =>
    loadModelFile(file, tf).then(
      (loaded) => ({ loaded }),
      (error: unknown) => ({ error }),
    );
  // The wasm backend takes its thread count when it starts, and the count depends on the models'
  // size: the file is then loaded first, on the cpu backend of the same tfjs the wasm backend
  // uses, and that module trains. Each factory is called twice: once when the file is loaded (to
  // tell architectures from other exports, and count MACs), once to build the model that trains.
  let early: { tf: Tf; result: LoadResult } | undefined;
  let threads = spec.threads;
  if (threads === undefined && cores > 1 && mayUseWasm(preference, spec.searchPaths)) {
    const { tf } = await initBackend("cpu");
    early = { tf, result: await load(tf) };
    threads =
      "loaded" in early.result ? threadsForArchitectures(early.result.loaded.architectures, spec.models, cores) : 1;
  }
  const started = await initBackend(preference, { threads: threads ?? 1, searchPaths: spec.searchPaths });
  const result = early?.tf === started.tf ? early.result : await load(started.tf);
  if ("loaded" in result) checkRequested(spec.models, result.loaded);
  const ctx = runContext(spec, hooks, started, storeOf(spec), await readSource(file));

  if ("error" in result) {
    const config = { ...DEFAULT_TRAINING, ...spec.overrides };
    const names = spec.models?.length ? spec.models : [fileLabel(file)];
    return Promise.all(names.map((name) => failRun(ctx, name, config, result.error)));
  }
  const { loaded } = result;
  ctx.source = { path: file, text: loaded.source, sha256: loaded.sha256 };
  if (!spec.models?.length) for (const s of loaded.skipped) hooks.onWarning?.(`skipped export ${s.name}: ${s.reason}`);

  const records: RunRecord[] = [];
  for (const arch of spec.models?.length
    ? spec.models.map((name) => loaded.architectures.find((a) => a.name === name)!)
    : loaded.architectures) {
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
  return preference === "wasm" || (preference === "auto" && !("tf" in loadTfjsNode(searchPaths)));
}

function checkRequested(models: string[] | undefined, loaded: LoadedModelFile): void {
  for (const name of models ?? []) {
    if (!loaded.architectures.some((a) => a.name === name)) throw new JobSpecError(unknownModelMessage(name, loaded));
  }
}

async function readSource(file: string): Promise<SourceSnapshot> {
  const text = await readFile(file, "utf8").catch(() => "");
  return { path: file, text, sha256: createHash("sha256").update(text).digest("hex") };
}

function fileLabel(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function unknownModelMessage(name: string, loaded: LoadedModelFile): string {
  const skipped = loaded.skipped.find((s) => s.name === name);
  if (skipped) return `${name} is not an architecture: ${skipped.reason}`;
  const available = loaded.architectures.map((a: Architecture) => a.name).join(", ") || "none";
  return `No architecture named "${name}" in the file (available: ${available})`;
}

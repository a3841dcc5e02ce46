// Creating run records.
import { cpus } from "node:os";
import { isAbsolute, relative } from "node:path";
import { RUN_SCHEMA_VERSION, type BackendInfo, type RunRecord, type TrainingConfig } from "../types";

export interface SourceSnapshot {
  /** Absolute path of the model file. */
  path: string;
  text: string;
  sha256: string;
}

export function newRecord(options: {
  id: string;
  model: string;
  storeRoot: string;
  source: SourceSnapshot;
  config: TrainingConfig;
  backend: BackendInfo;
}): RunRecord {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: options.id,
    model: options.model,
    file: displayPath(options.source.path, options.storeRoot),
    source: { text: options.source.text, sha256: options.source.sha256 },
    config: options.config,
    backend: options.backend,
    status: "running",
    startedAt: new Date().toISOString(),
    epochs: [],
    host: { platform: process.platform, arch: process.arch, cpus: cpus().length, node: process.version },
  };
}

/** Relative to the store's root when the file is inside it, so records survive moving the workspace. */
export function displayPath(file: string, root: string): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : file;
}

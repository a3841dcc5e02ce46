// Arguments checked before anything runs or is written: a mistake is a usage error (exit code 2).
import { statSync } from "node:fs";
import { checkDatasetSpec } from "../engine/datasets";
import { UsageError } from "./output";

export function checkModelFile(file: string): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such model file: ${file}`);
  if (!stat.isFile()) throw new UsageError(`${file} is a folder, not a model file (.ts, .js or .mjs)`);
}

export function checkDatasetOption(spec: string): void {
  if (spec.trim() === "")
    throw new UsageError("--dataset needs mnist, fashion-mnist or a folder of IDX files, not an empty string");
  try {
    checkDatasetSpec(spec);
  } catch (err) {
    throw new UsageError(`--dataset: ${(err as Error).message}`);
  }
}

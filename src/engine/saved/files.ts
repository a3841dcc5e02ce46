// Where a run's saved model is, and whether it is intact: no tfjs here, so the extension host
// (which never loads tfjs) can export and delete saved models.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { RunStore } from "../runs/store";
import type { RunRecord } from "../types";

export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";

/** The folder of a record's saved model; throws with the reason when it has none. */
export function savedModelDir(store: Pick<RunStore, "root">, record: RunRecord): string {
  if (!record.savedModel) {
    const why =
      record.savedModelError ??
      (record.status === "running"
        ? "it is still running and has not finished an epoch"
        : record.status === "failed"
          ? "it failed, and a failed run keeps none"
          : "its trained model was not kept (the archlab.keepModels setting, --keep-models on the command line) or was deleted");
    throw new Error(`Run ${record.id} has no saved model: ${why}`);
  }
  const { path } = record.savedModel;
  return isAbsolute(path) ? path : resolve(store.root, path);
}

/** Checks weights.bin against the record's hash, so that a changed or truncated file is named rather than mispredicting. */
export async function verifySavedModel(store: Pick<RunStore, "root">, record: RunRecord): Promise<string> {
  const dir = savedModelDir(store, record);
  await checkWeights(dir, record.savedModel?.sha256, `Run ${record.id}'s saved model`);
  return dir;
}

export async function checkWeights(dir: string, sha256: string | undefined, what: string): Promise<void> {
  const bytes = await readFile(join(dir, WEIGHTS_BIN)).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${what} is missing from ${dir} (${err.code ?? err.message})`);
  });
  const hash = createHash("sha256").update(bytes).digest("hex");
  if (hash !== sha256)
    throw new Error(`${what}'s weights in ${dir} do not match its record (SHA-256 differs): the files were changed`);
}

/** A run by its id or a part of it that only one run's id contains (the tail, the model name...). */
export async function findRun(store: RunStore, idOrPart: string): Promise<RunRecord> {
  const exact = await store.get(idOrPart);
  if (exact) return exact;
  const { records } = await store.list();
  const matches = records.filter((r) => r.id.includes(idOrPart));
  if (matches.length === 1) return matches[0];
  if (!matches.length) throw new Error(`No run "${idOrPart}" in ${store.runsDir}`);
  const shown = matches
    .slice(0, 5)
    .map((r) => r.id)
    .join(", ");
  throw new Error(
    `"${idOrPart}" matches ${matches.length} runs (${shown}${matches.length > 5 ? ", ..." : ""}): give more of the id`,
  );
}

// Saving a run's trained model after every epoch: the record then names weights that match its
// last recorded epoch, whether the run completes, is cancelled, or its process dies (interrupted).
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { io } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { RunStore } from "../runs/store";
import { displayPath } from "../train/record";
import type { KeepModels, RunRecord } from "../types";
import { writeLayersFolder } from "./layers-format";
import { writeOptimizerState } from "./optimizer-state";

const GITIGNORE = `# Trained models (several MB a run) stay out of git; the JSON run records beside them are made for it.
models/
`;

/**
 * Saves the model's weights and its optimizer's state as the run's saved model and notes it in the
 * record (which the caller saves). Never throws: a model that cannot be saved (a layer tfjs cannot
 * serialize, a full disk) loses nothing else, and the record says why.
 */
export async function saveRunModel(
  store: RunStore,
  record: RunRecord,
  model: LayersModel,
  keep: KeepModels,
): Promise<void> {
  if (keep === "none") return;
  const target = store.modelDir(record.id);
  const temp = join(store.modelsDir, `.tmp-${record.id}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(temp, { recursive: true });
    await ensureGitignore(dirname(store.modelsDir));
    let artifacts: io.ModelArtifacts | undefined;
    await model.save(
      io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(saved) };
      }),
    );
    if (!artifacts) throw new Error("tfjs handed over no model artifacts");
    const weights = await writeLayersFolder(temp, artifacts);
    const optimizer = model.optimizer
      ? await writeOptimizerState(temp, model.optimizer, record.config.optimizer)
      : undefined;
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    record.savedModel = {
      path: displayPath(target, store.root),
      bytes: await folderBytes(target),
      sha256: createHash("sha256").update(weights).digest("hex"),
      // The epoch's own number: a continued run's go on from its parent's.
      epoch: record.epochs.at(-1)?.epoch ?? 0,
      optimizer,
    };
    delete record.savedModelError;
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    record.savedModelError = `The trained model could not be saved: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function ensureGitignore(dir: string): Promise<void> {
  // 'wx' never overwrites a .gitignore the user wrote.
  await writeFile(join(dir, ".gitignore"), GITIGNORE, { flag: "wx" }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "EEXIST") throw err;
  });
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

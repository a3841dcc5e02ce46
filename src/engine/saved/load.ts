// Opening a run's saved model with stock tf.loadLayersModel, as any TensorFlow.js app would.
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { RunStore } from "../runs/store";
import type { Tf } from "../tf";
import type { RunRecord } from "../types";
import { checkWeights, verifySavedModel } from "./files";
import { readLayersFolder } from "./layers-format";

export async function loadSavedModel(tf: Tf, store: RunStore, record: RunRecord): Promise<LayersModel> {
  const dir = await verifySavedModel(store, record);
  return tf.loadLayersModel(tf.io.fromMemory(await readLayersFolder(dir)));
}

/** A saved model's folder, checked against the hash its run's record names. */
export async function loadLayersModelFolder(tf: Tf, dir: string, sha256: string): Promise<LayersModel> {
  await checkWeights(dir, sha256, "The saved model");
  return tf.loadLayersModel(tf.io.fromMemory(await readLayersFolder(dir)));
}

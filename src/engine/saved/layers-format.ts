// The TensorFlow.js layers format on disk: model.json (topology + weights manifest) and one binary
// weights file, byte for byte what `model.save('file://dir')` writes with tfjs-node. Written here
// with tfjs-core's own io helpers because file:// IO exists only in tfjs-node, which ArchLab
// cannot count on (the wasm and cpu backends have no file handler).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { io } from "@tensorflow/tfjs-core";

import { MODEL_JSON, WEIGHTS_BIN } from "./files";

/** Writes model.json and weights.bin into an existing folder; returns the weights' bytes. */
export async function writeLayersFolder(dir: string, artifacts: io.ModelArtifacts): Promise<Uint8Array> {
  const weights = new Uint8Array(io.concatenateArrayBuffers(weightBuffers(artifacts.weightData)));
  const manifest: io.WeightsManifestConfig = [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }];
  // The fields tfjs-node's file handler writes (tfjs-core's helper for it is not public).
  const modelJson: io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  await writeFile(join(dir, WEIGHTS_BIN), weights);
  await writeFile(join(dir, MODEL_JSON), JSON.stringify(modelJson), "utf8");
  return weights;
}

/** Reads a folder in the layers format (weights in any number of files) as the artifacts tf.loadLayersModel takes. */
export async function readLayersFolder(dir: string): Promise<io.ModelArtifacts> {
  const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), "utf8")) as io.ModelJSON;
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(
      `${join(dir, MODEL_JSON)} is not a TensorFlow.js layers model (no modelTopology or weightsManifest)`,
    );
  }
  return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const path of group.paths) {
        const bytes = await readFile(join(dir, path));
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
    }
    return [specs, io.concatenateArrayBuffers(buffers)];
  });
}

function weightBuffers(data: io.ModelArtifacts["weightData"]): ArrayBuffer[] {
  if (!data) return [];
  return Array.isArray(data) ? data : [data];
}

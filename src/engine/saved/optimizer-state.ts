// The optimizer's state (Adam's moments and step count...) beside the weights, so that training can
// go on where it stopped. A file of its own rather than weights in model.json's "optimizer" group:
// model.json then stays exactly what any TensorFlow.js app loads, and the trainingConfig that
// tfjs would embed cannot describe ArchLab's loss function anyway.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dispose, io, Variable, type Optimizer } from "@tensorflow/tfjs-core";
import type { OptimizerName } from "../types";

/** A tensor with its name, as optimizers get and set their weights. */
export type NamedTensor = Awaited<ReturnType<Optimizer["getWeights"]>>[number];

const STATE_JSON = "optimizer.json";
const STATE_BIN = "optimizer.bin";

interface StateFile {
  optimizer: OptimizerName;
  weights: io.WeightsManifestEntry[];
}

/** Writes the state; returns the optimizer's name, or undefined when the optimizer cannot export its state. */
export async function writeOptimizerState(
  dir: string,
  optimizer: Optimizer,
  name: OptimizerName,
): Promise<OptimizerName | undefined> {
  let named;
  try {
    named = await optimizer.getWeights();
  } catch {
    return undefined;
  }
  // getWeights makes a new scalar for the step count each call; the rest are the optimizer's variables.
  const made = named.filter(({ tensor }) => !(tensor instanceof Variable));
  const { data, specs } = await io
    .encodeWeights(named, "optimizer")
    .finally(() => made.forEach(({ tensor }) => tensor.dispose()));
  await writeFile(join(dir, STATE_BIN), new Uint8Array(io.concatenateArrayBuffers(data)));
  const state: StateFile = { optimizer: name, weights: specs };
  await writeFile(join(dir, STATE_JSON), JSON.stringify(state), "utf8");
  return name;
}

/** A saved optimizer state: its tensors in the order getWeights gave them (the step count, 'iter', first). */
export interface SavedOptimizerState {
  optimizer: OptimizerName;
  weights: NamedTensor[];
}

/** Reads the state saved beside a model; undefined when none was (an optimizer that cannot export it). The caller disposes the tensors. */
export async function readOptimizerState(dir: string): Promise<SavedOptimizerState | undefined> {
  const text = await readFile(join(dir, STATE_JSON), "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const state = JSON.parse(text) as StateFile;
  const bytes = await readFile(join(dir, STATE_BIN));
  const tensors = io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    state.weights,
  );
  const weights = state.weights.map((spec) => ({ name: spec.name, tensor: tensors[spec.name] }));
  if (weights[0]?.name !== "iter") {
    dispose(weights.map((w) => w.tensor));
    throw new Error(`${join(dir, STATE_JSON)} does not start with the optimizer's step count`);
  }
  return { optimizer: state.optimizer, weights };
}

// Runs one kernel on the wasm backend (with the training kernels) and on the pure-JS cpu backend,
// on the same random inputs, and measures how far apart the results are.
import "@tensorflow/tfjs-backend-cpu";
import type { NamedAttrMap, Tensor } from "@tensorflow/tfjs-core";
import { initBackend } from "../../../src/engine/backend";
import { engineTf } from "../../../src/engine/tf";

const tf = engineTf();

export interface InputSpec {
  shape: number[];
  values: Float32Array;
}

export interface Comparison {
  shape: number[];
  expectedShape: number[];
  /** max |wasm - cpu| over max |cpu|: the error relative to the result's scale. */
  maxRelativeError: number;
}

export async function startBackends(): Promise<void> {
  await initBackend("wasm");
}

/** Deterministic pseudo-random values in [-1, 1), or small integers when ties are wanted. */
export function randomValues(shape: number[], seed: number, levels?: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const unit = state / 2 ** 32;
    out[i] = levels ? Math.floor(unit * levels) : unit * 2 - 1;
  }
  return out;
}

export function random(shape: number[], seed: number, levels?: number): InputSpec {
  return { shape, values: randomValues(shape, seed, levels) };
}

/** Inputs may be computed per backend (e.g. a forward result the gradient kernel needs). */
export type InputsFactory = () => Record<string, Tensor>;

export async function compareKernel(
  kernel: string,
  inputs: Record<string, InputSpec> | InputsFactory,
  attrs: NamedAttrMap,
): Promise<Comparison> {
  const actual = await runOn("wasm", kernel, inputs, attrs);
  const expected = await runOn("cpu", kernel, inputs, attrs);
  let maxDiff = 0;
  let maxMagnitude = 0;
  for (let i = 0; i < expected.values.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual.values[i] - expected.values[i]));
    maxMagnitude = Math.max(maxMagnitude, Math.abs(expected.values[i]));
  }
  const sizeMismatch = actual.values.length !== expected.values.length;
  return {
    shape: actual.shape,
    expectedShape: expected.shape,
    maxRelativeError: sizeMismatch ? Infinity : maxDiff / Math.max(maxMagnitude, 1e-12),
  };
}

async function runOn(
  backend: "wasm" | "cpu",
  kernel: string,
  inputs: Record<string, InputSpec> | InputsFactory,
  attrs: NamedAttrMap,
) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(() => {
    const tensors =
      typeof inputs === "function"
        ? inputs()
        : Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
    const out = tf.engine().runKernel<Tensor>(kernel, tensors, attrs);
    return { values: out.dataSync<"float32">(), shape: out.shape };
  });
  if (tf.memory().numTensors !== before)
    throw new Error(`${kernel} on ${backend} left ${tf.memory().numTensors - before} tensors behind`);
  return result;
}

export { tf };

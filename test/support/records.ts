// One builder for the run records that tests make by hand: a valid record of the current schema
// with a default for every required field, so that a test states only the fields it is about and a
// new required field is added here once.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_TRAINING,
  RUN_SCHEMA_VERSION,
  type ModelSummary,
  type RunRecord,
  type RunResults,
} from "../../src/engine/types";

export function runRecord(fields: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: "run",
    model: "MLP",
    file: "mnist.model.ts",
    source: { text: "", sha256: "" },
    config: DEFAULT_TRAINING,
    backend: { name: "cpu", version: "4.22.0" },
    status: "completed",
    startedAt: "2026-11-25T04:00:00.000Z",
    epochs: [],
    ...fields,
  };
}

/** The summary of a 28×28×1 → 10 model whose layers the test does not look at. */
export function modelSummary(name: string, params: number, fields: Partial<ModelSummary> = {}): ModelSummary {
  return {
    name,
    inputShape: [28, 28, 1],
    outputShape: [10],
    layers: [],
    params: { total: params, trainable: params, nonTrainable: 0 },
    macs: 0,
    outputsProbabilities: false,
    architectureHash: "h",
    ...fields,
  };
}

/** Results of a completed run on 10,000 test images, without its confusion matrix and images. */
export function runResults(testAccuracy: number, testLoss: number, learningTimeSec: number): RunResults {
  return {
    testAccuracy,
    testLoss,
    learningTimeSec,
    totalTimeSec: learningTimeSec + 2,
    confusion: [],
    perClassAccuracy: [],
    misclassified: [],
    testExamples: 10_000,
  };
}

/** A JSON file the code under test wrote, as the type the code writes it with. */
export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/** Every run record of a runs folder as it is on disk (the temporary files of atomic writes left out). */
export async function readRunRecords(runsDir: string): Promise<RunRecord[]> {
  const names = (await readdir(runsDir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
  return Promise.all(names.map((n) => readJson<RunRecord>(join(runsDir, n))));
}

// Run records for the panel tests and the bench, shaped like the engine's (src/engine/types.ts).
import type { EpochMetrics, RunRecord, RunStatus } from "../../src/engine/types";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { runRecord } from "../support/records";

export interface RunSpec {
  id?: string;
  model?: string;
  file?: string;
  params?: number;
  /** Final test accuracy, 0..1 (completed runs). */
  accuracy?: number;
  testLoss?: number;
  learningTimeSec?: number;
  status?: RunStatus;
  epochs?: number;
  /** Epochs done so far; all of them unless running. */
  epochsDone?: number;
  startedAt?: string;
}

let counter = 0;

const CLASS_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

export function epochMetrics(epoch: number, of: number, finalAccuracy = 0.97): EpochMetrics {
  const progress = epoch / of;
  return {
    epoch,
    loss: 1.2 - 0.9 * progress,
    acc: finalAccuracy - 0.2 * (1 - progress),
    valLoss: 1.1 - 0.85 * progress,
    valAcc: finalAccuracy - 0.15 * (1 - progress),
    seconds: 2.5,
  };
}

/** A 10-class confusion matrix with `errors` mistakes, each a true label predicted as the next. */
function confusionFor(
  testExamples: number,
  accuracy: number,
): { confusion: number[][]; misclassified: [number, number, number][] } {
  const confusion = CLASS_NAMES.map(() => CLASS_NAMES.map(() => 0));
  const misclassified: [number, number, number][] = [];
  const errors = Math.round(testExamples * (1 - accuracy));
  for (let i = 0; i < testExamples; i++) {
    const truth = i % 10;
    const predicted = i < errors ? (truth + 1) % 10 : truth;
    confusion[truth][predicted]++;
    if (predicted !== truth) misclassified.push([i, truth, predicted]);
  }
  return { confusion, misclassified };
}

export function makeRun(spec: RunSpec = {}): RunRecord {
  counter++;
  const status = spec.status ?? "completed";
  const totalEpochs = spec.epochs ?? 5;
  const done = spec.epochsDone ?? (status === "running" ? 0 : totalEpochs);
  const accuracy = spec.accuracy ?? 0.97;
  const params = spec.params ?? 25_450;
  const model = spec.model ?? "MLP";
  const testExamples = 1000;
  const { confusion, misclassified } = confusionFor(testExamples, accuracy);
  const record = runRecord({
    id: spec.id ?? `run-${String(counter).padStart(5, "0")}`,
    model,
    file: spec.file ?? "examples/mnist.model.ts",
    source: { text: `export const ${model} = () => {};`, sha256: "f".repeat(64) },
    config: {
      epochs: totalEpochs,
      batchSize: 64,
      learningRate: 1e-3,
      optimizer: "adam",
      dataset: "mnist",
      validation: "test",
      seed: 42,
    },
    backend: { name: "wasm", version: "4.22.0", threads: 2 },
    status,
    startedAt: spec.startedAt ?? new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString(),
    summary: {
      name: model,
      inputShape: [28, 28, 1],
      outputShape: [10],
      layers: [
        { name: "flatten", type: "Flatten", outputShape: [784], params: 0, macs: 0 },
        { name: "dense", type: "Dense", outputShape: [10], params, macs: params },
      ],
      params: { total: params, trainable: params, nonTrainable: 0 },
      macs: params,
      outputsProbabilities: true,
      architectureHash: `hash-${model}`,
    },
    epochs: Array.from({ length: done }, (_, i) => epochMetrics(i + 1, totalEpochs, accuracy)),
    dataset: {
      name: "mnist",
      imageShape: [28, 28, 1],
      numClasses: 10,
      classNames: CLASS_NAMES,
      trainSize: 60000,
      testSize: testExamples,
    },
  });
  if (status === "completed") {
    record.finishedAt = record.startedAt;
    record.results = {
      testAccuracy: accuracy,
      testLoss: spec.testLoss ?? 0.1,
      learningTimeSec: spec.learningTimeSec ?? 12.5,
      totalTimeSec: (spec.learningTimeSec ?? 12.5) + 3,
      confusion,
      perClassAccuracy: confusion.map((row, i) => row[i] / row.reduce((a, b) => a + b, 0)),
      misclassified,
      testExamples,
    };
  }
  if (status === "failed") record.error = { message: "Layer dense: input shape mismatch" };
  return record;
}

export function toPanel(record: RunRecord): PanelRun {
  return { ...record, source: { sha256: record.source.sha256 } };
}

/** The founding study's four models. */
export function studyRuns(): RunRecord[] {
  return [
    makeRun({ model: "MLP", params: 25_450, accuracy: 0.9596, testLoss: 0.135, learningTimeSec: 31 }),
    makeRun({ model: "CNN", params: 26_698, accuracy: 0.9822, testLoss: 0.056, learningTimeSec: 95 }),
    makeRun({ model: "TinyCNN", params: 4_266, accuracy: 0.9796, testLoss: 0.066, learningTimeSec: 60 }),
    makeRun({ model: "StrongCNN", params: 467_818, accuracy: 0.9909, testLoss: 0.028, learningTimeSec: 420 }),
  ];
}

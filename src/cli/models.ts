// `archlab export` and `archlab predict`: a run's saved model out of the store, or put to work.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { initBackend } from "../engine/backend";
import { datasetSpecIn, loadDataset } from "../engine/datasets";
import { RunStore } from "../engine/runs/store";
import { exportSavedModel } from "../engine/saved/export";
import { findRun, savedModelDir } from "../engine/saved/files";
import { readImageFile } from "../engine/saved/image-file";
import { loadSavedModel } from "../engine/saved/load";
import { inputFromImage, predictImages } from "../engine/saved/predict";
import type { BackendPreference, RunRecord } from "../engine/types";
import { EXIT, shownPath, UsageError } from "./output";

export interface StoreOptions {
  runsDir?: string;
}

export interface PredictOptions extends StoreOptions {
  backend: BackendPreference;
  json?: boolean;
  fashionMnistDir?: string;
  top: number;
}

function storeOf(options: StoreOptions): RunStore {
  return new RunStore(process.cwd(), options.runsDir && resolve(options.runsDir));
}

async function runWithModel(store: RunStore, id: string): Promise<RunRecord> {
  const record = await findRun(store, id).catch((err: Error) => {
    throw new UsageError(err.message);
  });
  savedModelDir(store, record);
  return record;
}

export async function exportCommand(id: string, folder: string, options: StoreOptions): Promise<number> {
  const store = storeOf(options);
  const record = await runWithModel(store, id);
  const files = await exportSavedModel(store, record, resolve(folder));
  process.stdout.write(
    `Exported ${record.model} (run ${record.id}) to ${shownPath(resolve(folder))}: ${files.map((f) => f.split(/[\\/]/).pop()).join(", ")}\n`,
  );
  return EXIT.ok;
}

/** What `archlab predict --json` prints: the true label for a test image, the classes by probability. */
export interface PredictJson {
  run: string;
  model: string;
  input: string;
  label: number | undefined;
  prediction: number;
  top: { label: number; probability: number; class: string }[];
}

export async function predictCommand(id: string, input: string, options: PredictOptions): Promise<number> {
  const store = storeOf(options);
  const record = await runWithModel(store, id);
  const shape = record.summary?.inputShape ?? record.dataset?.imageShape;
  if (!shape) throw new Error(`Run ${record.id} does not record its input shape`);
  const dataset = datasetSpecIn(record.config.dataset, store.root);
  let pixels: Float32Array;
  let label: number | undefined;
  if (/^\d+$/.test(input) && !existsSync(input)) {
    const index = Number(input);
    const { test, info } = await loadDataset(dataset, { fashionMnistDir: options.fashionMnistDir });
    if (index >= test.count)
      throw new UsageError(
        `test image ${index} does not exist: ${info.name} has ${test.count} test images (0..${test.count - 1})`,
      );
    const size = info.imageShape.reduce((a, b) => a * b, 1);
    pixels = test.images.slice(index * size, (index + 1) * size);
    label = test.labels[index];
  } else {
    if (!existsSync(input)) throw new UsageError(`no such image file (or test image index): ${input}`);
    pixels = inputFromImage(await readImageFile(input), shape, record.config.dataset);
  }
  const { tf } = await initBackend(options.backend);
  const model = await loadSavedModel(tf, store, record);
  const [prediction] = await predictImages(tf, model, [pixels], shape, record.summary?.outputsProbabilities ?? false);
  model.dispose();
  const names = record.dataset?.classNames ?? [];
  const top = prediction.top.slice(0, options.top).map((p) => ({ ...p, class: names[p.label] ?? String(p.label) }));
  if (options.json) {
    const json: PredictJson = { run: record.id, model: record.model, input, label, prediction: top[0].label, top };
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
    return EXIT.ok;
  }
  const accuracy = record.results ? `, ${(record.results.testAccuracy * 100).toFixed(2)}% test accuracy` : "";
  const truth =
    label === undefined ? "" : ` (label: ${names[label] ?? label}${label === top[0].label ? ", correct" : ", wrong"})`;
  const lines = [`${record.model} (run ${record.id}${accuracy})`, `prediction: ${top[0].class}${truth}`];
  for (const p of top)
    lines.push(
      `  ${p.class.padEnd(12)} ${(p.probability * 100).toFixed(2).padStart(6)}%  ${"#".repeat(Math.round(p.probability * 20))}`,
    );
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

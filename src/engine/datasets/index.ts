// Datasets as plain typed arrays (no tfjs here): "mnist", "fashion-mnist", or a folder of IDX files.
import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { DatasetError, throwIfCancelled } from "./errors";
import { fashionMnistCacheFolder, loadFashionMnist, loadFashionMnistTestImage } from "./fashion-mnist";
import { loadFolderTestImage, loadIdxFolder } from "./folder";
import { loadMnist, mnistDataDir } from "./mnist";
import type { Dataset, DatasetOptions, RawImage } from "./types";
import { sharedPromise } from "../shared-promise";

export { DatasetError } from "./errors";
export type { Dataset, DatasetOptions, RawImage, Split } from "./types";
export { measureMnistLoad, type MnistLoadTiming } from "./mnist";
export { FASHION_MNIST_CLASS_NAMES, defaultCacheDir } from "./fashion-mnist";
export { IDX_FILES } from "./folder";

/** The datasets known by name; any other spec is a folder of IDX files. */
export const BUILTIN_DATASETS = ["mnist", "fashion-mnist"] as const;
export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];
export const isBuiltinDataset = (spec: string): spec is BuiltinDataset =>
  (BUILTIN_DATASETS as readonly string[]).includes(spec);

type Source = { kind: BuiltinDataset } | { kind: "folder"; dir: string };

/** A record's dataset spec as loadDataset takes it: a folder relative to the store's root made absolute. */
export function datasetSpecIn(spec: string, root: string): string {
  return isBuiltinDataset(spec) ? spec : resolve(root, spec);
}

function sourceOf(spec: string): Source {
  if (isBuiltinDataset(spec)) return { kind: spec };
  const dir = resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(
      `Unknown dataset "${spec}": expected mnist, fashion-mnist or a folder of IDX files (${dir} is not a folder)`,
    );
  }
  return { kind: "folder", dir };
}

/** Throws the DatasetError that loading `spec` would, without loading anything. */
export function checkDatasetSpec(spec: string): void {
  sourceOf(spec);
}

function cacheKey(source: Source, opts: DatasetOptions): string {
  if (source.kind === "folder") return `folder:${source.dir}`;
  if (source.kind === "fashion-mnist")
    return `fashion-mnist:${resolve(opts.fashionMnistDir ?? fashionMnistCacheFolder(opts))}`;
  return "mnist";
}

function load(source: Source, opts: DatasetOptions): Promise<Dataset> {
  switch (source.kind) {
    case "mnist":
      return loadMnist(opts.signal);
    case "fashion-mnist":
      return loadFashionMnist(opts);
    case "folder":
      return loadIdxFolder(source.dir, { name: basename(source.dir), signal: opts.signal });
  }
}

// A process trains several models on the same data in a row: parse and normalize it once.
const loaded = new Map<string, Promise<Dataset>>();

/** Loads a dataset; failures (missing, corrupt, cancelled) are DatasetErrors with a clear message. */
export async function loadDataset(spec: string, opts: DatasetOptions = {}): Promise<Dataset> {
  throwIfCancelled(opts.signal, `Loading ${spec}`);
  const source = sourceOf(spec);
  const key = cacheKey(source, opts);
  return sharedPromise(loaded, key, () => load(source, opts));
}

/** Raw pixels of one test image, read without the training set (for viewing misclassified images). */
export async function loadTestImage(spec: string, index: number, opts: DatasetOptions = {}): Promise<RawImage> {
  const source = sourceOf(spec);
  switch (source.kind) {
    case "mnist":
      return loadFolderTestImage(mnistDataDir(), index);
    case "fashion-mnist":
      return loadFashionMnistTestImage(index, opts);
    case "folder":
      return loadFolderTestImage(source.dir, index);
  }
}

/** Forgets datasets kept in memory (tests; a host that wants its memory back). */
export function clearDatasetCache(): void {
  loaded.clear();
}

// A dataset folder holds the four files of the MNIST layout, each raw or gzip-compressed.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { DatasetInfo } from "../types";
import { DatasetError, throwIfCancelled } from "./errors";
import { checkSameCount, parseImages, parseLabels, readIdxBytes, type IdxImages } from "./idx";
import { toSplit } from "./normalize";
import type { Dataset, RawImage } from "./types";
import { sharedPromise } from "../shared-promise";

export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;
export type IdxRole = keyof typeof IDX_FILES;

const CLASSES_FILE = "classes.txt";

export interface FolderOptions {
  /** The name in DatasetInfo. */
  name: string;
  /** Fixed class names; otherwise classes.txt in the folder, else '0'..'max label'. */
  classNames?: string[];
  signal?: AbortSignal;
}

export function locateIdxFile(dir: string, role: IdxRole): string | undefined {
  const raw = join(dir, IDX_FILES[role]);
  return [raw, `${raw}.gz`].find((file) => existsSync(file));
}

function locateAll(dir: string): Record<IdxRole, string> {
  if (!existsSync(dir)) throw new DatasetError(`Dataset folder not found: ${dir}`);
  const roles = Object.keys(IDX_FILES) as IdxRole[];
  const found = roles.map((role) => [role, locateIdxFile(dir, role)] as const);
  const missing = found.filter(([, file]) => !file).map(([role]) => IDX_FILES[role]);
  if (missing.length > 0) {
    const expected = roles.map((role) => IDX_FILES[role]).join(", ");
    throw new DatasetError(
      `${dir} is missing ${missing.join(", ")}. A dataset folder holds ${expected} (each may end in .gz), and optionally ${CLASSES_FILE}.`,
    );
  }
  return Object.fromEntries(found) as Record<IdxRole, string>;
}

async function readClassNames(dir: string): Promise<string[] | undefined> {
  const file = join(dir, CLASSES_FILE);
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, "utf8").catch((err: Error) => {
    throw new DatasetError(`Cannot read ${file}: ${err.message}`, { cause: err });
  });
  const names = text.split(/\r?\n/).map((line) => line.trim());
  while (names.length > 0 && names[names.length - 1] === "") names.pop();
  if (names.length === 0) throw new DatasetError(`${file} lists no class names (one per line expected)`);
  return names;
}

/**
 * The class count of a folder without classes.txt: 0 to the largest label. Labels that leave most
 * of that range unused (a stray 200 among 0..9) are a mistake in the labels, named with where
 * they are, rather than a model asked for 201 outputs.
 */
function classCount(sets: { labels: Uint8Array; file: string }[]): number {
  const counts = new Array<number>(256).fill(0);
  for (const { labels } of sets) for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  let max = 0;
  counts.forEach((c, label) => (max = c > 0 ? label : max));
  const used = counts.filter((c) => c > 0).length;
  if (used * 2 >= max + 1) return max + 1;
  const run = counts.indexOf(0);
  const stray = counts.flatMap((c, label) => (c > 0 && label > run ? [label] : []));
  const places = stray.slice(0, 3).map((label) => {
    const set = sets.find((s) => s.labels.includes(label))!;
    const count = counts[label] === 1 ? "once" : `${counts[label]} times`;
    return `label ${label} (${count}, first at index ${set.labels.indexOf(label)} of ${set.file})`;
  });
  throw new DatasetError(
    `${places.join("; ")}${stray.length > 3 ? ` and ${stray.length - 3} more` : ""}: labels 0 to ${run - 1} are used, ${run} to ${stray[0] - 1} never. ` +
      `Without ${CLASSES_FILE} the classes are 0 to the largest label (${max + 1} here): fix the stray labels, or list the class names in ${CLASSES_FILE}`,
  );
}

function checkImages(images: IdxImages, file: string): void {
  if (images.count === 0) throw new DatasetError(`${file} holds no images`);
  if (images.height === 0 || images.width === 0)
    throw new DatasetError(`${file} has empty images (${images.height}x${images.width})`);
}

export async function loadIdxFolder(dir: string, opts: FolderOptions): Promise<Dataset> {
  const files = locateAll(dir);
  const classNames = opts.classNames ?? (await readClassNames(dir));
  const [trainImagesBytes, trainLabelsBytes, testImagesBytes, testLabelsBytes] = await Promise.all(
    [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map(readIdxBytes),
  );
  throwIfCancelled(opts.signal, `Loading ${opts.name}`);
  const trainImages = parseImages(trainImagesBytes, files.trainImages);
  const testImages = parseImages(testImagesBytes, files.testImages);
  const trainLabels = parseLabels(trainLabelsBytes, files.trainLabels, classNames?.length);
  const testLabels = parseLabels(testLabelsBytes, files.testLabels, classNames?.length);
  checkImages(trainImages, files.trainImages);
  checkImages(testImages, files.testImages);
  checkSameCount(trainImages, trainLabels, files.trainImages, files.trainLabels);
  checkSameCount(testImages, testLabels, files.testImages, files.testLabels);
  if (trainImages.height !== testImages.height || trainImages.width !== testImages.width) {
    throw new DatasetError(
      `${files.trainImages} has ${trainImages.height}x${trainImages.width} images but ${files.testImages} has ${testImages.height}x${testImages.width}`,
    );
  }
  const count = classNames
    ? 0
    : classCount([
        { labels: trainLabels.labels, file: files.trainLabels },
        { labels: testLabels.labels, file: files.testLabels },
      ]);
  const names = classNames ?? Array.from({ length: count }, (_, i) => String(i));
  const info: DatasetInfo = {
    name: opts.name,
    imageShape: [trainImages.height, trainImages.width, 1],
    numClasses: names.length,
    classNames: names,
    trainSize: trainImages.count,
    testSize: testImages.count,
  };
  return { info, train: toSplit(trainImages, trainLabels), test: toSplit(testImages, testLabels) };
}

// The panel asks for many misclassified images in a row: keep the last test files parsed, keyed
// by path, size and modification time so that a rewritten file is read again.
const testImageFiles = new Map<string, Promise<IdxImages>>();
const MAX_CACHED_FILES = 4;

async function testImagesOf(file: string): Promise<IdxImages> {
  const { size, mtimeMs } = await stat(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  const images = sharedPromise(testImageFiles, key, () => readIdxBytes(file).then((bytes) => parseImages(bytes, file)));
  if (testImageFiles.size > MAX_CACHED_FILES) testImageFiles.delete(testImageFiles.keys().next().value!);
  return images;
}

/** One test image of a dataset folder, without reading the training set. */
export async function loadFolderTestImage(dir: string, index: number): Promise<RawImage> {
  const file = locateIdxFile(dir, "testImages");
  if (!file) throw new DatasetError(`${dir} has no ${IDX_FILES.testImages} (or ${IDX_FILES.testImages}.gz)`);
  const images = await testImagesOf(file);
  if (!Number.isInteger(index) || index < 0 || index >= images.count) {
    throw new DatasetError(
      `Test image ${index} does not exist in ${basename(file)}: it holds ${images.count} images (0..${images.count - 1})`,
    );
  }
  const size = images.height * images.width;
  return { width: images.width, height: images.height, pixels: images.pixels.slice(index * size, (index + 1) * size) };
}

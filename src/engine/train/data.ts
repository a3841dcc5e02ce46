// The data side of a run: which images train, which validate, and in what (seeded) order.
import type { Dataset, Split } from "../datasets";
import type { DatasetInfo, TrainingConfig } from "../types";

export interface RunData {
  info: DatasetInfo;
  train: Split;
  /** Evaluated after every epoch; absent when validation is "none". */
  validation?: Split;
  test: Split;
  /** Values per image (height * width * channels). */
  imageSize: number;
}

/** Applies the config's limits and validation choice to a loaded dataset (views, no copies). */
export function prepareRunData(dataset: Dataset, config: TrainingConfig): RunData {
  const [h, w, c] = dataset.info.imageShape;
  const imageSize = h * w * c;
  let train = firstN(dataset.train, config.limit, imageSize);
  const test = firstN(dataset.test, config.testLimit, imageSize);
  let validation: Split | undefined;
  if (config.validation === "test") {
    validation = test;
  } else if (typeof config.validation === "object") {
    // The held-out images are the last ones, so the same split is used on every run of the same data.
    const held = Math.round(train.count * config.validation.split);
    if (held < 1 || held >= train.count) {
      throw new Error(
        `Validation split ${config.validation.split} leaves no images to train or to validate on (${train.count} images)`,
      );
    }
    validation = slice(train, train.count - held, train.count, imageSize);
    train = slice(train, 0, train.count - held, imageSize);
  }
  const info: DatasetInfo = { ...dataset.info, trainSize: train.count, testSize: test.count };
  return { info, train, validation, test, imageSize };
}

function firstN(split: Split, limit: number | undefined, imageSize: number): Split {
  return limit !== undefined && limit < split.count ? slice(split, 0, limit, imageSize) : split;
}

function slice(split: Split, start: number, end: number, imageSize: number): Split {
  return {
    images: split.images.subarray(start * imageSize, end * imageSize),
    labels: split.labels.subarray(start, end),
    count: end - start,
  };
}

/** A small, fast seeded generator (mulberry32): the same seed gives the same epoch orders. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffledIndices(count: number, random: () => number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

/** Copies the images and labels of `indices` into fresh arrays. */
export function gatherBatch(
  split: Split,
  indices: ArrayLike<number>,
  imageSize: number,
): { images: Float32Array; labels: Int32Array } {
  const images = new Float32Array(indices.length * imageSize);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    images.set(split.images.subarray(index * imageSize, (index + 1) * imageSize), i * imageSize);
    labels[i] = split.labels[index];
  }
  return { images, labels };
}

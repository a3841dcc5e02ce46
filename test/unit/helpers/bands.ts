// A tiny synthetic image dataset: class k lights up the k-th horizontal band of an 8x8 image, plus
// noise. Easy to learn in a few batches, not trivial.
import type { Dataset, Split } from "../../../src/engine/datasets";

export const SIDE = 8;
export const CLASSES = 3;

export function bandsSplit(count: number, seed: number): Split {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const images = new Float32Array(count * SIDE * SIDE);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % CLASSES;
    labels[n] = label;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const row = Math.floor(p / SIDE);
      const inBand = Math.floor((row * CLASSES) / SIDE) === label;
      images[n * SIDE * SIDE + p] = Math.min(1, (inBand ? 0.6 : 0) + random() * 0.4);
    }
  }
  return { images, labels, count };
}

export const bandsDataset: Dataset = {
  info: {
    name: "bands",
    imageShape: [SIDE, SIDE, 1],
    numClasses: CLASSES,
    classNames: ["a", "b", "c"],
    trainSize: 600,
    testSize: 150,
  },
  train: bandsSplit(600, 1),
  test: bandsSplit(150, 2),
};

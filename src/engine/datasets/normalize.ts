import type { IdxImages, IdxLabels } from "./idx";
import type { Split } from "./types";

export function normalizePixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

export function toSplit(images: IdxImages, labels: IdxLabels): Split {
  return { images: normalizePixels(images.pixels), labels: labels.labels, count: images.count };
}

// Turning a drawing (or any grey image) into what a model trained on the dataset expects, in plain
// TypeScript so that the panel's drawing pad and `archlab predict` share it. Images are row-major
// greys in [0,1], 1 = ink.

export interface GreyImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

/** How a dataset's images were made from the originals. */
export type Preprocessing = "mnist" | "fit";

export const PREPROCESSING_TEXT: Record<Preprocessing, string> = {
  mnist:
    "MNIST: the ink (1 = ink, 0 = background) scaled to fit a 20x20 box, aspect ratio kept, then centred by its centre of mass in the 28x28 image",
  fit: "the ink cropped to its bounding box, scaled to fill the image, aspect ratio kept, centred",
};

/** Fashion-MNIST's pictures fill their frame; MNIST and digit folders in its layout use the 20x20 box. */
export function preprocessingOf(dataset: string): Preprocessing {
  return dataset === "fashion-mnist" ? "fit" : "mnist";
}

const INK = 1 / 255;

/** The image as the dataset would hold it: `size` x `size`, the ink placed as `kind` says. */
export function preprocess(image: GreyImage, size: number, kind: Preprocessing): Float32Array {
  const out = new Float32Array(size * size);
  const box = inkBox(image);
  if (!box) return out;
  const inner = kind === "mnist" ? Math.round((size * 20) / 28) : size;
  const scale = inner / Math.max(box.width, box.height);
  const w = Math.max(1, Math.round(box.width * scale));
  const h = Math.max(1, Math.round(box.height * scale));
  const patch = resampleArea(image, box, w, h);
  let dx = Math.floor((size - w) / 2);
  let dy = Math.floor((size - h) / 2);
  if (kind === "mnist") {
    const [cx, cy] = centreOfMass(patch, w, h);
    dx = Math.round(size / 2 - cx);
    dy = Math.round(size / 2 - cy);
  }
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < size) out[ty * size + tx] = patch[y * w + x];
    }
  }
  return out;
}

/** Light pictures with dark ink (a scan, a photo of paper) become ink = 1 on 0, as the datasets are. */
export function inkOnBlack(image: GreyImage): GreyImage {
  const { pixels } = image;
  let border = 0;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (x === 0 || y === 0 || x === image.width - 1 || y === image.height - 1) {
        border += pixels[y * image.width + x];
        count++;
      }
    }
  }
  if (count === 0 || border / count <= 0.5) return image;
  return { ...image, pixels: pixels.map((v) => 1 - v) };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inkBox(image: GreyImage): Box | undefined {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.pixels[y * image.width + x] < INK) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Each output pixel is the mean of the source area it covers (anti-aliased, as the MNIST normalisation was). */
function resampleArea(image: GreyImage, box: Box, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const sx = box.width / w;
  const sy = box.height / h;
  for (let oy = 0; oy < h; oy++) {
    const top = box.y + oy * sy;
    const bottom = top + sy;
    for (let ox = 0; ox < w; ox++) {
      const left = box.x + ox * sx;
      const right = left + sx;
      let sum = 0;
      for (let y = Math.floor(top); y < Math.min(Math.ceil(bottom), image.height); y++) {
        const cover = Math.min(bottom, y + 1) - Math.max(top, y);
        for (let x = Math.floor(left); x < Math.min(Math.ceil(right), image.width); x++) {
          sum += image.pixels[y * image.width + x] * cover * (Math.min(right, x + 1) - Math.max(left, x));
        }
      }
      out[oy * w + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/** Centre of mass in pixel indices: MNIST's digits have theirs at index 14 (of 0..27) on both axes. */
function centreOfMass(pixels: Float32Array, w: number, h: number): [number, number] {
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixels[y * w + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  return mass > 0 ? [mx / mass, my / mass] : [(w - 1) / 2, (h - 1) / 2];
}

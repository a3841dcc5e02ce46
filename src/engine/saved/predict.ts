// Predictions of a loaded model for a few images: class probabilities, best first.
import type { Tensor } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { inkOnBlack, preprocess, preprocessingOf, type GreyImage } from "../../shared/preprocess";
import type { Tf } from "../tf";

export interface Prediction {
  /** Class indices, most probable first. */
  top: { label: number; probability: number }[];
}

/** `images`: each image's values in the dataset's layout (H*W*C, 0..1). */
export async function predictImages(
  tf: Tf,
  model: LayersModel,
  images: Float32Array[],
  imageShape: number[],
  outputsProbabilities: boolean,
): Promise<Prediction[]> {
  const size = imageShape.reduce((a, b) => a * b, 1);
  const batch = new Float32Array(images.length * size);
  images.forEach((image, i) => batch.set(image, i * size));
  const probabilities = tf.tidy(() => {
    const output = model.predict(tf.tensor(batch, [images.length, ...imageShape])) as Tensor;
    return outputsProbabilities ? output : tf.softmax(output);
  });
  const rows = (await probabilities.array()) as number[][];
  probabilities.dispose();
  return rows.map((row) => ({
    top: row.map((probability, label) => ({ label, probability })).sort((a, b) => b.probability - a.probability),
  }));
}

/**
 * A picture as the run's model takes it: one the dataset's size is used as it is; any other is
 * preprocessed as the dataset's images were (a drawing, a photo of a digit). Light paper with dark
 * ink is inverted first.
 */
export function inputFromImage(image: GreyImage, imageShape: number[], dataset: string): Float32Array {
  const [height, width, channels] = imageShape;
  const ink = inkOnBlack(image);
  if (ink.width === width && ink.height === height && channels === 1) return ink.pixels;
  if (height !== width || channels !== 1) {
    throw new Error(
      `The model takes ${imageShape.join("x")} images; a ${image.width}x${image.height} picture can be preprocessed only for square one-channel inputs`,
    );
  }
  return preprocess(ink, width, preprocessingOf(dataset));
}

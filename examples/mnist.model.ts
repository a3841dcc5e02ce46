// The four architectures of the MNIST study. Each exported function builds one model; the last
// layer emits logits (no softmax): training applies softmax cross-entropy on logits.
import * as tf from '@tensorflow/tfjs';

const inputShape = [28, 28, 1];

function conv(filters: number, first = false) {
  return tf.layers.conv2d({
    filters,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    ...(first ? { inputShape } : {}),
  });
}

const pool = () => tf.layers.maxPooling2d({ poolSize: 2 });

/** 25,450 params. */
export function MLP() {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** 4,266 params. */
export function TinyCNN() {
  return tf.sequential({
    layers: [conv(4, true), pool(), conv(8), pool(), tf.layers.flatten(), tf.layers.dense({ units: 10 })],
  });
}

/** 26,698 params. */
export function CNN() {
  return tf.sequential({
    layers: [
      conv(8, true),
      pool(),
      conv(16),
      pool(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** 467,818 params. */
export function StrongCNN() {
  return tf.sequential({
    layers: [
      conv(32, true),
      conv(32),
      pool(),
      tf.layers.dropout({ rate: 0.25 }),
      conv(64),
      conv(64),
      pool(),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

// The defaults, spelled out; change them here or per model under `models`.
export const training = {
  epochs: 5,
  batchSize: 64,
  learningRate: 1e-3,
  optimizer: 'adam',
  dataset: 'mnist',
  validation: 'test',
  seed: 42,
};

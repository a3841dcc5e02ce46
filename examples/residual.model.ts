// A small residual network for MNIST: convolution blocks whose input is added back to their output
// (He et al.'s residual connection), batch normalization, and global average pooling before the
// classifier. Built with the functional API, as branching models are. The normalization's moving
// statistics follow the batches quickly (momentum 0.9), so even a short run evaluates well.
import * as tf from '@tensorflow/tfjs';

function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const conv = (input: tf.SymbolicTensor) =>
    tf.layers.batchNormalization({ momentum: 0.9 }).apply(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(input)) as tf.SymbolicTensor;
  const inner = tf.layers.activation({ activation: 'relu' }).apply(conv(x)) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, conv(inner)]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
}

/** Two residual blocks of 16 filters, then 32 after a pooling. */
export function ResNet() {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  x = block(x, 16);
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 32, kernelSize: 1, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = block(x, 32);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor });
}

export const training = { epochs: 3, batchSize: 64, learningRate: 3e-3, optimizer: 'adam', dataset: 'mnist' };

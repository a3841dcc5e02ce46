// A sweep over TinyCNN's neighbourhood: how small can the CNN get before accuracy drops? The
// architecture takes an `hp` object and draws its sizes from it; the `sweep` export says how to
// search. Train, Quick run and inspect build it with the defaults (the first choice, the minimum).
import * as tf from '@tensorflow/tfjs';

export function TinyCNNSweep(hp: Hyperparameters) {
  const blocks = hp.int('blocks', 1, 2, { default: 2 });
  const layers: tf.layers.Layer[] = [];
  for (let i = 0; i < blocks; i++) {
    // A conditional space: filters_1 exists only in the trials with two blocks.
    const filters = hp.choice(`filters_${i}`, [4, 8, 16]);
    layers.push(
      tf.layers.conv2d({ ...(i === 0 ? { inputShape: [28, 28, 1] } : {}), filters, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    );
  }
  layers.push(tf.layers.flatten());
  if (hp.bool('hidden')) layers.push(tf.layers.dense({ units: hp.int('units', 16, 64, { step: 16 }), activation: 'relu' }));
  layers.push(tf.layers.dense({ units: 10 }));
  return tf.sequential({ layers });
}

export const sweep = {
  TinyCNNSweep: {
    method: 'asha',
    trials: 12,
    epochs: 9,
    metric: 'testAccuracy',
    goal: 'max',
    seed: 1,
    parameters: { learningRate: { min: 1e-3, max: 1e-2, log: true }, batchSize: [32, 64] },
  },
};

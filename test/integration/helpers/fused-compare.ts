// Trains the same model, from the same weights, one step at a time with the fused engine and with
// tfjs's cpu backend (the reference), and measures how far apart their weights and losses are.
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { compileForTraining } from "../../../src/engine/train/loss";
import { FusedTrainer, type FusedOptions } from "../../../src/engine/fused/trainer";
import { engineTf, type Tf } from "../../../src/engine/tf";
import type { OptimizerName } from "../../../src/engine/types";

export async function cpuTf(): Promise<Tf> {
  const tf = engineTf();
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.setBackend("cpu");
  return tf;
}

/** Reproducible inputs in [0, 1) and labels, from a seed. */
export function batchOf(
  count: number,
  imageSize: number,
  classes: number,
  seed: number,
): { images: Float32Array; labels: Int32Array } {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const images = Float32Array.from({ length: count * imageSize }, next);
  const labels = Int32Array.from({ length: count }, () => Math.floor(next() * classes));
  return { images, labels };
}

/**
 * The largest |a - b| relative to the largest |b| (so near-zero entries do not dominate), at
 * least 1e-4: a bias before batch normalization has a zero gradient and moves only by rounding.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-4;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export interface Comparison {
  /** Worst relative error over the weights of every layer, after the steps. */
  weights: number;
  /** Largest difference of the batch losses. */
  loss: number;
  losses: number[];
}

/**
 * `steps` steps on each engine from identical weights (`build` is called twice with the same
 * seeded initializers). Models with dropout are compared with rate-0 dropout unless their masks
 * are replayed, so callers build them without dropout for this.
 */
export async function compareTraining(
  build: () => LayersModel,
  options: {
    optimizer?: OptimizerName;
    learningRate?: number;
    batch?: number;
    steps?: number;
    threads?: number;
    variant?: FusedOptions["variant"];
    seed?: number;
  },
): Promise<Comparison> {
  const tf = await cpuTf();
  const { optimizer = "adam", learningRate = 1e-3, batch = 8, steps = 2, threads = 1, seed = 1 } = options;
  const reference = build();
  const fusedModel = build();
  fusedModel.setWeights(reference.getWeights());
  const inputShape = (reference.inputs[0].shape as number[]).slice(1);
  const imageSize = inputShape.reduce((a, b) => a * b, 1);
  const classes = (reference.outputs[0].shape as number[])[1];
  const probabilities = reference.layers[reference.layers.length - 1].getConfig().activation === "softmax";
  const tfOptimizer = compileForTraining(tf, reference, {
    optimizer,
    learningRate,
    outputsProbabilities: probabilities,
  });
  const trainer = new FusedTrainer(fusedModel, { optimizer, learningRate, threads, seed: 7, variant: options.variant });
  let lossDiff = 0;
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const { images, labels } = batchOf(batch, imageSize, classes, seed + s);
      const x = tf.tensor(images, [batch, ...inputShape]);
      const y = tf.oneHot(tf.tensor1d(labels, "int32"), classes).toFloat();
      const [refLoss] = (await reference.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      const { loss } = trainer.trainBatch(images, labels, batch);
      losses.push(loss);
      lossDiff = Math.max(lossDiff, Math.abs(loss - refLoss));
    }
    trainer.syncModel();
    const expected = reference.getWeights().map((w) => w.dataSync());
    const actual = fusedModel.getWeights().map((w) => w.dataSync());
    const weights = Math.max(...expected.map((e, i) => relativeError(actual[i], e)));
    return { weights, loss: lossDiff, losses };
  } finally {
    trainer.dispose();
    tfOptimizer.dispose();
    reference.dispose();
    fusedModel.dispose();
  }
}

/** Worst relative error of the fused engine's inference outputs against tfjs's predict. */
export async function comparePredictions(build: () => LayersModel, batch = 5): Promise<number> {
  const tf = await cpuTf();
  const model = build();
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const { images } = batchOf(
    batch,
    inputShape.reduce((a, b) => a * b, 1),
    2,
    3,
  );
  const expected = tf.tidy(() =>
    (model.predict(tf.tensor(images, [batch, ...inputShape])) as ReturnType<Tf["tensor"]>).dataSync(),
  );
  const trainer = new FusedTrainer(model, { optimizer: "sgd", learningRate: 0.1, threads: 1, seed: 1 });
  try {
    return relativeError(trainer.predict(images, batch), expected);
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

// A Quick Run: one epoch on as many images as a model's size allows in seconds. The fused engine
// trains at ~25 G multiply-adds a second on two cores (bench/README.md) and a training step costs
// about three times a forward pass, so a budget of multiply-adds is a budget of time: the example
// MLP, TinyCNN and CNN get a full epoch of MNIST, StrongCNN (18.7 M MACs per image) a fifth of one.
import type { TrainingConfig } from '../types';

/** Multiply-adds of the forward passes a quick run may train on (about 10 s of training on two cores). */
export const QUICK_TRAIN_MACS = 450e9;
/** And may evaluate on. */
export const QUICK_TEST_MACS = 200e9;
const MIN_IMAGES = 1000;

/** The config of a quick run of a model of `macs` per image on a dataset of these sizes; limits given are kept. */
export function quickRunConfig(config: TrainingConfig, macs: number, trainCount: number, testCount: number): TrainingConfig {
  const images = (budget: number, count: number) => Math.min(count, Math.max(MIN_IMAGES, Math.floor(budget / Math.max(macs, 1))));
  return {
    ...config,
    epochs: 1,
    limit: config.limit ?? images(QUICK_TRAIN_MACS, trainCount),
    testLimit: config.testLimit ?? images(QUICK_TEST_MACS, testCount),
  };
}

// A Quick Run: one epoch on as many images as a model's size allows in seconds. The fused engine
// trains StrongCNN at ~1,100 images a second on two cores (18.7 M MACs per image forward, three
// times that a training step: ~60 G multiply-adds a second; bench/README.md), so a budget of
// multiply-adds is a budget of time: the example MLP, TinyCNN and CNN get a full epoch of MNIST,
// StrongCNN half of one. The budget is what it takes StrongCNN to rank above CNN as it does after
// the full five epochs (24 K images: 97.29% against CNN's 97.40% after its one epoch; 30 K: 98%).
// Every model is tested on the same images (the whole MNIST test set): rankings compare like with like.
import type { TrainingConfig } from "../types";

/** Multiply-adds of the forward passes a quick run may train on (about 25 s of training on two cores). */
export const QUICK_TRAIN_MACS = 560e9;
/** And may evaluate on: the whole MNIST test set up to StrongCNN's size. */
export const QUICK_TEST_MACS = 200e9;
const MIN_IMAGES = 1000;

/** The config of a quick run of a model of `macs` per image on a dataset of these sizes; limits given are kept. */
export function quickRunConfig(
  config: TrainingConfig,
  macs: number,
  trainCount: number,
  testCount: number,
): TrainingConfig {
  const images = (budget: number, count: number) =>
    Math.min(count, Math.max(MIN_IMAGES, Math.floor(budget / Math.max(macs, 1))));
  return {
    ...config,
    epochs: 1,
    limit: config.limit ?? images(QUICK_TRAIN_MACS, trainCount),
    testLimit: config.testLimit ?? images(QUICK_TEST_MACS, testCount),
  };
}

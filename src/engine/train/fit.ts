// The training loop: seeded shuffling, one trainer step per batch, throttled progress, evaluation
// after every epoch. A batch-level loop (rather than model.fit) lets cancellation and a diverging
// loss stop the run within one batch, and keeps the epoch order reproducible from the seed.
import type { BatchPosition, EpochMetrics } from "../types";
import type { BatchTrainer } from "./batch-trainer";
import { gatherBatch, seededRandom, shuffledIndices, type RunData } from "./data";
import { evaluateSplit, type Evaluation } from "./evaluate";

const BATCH_EVENT_INTERVAL_MS = 250;
const YIELD_INTERVAL_MS = 20;
// Cross-entropy of a classifier that is learning stays within a few units (ln 10 = 2.3 at chance);
// beyond this the weights have blown up and the run can only produce garbage or, soon, NaN.
const DIVERGED_LOSS = 1e6;
// A model that ends in softmax has its loss on probabilities, clipped at -ln(1e-7) = 16.1 per
// image by tfjs: its weights can blow up while the loss stays finite (a learning rate of 1e9 gives
// 8.9 and 45% accuracy on MNIST). Twice the loss of a uniform guess (2 ln 10 = 4.6) means outputs
// confidently wrong on many images; a run that stays there for a row of batches has diverged.
const DIVERGED_BATCHES = 10;

export interface FitOptions {
  epochs: number;
  /**
   * The first epoch's number (default 1): a continued run goes on from its parent's last epoch, as
   * Keras's initial_epoch. Its epochs are shuffled as they would have been in one run.
   */
  firstEpoch?: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  outputsProbabilities: boolean;
  signal?: AbortSignal;
  onBatch?: (progress: BatchPosition) => void;
  onEpoch?: (metrics: EpochMetrics) => Promise<void> | void;
  /** Each epoch's whole evaluation on the validation split (the run may use the last as its test). */
  onValidated?: (evaluation: Evaluation) => void;
}

export class TrainingStopped extends Error {
  constructor(
    readonly reason: "cancelled" | "diverged",
    message: string,
  ) {
    super(message);
    this.name = "TrainingStopped";
  }
}

/** Lets queued messages (a stop request, progress output) through, then stops if cancelled. */
export function cancellationPoint(signal: AbortSignal | undefined): () => Promise<void> {
  let yielded = performance.now();
  return async () => {
    // A turn of the event loop lets a stop request (and progress messages) through; every few
    // milliseconds is soon enough for those, while one per batch cost the fused engine's small
    // models a quarter of their time (its threads went to sleep between steps).
    const now = performance.now();
    if (now - yielded >= YIELD_INTERVAL_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
    if (signal?.aborted) throw new TrainingStopped("cancelled", "Cancelled");
  };
}

function batchOf(data: RunData, indices: Uint32Array): [Float32Array, Int32Array] {
  const { images, labels } = gatherBatch(data.train, indices, data.imageSize);
  return [images, labels];
}

export async function fitModel(trainer: BatchTrainer, data: RunData, options: FitOptions): Promise<EpochMetrics[]> {
  const { batchSize, signal } = options;
  const { imageShape, numClasses } = data.info;
  const count = data.train.count;
  if (count === 0) throw new Error("The training set is empty");
  const batchesPerEpoch = Math.ceil(count / batchSize);
  const random = seededRandom(options.seed);
  const first = options.firstEpoch ?? 1;
  for (let skipped = 1; skipped < first; skipped++) shuffledIndices(count, random);
  const checkCancelled = cancellationPoint(signal);
  const history: EpochMetrics[] = [];

  for (let epoch = first; epoch < first + options.epochs; epoch++) {
    const order = shuffledIndices(count, random);
    const started = performance.now();
    let lastEvent = -Infinity;
    let lossSum = 0;
    let accSum = 0;
    let saturated = 0;
    const saturatedLoss = 2 * Math.log(numClasses);
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      const indices = order.subarray(batch * batchSize, Math.min((batch + 1) * batchSize, count));
      const { loss, acc } = trainer.trainSplitBatch
        ? await trainer.trainSplitBatch(data.train, indices)
        : await trainer.trainBatch(...batchOf(data, indices), indices.length);
      saturated = options.outputsProbabilities && loss > saturatedLoss ? saturated + 1 : 0;
      if (!(Math.abs(loss) < DIVERGED_LOSS) || saturated >= DIVERGED_BATCHES) {
        const shown = Number.isFinite(loss) ? loss.toPrecision(3) : String(loss);
        const how =
          saturated >= DIVERGED_BATCHES
            ? `stayed above ${saturatedLoss.toFixed(1)}, twice that of a uniform guess, for ${saturated} batches (${shown}; the softmax output is confidently wrong)`
            : `became ${shown}`;
        throw new TrainingStopped(
          "diverged",
          `Training diverged: the loss ${how} at epoch ${epoch}, batch ${batch + 1}. ` +
            `Try a lower learning rate (now ${options.learningRate}).`,
        );
      }
      lossSum += loss * indices.length;
      accSum += acc * indices.length;
      const now = performance.now();
      if (now - lastEvent >= BATCH_EVENT_INTERVAL_MS) {
        lastEvent = now;
        options.onBatch?.({ epoch, batch: batch + 1, batchesPerEpoch, loss, acc });
      }
      await checkCancelled();
    }
    const seconds = (performance.now() - started) / 1000;
    await trainer.syncModel();
    const metrics: EpochMetrics = { epoch, loss: lossSum / count, acc: accSum / count, seconds };
    if (data.validation) {
      const evaluation = await evaluateSplit(trainer, data.validation, {
        numClasses,
        imageShape,
        outputsProbabilities: options.outputsProbabilities,
        afterBatch: checkCancelled,
      });
      metrics.valLoss = evaluation.loss;
      metrics.valAcc = evaluation.accuracy;
      options.onValidated?.(evaluation);
    }
    history.push(metrics);
    await options.onEpoch?.(metrics);
  }
  return history;
}

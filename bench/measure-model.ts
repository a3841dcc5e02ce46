// One measurement, run in its own process so its peak RSS is its own: trains one example model on
// one engine for a number of batches and prints a JSON line with per-batch times.
// Usage: node --import tsx bench/measure-model.ts <engine>[:threads] <model> <batches> [--profile]
// Engines: fused (the fused WebAssembly engine), tensorflow, wasm, cpu (tfjs on that backend).
import * as path from "node:path";
import { initBackend } from "../src/engine/backend";
import { loadDataset } from "../src/engine/datasets";
import { FusedTrainer } from "../src/engine/fused/trainer";
import { loadModelFile } from "../src/engine/models";
import { FusedBatchTrainer, TfjsBatchTrainer, type BatchTrainer } from "../src/engine/train/batch-trainer";
import { gatherBatch, seededRandom, shuffledIndices } from "../src/engine/train/data";
import type { BackendName } from "../src/engine/types";

export interface ModelMeasurement {
  model: string;
  engine: string;
  version: string;
  threads?: number;
  batches: number;
  batchMs: number[];
  maxRssMb: number;
  /** Kernel name -> total ms over the measured batches (with --profile). */
  kernels?: Record<string, number>;
}

const WARMUP_BATCHES = 3;
const BATCH_SIZE = 64;
const EXAMPLES = path.join(__dirname, "..", "examples", "mnist.model.ts");

async function main(): Promise<void> {
  const [engineArg, modelName, batchesArg] = process.argv.slice(2);
  const [engine, threadsArg] = engineArg.split(":");
  const threads = threadsArg ? Number(threadsArg) : 1;
  const profile = process.argv.includes("--profile");
  const fused = engine === "fused";
  const { tf, backend } = await initBackend(fused ? "cpu" : (engine as BackendName), { threads: fused ? 1 : threads });
  const file = await loadModelFile(EXAMPLES, tf);
  const arch = file.architectures.find((a) => a.name === modelName);
  if (!arch) throw new Error(`${EXAMPLES} has no model ${modelName}`);
  const dataset = await loadDataset("mnist");
  const model = arch.build();
  const options = {
    optimizer: "adam" as const,
    learningRate: 1e-3,
    outputsProbabilities: false,
    imageShape: [28, 28, 1],
    numClasses: 10,
  };
  const fusedTrainer = fused ? new FusedTrainer(model, { ...options, threads, seed: 1 }) : undefined;
  const trainer: BatchTrainer = fusedTrainer
    ? new FusedBatchTrainer(fusedTrainer, BATCH_SIZE, tf, model, options)
    : new TfjsBatchTrainer(tf, model, options);

  const order = shuffledIndices(dataset.train.count, seededRandom(1));
  const imageSize = 28 * 28;
  const batchAt = (batch: number) =>
    gatherBatch(dataset.train, order.subarray(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE), imageSize);
  // As training runs: an engine that keeps the split itself gathers each batch from indices.
  const step = async (batch: number) => {
    if (trainer.trainSplitBatch) {
      await trainer.trainSplitBatch(dataset.train, order.subarray(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE));
      return;
    }
    const { images, labels } = batchAt(batch);
    await trainer.trainBatch(images, labels, labels.length);
  };

  for (let b = 0; b < WARMUP_BATCHES; b++) await step(b);
  const batches = Number(batchesArg);
  const batchMs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    await step(WARMUP_BATCHES + b);
    batchMs.push(performance.now() - started);
  }
  const kernels: Record<string, number> = {};
  // The fused engine's kernels are timed on the calling thread alone: with more threads that would
  // be thread 0's share of each, so only one-thread runs are profiled.
  if (profile && !(fusedTrainer && fusedTrainer.threads > 1)) {
    // Kernel times of a few more steps, apart from the timed ones (profiling adds its own overhead).
    for (let b = 0; b < batches; b++) {
      if (fusedTrainer) {
        const { images, labels } = batchAt(WARMUP_BATCHES + b);
        for (const [name, ms] of fusedTrainer.profileStep(images, labels, labels.length))
          kernels[name] = (kernels[name] ?? 0) + ms;
      } else {
        const info = await tf.profile(() => step(WARMUP_BATCHES + b));
        for (const k of info.kernels) kernels[k.name] = (kernels[k.name] ?? 0) + (k.kernelTimeMs as number);
      }
    }
  }
  const result: ModelMeasurement = {
    model: modelName,
    engine: fusedTrainer ? `fused ${fusedTrainer.variant}` : `tfjs-${backend.name}`,
    version: fusedTrainer ? "" : backend.version,
    threads: fusedTrainer ? fusedTrainer.threads : backend.threads,
    batches,
    batchMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(Object.keys(kernels).length ? { kernels } : {}),
  };
  trainer.dispose();
  // Exit explicitly once written: the threads of a multithreaded wasm backend keep a process alive.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

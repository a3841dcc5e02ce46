// One measurement, run in its own process so its peak RSS is its own: trains one example model on
// one backend for a number of batches and prints a JSON line with per-batch times.
// Usage: node --import tsx bench/measure-model.ts <backend>[:threads] <model> <batches> [--profile]
import * as path from 'node:path';
import { initBackend } from '../src/engine/backend';
import { loadDataset } from '../src/engine/datasets';
import { loadModelFile } from '../src/engine/models';
import { gatherBatch, seededRandom, shuffledIndices } from '../src/engine/train/data';
import { compileForTraining } from '../src/engine/train/loss';
import type { BackendName } from '../src/engine/types';

export interface ModelMeasurement {
  model: string;
  backend: BackendName;
  backendVersion: string;
  threads?: number;
  batches: number;
  batchMs: number[];
  maxRssMb: number;
  /** Kernel name -> total ms over the measured batches (with --profile). */
  kernels?: Record<string, number>;
}

const WARMUP_BATCHES = 3;
const BATCH_SIZE = 64;
const EXAMPLES = path.join(__dirname, '..', 'examples', 'mnist.model.ts');

async function main(): Promise<void> {
  const [backendArg, modelName, batchesArg] = process.argv.slice(2);
  const [backendName, threads] = backendArg.split(':');
  const profile = process.argv.includes('--profile');
  const { tf, backend } = await initBackend(backendName as BackendName, { threads: threads ? Number(threads) : undefined });
  const file = await loadModelFile(EXAMPLES, tf);
  const arch = file.architectures.find((a) => a.name === modelName);
  if (!arch) throw new Error(`${EXAMPLES} has no model ${modelName}`);
  const dataset = await loadDataset('mnist');
  const model = arch.build();
  compileForTraining(tf, model, { optimizer: 'adam', learningRate: 1e-3, outputsProbabilities: false });

  const order = shuffledIndices(dataset.train.count, seededRandom(1));
  const imageSize = 28 * 28;
  const step = async (batch: number) => {
    const indices = order.subarray(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE);
    const { images, oneHot } = gatherBatch(dataset.train, indices, imageSize, 10);
    const x = tf.tensor4d(images, [indices.length, 28, 28, 1]);
    const y = tf.tensor2d(oneHot, [indices.length, 10]);
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  };

  for (let b = 0; b < WARMUP_BATCHES; b++) await step(b);
  const batches = Number(batchesArg);
  const batchMs: number[] = [];
  const kernels: Record<string, number> = {};
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    if (profile) {
      const info = await tf.profile(() => step(WARMUP_BATCHES + b));
      for (const k of info.kernels) kernels[k.name] = (kernels[k.name] ?? 0) + (k.kernelTimeMs as number);
    } else {
      await step(WARMUP_BATCHES + b);
    }
    batchMs.push(performance.now() - started);
  }
  const result: ModelMeasurement = {
    model: modelName,
    backend: backend.name,
    backendVersion: backend.version,
    threads: backend.threads,
    batches,
    batchMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(profile ? { kernels } : {}),
  };
  // Exit explicitly once written: the threads of a multithreaded wasm backend keep a process alive.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

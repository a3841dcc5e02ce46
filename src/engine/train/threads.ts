// How many WebAssembly threads a job gets when none are asked for. Threads pay only for large
// convolutions: measured on two cores, StrongCNN (18.7 M MACs per image) trains 1.4-1.6x faster
// on two threads, while CNN (0.3 M) is 5% slower and MLP and TinyCNN 25-30% slower, their kernels
// too small to split. The wasm backend takes its thread count once per process, so a job gets
// threads when any of its models is large: the large model's gain outweighs the small ones' loss.
import os from "node:os";

/** MACs per image from which a model trains faster on several threads. */
export const THREADS_MIN_MACS = 5_000_000;
/**
 * At most four: measured only up to two cores so far, and tfjs starts eight pthread workers, of
 * which a thread pool of n threads takes n - 1.
 */
const MAX_AUTO_THREADS = 4;

export function autoThreadCount(macsPerImage: number[], cores = os.cpus().length): number {
  const threads = Math.min(cores, MAX_AUTO_THREADS);
  return threads > 1 && macsPerImage.some((macs) => macs >= THREADS_MIN_MACS) ? threads : 1;
}

/** Threads for training `models` of a loaded file (all of them when absent) on `cores` cores. */
export function threadsForArchitectures(
  architectures: { name: string; macs?: number }[],
  models: string[] | undefined,
  cores = os.cpus().length,
): number {
  const selected = architectures.filter((a) => !models?.length || models.includes(a.name));
  return autoThreadCount(
    selected.map((a) => a.macs ?? 0),
    cores,
  );
}

/**
 * MACs per image from which the fused engine trains a model on several threads. Measured on two
 * cores: TinyCNN (89 K MACs) 3.6 -> 2.2 s an epoch, CNN and StrongCNN 1.7-1.8x faster; the MLP
 * (25 K) the same on one thread or two, its kernels too short for the barriers between them to pay.
 */
export const FUSED_THREADS_MIN_MACS = 50_000;

/** Threads of the fused engine for a model of `macs` per image, using at most `cores`. */
export function fusedThreadCount(macs: number, cores = os.cpus().length): number {
  return macs >= FUSED_THREADS_MIN_MACS ? Math.max(1, Math.min(cores, MAX_AUTO_THREADS)) : 1;
}

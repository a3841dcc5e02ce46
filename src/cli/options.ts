// Parsers for numeric command-line values (a bad value is a usage error naming the option), and the
// training settings given as flags.
import { InvalidArgumentError } from "commander";
import type { TrainingConfig } from "../engine/types";

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError("expected a positive integer.");
  }
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected an integer.");
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("expected a number greater than 0.");
  return n;
}

/** `--model A --model B` and `--model A,B` both select A and B. */
export function modelNames(value: string, previous: string[] = []): string[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // An empty name would select nothing, and no selection means every model: refuse it instead.
  if (!names.length) throw new InvalidArgumentError("expected an architecture name (an export of the file).");
  return [...previous, ...names];
}

/** Training settings that commands take as flags. */
export interface TrainingFlags {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  dataset?: string;
  limit?: number;
  testLimit?: number;
  seed?: number;
  quick?: boolean;
}

/** The settings the flags give, as overrides: a flag not given is left out, so it overrides nothing. */
export function trainingOverrides(flags: TrainingFlags): Partial<TrainingConfig> {
  const overrides: Partial<TrainingConfig> = {
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    dataset: flags.dataset,
    limit: flags.limit,
    testLimit: flags.testLimit,
    seed: flags.seed,
    quick: flags.quick || undefined,
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}

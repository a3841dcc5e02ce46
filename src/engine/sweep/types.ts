// Sweep types shared by the engine, the CLI, the extension host and the webview (types, and the
// literal lists they derive from).
import type { ParamValue, RunStatus, TrainingConfig } from "../types";

export const SWEEP_METHODS = ["grid", "random", "asha"] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];
export const SWEEP_METRICS = ["testAccuracy", "testLoss", "learningTimeSec", "params", "macs"] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];
export type SweepGoal = "max" | "min";

/** One dimension of a search space, as `hp.*` declares it or a sweep's `parameters` entry gives it. */
export type ParamDef =
  | { kind: "choice"; values: ParamValue[]; default?: ParamValue }
  | { kind: "int"; min: number; max: number; step: number; log?: boolean; default?: number }
  | { kind: "float"; min: number; max: number; step?: number; log?: boolean; default?: number }
  | { kind: "bool"; default?: boolean };

export type TrialParams = Record<string, ParamValue>;

/** A sweep spec after validation: every field present except `trials` for a full grid. */
export interface SweepSpec {
  method: SweepMethod;
  /** How many trials (random, asha); a cap on the grid's points when given for grid. */
  trials?: number;
  metric: SweepMetric;
  goal: SweepGoal;
  /** Epochs of a trial that runs to the end (ASHA's largest budget). */
  epochs: number;
  seed: number;
  /** ASHA's reduction factor: rungs at 1, r, r^2... epochs; the top 1/r at a rung go on. */
  reduction: number;
  /** Training settings searched over (learningRate, batchSize, optimizer, epochs). */
  parameters: Record<string, ParamDef>;
}

export type SweepStatus = "running" | "completed" | "stopped" | "interrupted" | "failed";

export type TrialStatus = RunStatus | "pending";

export interface SweepTrial {
  trial: number;
  params: TrialParams;
  /** The run record of the trial: fixed in advance, so a trial run again keeps one record. */
  runId: string;
  status: TrialStatus;
  /** The sweep's metric: at the end, or at the last rung a pruned trial reached. */
  value?: number;
  epochsRun?: number;
  paramsCount?: number;
  macs?: number;
  learningTimeSec?: number;
  error?: string;
  attempts?: number;
}

export const SWEEP_SCHEMA_VERSION = 1;

export interface SweepRecord {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION;
  id: string;
  model: string;
  /** Model file, relative to the store's root when inside it. */
  file: string;
  spec: SweepSpec;
  /** The training settings every trial starts from, before its parameters apply. */
  baseConfig: TrainingConfig;
  status: SweepStatus;
  startedAt: string;
  finishedAt?: string;
  /** Where the trials ran: "local", or the queue's address without its password. */
  ranOn: string;
  trials: SweepTrial[];
  best?: { trial: number; value: number };
}

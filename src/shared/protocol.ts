// Messages between the extension host and a trainer child process (types only).
// The child says `ready` first; the host then sends exactly one request. A child serves one
// request and exits, so a crash or a kill can never take another job down with it.
import type { InspectReport } from "../engine/models";
import type { Decision } from "../engine/sweep/asha";
import type { SweepRequest } from "../engine/sweep/plan";
import type { TrialEnv, TrialJob } from "../engine/sweep/trial";
import type {
  BackendPreference,
  KeepModels,
  RunError,
  RunRecord,
  TrainingConfig,
  TrainingEvent,
} from "../engine/types";
import type { SweepRecord } from "../engine/sweep/types";

export interface TrainRequest {
  type: "train";
  file: string;
  models?: string[];
  overrides?: Partial<TrainingConfig>;
  backend: BackendPreference;
  /** WebAssembly threads; absent: chosen from the models' size. */
  threads?: number;
  /** Cores the automatic thread choice may use: the machine's share of this job. */
  cores?: number;
  storeRoot: string;
  runsDir?: string;
  fashionMnistDir?: string;
  /** Extra folders to resolve @tensorflow/tfjs-node from (the workspace). */
  searchPaths: string[];
  /** What a run was interrupted by when the host goes away mid-run (default: the window closed). */
  hostGoneReason?: string;
  /** Another way to keep records, for the message of one that cannot be written (a setting, a flag). */
  runsFolderAlternative?: string;
  keepModels?: KeepModels;
}

/** Continue Training: a run's saved model trained more epochs, as a new run linked to it. */
export interface ContinueRequest extends Omit<TrainRequest, "type" | "file" | "models" | "overrides"> {
  type: "continue";
  /** The run to go on from: its id, or a part that only its id contains. */
  runId: string;
  /** How many more epochs; absent: as many as that run was set to train. */
  epochs?: number;
}

export interface InspectRequest {
  type: "inspect";
  file: string;
  /** The file's text as an editor has it, saved or not; absent: as it is on disk. */
  content?: string;
  /** Default cpu: it starts fastest and counts the same. */
  backend?: BackendPreference;
}

/** One trial of a sweep. At each of `job.rungs` the child waits for the host's `decision`. */
export interface TrialRequest {
  type: "trial";
  job: TrialJob;
  env: TrialEnv;
}

/** Keeps the child serving `predict` messages (the panel's drawing pad) until stopped. */
export interface PredictorRequest {
  type: "predictor";
}

/** A run's saved model, as the child loads it. */
export interface PredictModel {
  runId: string;
  model: string;
  /** Absolute folder of model.json and weights.bin. */
  dir: string;
  sha256: string;
  inputShape: number[];
  outputsProbabilities: boolean;
}

/** One run's answer for an image (the drawing pad's): its classes by probability, or why there is none. */
export interface PredictionResult {
  runId: string;
  /** Classes by probability, most probable first. */
  top?: { label: number; probability: number }[];
  /** Milliseconds the child spent on this model (loading it the first time included). */
  ms?: number;
  error?: string;
}

/** Plans a sweep (loads the model file, checks its spec, sizes every trial's variant) without training. */
export interface PlanSweepRequest {
  type: "planSweep";
  request: SweepRequest;
}

export type HostToTrainer =
  | TrainRequest
  | ContinueRequest
  | InspectRequest
  | TrialRequest
  | PredictorRequest
  | { type: "predict"; requestId: number; models: PredictModel[]; pixels: number[] }
  | PlanSweepRequest
  | { type: "decision"; epoch: number; decision: Decision }
  | { type: "stop" };

export type TrainerToHost =
  | { type: "ready"; pid: number }
  | { type: "event"; event: TrainingEvent }
  | { type: "log"; message: string }
  /** Something the user should see even when logs are not shown (a skipped export). */
  | { type: "warning"; message: string }
  /** The run's record could not be written; the run goes on. */
  | { type: "notRecorded"; runId: string; message: string }
  | { type: "trained"; records: RunRecord[] }
  | { type: "inspected"; report: InspectReport }
  | { type: "predictions"; requestId: number; results: PredictionResult[] }
  | { type: "sweepPlanned"; sweep: SweepRecord }
  /** The request failed as a whole (bad file, dataset not found, ...), not a single model; `usage`: it asked for what the file lacks. */
  | { type: "failed"; error: RunError; usage?: boolean };

// Types shared by the engine, the trainer child, the CLI, the extension host and the webview.
// Types and the literal lists they derive from: importing this module pulls in no dependency
// (no tfjs, no vscode). package.json's enums are checked against these lists by a test.

export const BACKEND_NAMES = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** 'fused' trains every model it can with the fused WebAssembly engine, and fails the others. */
export const BACKEND_PREFERENCES = ["auto", "fused", ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
/** What ran the training steps: the fused WebAssembly engine, or tfjs on the backend named. */
export const ENGINE_NAMES = ["wasm-fused", "tfjs"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface BackendInfo {
  name: BackendName;
  /** Version of the package providing the backend, e.g. "4.22.0". */
  version: string;
  /** WASM threads in use (1 when single-threaded); absent for other backends. */
  threads?: number;
  /** Why a preferred backend was not used, e.g. "tfjs-node: native binding not found". */
  fallbackReason?: string;
  /** The training engine (absent in records from before the fused engine: tfjs). */
  engine?: EngineName;
  /** The fused engine's build: relaxed-SIMD fused multiply-add, or plain SIMD128. */
  simd?: "relaxed" | "simd128";
}

export const OPTIMIZER_NAMES = ["adam", "sgd", "rmsprop", "adagrad", "adadelta", "adamax"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * What the model is evaluated on after every epoch: the dataset's test split, a fraction of the
 * training set held out, or nothing (the test set is still used once at the end).
 */
export type ValidationSpec = "test" | "none" | { split: number };

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  /** "mnist", "fashion-mnist", or a path to a folder of IDX files. */
  dataset: string;
  validation: ValidationSpec;
  seed: number;
  /** Use only the first N training images (quick runs). */
  limit?: number;
  /** Use only the first N test images. */
  testLimit?: number;
  /**
   * A Quick Run: one epoch on as many images as the model's size allows in seconds (the limits it
   * chose are then recorded in `limit` and `testLimit`), unless limits are given.
   */
  quick?: boolean;
}

/** The optional `training` export of a model file: file defaults plus per-model overrides. */
export interface TrainingExport extends Partial<TrainingConfig> {
  models?: Record<string, Partial<TrainingConfig>>;
}

export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 5,
  batchSize: 64,
  learningRate: 1e-3,
  optimizer: "adam",
  dataset: "mnist",
  validation: "test",
  seed: 42,
};

/** A place in a source file; line and column 1-based, as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Where a layer is created: the call in the architecture's own code (for a layer a helper builds,
 * the helper's call site), spanning to just after its closing parenthesis.
 */
export interface LayerLocation extends SourceLocation {
  endLine: number;
  endColumn: number;
  /** The factory call itself when a helper made it: the helper's name and that line. */
  via?: SourceLocation & { function?: string };
}

/** Input pixels one output position sees, and the step between neighbouring positions, per spatial axis. */
export interface ReceptiveField {
  size: number[];
  stride: number[];
}

/** A setting of a layer's config: what tells two layers of the same type apart. */
export type LayerSetting = number | string | boolean | null | (number | null)[];

export interface LayerSummary {
  name: string;
  /** Keras class name, e.g. "Conv2D". */
  type: string;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  params: number;
  /** Multiply-accumulate operations for one example. */
  macs: number;
  /** Input shapes without the batch dimension, one per input tensor (a merge layer has several). */
  inputShapes?: number[][];
  /** Trainable part of `params`; the rest is non-trainable (frozen layers, batch-norm statistics). */
  trainableParams?: number;
  /** The layers (by `name`) or model inputs (by `ModelSummary.inputs` name) feeding this one. */
  inputs?: string[];
  /** Settings from the layer's config (units, filters, kernelSize, activation...), names and initializers left out. */
  config?: Record<string, LayerSetting>;
  location?: LayerLocation;
  /** For layers with spatial axes, up to the first that sees the whole image. */
  receptiveField?: ReceptiveField;
}

/** A shape that tfjs accepts but that cannot train as a classifier (an empty axis, a non-vector output...). */
export interface ShapeProblem {
  message: string;
  /** The layer that broke, by `LayerSummary.name`. */
  layer?: string;
  location?: LayerLocation;
}

export interface ModelSummary {
  /** The export name of the architecture. */
  name: string;
  inputShape: number[];
  outputShape: number[];
  layers: LayerSummary[];
  params: { total: number; trainable: number; nonTrainable: number };
  macs: number;
  /** True when the last layer already applies softmax (the loss then works on probabilities). */
  outputsProbabilities: boolean;
  /** Hash of the model topology (layer configs, no weights): tells whether an architecture changed. */
  architectureHash: string;
  /** The model's inputs, by the names `LayerSummary.inputs` uses. */
  inputs?: { name: string; shape: number[] }[];
  problems?: ShapeProblem[];
}

export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  loss: number;
  acc: number;
  /** Validation or test metrics after the epoch; absent when validation is "none". */
  valLoss?: number;
  valAcc?: number;
  /** Training seconds of this epoch (evaluation excluded). */
  seconds: number;
}

/** A misclassified test image: its index in the test split, true label, predicted label. */
export type Misclassified = [index: number, trueLabel: number, predicted: number];

export interface RunResults {
  testAccuracy: number;
  testLoss: number;
  /** Seconds spent in training only, like the study's "learning time". */
  learningTimeSec: number;
  /** Wall seconds of the whole run, including data loading and evaluation. */
  totalTimeSec: number;
  /** confusion[true][predicted] counts over the test split. */
  confusion: number[][];
  perClassAccuracy: number[];
  misclassified: Misclassified[];
  testExamples: number;
}

/** `pruned`: a sweep's trial stopped early at an ASHA rung; its epochs say how far it ran. */
export const RUN_STATUSES = ["running", "completed", "failed", "cancelled", "interrupted", "pruned"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A value an architecture's `hp` object or a sweep's training parameter takes. */
export type ParamValue = number | string | boolean;

/** Where a run stands in a sweep: set on the run records of a sweep's trials. */
export interface SweepRef {
  id: string;
  /** 0-based index of the trial in the sweep. */
  trial: number;
  params: Record<string, ParamValue>;
  /** Which attempt ran it (1 unless a queue gave it to another agent after the first one stopped). */
  attempt?: number;
  /** Why it was run again, e.g. the agent running it stopped responding. */
  retried?: string;
  /** The agent that trained it, for trials run through a queue. */
  agent?: string;
}

export interface RunError {
  message: string;
  /** Source location when the error is in the model file. */
  file?: string;
  line?: number;
  column?: number;
  stderr?: string;
  exitCode?: number | null;
}

/** What the user wrote about a run. Absent fields are unset; an empty object is "nothing written". */
export interface RunAnnotations {
  /** The run's own name, shown in place of the model's; the model stays the architecture's name. */
  name?: string;
  note?: string;
  starred?: boolean;
}

export const ANNOTATION_LIMITS = { name: 200, note: 20_000 } as const;

/** 2: `annotations`. Version 1 records are read as version 2 records without annotations. */
export const RUN_SCHEMA_VERSION = 2;

/** The process writing a record while it runs (see runs/owner.ts). */
export interface RunOwner {
  host: string;
  pid: number;
  /** When the owning process started (ISO time): with the pid, it tells a reused pid apart. */
  processStartedAt: string;
  /** Last time the owner rewrote the record (ISO time). */
  heartbeatAt: string;
}

export interface RunRecord {
  schemaVersion: typeof RUN_SCHEMA_VERSION;
  id: string;
  /** Export name of the architecture. */
  model: string;
  /** Path of the model file, relative to the store's root when inside it. */
  file: string;
  /** Snapshot of the model file's source at the start of the run. */
  source: { text: string; sha256: string };
  config: TrainingConfig;
  backend: BackendInfo;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  summary?: ModelSummary;
  epochs: EpochMetrics[];
  results?: RunResults;
  error?: RunError;
  /** Dataset facts: name, class names, image shape, split sizes actually used. */
  dataset?: DatasetInfo;
  host?: { platform: string; arch: string; cpus: number; node: string };
  sweep?: SweepRef;
  /**
   * Name, note and star. A writer that does not know them (a trainer saving an epoch) leaves the
   * field out, and the store keeps what the record on disk has.
   */
  annotations?: RunAnnotations;
  /** Set while the run is `running`: who runs it, so a reader can tell a run whose process died. */
  owner?: RunOwner;
  /** The trained model, kept after the run (absent when none was kept, or it was deleted). */
  savedModel?: SavedModelRef;
  /** Why the trained model could not be saved (e.g. a layer tfjs cannot serialize). */
  savedModelError?: string;
  /**
   * The run whose saved model this one went on training from (Continue Training), and the epoch of
   * that model: this run's epochs are numbered on from it (epochs + 1, ...), while `config.epochs`
   * counts this run's own. The parent's record may since have been deleted.
   */
  parent?: { id: string; epochs: number };
}

/** Which runs keep their trained model: every run, or per architecture the best or the latest, or none. */
export const KEEP_MODELS = ["all", "best", "latest", "none"] as const;
export type KeepModels = (typeof KEEP_MODELS)[number];
export const DEFAULT_KEEP_MODELS: KeepModels = "best";

/** A run's trained model on disk, in the TensorFlow.js layers format (model.json + weights.bin). */
export interface SavedModelRef {
  /** The folder, relative to the store's root when inside it. */
  path: string;
  /** Bytes of the whole folder (weights, topology and optimizer state). */
  bytes: number;
  /** SHA-256 of weights.bin. */
  sha256: string;
  /** The epoch whose weights these are (the last one finished). */
  epoch: number;
  /** The optimizer whose state is saved beside the weights, for continuing the training. */
  optimizer?: OptimizerName;
}

export interface DatasetInfo {
  name: string;
  imageShape: [height: number, width: number, channels: number];
  numClasses: number;
  classNames: string[];
  trainSize: number;
  testSize: number;
}

/** Where the batch loop is inside an epoch: `batch` batches of `batchesPerEpoch` done, with their loss and accuracy. */
export interface BatchPosition {
  /** 1-based. */
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  acc: number;
}

/** A run's batch position, as the run's events carry it. */
export interface BatchProgress extends BatchPosition {
  runId: string;
}

/** Events a training run emits, in order: started, batch/epoch..., then exactly one of the last three. */
export type TrainingEvent =
  | { type: "runStarted"; runId: string; record: RunRecord }
  | ({ type: "batch" } & BatchProgress)
  | { type: "epoch"; runId: string; metrics: EpochMetrics }
  | { type: "runFinished"; runId: string; record: RunRecord }
  | { type: "runFailed"; runId: string; record: RunRecord }
  | { type: "runCancelled"; runId: string; record: RunRecord };

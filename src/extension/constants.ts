// Every identifier the extension shares with package.json: commands, settings, views, schemes.
export const EXTENSION_ID = "archlab";
export const OUTPUT_CHANNEL_NAME = "ArchLab";

export const Commands = {
  trainModel: "archlab.trainModel",
  trainAllModelsInFile: "archlab.trainAllModelsInFile",
  quickRun: "archlab.quickRun",
  openComparisonPanel: "archlab.openComparisonPanel",
  stopRun: "archlab.stopRun",
  stopAll: "archlab.stopAll",
  rerun: "archlab.rerun",
  deleteRun: "archlab.deleteRun",
  exportResults: "archlab.exportResults",
  showModelSummary: "archlab.showModelSummary",
  createExampleModels: "archlab.createExampleModels",
  showArchitectureGraph: "archlab.showArchitectureGraph",
  exportModel: "archlab.exportModel",
  continueTraining: "archlab.continueTraining",
  deleteSavedModel: "archlab.deleteSavedModel",
  sweepModel: "archlab.sweepModel",
  stopSweep: "archlab.stopSweep",
  resumeSweep: "archlab.resumeSweep",
} as const;

export const Settings = {
  section: "archlab",
  modelGlob: "modelGlob",
  epochs: "epochs",
  batchSize: "batchSize",
  learningRate: "learningRate",
  dataset: "dataset",
  fashionMnistDir: "fashionMnistDir",
  backend: "backend",
  threads: "threads",
  maxConcurrentJobs: "maxConcurrentJobs",
  quickRunSize: "quickRunSize",
  runsFolder: "runsFolder",
  inlayHints: "inlayHints",
  keepModels: "keepModels",
  queue: "queue",
} as const;

/** The comparison panel's webview type (package.json's `onWebviewPanel` activation event). */
export const VIEW_TYPE = "archlab.compare";

/** The architecture graph panel's webview type. */
export const GRAPH_VIEW_TYPE = "archlab.graph";

export const DEFAULT_MODEL_GLOB = "**/*.model.{ts,js,mjs}";

/** URI scheme of read-only documents holding a run's source snapshot (for diffs). */
export const RUN_SOURCE_SCHEME = "archlab-run";

/** URI scheme of model summaries: read-only, so nothing asks to save them on close. */
export const SUMMARY_SCHEME = "archlab-summary";

/** Folder under the workspace's `.archlab` where live jobs leave their child's pid. */
export const JOB_LOCKS_FOLDER = "jobs";

/** How long a job may take to stop after being asked before its child is killed. */
export const STOP_TIMEOUT_MS = 10_000;

// The engine's public API: what the CLI, the trainer child and the extension host import.
export * from "./types";
export type { Tf } from "./tf";
export { initBackend, BackendError, type BackendOptions } from "./backend";
export { loadDataset, loadTestImage, DatasetError, type Dataset, type DatasetOptions, type Split } from "./datasets";
export {
  loadModelFile,
  inspectModelFile,
  summarizeModel,
  resolveTrainingConfig,
  checkInputShape,
  ModelFileError,
  toRunError,
  type Architecture,
  type LoadedModelFile,
  type InspectedModel,
  type InspectReport,
} from "./models";
export { RunStore } from "./runs/store";
export { resultsTable, type TableFormat } from "./runs/table";
export { runJob, type JobSpec, type JobHooks } from "./train";

// Model files: loading, summaries, MACs and training settings.
export { ModelFileError, toRunError } from "./errors";
export { loadModelFile, type Architecture, type LoadedModelFile } from "./load";
export { summarizeModel } from "./summary";
export { inspectModelFile, type InspectedModel, type InspectReport } from "./inspect";
export { resolveTrainingConfig } from "./training";
export { checkInputShape } from "./input-shape";

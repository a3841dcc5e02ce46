// Model files: loading, summaries, MACs and training settings.
export { ModelFileError, toRunError } from './errors';
export { loadModelFile, type Architecture, type LoadedModelFile } from './load';
export { summarizeModel } from './summary';
export { inspectModelFile, type InspectedModel, type InspectResult } from './inspect';
export { resolveTrainingConfig, checkTrainingExport } from './training';
export { checkInputShape } from './fit';
export { layerMacs } from './macs';
export { architectureHash } from './hash';

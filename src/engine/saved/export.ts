// "Export Model": a run's saved model copied out as a folder any TensorFlow.js app loads, with a
// README saying what goes in and what comes out.
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PREPROCESSING_TEXT, preprocessingOf } from "../../shared/preprocess";
import type { RunStore } from "../runs/store";
import type { RunRecord } from "../types";
import { MODEL_JSON, verifySavedModel, WEIGHTS_BIN } from "./files";

/** Writes model.json, weights.bin and README.md into `folder` (created when missing); never overwrites a model there. */
export async function exportSavedModel(
  store: Pick<RunStore, "root">,
  record: RunRecord,
  folder: string,
): Promise<string[]> {
  const source = await verifySavedModel(store, record);
  await mkdir(folder, { recursive: true });
  const present = await readdir(folder);
  const clash = [MODEL_JSON, WEIGHTS_BIN, "README.md"].filter((name) => present.includes(name));
  if (clash.length) throw new Error(`${folder} already holds ${clash.join(", ")}: export into an empty folder`);
  for (const name of [MODEL_JSON, WEIGHTS_BIN]) await copyFile(join(source, name), join(folder, name));
  await writeFile(join(folder, "README.md"), exportReadme(record), "utf8");
  return [MODEL_JSON, WEIGHTS_BIN, "README.md"].map((name) => join(folder, name));
}

export function exportReadme(record: RunRecord): string {
  const shape = record.summary?.inputShape ?? record.dataset?.imageShape ?? [];
  const classes = record.dataset?.classNames ?? [];
  const accuracy = record.results
    ? `${(record.results.testAccuracy * 100).toFixed(2)}% on ${record.results.testExamples} test images of ${record.dataset?.name ?? record.config.dataset}`
    : `not measured (the run was ${record.status})`;
  const output = record.summary?.outputsProbabilities
    ? "class probabilities (the last layer applies softmax)"
    : "logits: apply `tf.softmax` for probabilities";
  const epochs = record.savedModel?.epoch ?? record.epochs.length;
  return `# ${record.model}

Trained by ArchLab: run \`${record.id}\` of \`${record.file}\`, ${epochs} epoch${epochs === 1 ? "" : "s"}
(${record.config.optimizer}, learning rate ${record.config.learningRate}, batch size ${record.config.batchSize}).

- Format: TensorFlow.js layers model (\`model.json\` + \`weights.bin\`), ${record.summary?.params.total.toLocaleString("en-US") ?? "?"} parameters.
- Input: float32 tensor of shape \`[batch, ${shape.join(", ")}]\`, pixel values from 0 to 1 (0 = background, 1 = ink).
- Preprocessing: ${PREPROCESSING_TEXT[preprocessingOf(record.config.dataset)]}.
- Output: \`[batch, ${classes.length || "?"}]\` ${output}.
- Classes, by output index: ${classes.map((name, i) => `${i} = ${name}`).join(", ") || "unknown"}.
- Test accuracy: ${accuracy}.

\`\`\`js
import * as tf from '@tensorflow/tfjs';
const model = await tf.loadLayersModel('model.json'); // in Node with @tensorflow/tfjs-node: 'file://path/to/model.json'
const output = model.predict(tf.tensor(pixels, [1, ${shape.join(", ")}]));${record.summary?.outputsProbabilities ? "" : "\nconst probabilities = tf.softmax(output);"}
\`\`\`
`;
}

// Continue Training: a run's saved model trained more epochs, as an ordinary job of the window's
// queue (its own trainer child, its progress notification, Stop), recorded as a new run linked to
// the run it went on from. From the panel's run details (the run's id) or the palette (a pick).
import * as vscode from "vscode";
import type { RunRecord } from "../../engine/types";
import type { ArchLab } from "../archlab";
import { Commands } from "../constants";
import type { WorkspaceRuns } from "../runs/runsModel";
import { registerCommand } from "./register";
import { pickRun } from "./targets";

/** More than this is a typo rather than a plan (the study's models train 5). */
const MAX_EPOCHS = 1000;

export interface ContinueTrainingHost {
  readonly log: vscode.LogOutputChannel;
  readonly runs: Pick<WorkspaceRuns, "get" | "list">;
  continueTraining: ArchLab["continueTraining"];
}

const canContinue = (record: RunRecord) => Boolean(record.savedModel) && record.status !== "running";

export function registerContinueTraining(lab: ContinueTrainingHost): vscode.Disposable {
  return registerCommand(lab.log, {
    id: Commands.continueTraining,
    failure: "Could not continue training",
    needsTrust: true,
    run: async (arg) => {
      const id =
        typeof arg === "string"
          ? arg
          : await pickRun(
              lab.runs,
              "Continue training which run?",
              canContinue,
              "no finished run has a saved model to continue from",
            );
      const record = id === undefined ? undefined : lab.runs.get(id);
      if (!record) return;
      if (!canContinue(record)) {
        throw new Error(
          record.status === "running"
            ? `${record.model} is still training: continue it once it has ended.`
            : `the ${record.model} run has no saved model (archlab.keepModels kept none for it, or it was deleted).`,
        );
      }
      const epochs = await askEpochs(record);
      if (epochs !== undefined) lab.continueTraining(record, epochs);
    },
  });
}

async function askEpochs(record: RunRecord): Promise<number | undefined> {
  const from = record.savedModel?.epoch ?? 0;
  const { optimizer, learningRate, batchSize } = record.config;
  const answer = await vscode.window.showInputBox({
    title: `Continue training ${record.annotations?.name ?? record.model} from epoch ${from}`,
    prompt: `How many more epochs? They train as a new run from epoch ${from + 1}, with this run's weights, its ${optimizer} state and its settings (learning rate ${learningRate}, batch size ${batchSize}).`,
    value: String(record.config.epochs),
    validateInput: (text) =>
      epochsIn(text) === undefined ? `A whole number of epochs, from 1 to ${MAX_EPOCHS}` : undefined,
  });
  return answer === undefined ? undefined : epochsIn(answer);
}

function epochsIn(text: string): number | undefined {
  const n = Number(text.trim());
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= MAX_EPOCHS ? n : undefined;
}

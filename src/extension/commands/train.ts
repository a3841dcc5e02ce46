// Train Model, Train All Models in File, Quick Run, Rerun.
import * as vscode from "vscode";
import type { ArchLab } from "../archlab";
import { Commands } from "../constants";
import type { Inspector } from "../inspect/inspector";
import type { WorkspaceRuns } from "../runs/runsModel";
import { registerCommand } from "./register";
import { modelTargetOf, noModelFile, pickModel, pickRun, targetOf } from "./targets";

/** What the training commands use of the workspace's ArchLab. */
export interface TrainCommandsHost {
  readonly log: vscode.LogOutputChannel;
  readonly runs: Pick<WorkspaceRuns, "get" | "list" | "fileOf">;
  readonly inspector: Pick<Inspector, "inspect">;
  train: ArchLab["train"];
}

export function registerTrainCommands(lab: TrainCommandsHost): vscode.Disposable[] {
  const training = (id: string, run: (arg: unknown) => Promise<void>) =>
    registerCommand(lab.log, { id, failure: "Could not start training", needsTrust: true, run });

  return [
    training(Commands.trainModel, async (arg) => {
      const target = await modelTargetOf(arg, (file) => pickModel(lab.inspector, file));
      if (target) lab.train(target.file, [target.model], "full");
    }),
    training(Commands.trainAllModelsInFile, async (arg) => {
      const target = targetOf(arg);
      if (!target) return void noModelFile();
      lab.train(target.file, undefined, "full");
    }),
    // From a lens: that architecture; from a menu: every architecture of the file.
    training(Commands.quickRun, async (arg) => {
      const target = targetOf(arg);
      if (!target) return void noModelFile();
      lab.train(target.file, target.model ? [target.model] : undefined, "quick");
    }),
    training(Commands.rerun, async (arg) => {
      const id = typeof arg === "string" ? arg : await pickRun(lab.runs, "Rerun which run?");
      const record = id ? lab.runs.get(id) : undefined;
      if (!record) return;
      // Same settings as that run; the architecture as the file defines it now.
      lab.train(lab.runs.fileOf(record), [record.model], "full", record.config);
    }),
  ];
}

// Export Model and Delete Saved Model: a run's trained model out of the workspace, or its space back.
import * as vscode from "vscode";
import { join } from "node:path";
import type { RunStore } from "../../engine/runs/store";
import { exportSavedModel } from "../../engine/saved/export";
import type { RunRecord } from "../../engine/types";
import { Commands } from "../constants";
import type { WorkspaceRuns } from "../runs/runsModel";
import { registerCommand } from "./register";
import { pickRun } from "./targets";

export interface SavedModelsHost {
  readonly log: vscode.LogOutputChannel;
  readonly store: Pick<RunStore, "root" | "deleteSavedModel">;
  readonly runs: Pick<WorkspaceRuns, "list" | "get" | "upsert">;
}

const hasModel = (record: RunRecord) => Boolean(record.savedModel);

export function registerSavedModelCommands(lab: SavedModelsHost): vscode.Disposable[] {
  const runOf = async (arg: unknown, title: string) => {
    const id = typeof arg === "string" ? arg : await pickRun(lab.runs, title, hasModel, "no run has a saved model");
    return id === undefined ? undefined : lab.runs.get(id);
  };
  return [
    registerCommand(lab.log, {
      id: Commands.exportModel,
      failure: "Could not export the model",
      run: async (arg) => {
        const record = await runOf(arg, "Export the model of which run?");
        if (!record) return;
        const picked = await vscode.window.showOpenDialog({
          title: `Export ${record.model} (TensorFlow.js layers model) into a new folder in…`,
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: "Export here",
          defaultUri: vscode.Uri.file(lab.store.root),
        });
        if (!picked?.[0]) return;
        const folder = join(picked[0].fsPath, exportFolderName(record));
        await exportSavedModel(lab.store, record, folder);
        void vscode.window.showInformationMessage(
          `ArchLab: exported ${record.model} to ${vscode.workspace.asRelativePath(folder)} (model.json, weights.bin, README.md).`,
        );
      },
    }),
    registerCommand(lab.log, {
      id: Commands.deleteSavedModel,
      failure: "Could not delete the saved model",
      run: async (arg) => {
        const record = await runOf(arg, "Delete the saved model of which run?");
        if (!record?.savedModel) return;
        const size = `${(record.savedModel.bytes / 1e6).toFixed(1)} MB`;
        const confirmed = await vscode.window.showWarningMessage(
          `Delete the trained model of the ${record.model} run (${size})? The run's record stays; the weights cannot be recovered.`,
          { modal: true },
          "Delete",
        );
        if (confirmed !== "Delete") return;
        const updated = await lab.store.deleteSavedModel(record.id);
        if (updated) lab.runs.upsert(updated);
      },
    }),
  ];
}

/** e.g. "tinycnn-20261202-154249": the model and when its run started, so exports never collide. */
function exportFolderName(record: RunRecord): string {
  return `${record.model.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${record.id.slice(0, 15)}`;
}

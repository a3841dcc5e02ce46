// What the comparison panel can ask of runs: stop, rerun, delete, open or diff their source, and
// read a test image of their dataset.
import * as vscode from "vscode";
import { basename } from "node:path";
import { datasetSpecIn, loadTestImage } from "../../engine/datasets";
import type { RunStore } from "../../engine/runs/store";
import { Commands, RUN_SOURCE_SCHEME } from "../constants";
import type { RunActions, RunsModel } from "../contracts";
import { topLevelSymbols } from "../codelens/symbols";
import { openLayerLocation } from "../editor/openLocation";
import type { JobManager } from "../jobs/jobManager";
import type { Predictor } from "../predict/predictor";
import type { ArchlabSettings } from "../settings";
import type { WorkspaceRuns } from "./runsModel";

/** What run actions use of the workspace's ArchLab. */
export interface RunActionsHost {
  readonly root: string;
  readonly log: { warn(message: string): void };
  readonly runs: Pick<WorkspaceRuns, "get" | "fileOf" | "remove" | "upsert">;
  readonly store: Pick<RunStore, "delete" | "annotate">;
  readonly jobs: Pick<JobManager, "stopRun">;
  readonly predictor: Pick<Predictor, "predict">;
  settings(): Pick<ArchlabSettings, "fashionMnistDir">;
}

export function createRunActions(lab: RunActionsHost): RunActions {
  return {
    stop: (runId) => lab.jobs.stopRun(runId),
    rerun: async (runId) => {
      await vscode.commands.executeCommand(Commands.rerun, runId);
    },
    delete: (runIds) => confirmAndDeleteRuns(lab, runIds),
    annotate: async (runId, change) => {
      const saved = await lab.store.annotate(runId, change);
      if (!saved) throw new Error("its record is not in the runs folder (deleted, or not written yet)");
      // A running run's record in memory is ahead of the one on disk: only the annotations change.
      const current = lab.runs.get(runId) ?? saved;
      lab.runs.upsert({ ...current, annotations: saved.annotations });
    },
    exportModel: async (runId) => {
      await vscode.commands.executeCommand(Commands.exportModel, runId);
    },
    continueTraining: async (runId) => {
      await vscode.commands.executeCommand(Commands.continueTraining, runId);
    },
    deleteSavedModel: async (runId) => {
      await vscode.commands.executeCommand(Commands.deleteSavedModel, runId);
    },
    openSource: async (runId) => {
      const record = lab.runs.get(runId);
      if (!record) return;
      const uri = vscode.Uri.file(lab.runs.fileOf(record));
      const symbol = (await topLevelSymbols(uri).catch(() => [])).find((s) => s.name === record.model);
      const position = new vscode.Position(symbol?.line ?? 0, 0);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
    },
    openLayer: async (runId, layerName) => {
      const record = lab.runs.get(runId);
      const location = record?.summary?.layers.find((l) => l.name === layerName)?.location;
      if (!record || !location) throw new Error(`No source line is recorded for ${layerName}.`);
      await openLayerLocation(location, lab.runs.fileOf(record));
    },
    diffSources: async (leftRunId, rightRunId) => {
      const left = lab.runs.get(leftRunId);
      const right = lab.runs.get(rightRunId);
      if (!left || !right) return;
      await vscode.commands.executeCommand(
        "vscode.diff",
        runSourceUri(left),
        runSourceUri(right),
        `${left.model} ↔ ${right.model} (run sources)`,
      );
    },
    predict: (runIds, pixels) =>
      lab.predictor.predict(
        runIds.map((id) => lab.runs.get(id)).filter((r) => r !== undefined),
        pixels,
      ),
    testImage: async (runId, index) => {
      const record = lab.runs.get(runId);
      if (!record) return undefined;
      // Folder datasets are named as the trainer saw them, relative to the workspace.
      const dataset = datasetSpecIn(record.config.dataset, lab.root);
      const image = await loadTestImage(dataset, index, { fashionMnistDir: lab.settings().fashionMnistDir }).catch(
        (err: unknown) => {
          lab.log.warn(`Test image ${index} of ${record.config.dataset}: ${(err as Error).message}`);
          return undefined;
        },
      );
      return image && { width: image.width, height: image.height, pixels: Array.from(image.pixels) };
    },
  };
}

/** Deletes runs that are not training, once the user has confirmed. */
async function deleteRuns(lab: RunActionsHost, runIds: string[]): Promise<void> {
  const records = runIds.map((id) => lab.runs.get(id)).filter((r) => r !== undefined);
  const running = records.filter((r) => r.status === "running");
  if (running.length) {
    void vscode.window.showWarningMessage(`ArchLab: stop ${running.map((r) => r.model).join(", ")} before deleting.`);
    return;
  }
  for (const record of records) {
    await lab.store.delete(record.id);
    lab.runs.remove(record.id);
  }
}

/** The one confirmation before runs are deleted, for the command and the panel alike. */
async function confirmAndDeleteRuns(lab: RunActionsHost, runIds: string[]): Promise<void> {
  const records = runIds.map((id) => lab.runs.get(id)).filter((r) => r !== undefined);
  if (!records.length) return;
  const what = records.length === 1 ? `the ${records[0].model} run` : `${records.length} runs`;
  const confirmed = await vscode.window.showWarningMessage(
    `Delete ${what}? Its record and trained model cannot be recovered.`,
    { modal: true },
    "Delete",
  );
  if (confirmed === "Delete") await deleteRuns(lab, runIds);
}

function runSourceUri(record: { id: string; file: string }): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SOURCE_SCHEME, path: `/${record.id}/${basename(record.file)}` });
}

/** Serves the source snapshot of a run as a read-only document (for diffs). */
export function registerRunSources(runs: Pick<RunsModel, "get">): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(RUN_SOURCE_SCHEME, {
    provideTextDocumentContent: (uri) => runs.get(uri.path.split("/")[1])?.source.text ?? "",
  });
}

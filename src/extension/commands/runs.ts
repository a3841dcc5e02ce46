// Stop Run, Stop All, Delete Run, Export Results.
import * as vscode from "vscode";
import type { RunRecord } from "../../engine/types";
import { Commands } from "../constants";
import type { JobManager } from "../jobs/jobManager";
import { exportTable } from "../panel/exports";
import { registerCommand } from "./register";
import { isModelTarget, pickRun } from "./targets";

/** What the run commands use of the workspace's ArchLab. */
export interface RunCommandsHost {
  readonly log: vscode.LogOutputChannel;
  readonly jobs: Pick<JobManager, "list" | "activeJobFor" | "stopRun" | "stopJob" | "stopAll">;
  readonly runs: { list(): RunRecord[] };
}

export function registerRunCommands(
  lab: RunCommandsHost,
  deleteRuns: (ids: string[]) => Promise<void>,
): vscode.Disposable[] {
  const { jobs } = lab;
  return [
    registerCommand(lab.log, {
      id: Commands.stopRun,
      failure: "Could not stop the run",
      run: async (arg) => {
        if (typeof arg === "string") return jobs.stopRun(arg);
        if (isModelTarget(arg)) {
          const job = jobs.activeJobFor(arg.file, arg.model);
          return job && jobs.stopJob(job.id);
        }
        const active = jobs.list();
        if (!active.length) return void vscode.window.showInformationMessage("ArchLab: nothing is training.");
        const picked = await vscode.window.showQuickPick(
          active.map((j) => ({ label: j.request.label, description: j.state, id: j.id })),
          { title: "Stop which job?" },
        );
        if (picked) jobs.stopJob(picked.id);
      },
    }),
    registerCommand(lab.log, { id: Commands.stopAll, failure: "Could not stop the jobs", run: () => jobs.stopAll() }),
    registerCommand(lab.log, {
      id: Commands.deleteRun,
      failure: "Could not delete the run",
      run: async (arg) => {
        const ids = Array.isArray(arg) ? arg.filter((x): x is string => typeof x === "string") : [];
        if (typeof arg === "string") ids.push(arg);
        if (!ids.length) {
          const picked = await pickRun(lab.runs, "Delete which run?");
          if (!picked) return;
          ids.push(picked);
        }
        await deleteRuns(ids);
      },
    }),
    registerCommand(lab.log, {
      id: Commands.exportResults,
      failure: "Export failed",
      run: async (arg) => {
        const ids = Array.isArray(arg) ? new Set(arg) : undefined;
        const records = lab.runs.list().filter((r) => r.status === "completed" && (!ids || ids.has(r.id)));
        if (!records.length)
          return void vscode.window.showInformationMessage("ArchLab: no completed runs to export yet.");
        const format = await vscode.window.showQuickPick(
          [
            { label: "Markdown", format: "markdown" as const },
            { label: "CSV", format: "csv" as const },
          ],
          { title: "Export the results table as" },
        );
        if (!format) return;
        const saved = await exportTable(records, format.format);
        if (saved)
          void vscode.window.showInformationMessage(
            `ArchLab: exported ${records.length} runs to ${vscode.workspace.asRelativePath(saved)}.`,
          );
      },
    }),
  ];
}

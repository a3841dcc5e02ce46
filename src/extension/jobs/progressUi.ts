// A cancellable progress notification per running job, and a status bar item counting jobs.
import * as vscode from "vscode";
import { Commands } from "../constants";
import type { Job, JobManager } from "./jobManager";
import { describeProgress, runFraction } from "./progress";

export function showJobProgress(jobs: JobManager): vscode.Disposable {
  const shown = new Map<number, (job: Job) => void>();
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = Commands.openComparisonPanel;

  const updateStatus = (): void => {
    const all = jobs.list();
    const running = all.filter((j) => j.state === "running" || j.state === "stopping").length;
    const queued = all.filter((j) => j.state === "queued").length;
    if (!running && !queued) return status.hide();
    status.text = `$(beaker~spin) ArchLab: ${running} training${queued ? `, ${queued} queued` : ""}`;
    status.tooltip = "Open the ArchLab comparison panel";
    status.show();
  };

  const track = (job: Job): void => {
    // A sweep's trials have the sweep's notification; the status bar still counts them.
    if (shown.has(job.id) || job.state !== "running" || job.request.trial) return;
    shown.set(job.id, () => undefined);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "ArchLab", cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => jobs.stopJob(job.id));
        progress.report({ message: `${job.request.label}: starting...` });
        let reported = 0;
        shown.set(job.id, (changed) => {
          if (changed.state === "stopping")
            return progress.report({ message: `${changed.request.label}: stopping...` });
          if (!changed.progress || changed.progress.batchesPerEpoch === 0) return;
          // withProgress takes increments; the engine reports positions.
          const percent = Math.round(runFraction(changed.progress) * 100);
          progress.report({ message: describeProgress(changed.progress), increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        });
        return job.done;
      },
    );
  };

  const listener = jobs.subscribe({
    jobChanged: (job) => {
      track(job);
      shown.get(job.id)?.(job);
      if (job.state === "done") shown.delete(job.id);
      updateStatus();
    },
  });
  return vscode.Disposable.from(status, listener);
}

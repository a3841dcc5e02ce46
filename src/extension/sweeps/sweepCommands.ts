// Sweep Model (the CodeLens above an architecture with a sweep spec), Stop Sweep and Resume Sweep,
// with one notification per running sweep: trials done, running and pruned, the best so far, and
// Cancel to stop the sweep.
import * as vscode from "vscode";
import type { SweepStore } from "../../engine/sweep/store";
import type { SweepRecord } from "../../engine/sweep/types";
import { Commands } from "../constants";
import { registerCommand } from "../commands/register";
import { isModelTarget, modelTargetOf } from "../commands/targets";
import type { Inspector } from "../inspect/inspector";
import type { SweepSession, SweepSessions } from "./sweepSessions";
import { describeSweepEnd, describeSweepProgress } from "./sweepText";

export interface SweepCommandsHost {
  readonly log: vscode.LogOutputChannel;
  readonly sweeps: SweepSessions;
  readonly sweepStore: Pick<SweepStore, "list">;
  readonly inspector: Pick<Inspector, "inspect">;
}

const OPEN_PANEL = "Open Comparison Panel";

export function registerSweepCommands(lab: SweepCommandsHost): vscode.Disposable[] {
  const { sweeps } = lab;
  const follow = (start: () => Promise<SweepSession>, what: string) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ArchLab: sweep of ${what}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: "planning the trials..." });
        const session = await start();
        token.onCancellationRequested(() => session.stop());
        let reported = 0;
        const update = () => {
          const { sweep } = session;
          const finished = sweep.trials.filter((t) => ["completed", "pruned", "failed"].includes(t.status)).length;
          const percent = Math.round((finished / Math.max(1, sweep.trials.length)) * 100);
          progress.report({
            message: `${describeSweepProgress(sweep)}${session.ranOn === "local" ? "" : ` · on ${session.ranOn}`}`,
            increment: percent - reported,
          });
          reported = percent;
        };
        const listener = sweeps.onDidChange((changed) => changed === session && update());
        update();
        try {
          return await session.done;
        } finally {
          listener.dispose();
        }
      },
    );

  const announce = async (done: Thenable<SweepRecord>) => {
    const sweep = await done;
    lab.log.info(describeSweepEnd(sweep));
    const show = sweep.status === "completed" ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const choice = await show(`ArchLab: ${describeSweepEnd(sweep)}`, OPEN_PANEL);
    if (choice === OPEN_PANEL) await vscode.commands.executeCommand(Commands.openComparisonPanel);
  };

  return [
    registerCommand(lab.log, {
      id: Commands.sweepModel,
      failure: "Could not run the sweep",
      needsTrust: true,
      run: async (arg) => {
        const target = await modelTargetOf(
          arg,
          (file) => pickSweepable(lab.inspector, file),
          "a model file with a sweep spec",
        );
        if (!target) return;
        const { model } = target;
        if (sweeps.activeFor(target.file, model))
          return void vscode.window.showInformationMessage(`ArchLab: a sweep of ${model} is already running.`);
        await announce(follow(() => sweeps.start({ file: target.file, model }), model));
      },
    }),
    registerCommand(lab.log, {
      id: Commands.stopSweep,
      failure: "Could not stop the sweep",
      run: async (arg) => {
        if (isModelTarget(arg)) return sweeps.activeFor(arg.file, arg.model)?.stop();
        const running = sweeps.list();
        if (!running.length) return void vscode.window.showInformationMessage("ArchLab: no sweep is running.");
        const picked = await vscode.window.showQuickPick(
          running.map((s) => ({ label: s.sweep.model, description: describeSweepProgress(s.sweep), session: s })),
          { title: "Stop which sweep?" },
        );
        picked?.session.stop();
      },
    }),
    registerCommand(lab.log, {
      id: Commands.resumeSweep,
      failure: "Could not resume the sweep",
      needsTrust: true,
      run: async (arg) => {
        const id = typeof arg === "string" ? arg : await pickUnfinished(lab);
        if (!id) return;
        await announce(follow(() => sweeps.resume(id), id));
      },
    }),
  ];
}

async function pickSweepable(inspector: Pick<Inspector, "inspect">, file: string): Promise<string | undefined> {
  const inspection = await inspector.inspect(file);
  if (inspection.error) throw inspection.error;
  const names = inspection.report?.models.filter((m) => m.sweepable).map((m) => m.name) ?? [];
  if (!names.length)
    throw new Error(`${vscode.workspace.asRelativePath(file)} has no architecture that takes hp with a sweep spec.`);
  if (names.length === 1) return names[0];
  return (await vscode.window.showQuickPick(names, { title: "Sweep which architecture?" })) ?? undefined;
}

/** Sweeps that did not finish and are not running in this window. */
async function pickUnfinished(lab: SweepCommandsHost): Promise<string | undefined> {
  const running = new Set(lab.sweeps.list().map((s) => s.sweep.id));
  const unfinished = (await lab.sweepStore.list()).filter((s) => s.status !== "completed" && !running.has(s.id));
  if (!unfinished.length) return void vscode.window.showInformationMessage("ArchLab: every sweep has finished.");
  const picked = await vscode.window.showQuickPick(
    unfinished.map((s) => ({
      label: s.model,
      description: `${s.status} · ${describeSweepProgress(s)}`,
      detail: s.id,
      id: s.id,
    })),
    { title: "Resume which sweep?" },
  );
  return picked?.id;
}

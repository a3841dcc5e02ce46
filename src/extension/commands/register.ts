// Every ArchLab command is registered through here, so every command reports a failure the same
// way: a notification naming what could not be done, the details in the log.
import * as vscode from "vscode";
import { showError } from "../notify";
import { requireTrust } from "./targets";

export interface CommandSpec {
  id: string;
  /** What failed, as the notification starts: "Could not start training". */
  failure: string;
  /** Model files are code: commands that inspect or train them ask for workspace trust first. */
  needsTrust?: boolean;
  run(arg: unknown): unknown;
}

export function registerCommand(log: vscode.LogOutputChannel, spec: CommandSpec): vscode.Disposable {
  return vscode.commands.registerCommand(spec.id, async (arg: unknown) => {
    try {
      if (spec.needsTrust && !(await requireTrust())) return;
      await spec.run(arg);
    } catch (err) {
      // Not awaited: the command is done; the notification stays until the user closes it.
      void showError(log, spec.failure, err);
    }
  });
}

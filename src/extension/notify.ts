// The one way errors reach the user: a notification with the gist, the details in the log.
import * as vscode from "vscode";
import { ChildProcessError } from "../shared/child-error";

const SHOW_LOG = "Show Log";

export async function showError(log: vscode.LogOutputChannel, context: string, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${context}: ${message}`);
  if (err instanceof ChildProcessError && err.stderr) log.error(err.stderr);
  const choice = await vscode.window.showErrorMessage(`ArchLab: ${context}: ${message}`, SHOW_LOG);
  if (choice === SHOW_LOG) log.show(true);
}

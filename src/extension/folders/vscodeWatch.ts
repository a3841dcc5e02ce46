// VS Code's file watcher behind folderWatch's Watch: one non-recursive pattern in one folder.
import * as vscode from "vscode";
import type { Watch } from "./folderWatch";

export const vscodeWatch: Watch = (base, pattern, listener) => {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern));
  const report = (uri: vscode.Uri) => listener(uri.fsPath);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(report),
    watcher.onDidChange(report),
    watcher.onDidDelete(report),
  );
};

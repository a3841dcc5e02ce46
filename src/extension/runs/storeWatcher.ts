// Keeps the runs model in step with the store folder: records written by trainer children, by the
// CLI in a terminal or by another window appear without a reload.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RunStore } from '../../engine/runs/store';
import type { WorkspaceRuns } from './runsModel';

export function watchStore(store: RunStore, runs: WorkspaceRuns): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(store.runsDir), '*.json'));
  const pending = new Map<string, NodeJS.Timeout>();
  // store.get reports an unreadable record as absent; it does not throw.
  const reread = async (id: string): Promise<void> => {
    const record = await store.get(id);
    if (record) runs.upsert(record);
    else runs.remove(id);
  };
  // A trainer rewrites its record every epoch; coalesce bursts into one read per record.
  const refresh = (uri: vscode.Uri): void => {
    const id = basename(uri.fsPath, '.json');
    if (id.startsWith('.')) return;
    clearTimeout(pending.get(id));
    pending.set(
      id,
      setTimeout(() => {
        pending.delete(id);
        void reread(id);
      }, 200),
    );
  };
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidChange(refresh),
    watcher.onDidDelete(refresh),
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
  );
}

// Keeps the runs model in step with the store folder: records written by trainer children, by the
// CLI in a terminal or by another window appear without a reload, also when the folder did not
// exist yet when the window opened (the first run of a workspace creates .archlab/runs).
import * as vscode from "vscode";
import { basename } from "node:path";
import type { RunStore } from "../../engine/runs/store";
import { watchFolder } from "../folders/folderWatch";
import { vscodeWatch } from "../folders/vscodeWatch";
import type { WorkspaceRuns } from "./runsModel";

export function watchStore(store: RunStore, runs: WorkspaceRuns, onError: (err: unknown) => void): vscode.Disposable {
  const pending = new Map<string, NodeJS.Timeout>();
  // store.get reports an unreadable record as absent; it does not throw.
  const reread = async (id: string): Promise<void> => {
    const record = await store.get(id);
    if (record) runs.upsert(record);
    else runs.remove(id);
  };
  // A trainer rewrites its record every epoch; coalesce bursts into one read per record.
  const refresh = (file: string): void => {
    const id = basename(file, ".json");
    if (id.startsWith(".")) return;
    clearTimeout(pending.get(id));
    pending.set(
      id,
      setTimeout(() => {
        pending.delete(id);
        void reread(id);
      }, 200),
    );
  };
  // Records written before the folder's own watcher started are read once, as they are.
  const readAll = (): void => {
    store.list().then(({ records }) => records.forEach((record) => runs.upsert(record)), onError);
  };
  return vscode.Disposable.from(watchFolder(store.runsDir, vscodeWatch, { record: refresh, appeared: readAll }), {
    dispose: () => pending.forEach((t) => clearTimeout(t)),
  });
}

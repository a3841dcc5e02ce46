// The workspace's sweep records for the panel: read from .archlab/sweeps (written by this window,
// the CLI or another window), with this window's running sweeps as they stand in memory.
import * as vscode from "vscode";
import type { SweepStore } from "../../engine/sweep/store";
import type { SweepRecord } from "../../engine/sweep/types";
import { Commands } from "../constants";
import type { SweepsModel } from "../contracts";
import { watchFolder } from "../folders/folderWatch";
import { vscodeWatch } from "../folders/vscodeWatch";
import type { SweepSessions } from "./sweepSessions";

// A sweep rewrites its record as each trial starts and ends: one read per burst.
const REREAD_DELAY_MS = 200;

export class WorkspaceSweeps implements SweepsModel, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private stored: SweepRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly store: Pick<SweepStore, "dir" | "list">,
    private readonly sessions: Pick<SweepSessions, "list" | "onDidChange">,
    private readonly onError: (err: unknown) => void,
  ) {
    const soon = () => this.rereadSoon();
    // The first sweep of a workspace creates the folder: watchFolder follows it until then.
    const folder = watchFolder(store.dir, vscodeWatch, { record: soon, appeared: soon });
    this.disposables = [this.changed, folder, sessions.onDidChange(soon)];
    this.rereadSoon();
  }

  /** Newest first; a running sweep of this window as it is now. */
  list(): SweepRecord[] {
    const live = new Map(this.sessions.list().map((s) => [s.sweep.id, s.sweep]));
    const records = this.stored.map((s) => live.get(s.id) ?? s);
    for (const [id, sweep] of live) if (!records.some((r) => r.id === id)) records.unshift(sweep);
    return records;
  }

  async resume(id: string): Promise<void> {
    await vscode.commands.executeCommand(Commands.resumeSweep, id);
  }

  private rereadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.store.list().then(
        (records) => {
          this.stored = records;
          this.changed.fire();
        },
        (err: unknown) => this.onError(err),
      );
    }, REREAD_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

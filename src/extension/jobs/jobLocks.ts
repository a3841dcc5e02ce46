// Pid files of live jobs (<root>/.archlab/jobs/<runId>.pid). A record left `running` whose child
// is gone (the window was reloaded, the machine slept and VS Code was killed) is `interrupted`.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { interruptedRecord, WINDOW_CLOSED } from "../../engine/runs/interrupted";
import { isAlive } from "../../engine/processes";
import type { RunRecord } from "../../engine/types";

export class JobLocks {
  constructor(readonly folder: string) {}

  async acquire(runId: string, pid: number): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFile(this.file(runId), String(pid));
  }

  async release(runId: string): Promise<void> {
    await rm(this.file(runId), { force: true });
  }

  /** Pid of the child training `runId`, when it is still alive. */
  async livePid(runId: string): Promise<number | undefined> {
    const pid = Number(await readFile(this.file(runId), "utf8").catch(() => ""));
    return pid > 0 && isAlive(pid) ? pid : undefined;
  }

  /**
   * Marks `running` records of jobs started by this extension whose child no longer lives as
   * interrupted. Records without a pid file (a CLI run in a terminal) are left alone.
   */
  async sweep(records: RunRecord[], save: (record: RunRecord) => Promise<void>): Promise<RunRecord[]> {
    const known = new Set((await readdir(this.folder).catch(() => [] as string[])).map((f) => f.replace(/\.pid$/, "")));
    const running = new Set(records.filter((r) => r.status === "running").map((r) => r.id));
    // Pid files of runs that ended while no window was watching are of no more use.
    for (const id of known) if (!running.has(id)) await this.release(id);
    const swept: RunRecord[] = [];
    for (const record of records) {
      if (record.status !== "running" || !known.has(record.id) || (await this.livePid(record.id))) continue;
      const interrupted = interruptedRecord(record, WINDOW_CLOSED);
      await save(interrupted);
      await this.release(record.id);
      swept.push(interrupted);
    }
    return swept;
  }

  private file(runId: string): string {
    return join(this.folder, `${runId}.pid`);
  }
}

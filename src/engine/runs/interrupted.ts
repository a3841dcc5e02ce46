// A run whose process went away before it could finish its record: every epoch it recorded stays,
// the status says it did not end on its own.
import type { RunRecord } from "../types";
import { ownerGone } from "./owner";
import type { RunStore } from "./store";

/** Why a run of the extension is interrupted: its trainer lost its window. */
export const WINDOW_CLOSED = "The VS Code window was closed or reloaded during the run.";

export function interruptedRecord(record: RunRecord, reason: string, now = new Date()): RunRecord {
  return {
    ...record,
    status: "interrupted",
    finishedAt: record.finishedAt ?? now.toISOString(),
    error: { message: reason },
  };
}

/** The record as interrupted when it is `running` but its owner is gone; else undefined. */
export function orphanedRecord(record: RunRecord, now = new Date()): RunRecord | undefined {
  if (record.status !== "running") return undefined;
  const gone = ownerGone(record.owner, now.getTime());
  if (!gone) return undefined;
  const last = record.owner?.heartbeatAt;
  return interruptedRecord(record, `The run did not finish: ${gone}.`, last ? new Date(last) : now);
}

/**
 * Marks every `running` record of the store whose owner is gone as interrupted (killed with
 * SIGKILL, crashed, a full disk) and returns them. A record that cannot be rewritten stays as it is.
 */
export async function closeOrphanedRuns(store: RunStore, records?: RunRecord[]): Promise<RunRecord[]> {
  const repaired: RunRecord[] = [];
  for (const record of records ?? (await store.list()).records) {
    const orphan = orphanedRecord(record);
    if (!orphan) continue;
    try {
      await store.save(orphan);
      repaired.push(orphan);
    } catch {
      // Read-only or full: the next reader tries again.
    }
  }
  return repaired;
}

/**
 * What became of runs a reader last saw `running` (a window's view, which may have missed writes):
 * the ones that ended since, as stored, and the ones whose owner is gone, marked interrupted. Only
 * the stored record decides, so a run that completed while its last write went unseen stays completed.
 */
export async function recheckRunning(store: RunStore, seen: RunRecord[]): Promise<RunRecord[]> {
  const stored = (await Promise.all(seen.map((record) => store.get(record.id)))).filter(
    (record) => record !== undefined,
  );
  const ended = stored.filter((record) => record.status !== "running");
  return [...ended, ...(await closeOrphanedRuns(store, stored))];
}

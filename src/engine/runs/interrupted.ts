// A run whose process went away before it could finish its record: every epoch it recorded stays,
// the status says it did not end on its own.
import type { RunRecord } from '../types';
import { ownerGone } from './owner';
import type { RunStore } from './store';

/** Why a run of the extension is interrupted: its trainer lost its window. */
export const WINDOW_CLOSED = 'The VS Code window was closed or reloaded during the run.';

export function interruptedRecord(record: RunRecord, reason: string, now = new Date()): RunRecord {
  return { ...record, status: 'interrupted', finishedAt: record.finishedAt ?? now.toISOString(), error: { message: reason } };
}

/** The record as interrupted when it is `running` but its owner is gone; else undefined. */
export function orphanedRecord(record: RunRecord, now = new Date()): RunRecord | undefined {
  if (record.status !== 'running') return undefined;
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

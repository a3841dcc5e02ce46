// A run whose process went away before it could finish its record: every epoch it recorded stays,
// the status says it did not end on its own.
import type { RunRecord } from '../types';

/** Why a run of the extension is interrupted: its trainer lost its window. */
export const WINDOW_CLOSED = 'The VS Code window was closed or reloaded during the run.';

export function interruptedRecord(record: RunRecord, reason: string, now = new Date()): RunRecord {
  return { ...record, status: 'interrupted', finishedAt: record.finishedAt ?? now.toISOString(), error: { message: reason } };
}

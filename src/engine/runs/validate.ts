// Checks that parsed JSON is a run record this version can use. Deliberately shallow: the fields
// every reader relies on are checked, the rest is trusted (records are written by ArchLab itself).
import { RUN_SCHEMA_VERSION, RUN_STATUSES, type RunRecord, type RunStatus } from '../types';

/** The record, or why it is not usable. */
export function checkRecord(data: unknown): RunRecord | string {
  if (!isObject(data)) return 'not a run record (expected a JSON object)';
  const version = data.schemaVersion;
  if (version === undefined) return 'not a run record (no schemaVersion)';
  if (version !== RUN_SCHEMA_VERSION) {
    return `unknown schema version ${JSON.stringify(version)} (this ArchLab reads version ${RUN_SCHEMA_VERSION}; was it written by a newer ArchLab?)`;
  }
  for (const key of ['id', 'model', 'file', 'startedAt'] as const) {
    if (typeof data[key] !== 'string') return `missing or invalid "${key}"`;
  }
  if (!RUN_STATUSES.includes(data.status as RunStatus)) return `unknown status ${JSON.stringify(data.status)}`;
  if (!Array.isArray(data.epochs)) return 'missing or invalid "epochs"';
  if (!isObject(data.config) || !isObject(data.backend) || !isObject(data.source)) {
    return 'missing config, backend or source';
  }
  return data as unknown as RunRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

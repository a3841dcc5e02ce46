// Checks that parsed JSON is a run record this version can use. Deliberately shallow: the fields
// every reader relies on are checked, the rest is trusted (records are written by ArchLab itself),
// except what people type (annotations), whose every field is checked.
import {
  ANNOTATION_LIMITS,
  RUN_SCHEMA_VERSION,
  RUN_STATUSES,
  type RunAnnotations,
  type RunRecord,
  type RunStatus,
} from "../types";

/** Versions this ArchLab reads; older ones are upgraded on reading. */
const READABLE_VERSIONS: unknown[] = [1, RUN_SCHEMA_VERSION];

/** The record, or why it is not usable. */
export function checkRecord(data: unknown): RunRecord | string {
  if (!isObject(data)) return "not a run record (expected a JSON object)";
  const version = data.schemaVersion;
  if (version === undefined) return "not a run record (no schemaVersion)";
  if (!READABLE_VERSIONS.includes(version)) {
    return `unknown schema version ${JSON.stringify(version)} (this ArchLab reads version ${RUN_SCHEMA_VERSION}; was it written by a newer ArchLab?)`;
  }
  for (const key of ["id", "model", "file", "startedAt"] as const) {
    if (typeof data[key] !== "string") return `missing or invalid "${key}"`;
  }
  if (!RUN_STATUSES.includes(data.status as RunStatus)) return `unknown status ${JSON.stringify(data.status)}`;
  if (!Array.isArray(data.epochs)) return 'missing or invalid "epochs"';
  if (!isObject(data.config) || !isObject(data.backend) || !isObject(data.source)) {
    return "missing config, backend or source";
  }
  if (data.annotations !== undefined) {
    const problem = annotationsProblem(data.annotations);
    if (problem) return `invalid "annotations": ${problem}`;
  }
  // Version 1 had no annotations: the same record is a version 2 record.
  return { ...data, schemaVersion: RUN_SCHEMA_VERSION } as unknown as RunRecord;
}

/** What is wrong with annotations, or undefined when they are usable. */
export function annotationsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "expected an object";
  const { name, note, starred } = value as Record<keyof RunAnnotations, unknown>;
  if (name !== undefined && (typeof name !== "string" || name.length > ANNOTATION_LIMITS.name))
    return `"name" must be text of at most ${ANNOTATION_LIMITS.name} characters`;
  if (note !== undefined && (typeof note !== "string" || note.length > ANNOTATION_LIMITS.note))
    return `"note" must be text of at most ${ANNOTATION_LIMITS.note} characters`;
  if (starred !== undefined && typeof starred !== "boolean") return '"starred" must be true or false';
  return undefined;
}

/** Applies a change to annotations: a field set to '' or false is removed, absent fields stay. */
export function mergeAnnotations(current: RunAnnotations | undefined, change: RunAnnotations): RunAnnotations {
  const next: RunAnnotations = { ...current };
  if (change.name !== undefined) next.name = change.name.trim() || undefined;
  if (change.note !== undefined) next.note = change.note.trimEnd() || undefined;
  if (change.starred !== undefined) next.starred = change.starred || undefined;
  for (const key of Object.keys(next) as (keyof RunAnnotations)[]) if (next[key] === undefined) delete next[key];
  return next;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Which runs the table shows, in which order.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { COLUMN_BY_KEY, type ColumnKey } from "./columns";

export interface RowFilters {
  /** Matches the model, the file name, the run's own name or its note, case-insensitive. */
  text: string;
  /** A RunStatus, or '' for every status. */
  status: string;
  /** Only starred runs. */
  starred: boolean;
}

const includes = (text: string | undefined, needle: string) =>
  text !== undefined && text.toLowerCase().includes(needle);

export function filterRuns(runs: Iterable<PanelRun>, filters: RowFilters): PanelRun[] {
  const needle = filters.text.trim().toLowerCase();
  const result: PanelRun[] = [];
  for (const run of runs) {
    if (filters.status && run.status !== filters.status) continue;
    if (filters.starred && !run.annotations?.starred) continue;
    const { name, note } = run.annotations ?? {};
    if (
      needle &&
      !includes(run.model, needle) &&
      !includes(run.file, needle) &&
      !includes(name, needle) &&
      !includes(note, needle)
    )
      continue;
    result.push(run);
  }
  return result;
}

/** Sorts in place; runs without a value (e.g. no accuracy yet) go last in either direction. */
export function sortRuns(runs: PanelRun[], key: string, descending: boolean): PanelRun[] {
  const column = COLUMN_BY_KEY.get(key as ColumnKey) ?? COLUMN_BY_KEY.get("started")!;
  const keyed = runs.map((run) => ({ run, value: column.sortValue(run) }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      return a.value === b.value ? tieBreak(a.run, b.run) : a.value === undefined ? 1 : -1;
    }
    const order = a.value < b.value ? -1 : a.value > b.value ? 1 : tieBreak(a.run, b.run);
    return descending ? -order : order;
  });
  keyed.forEach((k, i) => (runs[i] = k.run));
  return runs;
}

function tieBreak(a: PanelRun, b: PanelRun): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// The table's rows in order: the sorted runs, or with grouping, each group's header followed by
// its runs unless it is folded.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { groupRuns, type GroupBy, type RunGroup } from "../groups/grouping";
import type { TableItem } from "./runsTable";

export function tableItems(
  rows: readonly PanelRun[],
  groupBy: GroupBy,
  folded: ReadonlySet<string>,
  colorOf: (groupKey: string) => string | undefined,
): { items: TableItem[]; groups: RunGroup[] } {
  if (groupBy === "none") return { items: rows.map((run) => ({ kind: "run", run, grouped: false })), groups: [] };
  const groups = groupRuns(rows, groupBy);
  const items: TableItem[] = [];
  for (const group of groups) {
    const isFolded = folded.has(group.key);
    items.push({ kind: "group", group, folded: isFolded, color: colorOf(group.key) });
    if (!isFolded) for (const run of group.runs) items.push({ kind: "run", run, grouped: true });
  }
  return { items, groups };
}

// A group's header row in the runs table: fold toggle, colour, label, and the group's mean and
// spread under the columns they summarise.
import type { RunGroup, Spread } from "../groups/grouping";
import { el } from "../dom";
import { formatInt, formatLoss, formatSeconds, formatStarted } from "../format";
import type { ColumnKey } from "./columns";
import { COLUMNS } from "./columns";

export interface GroupItem {
  kind: "group";
  group: RunGroup;
  folded: boolean;
  color?: string;
}

const plusMinus = (s: Spread, format: (v: number) => string, formatSd = format) =>
  s.n > 1 ? `${format(s.mean)} ± ${formatSd(s.sd)}` : format(s.mean);

function statusCounts(group: RunGroup): string {
  const counts = new Map<string, number>();
  for (const run of group.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
}

function paramsText(group: RunGroup): string {
  const sizes = group.runs.map((r) => r.summary?.params.total).filter((p): p is number => p !== undefined);
  if (!sizes.length) return "";
  const [min, max] = [Math.min(...sizes), Math.max(...sizes)];
  return min === max ? formatInt(min) : `${formatInt(min)}–${formatInt(max)}`;
}

export function groupCellText(key: ColumnKey, group: RunGroup): string {
  switch (key) {
    case "params":
      return paramsText(group);
    case "testAccuracy":
      return group.accuracy
        ? plusMinus(
            group.accuracy,
            (v) => `${(v * 100).toFixed(2)}%`,
            (v) => (v * 100).toFixed(2),
          )
        : "";
    case "testLoss":
      return group.loss ? plusMinus(group.loss, formatLoss) : "";
    case "learningTime":
      return group.learningTime ? `${formatSeconds(group.learningTime.mean)} avg` : "";
    case "status":
      return statusCounts(group);
    case "started":
      return formatStarted(group.runs.reduce((latest, r) => (r.startedAt > latest ? r.startedAt : latest), ""));
    default:
      return "";
  }
}

export function groupRow(item: GroupItem, checked: "all" | "some" | "none"): HTMLTableRowElement {
  const { group, folded } = item;
  const count = `${group.runs.length} run${group.runs.length === 1 ? "" : "s"}`;
  const box = el("input", {
    attrs: { type: "checkbox", tabindex: "-1", "aria-label": `Select the ${count} of ${group.label}` },
  });
  box.checked = checked === "all";
  box.indeterminate = checked === "some";
  const fold = el(
    "button",
    {
      className: "fold",
      attrs: { type: "button", tabindex: "-1", "aria-label": `${folded ? "Unfold" : "Fold"} ${group.label}` },
    },
    folded ? "▸" : "▾",
  );
  const swatch = el("span", { className: "swatch", attrs: { "aria-hidden": "true" } });
  if (item.color) swatch.style.background = item.color;
  const tr = el(
    "tr",
    {
      className: "group-row",
      attrs: { "data-group-key": group.key, "aria-expanded": String(!folded), tabindex: "-1" },
    },
    el("td", { className: "pick" }, box),
  );
  for (const column of COLUMNS) {
    // The label is long (a file path, model names and a fingerprint): it takes the file column too.
    if (column.key === "file") continue;
    const td = el("td", { className: column.numeric ? "num" : "", attrs: { "data-column": column.key } });
    if (column.key === "model") {
      td.colSpan = 2;
      td.append(
        fold,
        swatch,
        el("span", { className: "group-label" }, group.label),
        el("span", { className: "muted" }, ` · ${count}`),
      );
      td.title = group.label;
    } else td.textContent = groupCellText(column.key, group);
    tr.appendChild(td);
  }
  return tr;
}

// A run's row in the runs table, with a progress bar in the status cell while it runs.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import type { RowProgress } from "../runs";
import { COLUMNS, displayName } from "./columns";

export interface RunItem {
  kind: "run";
  run: PanelRun;
  /** Inside a group: indented under its header. */
  grouped: boolean;
}

export interface RunRow {
  run: PanelRun;
  tr: HTMLTableRowElement;
  checkbox: HTMLInputElement;
  progress?: { bar: HTMLElement & { value?: number }; label: HTMLElement };
}

export function runRow(run: PanelRun, progress: RowProgress): RunRow {
  const checkbox = el("input", { attrs: { type: "checkbox", tabindex: "-1", "aria-label": `Select ${run.model}` } });
  const tr = el(
    "tr",
    { attrs: { "data-run-id": run.id, "data-status": run.status, tabindex: "-1" } },
    el("td", { className: "pick" }, checkbox),
  );
  const row: RunRow = { run, tr, checkbox };
  for (const column of COLUMNS) {
    const td = el("td", { className: column.numeric ? "num" : "", attrs: { "data-column": column.key } });
    if (column.key === "status") statusCell(td, row, progress);
    else if (column.key === "star") td.append(starButton(run));
    else if (column.key === "model") modelCell(td, run);
    else td.textContent = column.text(run);
    if (column.key === "note" && run.annotations?.note) td.title = run.annotations.note;
    tr.appendChild(td);
  }
  return row;
}

/** A toggle, reached with the mouse; from the keyboard, S on the row does the same. */
function starButton(run: PanelRun): HTMLElement {
  const starred = Boolean(run.annotations?.starred);
  const label = `Star ${displayName(run)}`;
  return el(
    "button",
    {
      className: "star",
      title: starred ? "Starred (S on the row to unstar)" : "Star this run (S on the row)",
      attrs: { type: "button", tabindex: "-1", "aria-pressed": String(starred), "aria-label": label },
    },
    starred ? "★" : "☆",
  );
}

/** A renamed run shows its name, and its model after it; a continued run, the epoch it went on from. */
function modelCell(td: HTMLElement, run: PanelRun): void {
  const name = run.annotations?.name;
  if (name) td.append(el("span", { className: "run-name" }, name), el("span", { className: "muted" }, ` ${run.model}`));
  else td.textContent = run.model;
  if (run.parent) td.append(el("span", { className: "muted continued-mark" }, ` ↳ from epoch ${run.parent.epochs}`));
  td.title = [
    name && `${name} (${run.model})`,
    run.parent && `Continued from run ${run.parent.id} at epoch ${run.parent.epochs}`,
    run.error?.message,
  ]
    .filter(Boolean)
    .join("\n");
}

function statusCell(td: HTMLElement, row: RunRow, progress: RowProgress): void {
  const { run } = row;
  // A pruned trial says how far it got: ASHA stopped it at a rung, below the top of the trials there.
  const text = run.status === "pruned" ? `pruned at epoch ${run.epochs.length}` : run.status;
  td.append(el("span", { className: `status status-${run.status}` }, text));
  if (run.status === "pruned")
    td.title = `Stopped after epoch ${run.epochs.length} of ${run.config.epochs}: below the top of the trials at that rung`;
  if (run.status === "failed" && run.error) td.title = run.error.message;
  if (run.status !== "running") return;
  const bar = el("vscode-progress-bar" as "div", { attrs: { max: "100", "aria-label": `${run.model} progress` } });
  const label = el("span", { className: "progress-label" });
  row.progress = { bar, label };
  setProgress(row.progress, progress);
  td.append(label, bar);
}

export function setProgress(progress: NonNullable<RunRow["progress"]>, { fraction, text }: RowProgress): void {
  const percent = Math.round(fraction * 100);
  progress.bar.value = percent;
  progress.bar.setAttribute("value", String(percent));
  progress.label.textContent = ` ${percent}% · ${text}`;
}

// Filters and actions above the table. Actions apply to the selected runs.
import { RUN_STATUSES } from "../src/engine/types";
import type { PanelRun, PanelState, WebviewToHost } from "../src/shared/webview-protocol";
import { checkbox, select } from "./controls";
import { MAX_COMPARED } from "./compare/compareRows";
import { el } from "./dom";
import { GROUP_BYS, type GroupBy } from "./groups/grouping";
import type { RowFilters } from "./table/sortFilter";

type ValueElement = HTMLElement & { value: string };
type ButtonElement = HTMLElement & { disabled: boolean };

// A Record over GroupBy: a grouping added to GROUP_BYS does not type-check until it has its label.
const GROUPING_LABELS: Record<GroupBy, string> = {
  none: "None",
  architecture: "Architecture",
  file: "File",
  sweep: "Sweep",
  dataset: "Dataset",
};
const GROUPINGS = GROUP_BYS.map((value) => ({ value, label: GROUPING_LABELS[value] }));

export interface ToolbarCallbacks {
  onFilters(filters: RowFilters): void;
  onGroupBy(by: GroupBy): void;
  /** Builds the host request for an action from the current selection and shown rows. */
  onAction(action: ToolbarAction): void;
}

export type ToolbarAction =
  | Extract<WebviewToHost["type"], "stop" | "rerun" | "delete" | "diffSources" | "openSource">
  | "selectLatest"
  | "compare"
  | "exportMarkdown"
  | "exportCsv";

const ACTIONS: { action: ToolbarAction; label: string; title: string }[] = [
  {
    action: "selectLatest",
    label: "Latest per architecture",
    title: "Select the latest run of each architecture, and keep following new runs",
  },
  { action: "compare", label: "Compare", title: "Show two to four selected runs side by side" },
  { action: "stop", label: "Stop", title: "Stop the selected running runs" },
  { action: "rerun", label: "Rerun", title: "Train the selected runs again with the same settings" },
  { action: "delete", label: "Delete", title: "Delete the selected runs" },
  { action: "diffSources", label: "Diff", title: "Compare two selected runs' architecture sources" },
  { action: "openSource", label: "Open source", title: "Open the model file at the architecture" },
  { action: "exportMarkdown", label: "Export Markdown", title: "Save the shown rows as a Markdown table" },
  { action: "exportCsv", label: "Export CSV", title: "Save the shown rows as CSV" },
];

export class Toolbar {
  readonly element: HTMLElement;
  private readonly text = el("vscode-textfield" as "div", {
    attrs: {
      placeholder: "Filter by model, file, name or note",
      "aria-label": "Filter by model, file, name or note",
      "data-filter": "text",
    },
  }) as unknown as ValueElement;
  private readonly status = el("vscode-single-select" as "div", {
    attrs: { "aria-label": "Filter by status", "data-filter": "status" },
  }) as unknown as ValueElement;
  private readonly count = el("span", { className: "count" });
  private readonly buttons = new Map<ToolbarAction, ButtonElement>();

  constructor(state: Pick<PanelState, "filters" | "groupBy">, callbacks: ToolbarCallbacks) {
    const { filters } = state;
    this.status.append(el("vscode-option" as "option", { attrs: { value: "" } }, "All statuses"));
    for (const status of RUN_STATUSES)
      this.status.append(el("vscode-option" as "option", { attrs: { value: status } }, status));
    this.text.value = filters.text;
    this.text.setAttribute("value", filters.text);
    this.status.value = filters.status;
    const starred = checkbox("Starred only", filters.starred, () => changed(), "starred-only");
    const changed = () =>
      callbacks.onFilters({
        text: this.text.value ?? "",
        status: this.status.value ?? "",
        starred: starred.input.checked,
      });
    this.text.addEventListener("input", changed);
    this.status.addEventListener("change", changed);
    const actions = el("div", { className: "actions" });
    for (const { action, label, title } of ACTIONS) {
      const secondary = action.startsWith("export") || action === "selectLatest" ? { secondary: "" } : undefined;
      const button = el(
        "vscode-button" as "button",
        { title, attrs: { "data-action": action, ...secondary } },
        label,
      ) as unknown as ButtonElement;
      button.addEventListener("click", () => {
        if (!button.disabled) callbacks.onAction(action);
      });
      this.buttons.set(action, button);
      actions.append(button);
    }
    const grouping = select("Group by", GROUPINGS, state.groupBy, (by) => callbacks.onGroupBy(by), "group-by").element;
    this.element = el(
      "div",
      { className: "toolbar" },
      el("div", { className: "filters" }, this.text, this.status, starred.element, grouping, this.count),
      actions,
    );
  }

  /** Focuses an action's button; false when it is disabled and cannot take focus. */
  focusAction(action: ToolbarAction): boolean {
    const button = this.buttons.get(action);
    if (!button || button.disabled) return false;
    button.focus();
    return true;
  }

  /** Enables each action only when the selection makes sense for it. */
  update(selected: PanelRun[], shown: number, total: number): void {
    this.count.textContent = `${shown} of ${total} runs${selected.length ? `, ${selected.length} selected` : ""}`;
    const enabled: Record<ToolbarAction, boolean> = {
      selectLatest: total > 0,
      compare: selected.length >= 2 && selected.length <= MAX_COMPARED,
      stop: selected.some((r) => r.status === "running"),
      rerun: selected.length > 0,
      delete: selected.length > 0 && selected.every((r) => r.status !== "running"),
      diffSources: selected.length === 2,
      openSource: selected.length === 1,
      exportMarkdown: shown > 0,
      exportCsv: shown > 0,
    };
    for (const [action, button] of this.buttons) {
      button.disabled = !enabled[action];
      button.toggleAttribute("disabled", !enabled[action]);
    }
  }
}

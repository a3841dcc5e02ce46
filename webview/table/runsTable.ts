// The runs table: sortable headers, group header rows that fold, a checkbox per row for
// multi-select, and one focusable row at a time (arrow keys move it), as in a grid. Only the rows
// near the scrolled view are in the DOM: with a thousand rows, every live update would otherwise
// re-lay out the whole table.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { clear, el, frameScheduler } from "../dom";
import type { RowProgress } from "../runs";
import { COLUMNS } from "./columns";
import { groupCellText, groupRow, type GroupItem } from "./groupRow";
import { runRow, setProgress, type RunItem, type RunRow } from "./runRow";

export type TableItem = RunItem | GroupItem;

export interface TableCallbacks {
  onSort(column: string): void;
  onToggle(runId: string, selected: boolean): void;
  onToggleAll(selected: boolean): void;
  onToggleGroup(groupKey: string, selected: boolean): void;
  onFold(groupKey: string, folded: boolean): void;
  /** A click on a row outside its checkbox, or Enter on it; `additive` with Ctrl/Cmd held. */
  onRowClick(runId: string, additive: boolean): void;
  /** The star button, or S on a run's row. */
  onStar(runId: string, starred: boolean): void;
}

export interface TableView {
  items: TableItem[];
  /** The runs shown, folded ones included: what "select all" selects. */
  runs: PanelRun[];
  selected: ReadonlySet<string>;
  detailsRunId: string | undefined;
  sort: { column: string; descending: boolean };
  progress(run: PanelRun): RowProgress;
}

const itemId = (item: TableItem): string => (item.kind === "run" ? item.run.id : `group:${item.group.key}`);

export class RunsTable {
  readonly element: HTMLTableElement;
  private readonly head = el("thead");
  private readonly body = el("tbody");
  private readonly allBox = el("input", { attrs: { type: "checkbox", "aria-label": "Select all shown runs" } });
  private readonly cache = new Map<string, RunRow>();
  private readonly groupCache = new Map<string, { signature: string; tr: HTMLTableRowElement }>();
  private shownIds: string[] = [];
  private headKey = "";
  private view: TableView | undefined;
  private rowHeight = 26;
  /** The one row reachable with Tab; arrow keys move it. */
  private activeId: string | undefined;
  // A row's height applies through a cell: an empty <tr> with a height can collapse to nothing.
  private readonly topSpacer = spacer();
  private readonly bottomSpacer = spacer();

  constructor(
    private readonly callbacks: TableCallbacks,
    private readonly scroller: HTMLElement,
  ) {
    const caption = el(
      "caption",
      { className: "sr-only" },
      "Runs. Arrow keys move between rows; Enter shows a run and selects it, Ctrl+Enter adds it to the selection, S stars or unstars it; on a group, Enter folds or unfolds it and Ctrl+Enter selects its runs.",
    );
    this.element = el(
      "table",
      { className: "runs-table", attrs: { "aria-label": "Runs" } },
      caption,
      this.head,
      this.body,
    );
    const onScroll = frameScheduler(() => this.view && this.render(this.view));
    scroller.addEventListener("scroll", onScroll, { passive: true });
    this.allBox.addEventListener("change", () => callbacks.onToggleAll(this.allBox.checked));
    this.body.addEventListener("click", (event) => this.clicked(event));
    this.body.addEventListener("keydown", (event) => this.keydown(event));
    this.body.addEventListener("focusin", (event) => {
      const id = rowId(event.target as HTMLElement);
      if (id) this.setActive(id);
    });
    this.body.addEventListener("change", (event) => {
      const box = event.target as HTMLInputElement;
      const tr = box.closest("tr");
      if (tr?.dataset.runId) callbacks.onToggle(tr.dataset.runId, box.checked);
      else if (tr?.dataset.groupKey) callbacks.onToggleGroup(tr.dataset.groupKey, box.checked);
    });
  }

  render(view: TableView): void {
    this.view = view;
    const sortKey = `${view.sort.column}:${view.sort.descending}`;
    if (sortKey !== this.headKey) this.renderHead(view);
    this.headKey = sortKey;
    const { first, items } = this.window(view.items);
    // Tab must always land in the drawn rows: the active row moves there when it scrolled away.
    const focusInside = this.body.contains(document.activeElement);
    if (!focusInside && (!this.activeId || !items.some((i) => itemId(i) === this.activeId)))
      this.activeId = items[0] && itemId(items[0]);
    const ids = items.map(itemId);
    // Spacers first: rows laid out against stale spacers would clamp the scroll position.
    this.topSpacer.cell.style.height = `${first * this.rowHeight}px`;
    this.bottomSpacer.cell.style.height = `${(view.items.length - first - items.length) * this.rowHeight}px`;
    if (sameOrder(ids, this.shownIds)) this.patchRows(items, view);
    else this.rebuildRows(items, view);
    this.shownIds = ids;
    const shownSelected = view.runs.filter((r) => view.selected.has(r.id)).length;
    this.allBox.checked = shownSelected > 0 && shownSelected === view.runs.length;
    this.allBox.indeterminate = shownSelected > 0 && shownSelected < view.runs.length;
  }

  /** The rows in and around the visible part of the scroller. */
  private window(all: TableItem[]): { first: number; items: TableItem[] } {
    const overscan = 30;
    const visible = Math.ceil((this.scroller.clientHeight || 800) / this.rowHeight);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight) - overscan);
    return { first, items: all.slice(first, first + visible + 2 * overscan) };
  }

  /** Same rows in the same order (the common live update): swap only the rows that changed. */
  private patchRows(items: TableItem[], view: TableView): void {
    for (const item of items) {
      const id = itemId(item);
      const previous = this.rowElement(id);
      const tr = this.itemRow(item, view);
      if (previous && previous !== tr) previous.replaceWith(tr);
    }
  }

  private rebuildRows(items: TableItem[], view: TableView): void {
    const hadFocus = this.body.contains(document.activeElement);
    // Rows that stay are left in place, new ones inserted before old ones leave: at no point is the
    // content shorter than the scroll position (it would be clamped), and the focused row, which
    // usually stays, is never taken out (that would blur it).
    const rows = items.map((item) => this.itemRow(item, view));
    const { row: top } = this.topSpacer;
    const { row: bottom } = this.bottomSpacer;
    if (top.parentNode !== this.body) this.body.prepend(top);
    if (bottom.parentNode !== this.body) this.body.append(bottom);
    let cursor: Element = top;
    for (const tr of rows) {
      if (cursor.nextElementSibling !== tr) cursor.after(tr);
      cursor = tr;
    }
    const keep = new Set<Element>([top, bottom, ...rows]);
    for (const child of [...this.body.children]) if (!keep.has(child)) child.remove();
    const measured = this.body.children[1]?.getBoundingClientRect().height;
    if (measured && items.length) this.rowHeight = measured;
    // Rows leave and re-enter the DOM as the window moves; the keyboard must not lose its place.
    if (hadFocus && this.activeId) this.rowElement(this.activeId)?.focus({ preventScroll: true });
  }

  private itemRow(item: TableItem, view: TableView): HTMLTableRowElement {
    const tr = item.kind === "run" ? this.runRowFor(item, view) : this.groupRowFor(item, view);
    const active = itemId(item) === this.activeId;
    if (tr.tabIndex !== (active ? 0 : -1)) tr.tabIndex = active ? 0 : -1;
    return tr;
  }

  private runRowFor(item: RunItem, view: TableView): HTMLTableRowElement {
    const { run } = item;
    let row = this.cache.get(run.id);
    if (!row || row.run !== run) {
      row = runRow(run, view.progress(run));
      this.cache.set(run.id, row);
    }
    const selected = view.selected.has(run.id);
    const { tr } = row;
    if (tr.classList.contains("selected") !== selected) tr.classList.toggle("selected", selected);
    const details = view.detailsRunId === run.id;
    if (tr.classList.contains("current") !== details) tr.classList.toggle("current", details);
    if (tr.classList.contains("grouped") !== item.grouped) tr.classList.toggle("grouped", item.grouped);
    if (row.checkbox.checked !== selected) row.checkbox.checked = selected;
    if (details !== (tr.getAttribute("aria-current") === "true")) tr.setAttribute("aria-current", String(details));
    return tr;
  }

  private groupRowFor(item: GroupItem, view: TableView): HTMLTableRowElement {
    const picked = item.group.runs.filter((r) => view.selected.has(r.id)).length;
    const checked = picked === 0 ? "none" : picked === item.group.runs.length ? "all" : "some";
    const signature = [
      item.group.label,
      item.folded,
      checked,
      item.color,
      ...COLUMNS.map((c) => groupCellText(c.key, item.group)),
    ].join("\u0000");
    const cached = this.groupCache.get(item.group.key);
    if (cached?.signature === signature) return cached.tr;
    const tr = groupRow(item, checked);
    this.groupCache.set(item.group.key, { signature, tr });
    return tr;
  }

  /** Moves progress bars of running rows without rebuilding anything. */
  updateProgress(runIds: Iterable<string>, progress: (run: PanelRun) => RowProgress): void {
    for (const id of runIds) {
      const row = this.cache.get(id);
      if (row?.progress) setProgress(row.progress, progress(row.run));
    }
  }

  forget(runId: string): void {
    this.cache.delete(runId);
  }

  private renderHead(view: TableView): void {
    const tr = el("tr", {}, el("th", { className: "pick" }, this.allBox));
    for (const column of COLUMNS) {
      const sorted = view.sort.column === column.key;
      const button = el(
        "button",
        {
          className: "sort",
          attrs: {
            type: "button",
            "data-column": column.key,
            ...(column.ariaLabel && { "aria-label": column.ariaLabel }),
          },
        },
        column.label,
      );
      if (sorted)
        button.append(
          el("span", { className: "sort-mark", attrs: { "aria-hidden": "true" } }, view.sort.descending ? " ▼" : " ▲"),
        );
      button.addEventListener("click", () => this.callbacks.onSort(column.key));
      const th = el("th", { className: column.numeric ? "num" : "" }, button);
      th.setAttribute("aria-sort", sorted ? (view.sort.descending ? "descending" : "ascending") : "none");
      tr.appendChild(th);
    }
    clear(this.head);
    this.head.appendChild(tr);
  }

  private clicked(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("td.pick")) return;
    const tr = target.closest("tr");
    if (target.closest("button.star") && tr?.dataset.runId) return this.star(tr.dataset.runId);
    if (tr?.dataset.groupKey) return this.fold(tr.dataset.groupKey);
    if (tr?.dataset.runId) this.callbacks.onRowClick(tr.dataset.runId, event.ctrlKey || event.metaKey);
  }

  /** Selects every run of the group, or none when all are selected already. */
  private toggleGroup(key: string): void {
    const group = this.view?.items.find((i): i is GroupItem => i.kind === "group" && i.group.key === key)?.group;
    if (!group || !this.view) return;
    const selected = this.view.selected;
    this.callbacks.onToggleGroup(key, !group.runs.every((r) => selected.has(r.id)));
  }

  private star(runId: string): void {
    const run = this.cache.get(runId)?.run;
    if (run) this.callbacks.onStar(runId, !run.annotations?.starred);
  }

  private fold(key: string, folded?: boolean): void {
    const item = this.view?.items.find((i): i is GroupItem => i.kind === "group" && i.group.key === key);
    if (item && folded !== item.folded) this.callbacks.onFold(key, folded ?? !item.folded);
  }

  private keydown(event: KeyboardEvent): void {
    const tr = (event.target as HTMLElement).closest("tr");
    if (!tr || !this.view || event.target !== tr) return;
    const key = tr.dataset.groupKey;
    const move = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (move !== undefined || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      const ids = this.view.items.map(itemId);
      const here = ids.indexOf(rowId(tr) ?? "");
      const next =
        event.key === "Home"
          ? 0
          : event.key === "End"
            ? ids.length - 1
            : Math.max(0, Math.min(ids.length - 1, here + (move ?? 0)));
      return this.focusItem(ids[next], next);
    }
    if (key && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      event.preventDefault();
      return this.fold(key, event.key === "ArrowLeft");
    }
    if (
      (event.key === "s" || event.key === "S") &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey &&
      tr.dataset.runId
    ) {
      event.preventDefault();
      return this.star(tr.dataset.runId);
    }
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    if (key && (event.ctrlKey || event.metaKey)) this.toggleGroup(key);
    else if (key) this.fold(key);
    else if (tr.dataset.runId) this.callbacks.onRowClick(tr.dataset.runId, event.ctrlKey || event.metaKey);
  }

  /** Focuses an item's row, scrolling it into the drawn window first when it is outside. */
  private focusItem(id: string | undefined, index: number): void {
    if (!id || !this.view) return;
    this.setActive(id);
    if (!this.rowElement(id)) {
      this.scroller.scrollTop = Math.max(0, index * this.rowHeight - this.scroller.clientHeight / 2);
      this.render(this.view);
    }
    this.rowElement(id)?.focus();
  }

  /** Puts the keyboard on the table's one tabbable row. */
  focus(): void {
    if (this.activeId) this.rowElement(this.activeId)?.focus();
  }

  private setActive(id: string): void {
    if (this.activeId === id) return;
    const previous = this.activeId && this.rowElement(this.activeId);
    if (previous) previous.tabIndex = -1;
    this.activeId = id;
    const row = this.rowElement(id);
    if (row) row.tabIndex = 0;
  }

  private rowElement(id: string): HTMLTableRowElement | undefined {
    if (id.startsWith("group:")) {
      const tr = this.groupCache.get(id.slice("group:".length))?.tr;
      return tr?.isConnected ? tr : undefined;
    }
    const tr = this.cache.get(id)?.tr;
    return tr?.isConnected ? tr : undefined;
  }
}

function spacer(): { row: HTMLTableRowElement; cell: HTMLTableCellElement } {
  const cell = el("td", { attrs: { colspan: String(COLUMNS.length + 1) } });
  return { row: el("tr", { className: "spacer", attrs: { "aria-hidden": "true" } }, cell), cell };
}

function rowId(target: HTMLElement): string | undefined {
  const tr = target.closest("tr");
  if (tr?.dataset.runId) return tr.dataset.runId;
  return tr?.dataset.groupKey ? `group:${tr.dataset.groupKey}` : undefined;
}

function sameOrder(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

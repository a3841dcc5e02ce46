// The runs table: a plain <table> with sortable headers, a checkbox per row for multi-select, and a
// progress bar in the status cell of running runs. Only the rows near the scrolled view are in the
// DOM: with a thousand rows, every live update would otherwise re-lay out the whole table.
import type { PanelRun } from '../../src/shared/webview-protocol';
import type { RowProgress } from '../runs';
import { clear, el, frameScheduler } from '../dom';
import { COLUMNS } from './columns';

export interface TableCallbacks {
  onSort(column: string): void;
  onToggle(runId: string, selected: boolean): void;
  onToggleAll(selected: boolean): void;
  /** A click on a row outside its checkbox; `additive` with Ctrl/Cmd held. */
  onRowClick(runId: string, additive: boolean): void;
}

export interface TableView {
  rows: PanelRun[];
  selected: ReadonlySet<string>;
  detailsRunId: string | undefined;
  sort: { column: string; descending: boolean };
  progress(run: PanelRun): RowProgress;
}

interface CachedRow {
  run: PanelRun;
  tr: HTMLTableRowElement;
  checkbox: HTMLInputElement;
  progress?: { bar: HTMLElement & { value?: number }; label: HTMLElement };
}

export class RunsTable {
  readonly element: HTMLTableElement;
  private readonly head = el('thead');
  private readonly body = el('tbody');
  private readonly allBox = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Select all shown runs' } });
  private readonly cache = new Map<string, CachedRow>();
  private shownIds: string[] = [];
  private headKey = '';
  private view: TableView | undefined;
  private rowHeight = 26;
  private readonly topSpacer = el('tr', { className: 'spacer', attrs: { 'aria-hidden': 'true' } });
  private readonly bottomSpacer = el('tr', { className: 'spacer', attrs: { 'aria-hidden': 'true' } });

  constructor(
    private readonly callbacks: TableCallbacks,
    private readonly scroller: HTMLElement,
  ) {
    this.element = el('table', { className: 'runs-table' }, this.head, this.body);
    const onScroll = frameScheduler(() => this.view && this.render(this.view));
    scroller.addEventListener('scroll', onScroll, { passive: true });
    this.allBox.addEventListener('change', () => callbacks.onToggleAll(this.allBox.checked));
    this.body.addEventListener('click', (event) => this.rowClicked(event));
    this.body.addEventListener('keydown', (event) => {
      const row = event.target as HTMLElement;
      if ((event.key === 'Enter' || event.key === ' ') && row.tagName === 'TR' && row.dataset.runId) {
        event.preventDefault();
        callbacks.onRowClick(row.dataset.runId, event.ctrlKey || event.metaKey);
      }
    });
    this.body.addEventListener('change', (event) => {
      const box = event.target as HTMLInputElement;
      const id = box.closest('tr')?.dataset.runId;
      if (id) callbacks.onToggle(id, box.checked);
    });
  }

  render(view: TableView): void {
    this.view = view;
    const sortKey = `${view.sort.column}:${view.sort.descending}`;
    if (sortKey !== this.headKey) this.renderHead(view);
    this.headKey = sortKey;
    const { first, rows } = this.window(view.rows);
    const ids = rows.map((r) => r.id);
    if (sameOrder(ids, this.shownIds)) this.patchRows(rows, view);
    else this.rebuildRows(rows, view);
    this.shownIds = ids;
    this.topSpacer.style.height = `${first * this.rowHeight}px`;
    this.bottomSpacer.style.height = `${(view.rows.length - first - rows.length) * this.rowHeight}px`;
    const shownSelected = view.rows.filter((r) => view.selected.has(r.id)).length;
    this.allBox.checked = shownSelected > 0 && shownSelected === view.rows.length;
    this.allBox.indeterminate = shownSelected > 0 && shownSelected < view.rows.length;
  }

  /** The rows in and around the visible part of the scroller. */
  private window(all: PanelRun[]): { first: number; rows: PanelRun[] } {
    const overscan = 30;
    const visible = Math.ceil((this.scroller.clientHeight || 800) / this.rowHeight);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight) - overscan);
    return { first, rows: all.slice(first, first + visible + 2 * overscan) };
  }

  /** Same rows in the same order (the common live update): swap only the rows that changed. */
  private patchRows(rows: PanelRun[], view: TableView): void {
    for (const run of rows) {
      const previous = this.cache.get(run.id);
      const row = this.row(run, view);
      if (previous && previous.tr !== row.tr) previous.tr.replaceWith(row.tr);
      markRow(row, view);
    }
  }

  private rebuildRows(rows: PanelRun[], view: TableView): void {
    const body = document.createDocumentFragment();
    body.appendChild(this.topSpacer);
    for (const run of rows) {
      const row = this.row(run, view);
      markRow(row, view);
      body.appendChild(row.tr);
    }
    body.appendChild(this.bottomSpacer);
    clear(this.body);
    this.body.appendChild(body);
    const measured = this.body.children[1]?.getBoundingClientRect().height;
    if (measured && rows.length) this.rowHeight = measured;
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

  private row(run: PanelRun, view: TableView): CachedRow {
    const cached = this.cache.get(run.id);
    if (cached && cached.run === run) return cached;
    const checkbox = el('input', { attrs: { type: 'checkbox', 'aria-label': `Select ${run.model}` } });
    const tr = el('tr', { attrs: { 'data-run-id': run.id, 'data-status': run.status, tabindex: '0' } }, el('td', { className: 'pick' }, checkbox));
    const row: CachedRow = { run, tr, checkbox };
    for (const column of COLUMNS) {
      const td = el('td', { className: column.numeric ? 'num' : '', attrs: { 'data-column': column.key } });
      if (column.key === 'status') this.statusCell(td, row, view);
      else td.textContent = column.text(run);
      if (column.key === 'model' && run.error) td.title = run.error.message;
      tr.appendChild(td);
    }
    this.cache.set(run.id, row);
    return row;
  }

  private statusCell(td: HTMLElement, row: CachedRow, view: TableView): void {
    const { run } = row;
    td.append(el('span', { className: `status status-${run.status}` }, run.status));
    if (run.status === 'failed' && run.error) td.title = run.error.message;
    if (run.status !== 'running') return;
    const bar = el('vscode-progress-bar' as 'div', { attrs: { max: '100', 'aria-label': `${run.model} progress` } });
    const label = el('span', { className: 'progress-label' });
    row.progress = { bar, label };
    setProgress(row.progress, view.progress(run));
    td.append(label, bar);
  }

  private renderHead(view: TableView): void {
    const tr = el('tr', {}, el('th', { className: 'pick' }, this.allBox));
    for (const column of COLUMNS) {
      const sorted = view.sort.column === column.key;
      const button = el('button', { className: 'sort', attrs: { type: 'button', 'data-column': column.key } }, column.label);
      if (sorted) button.append(el('span', { className: 'sort-mark' }, view.sort.descending ? ' ▼' : ' ▲'));
      button.addEventListener('click', () => this.callbacks.onSort(column.key));
      const th = el('th', { className: column.numeric ? 'num' : '' }, button);
      th.setAttribute('aria-sort', sorted ? (view.sort.descending ? 'descending' : 'ascending') : 'none');
      tr.appendChild(th);
    }
    clear(this.head);
    this.head.appendChild(tr);
  }

  private rowClicked(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest('td.pick')) return;
    const id = target.closest('tr')?.dataset.runId;
    if (id) this.callbacks.onRowClick(id, event.ctrlKey || event.metaKey);
  }
}

function markRow(row: CachedRow, view: TableView): void {
  const selected = view.selected.has(row.run.id);
  if (row.tr.classList.contains('selected') !== selected) row.tr.classList.toggle('selected', selected);
  const details = view.detailsRunId === row.run.id;
  if (row.tr.classList.contains('current') !== details) row.tr.classList.toggle('current', details);
  if (row.checkbox.checked !== selected) row.checkbox.checked = selected;
}

function sameOrder(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function setProgress(progress: NonNullable<CachedRow['progress']>, { fraction, text }: RowProgress): void {
  const percent = Math.round(fraction * 100);
  progress.bar.value = percent;
  progress.bar.setAttribute('value', String(percent));
  progress.label.textContent = ` ${percent}% · ${text}`;
}

// The runs table: a plain <table> (cheap for a thousand rows) with sortable headers, a checkbox per
// row for multi-select, and a progress bar in the status cell of running runs.
import type { PanelRun } from '../../src/shared/webview-protocol';
import { clear, el } from '../dom';
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
  progress(run: PanelRun): number;
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

  constructor(private readonly callbacks: TableCallbacks) {
    this.element = el('table', { className: 'runs-table' }, this.head, this.body);
    this.allBox.addEventListener('change', () => callbacks.onToggleAll(this.allBox.checked));
    this.body.addEventListener('click', (event) => this.rowClicked(event));
    this.body.addEventListener('change', (event) => {
      const box = event.target as HTMLInputElement;
      const id = box.closest('tr')?.dataset.runId;
      if (id) callbacks.onToggle(id, box.checked);
    });
  }

  render(view: TableView): void {
    this.renderHead(view);
    const body = document.createDocumentFragment();
    for (const run of view.rows) {
      const row = this.row(run, view);
      row.tr.classList.toggle('selected', view.selected.has(run.id));
      row.tr.classList.toggle('details', view.detailsRunId === run.id);
      row.checkbox.checked = view.selected.has(run.id);
      body.appendChild(row.tr);
    }
    clear(this.body);
    this.body.appendChild(body);
    const shownSelected = view.rows.filter((r) => view.selected.has(r.id)).length;
    this.allBox.checked = shownSelected > 0 && shownSelected === view.rows.length;
    this.allBox.indeterminate = shownSelected > 0 && shownSelected < view.rows.length;
  }

  /** Moves progress bars of running rows without rebuilding anything. */
  updateProgress(runIds: Iterable<string>, progress: (run: PanelRun) => number): void {
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
    const tr = el('tr', { attrs: { 'data-run-id': run.id, 'data-status': run.status } }, el('td', { className: 'pick' }, checkbox));
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

function setProgress(progress: NonNullable<CachedRow['progress']>, fraction: number): void {
  const percent = Math.round(fraction * 100);
  progress.bar.value = percent;
  progress.bar.setAttribute('value', String(percent));
  progress.label.textContent = ` ${percent}%`;
}

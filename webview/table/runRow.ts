// A run's row in the runs table, with a progress bar in the status cell while it runs.
import type { PanelRun } from '../../src/shared/webview-protocol';
import { el } from '../dom';
import type { RowProgress } from '../runs';
import { COLUMNS } from './columns';

export interface RunItem {
  kind: 'run';
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
  const checkbox = el('input', { attrs: { type: 'checkbox', tabindex: '-1', 'aria-label': `Select ${run.model}` } });
  const tr = el('tr', { attrs: { 'data-run-id': run.id, 'data-status': run.status, tabindex: '-1' } }, el('td', { className: 'pick' }, checkbox));
  const row: RunRow = { run, tr, checkbox };
  for (const column of COLUMNS) {
    const td = el('td', { className: column.numeric ? 'num' : '', attrs: { 'data-column': column.key } });
    if (column.key === 'status') statusCell(td, row, progress);
    else td.textContent = column.text(run);
    if (column.key === 'model' && run.error) td.title = run.error.message;
    tr.appendChild(td);
  }
  return row;
}

function statusCell(td: HTMLElement, row: RunRow, progress: RowProgress): void {
  const { run } = row;
  td.append(el('span', { className: `status status-${run.status}` }, run.status));
  if (run.status === 'failed' && run.error) td.title = run.error.message;
  if (run.status !== 'running') return;
  const bar = el('vscode-progress-bar' as 'div', { attrs: { max: '100', 'aria-label': `${run.model} progress` } });
  const label = el('span', { className: 'progress-label' });
  row.progress = { bar, label };
  setProgress(row.progress, progress);
  td.append(label, bar);
}

export function setProgress(progress: NonNullable<RunRow['progress']>, { fraction, text }: RowProgress): void {
  const percent = Math.round(fraction * 100);
  progress.bar.value = percent;
  progress.bar.setAttribute('value', String(percent));
  progress.label.textContent = ` ${percent}% · ${text}`;
}

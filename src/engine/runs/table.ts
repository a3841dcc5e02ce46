// The study's results table (Model, Params, Test accuracy, Loss, Learning time, Backend) as aligned
// text for a terminal, Markdown for notes, or CSV (with more columns) for spreadsheets.
import type { BackendInfo, RunRecord } from '../types';

export type TableFormat = 'text' | 'markdown' | 'csv';

const HEADERS = ['Model', 'Params', 'Test accuracy', 'Loss', 'Learning time', 'Backend'];
const CSV_EXTRA_HEADERS = ['File', 'Status', 'Epochs', 'Started', 'Run id'];
// Columns holding numbers are right-aligned in text and Markdown.
const NUMERIC = [false, true, true, true, true, false];

const thousands = new Intl.NumberFormat('en-US');

export function resultsTable(records: RunRecord[], format: TableFormat): string {
  switch (format) {
    case 'text':
      return textTable(records.map(displayRow));
    case 'markdown':
      return markdownTable(records.map(displayRow));
    case 'csv':
      return csvTable(records);
    default: {
      const unknown: never = format;
      throw new Error(`Unknown table format "${String(unknown)}"`);
    }
  }
}

export function backendLabel(backend: BackendInfo): string {
  return backend.threads && backend.threads > 1 ? `${backend.name} (${backend.threads} threads)` : backend.name;
}

function displayRow(record: RunRecord): string[] {
  const params = record.summary ? thousands.format(record.summary.params.total) : '-';
  const results = record.results;
  if (!results) {
    return [record.model, params, record.status, '-', '-', backendLabel(record.backend)];
  }
  return [
    record.model,
    params,
    `${(results.testAccuracy * 100).toFixed(2)}%`,
    results.testLoss.toFixed(2),
    `${results.learningTimeSec.toFixed(1)} s`,
    backendLabel(record.backend),
  ];
}

function textTable(rows: string[][]): string {
  return alignedText(HEADERS, rows, NUMERIC);
}

/** Columns padded to their widest cell, numbers right-aligned, under a dashed rule. */
export function alignedText(headers: string[], rows: string[][], numeric: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n') + '\n';
}

function markdownTable(rows: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `|${NUMERIC.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`;
  return [line(HEADERS), rule, ...rows.map(line)].join('\n') + '\n';
}

// CSV keeps numbers plain (no separators, no units) so spreadsheets read them as numbers.
function csvTable(records: RunRecord[]): string {
  const rows = records.map((record) => {
    const results = record.results;
    return [
      record.model,
      record.summary ? String(record.summary.params.total) : '',
      results ? (results.testAccuracy * 100).toFixed(2) : '',
      results ? results.testLoss.toFixed(4) : '',
      results ? results.learningTimeSec.toFixed(2) : '',
      backendLabel(record.backend),
      record.file,
      record.status,
      String(record.epochs.length),
      record.startedAt,
      record.id,
    ];
  });
  const headers = [...HEADERS.slice(0, 2), 'Test accuracy (%)', 'Loss', 'Learning time (s)', 'Backend', ...CSV_EXTRA_HEADERS];
  return [headers, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}

function csvCell(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

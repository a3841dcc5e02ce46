// The study's results table (Model, Params, Test accuracy, Loss, Learning time, Backend) as aligned
// text for a terminal, Markdown for notes, or CSV (with more columns) for spreadsheets. A run's own
// name and star show in its Model cell, and its note in a Note column when any run has one.
import type { BackendInfo, RunRecord } from "../types";
import { continuedText } from "./continued";

export type TableFormat = "text" | "markdown" | "csv";

const HEADERS = ["Model", "Params", "Test accuracy", "Loss", "Learning time", "Backend"];
const CSV_EXTRA_HEADERS = [
  "File",
  "Status",
  "Epochs",
  "Started",
  "Run id",
  "Name",
  "Starred",
  "Note",
  "Continued from",
  "From epoch",
];
// Columns holding numbers are right-aligned in text and Markdown.
const NUMERIC = [false, true, true, true, true, false];

const thousands = new Intl.NumberFormat("en-US");

export function resultsTable(records: RunRecord[], format: TableFormat): string {
  switch (format) {
    case "text":
    case "markdown": {
      const notes = records.some((r) => r.annotations?.note);
      const headers = notes ? [...HEADERS, "Note"] : HEADERS;
      const numeric = notes ? [...NUMERIC, false] : NUMERIC;
      // A note's lines become one cell.
      const rows = records.map((r) =>
        notes ? [...displayRow(r), (r.annotations?.note ?? "").replace(/\s*\n\s*/g, " / ")] : displayRow(r),
      );
      return format === "text" ? alignedText(headers, rows, numeric) : markdownTable(headers, rows, numeric);
    }
    case "csv":
      return csvTable(records);
    default: {
      const unknown: never = format;
      throw new Error(`Unknown table format "${String(unknown)}"`);
    }
  }
}

/** "wasm-fused (2 threads)" for the fused engine, "tfjs-wasm (2 threads)", "tfjs-tensorflow" otherwise. */
export function backendLabel(backend: BackendInfo): string {
  const name = backend.engine === "wasm-fused" ? "wasm-fused" : `tfjs-${backend.name}`;
  return backend.threads && backend.threads > 1 ? `${name} (${backend.threads} threads)` : name;
}

/**
 * "★ small and good (TinyCNN)" for a starred run named by its user, the model name alone otherwise;
 * a continued run says from where: "TinyCNN (continued from …3f9a at epoch 2)".
 */
export function modelLabel(record: Pick<RunRecord, "model" | "annotations" | "parent">): string {
  const { name, starred } = record.annotations ?? {};
  const continued = continuedText(record);
  return `${starred ? "★ " : ""}${name ? `${name} (${record.model})` : record.model}${continued ? ` (${continued})` : ""}`;
}

function displayRow(record: RunRecord): string[] {
  const params = record.summary ? thousands.format(record.summary.params.total) : "-";
  const results = record.results;
  if (!results) {
    return [modelLabel(record), params, record.status, "-", "-", backendLabel(record.backend)];
  }
  return [
    modelLabel(record),
    params,
    `${(results.testAccuracy * 100).toFixed(2)}%`,
    results.testLoss.toFixed(2),
    `${results.learningTimeSec.toFixed(1)} s`,
    backendLabel(record.backend),
  ];
}

/** Columns padded to their widest cell, numbers right-aligned, under a dashed rule. */
export function alignedText(headers: string[], rows: string[][], numeric: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(headers), rule, ...rows.map(line)].join("\n") + "\n";
}

function markdownTable(headers: string[], rows: string[][], numeric: boolean[]): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const line = (cells: string[]) => `| ${cells.map(escape).join(" | ")} |`;
  const rule = `|${numeric.map((n) => (n ? " ---: " : " --- ")).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n") + "\n";
}

// CSV keeps numbers plain (no separators, no units) so spreadsheets read them as numbers.
function csvTable(records: RunRecord[]): string {
  const rows = records.map((record) => {
    const results = record.results;
    return [
      record.model,
      record.summary ? String(record.summary.params.total) : "",
      results ? (results.testAccuracy * 100).toFixed(2) : "",
      results ? results.testLoss.toFixed(4) : "",
      results ? results.learningTimeSec.toFixed(2) : "",
      backendLabel(record.backend),
      record.file,
      record.status,
      String(record.epochs.length),
      record.startedAt,
      record.id,
      record.annotations?.name ?? "",
      record.annotations?.starred ? "yes" : "",
      record.annotations?.note ?? "",
      record.parent?.id ?? "",
      record.parent ? String(record.parent.epochs) : "",
    ];
  });
  const headers = [
    ...HEADERS.slice(0, 2),
    "Test accuracy (%)",
    "Loss",
    "Learning time (s)",
    "Backend",
    ...CSV_EXTRA_HEADERS,
  ];
  return [headers, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\n") + "\n";
}

function csvCell(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

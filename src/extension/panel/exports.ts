// Exports go through the host's save dialog: downloads do not work inside webviews.
import * as vscode from "vscode";
import type { RunRecord } from "../../engine/types";
import { resultsTable } from "../../engine/runs/table";
import type { GraphFormat, TableFormat } from "../../shared/webview-protocol";
import { decodePngDataUrl } from "./messages";

const TABLE_EXTENSIONS: Record<TableFormat, { ext: string; label: string }> = {
  markdown: { ext: "md", label: "Markdown" },
  csv: { ext: "csv", label: "CSV" },
};

/** Returns the saved file, or undefined when the user cancelled the dialog. */
export async function exportTable(records: RunRecord[], format: TableFormat): Promise<vscode.Uri | undefined> {
  const { ext, label } = TABLE_EXTENSIONS[format];
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(`archlab-results.${ext}`),
    filters: { [label]: [ext] },
    saveLabel: "Export table",
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(resultsTable(records, format)));
  return target;
}

export async function exportChartPng(chart: string, pngDataUrl: string): Promise<vscode.Uri | undefined> {
  const bytes = decodePngDataUrl(pngDataUrl);
  if (!bytes) throw new Error("The chart image is not a PNG.");
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(`archlab-${chart}.png`),
    filters: { "PNG image": ["png"] },
    saveLabel: "Export chart",
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

/** An architecture graph as the webview drew it: SVG text or a PNG data URL. */
export async function exportGraph(name: string, format: GraphFormat, data: string): Promise<vscode.Uri | undefined> {
  const bytes = format === "png" ? decodePngDataUrl(data) : new TextEncoder().encode(data);
  if (!bytes) throw new Error("The graph image is not a PNG.");
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(`archlab-${name}-graph.${format}`),
    filters: format === "png" ? { "PNG image": ["png"] } : { "SVG image": ["svg"] },
    saveLabel: "Export graph",
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

function defaultUri(fileName: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}

// Opens a layer's call in its model file, the cursor on the call.
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { LayerLocation } from "../../engine/types";

/** `fallbackFile` stands in when the file the location names is gone (a moved workspace). */
export async function openLayerLocation(location: LayerLocation, fallbackFile?: string): Promise<void> {
  const file = existsSync(location.file) || !fallbackFile ? location.file : fallbackFile;
  const start = new vscode.Position(location.line - 1, location.column - 1);
  const end = new vscode.Position(location.endLine - 1, location.endColumn - 1);
  const uri = vscode.Uri.file(file);
  // Where the file is already open (the graph panel sits beside it), else the first column.
  const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === uri.fsPath);
  await vscode.window.showTextDocument(uri, {
    selection: new vscode.Range(start, end),
    viewColumn: open?.viewColumn ?? vscode.ViewColumn.One,
  });
}

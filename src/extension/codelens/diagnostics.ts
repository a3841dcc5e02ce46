// Problems of model files, from their inspection: where the file failed to load, which
// architecture failed to build (at the call of the layer that broke), and shapes that build but
// cannot train.
import * as vscode from "vscode";
import { callExtent } from "../../engine/models/call-extent";
import type { Inspection } from "../inspect/inspector";
import { readableBuildError, type SymbolAt } from "./lenses";

export function modelDiagnostics(
  file: vscode.Uri,
  inspection: Inspection | undefined,
  symbols: SymbolAt[],
  text?: string,
): vscode.Diagnostic[] {
  const diagnostics: vscode.Diagnostic[] = [];
  const at = (line: number | undefined, column: number | undefined): vscode.Range => {
    const l = Math.max(0, (line ?? 1) - 1);
    const c = Math.max(0, (column ?? 1) - 1);
    // The whole call of the layer when the text is known, so the squiggle spans what broke.
    const extent =
      text !== undefined && line !== undefined && column !== undefined ? callExtent(text, { line, column }) : undefined;
    if (extent)
      return new vscode.Range(
        extent.start.line - 1,
        extent.start.column - 1,
        extent.end.line - 1,
        extent.end.column - 1,
      );
    return new vscode.Range(l, c, l, c + 1);
  };
  const add = (range: vscode.Range, message: string, severity = vscode.DiagnosticSeverity.Error): void => {
    const diagnostic = new vscode.Diagnostic(range, message, severity);
    diagnostic.source = "ArchLab";
    diagnostics.push(diagnostic);
  };
  if (inspection?.error) {
    const location = inspection.error.location;
    const here = !location?.file || location.file === file.fsPath;
    add(at(here ? location?.line : undefined, here ? location?.column : undefined), inspection.error.message);
  }
  for (const model of inspection?.report?.models ?? []) {
    const symbol = symbols.find((s) => s.name === model.name);
    const atModel = at((symbol?.line ?? 0) + 1, 1);
    if (model.error) {
      const inFile = !model.error.file || model.error.file === file.fsPath;
      const range = inFile && model.error.line !== undefined ? at(model.error.line, model.error.column) : atModel;
      add(range, `${model.name}: ${readableBuildError(model.error.message)}`);
    }
    for (const problem of model.summary?.problems ?? []) {
      const l = problem.location;
      const range =
        l && l.file === file.fsPath
          ? new vscode.Range(l.line - 1, l.column - 1, l.endLine - 1, l.endColumn - 1)
          : atModel;
      add(range, `${model.name}: ${problem.message}`);
    }
  }
  return diagnostics;
}

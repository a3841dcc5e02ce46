// Problems of model files, from their inspection: where the file failed to load, or which
// architecture failed to build.
import * as vscode from 'vscode';
import type { Inspection } from '../inspect/inspector';
import type { SymbolAt } from './lenses';

export function modelDiagnostics(file: vscode.Uri, inspection: Inspection | undefined, symbols: SymbolAt[]): vscode.Diagnostic[] {
  const diagnostics: vscode.Diagnostic[] = [];
  const at = (line: number | undefined, column: number | undefined): vscode.Range => {
    const l = Math.max(0, (line ?? 1) - 1);
    const c = Math.max(0, (column ?? 1) - 1);
    return new vscode.Range(l, c, l, c + 1);
  };
  const add = (range: vscode.Range, message: string): void => {
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'ArchLab';
    diagnostics.push(diagnostic);
  };
  if (inspection?.error) {
    const location = inspection.error.location;
    const here = !location?.file || location.file === file.fsPath;
    add(at(here ? location?.line : undefined, here ? location?.column : undefined), inspection.error.message);
  }
  for (const model of inspection?.report?.models ?? []) {
    if (!model.error) continue;
    const symbol = symbols.find((s) => s.name === model.name);
    const range = model.error.line !== undefined ? at(model.error.line, model.error.column) : at((symbol?.line ?? 0) + 1, 1);
    add(range, `${model.name}: ${model.error.message}`);
  }
  return diagnostics;
}

// Top-level declarations of a model file, from the editor's own symbol provider (TypeScript's).
import * as vscode from "vscode";
import type { SymbolAt } from "./lenses";

const DECLARATION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Variable, vscode.SymbolKind.Constant]);

export async function topLevelSymbols(uri: vscode.Uri): Promise<SymbolAt[]> {
  const symbols = await vscode.commands.executeCommand<
    (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined
  >("vscode.executeDocumentSymbolProvider", uri);
  return (symbols ?? [])
    .filter((s) => DECLARATION_KINDS.has(s.kind))
    .map((s) => ({
      name: s.name,
      line: "selectionRange" in s ? s.selectionRange.start.line : s.location.range.start.line,
    }));
}

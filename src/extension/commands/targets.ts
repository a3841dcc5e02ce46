// What a command acts on: a CodeLens passes { file, model }, a menu passes the file's Uri, the
// palette passes nothing (the active editor, then a pick).
import * as vscode from 'vscode';
import type { ArchLab } from '../archlab';

export interface ModelTarget {
  file: string;
  model?: string;
}

export function isModelTarget(value: unknown): value is { file: string; model: string } {
  return typeof value === 'object' && value !== null && typeof (value as ModelTarget).file === 'string';
}

export function targetOf(arg: unknown): ModelTarget | undefined {
  if (isModelTarget(arg)) return arg;
  if (arg instanceof vscode.Uri) return { file: arg.fsPath };
  const editor = vscode.window.activeTextEditor;
  return editor?.document.uri.scheme === 'file' ? { file: editor.document.uri.fsPath } : undefined;
}

/** Asks which architecture of the file, preselecting the one under the cursor. */
export async function pickModel(lab: ArchLab, file: string): Promise<string | undefined> {
  const inspection = await lab.inspector.inspect(file);
  if (inspection.error) throw inspection.error;
  const names = inspection.report?.models.map((m) => m.name) ?? [];
  if (!names.length) throw new Error(`${vscode.workspace.asRelativePath(file)} exports no architecture.`);
  if (names.length === 1) return names[0];
  const underCursor = await modelUnderCursor(file, names);
  const items = names.map((name) => ({ label: name, picked: name === underCursor }));
  if (underCursor) items.sort((a, b) => Number(b.picked) - Number(a.picked));
  return (await vscode.window.showQuickPick(items, { title: 'Train which architecture?' }))?.label;
}

async function modelUnderCursor(file: string, names: string[]): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.fsPath !== file) return undefined;
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
    'vscode.executeDocumentSymbolProvider',
    editor.document.uri,
  );
  const line = editor.selection.active.line;
  return symbols?.find((s) => names.includes(s.name) && 'range' in s && s.range.contains(new vscode.Position(line, 0)))?.name;
}

/** Model files are code: inspecting or training them runs it. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    'ArchLab runs model files to inspect and train them, and model files are code. Trust this workspace to enable training.',
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

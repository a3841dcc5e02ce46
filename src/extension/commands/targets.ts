// What a command acts on: a CodeLens passes { file, model }, a menu passes the file's Uri, the
// palette passes nothing (the active editor, then a pick).
import * as vscode from "vscode";
import type { RunRecord } from "../../engine/types";
import type { Inspector } from "../inspect/inspector";

export interface ModelTarget {
  file: string;
  model?: string;
}

/** A file and the architecture in it, as a CodeLens passes them. */
export function isModelTarget(value: unknown): value is { file: string; model: string } {
  return isTarget(value) && typeof value.model === "string";
}

function isTarget(value: unknown): value is ModelTarget {
  if (typeof value !== "object" || value === null) return false;
  const { file, model } = value as Record<string, unknown>;
  return typeof file === "string" && (model === undefined || typeof model === "string");
}

/** Tells the user that the command needs a model file open. */
export function noModelFile(what = "a model file"): void {
  void vscode.window.showInformationMessage(`ArchLab: open ${what} first.`);
}

/**
 * The file and architecture a command acts on: the argument's, else the open file and `pick`'s
 * answer. Undefined when no model file is open (the user is told) or the pick was dismissed.
 */
export async function modelTargetOf(
  arg: unknown,
  pick: (file: string) => Promise<string | undefined>,
  what?: string,
): Promise<{ file: string; model: string } | undefined> {
  const target = targetOf(arg);
  if (!target) return void noModelFile(what);
  const model = target.model ?? (await pick(target.file));
  return model ? { file: target.file, model } : undefined;
}

export function targetOf(arg: unknown): ModelTarget | undefined {
  if (isTarget(arg)) return arg;
  if (arg instanceof vscode.Uri) return { file: arg.fsPath };
  const editor = vscode.window.activeTextEditor;
  return editor?.document.uri.scheme === "file" ? { file: editor.document.uri.fsPath } : undefined;
}

/** Asks which architecture of the file, preselecting the one under the cursor. */
export async function pickModel(inspector: Pick<Inspector, "inspect">, file: string): Promise<string | undefined> {
  const inspection = await inspector.inspect(file);
  if (inspection.error) throw inspection.error;
  const names = inspection.report?.models.map((m) => m.name) ?? [];
  if (!names.length) throw new Error(`${vscode.workspace.asRelativePath(file)} exports no architecture.`);
  if (names.length === 1) return names[0];
  const underCursor = await modelUnderCursor(file, names);
  const items = names.map((name) => ({ label: name, picked: name === underCursor }));
  if (underCursor) items.sort((a, b) => Number(b.picked) - Number(a.picked));
  return (await vscode.window.showQuickPick(items, { title: "Train which architecture?" }))?.label;
}

/** Asks which run, among those `filter` passes (by default: not training). */
export async function pickRun(
  runs: { list(): RunRecord[] },
  title: string,
  filter = (record: RunRecord) => record.status !== "running",
  none = "no runs yet",
): Promise<string | undefined> {
  const items = runs
    .list()
    .filter(filter)
    .map((r) => ({
      label: r.model,
      description: `${r.status}${r.results ? ` · ${(r.results.testAccuracy * 100).toFixed(2)}%` : ""}`,
      detail: `${new Date(r.startedAt).toLocaleString()} · ${r.file}`,
      id: r.id,
    }));
  if (!items.length) {
    void vscode.window.showInformationMessage(`ArchLab: ${none}.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}

async function modelUnderCursor(file: string, names: string[]): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.fsPath !== file) return undefined;
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
    "vscode.executeDocumentSymbolProvider",
    editor.document.uri,
  );
  const line = editor.selection.active.line;
  return symbols?.find((s) => names.includes(s.name) && "range" in s && s.range.contains(new vscode.Position(line, 0)))
    ?.name;
}

/** Model files are code: inspecting or training them runs it. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = "Manage Workspace Trust";
  const choice = await vscode.window.showWarningMessage(
    "ArchLab runs model files to inspect and train them, and model files are code. Trust this workspace to enable training.",
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand("workbench.trust.manage");
  return false;
}

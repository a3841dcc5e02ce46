// Inlay hints after each call that makes layers in an architecture (output shape, params, MACs
// where they matter) and a hover on it with the details, from the editor's latest inspection.
import * as vscode from "vscode";
import { Settings } from "../constants";
import type { Inspector } from "../inspect/inspector";
import type { EditorInspections } from "./editorInspections";
import { layerSites, siteAt, type LayerSite } from "./layerSites";
import { hoverMarkdown, lineHintLabels } from "./layerText";

export class LayerHints implements vscode.InlayHintsProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly inspector: Pick<Inspector, "cached">,
    inspections: Pick<EditorInspections, "onDidChange">,
  ) {
    this.disposables = [
      this.changed,
      inspections.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration(`${Settings.section}.${Settings.inlayHints}`) && this.changed.fire(),
      ),
    ];
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.inlayHints, true)) return [];
    const sites = this.sitesOf(document);
    // VS Code's cap on the hints of one line (0: none), shared by the line's hints.
    const maxLength =
      vscode.workspace.getConfiguration("editor.inlayHints", document).get<number>("maximumLength", 43) ||
      Number.POSITIVE_INFINITY;
    const byLine = new Map<number, LayerSite[]>();
    for (const site of sites) byLine.set(site.location.endLine, [...(byLine.get(site.location.endLine) ?? []), site]);
    const hints: vscode.InlayHint[] = [];
    for (const [endLine, onLine] of byLine) {
      const line = endLine - 1;
      if (line >= document.lineCount || line < range.start.line || line > range.end.line) continue;
      const text = document.lineAt(line).text;
      const labels = lineHintLabels(onLine, maxLength);
      onLine.forEach((site, i) => {
        // Alone on its line, a hint goes to the line's end (after the comma); among others, right after its call.
        const column = onLine.length === 1 ? text.trimEnd().length : Math.min(site.location.endColumn - 1, text.length);
        const hint = new vscode.InlayHint(new vscode.Position(line, column), labels[i]);
        hint.paddingLeft = true;
        hint.tooltip = new vscode.MarkdownString(hoverMarkdown(site));
        hints.push(hint);
      });
    }
    return hints;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const site = siteAt(this.sitesOf(document), position.line + 1, position.character + 1);
    if (!site) return undefined;
    const l = site.location;
    return new vscode.Hover(
      new vscode.MarkdownString(hoverMarkdown(site)),
      new vscode.Range(l.line - 1, l.column - 1, l.endLine - 1, l.endColumn - 1),
    );
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private sitesOf(document: vscode.TextDocument): LayerSite[] {
    if (!vscode.workspace.isTrusted) return [];
    return layerSites(this.inspector.cached(document.uri.fsPath)?.report, document.uri.fsPath);
  }
}

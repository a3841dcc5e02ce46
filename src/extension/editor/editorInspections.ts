// Model files inspected as the editor has them: on open, and after a pause in typing (the
// inspection builds every architecture in a child process, too much for each keystroke). Owns the
// Problems of model files, and tells lenses, hints and hovers when an inspection changed.
import * as vscode from "vscode";
import type { Inspector } from "../inspect/inspector";
import { modelDiagnostics } from "../codelens/diagnostics";
import { topLevelSymbols } from "../codelens/symbols";

const TYPING_PAUSE_MS = 600;

export class EditorInspections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** An inspection of this document finished with another result than the last. */
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("archlab");
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly inspector: Pick<Inspector, "inspect" | "cached" | "forgetAll">,
    private readonly selector: vscode.DocumentSelector,
  ) {
    this.disposables.push(
      this.changed,
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((doc) => this.request(doc, 0)),
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.contentChanges.length && this.request(e.document, TYPING_PAUSE_MS),
      ),
      vscode.workspace.onDidSaveTextDocument((doc) => this.onSaved(doc)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.diagnostics.delete(doc.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.requestAll()),
    );
    this.requestAll();
  }

  /** Inspects `document`'s text after `delayMs` (a later request for it restarts the wait). */
  request(document: vscode.TextDocument, delayMs: number): void {
    if (!this.isModelFile(document) || !vscode.workspace.isTrusted) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.inspectNow(document);
      }, delayMs),
    );
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private isModelFile(document: vscode.TextDocument): boolean {
    return vscode.languages.match(this.selector, document) > 0;
  }

  private requestAll(): void {
    for (const document of vscode.workspace.textDocuments) this.request(document, 0);
  }

  /**
   * A model file's inspection is keyed by its own content; a saved helper module it may import
   * (any other script) makes every inspection stale.
   */
  private onSaved(document: vscode.TextDocument): void {
    if (this.isModelFile(document) || !/\.(ts|js|mjs|cjs|mts|cts)$/.test(document.uri.fsPath)) return;
    this.inspector.forgetAll();
    this.requestAll();
  }

  private async inspectNow(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const file = document.uri.fsPath;
    const text = document.getText();
    const before = this.inspector.cached(file);
    const after = await this.inspector.inspect(file, text);
    if (after === before || this.inspector.cached(file) !== after || document.isClosed) return;
    const symbols = await topLevelSymbols(document.uri);
    this.diagnostics.set(document.uri, modelDiagnostics(document.uri, after, symbols, text));
    this.changed.fire(document.uri);
  }
}

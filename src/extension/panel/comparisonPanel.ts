// One open comparison panel: feeds it runs after its `ready` handshake and acts on its requests.
import * as vscode from "vscode";
import type { RunRecord } from "../../engine/types";
import type { HostToWebview, PanelRun, WebviewToHost } from "../../shared/webview-protocol";
import type { RunActions, RunsChange, RunsModel, SweepsModel } from "../contracts";
import { BatchCoalescer } from "./batchCoalescer";
import { exportChartPng, exportGraph, exportTable } from "./exports";
import { createNonce, panelHtml } from "./html";
import { parseWebviewMessage } from "./messages";

export const PANEL_TITLE = "ArchLab: Compare";

/** How the panel shows a failed request to the user (notify.ts's showError, bound to the log). */
export type ErrorReporter = (context: string, error: unknown) => void;

const REQUEST_NAMES: Record<WebviewToHost["type"], string> = {
  ready: "show the runs",
  stop: "stop the run",
  rerun: "rerun the run",
  delete: "delete the runs",
  annotate: "save the name, note or star",
  resumeSweep: "resume the sweep",
  openSource: "open the source",
  exportModel: "export the model",
  continueTraining: "continue training",
  deleteSavedModel: "delete the saved model",
  diffSources: "compare the sources",
  exportTable: "export the table",
  exportChart: "export the chart",
  exportGraph: "export the graph",
  openLayer: "open the layer's source",
  testImages: "load the test images",
  predict: "predict with the models",
};

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")],
  };
}

export function toPanelRun(record: RunRecord): PanelRun {
  return { ...record, source: { sha256: record.source.sha256 } };
}

export class ComparisonPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly batches = new BatchCoalescer((progress) => this.post({ type: "batches", progress }));
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runs: RunsModel,
    private readonly actions: RunActions,
    private readonly reportError: ErrorReporter,
    private readonly sweeps?: SweepsModel,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "panel.css")).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      runs.onDidChange((change) => this.forward(change)),
      ...(sweeps ? [sweeps.onDidChange(() => this.sendSweeps())] : []),
      // A hidden panel's page is discarded (no retainContextWhenHidden); when shown again it
      // reloads and says `ready`, so nothing needs sending in between.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
          this.batches.dispose();
        }
      }),
      this.batches,
    );
  }

  private post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private sendSnapshot(): void {
    this.batches.dispose();
    this.post({ type: "snapshot", runs: this.runs.list().map(toPanelRun), warnings: [...(this.runs.warnings ?? [])] });
    this.sendSweeps();
  }

  private sendSweeps(): void {
    if (this.sweeps) this.post({ type: "sweeps", sweeps: this.sweeps.list() });
  }

  private forward(change: RunsChange): void {
    switch (change.kind) {
      case "upsert":
        this.batches.forget(change.record.id);
        return this.post({ type: "upsert", run: toPanelRun(change.record) });
      case "removed":
        this.batches.forget(change.id);
        return this.post({ type: "removed", id: change.id });
      case "batch":
        if (this.ready) this.batches.push(change.progress);
        return;
      case "reset":
        return this.sendSnapshot();
      default:
        return assertNever(change);
    }
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    this.handle(message).catch((error: unknown) => {
      this.post({ type: "notice", level: "error", message: error instanceof Error ? error.message : String(error) });
      this.reportError(`Could not ${REQUEST_NAMES[message.type]}`, error);
    });
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case "ready":
        this.ready = true;
        return this.sendSnapshot();
      case "stop":
        return this.actions.stop(message.runId);
      case "rerun":
        return this.actions.rerun(message.runId);
      case "delete":
        return this.actions.delete(message.runIds);
      case "annotate":
        return this.actions.annotate(message.runId, message.annotations);
      case "resumeSweep":
        return this.sweeps?.resume(message.sweepId);
      case "openSource":
        return this.actions.openSource(message.runId);
      case "exportModel":
        return this.actions.exportModel(message.runId);
      case "continueTraining":
        return this.actions.continueTraining(message.runId);
      case "deleteSavedModel":
        return this.actions.deleteSavedModel(message.runId);
      case "diffSources":
        return this.actions.diffSources(message.leftRunId, message.rightRunId);
      case "exportTable": {
        const saved = await exportTable(this.recordsFor(message.runIds), message.format);
        if (saved) this.post({ type: "notice", level: "info", message: `Table saved to ${saved.fsPath}` });
        return;
      }
      case "exportChart": {
        const saved = await exportChartPng(message.chart, message.pngDataUrl);
        if (saved) this.post({ type: "notice", level: "info", message: `Chart saved to ${saved.fsPath}` });
        return;
      }
      case "exportGraph": {
        const saved = await exportGraph(message.name, message.format, message.data);
        if (saved) this.post({ type: "notice", level: "info", message: `Graph saved to ${saved.fsPath}` });
        return;
      }
      case "openLayer":
        return this.actions.openLayer(message.runId, message.layer);
      case "testImages":
        return this.sendTestImages(message.requestId, message.runId, message.indices);
      case "predict": {
        const results = await this.actions
          .predict(message.runIds, message.pixels)
          .catch((err: Error) => message.runIds.map((runId) => ({ runId, error: err.message })));
        return this.post({ type: "predictions", requestId: message.requestId, results });
      }
      default:
        return assertNever(message);
    }
  }

  /** The webview's own rows, in its order; every run when it sent none. */
  private recordsFor(ids: string[]): RunRecord[] {
    if (ids.length === 0) return this.runs.list();
    return ids.map((id) => this.runs.get(id)).filter((r): r is RunRecord => r !== undefined);
  }

  private async sendTestImages(requestId: number, runId: string, indices: number[]): Promise<void> {
    const images = await Promise.all(
      indices.map(async (index) => {
        const image = await this.actions.testImage(runId, index);
        return image && { index, ...image };
      }),
    );
    this.post({ type: "testImages", requestId, runId, images: images.filter((i) => i !== undefined) });
  }

  dispose(): void {
    this.ready = false;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

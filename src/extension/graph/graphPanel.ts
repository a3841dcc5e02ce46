// Show Architecture Graph: the architecture under the cursor as a graph in a panel beside the
// editor, redrawn when the editor's inspection of the file changes; a click opens a layer's line.
import * as vscode from "vscode";
import type { ModelSummary } from "../../engine/types";
import type { GraphToHost, HostToGraph } from "../../shared/graph-protocol";
import { Commands, GRAPH_VIEW_TYPE } from "../constants";
import { registerCommand } from "../commands/register";
import { isModelTarget, noModelFile, pickModel } from "../commands/targets";
import type { EditorInspections } from "../editor/editorInspections";
import { layerSites, siteAt } from "../editor/layerSites";
import { openLayerLocation } from "../editor/openLocation";
import type { Inspector } from "../inspect/inspector";
import { exportGraph } from "../panel/exports";
import { createNonce, panelHtml } from "../panel/html";
import { isChartName, isGraphData } from "../panel/messages";
import { webviewOptions } from "../panel/comparisonPanel";
import { topLevelSymbols } from "../codelens/symbols";

export interface GraphHost {
  readonly log: vscode.LogOutputChannel;
  readonly inspector: Pick<Inspector, "inspect" | "cached">;
}

interface Shown {
  panel: vscode.WebviewPanel;
  file: string;
  model: string;
  summary?: ModelSummary;
  ready: boolean;
}

export function registerGraphCommand(
  lab: GraphHost,
  inspections: Pick<EditorInspections, "onDidChange">,
  extensionUri: vscode.Uri,
): vscode.Disposable[] {
  let shown: Shown | undefined;

  const send = (message: HostToGraph) => shown?.ready && void shown.panel.webview.postMessage(message);

  const refresh = () => {
    if (!shown) return;
    const model = lab.inspector.cached(shown.file)?.report?.models.find((m) => m.name === shown!.model);
    if (model?.summary) {
      shown.summary = model.summary;
      send({ type: "graph", summary: model.summary });
    } else if (model?.error) send({ type: "notice", message: `${model.name} does not build: ${model.error.message}` });
  };

  const receive = async (raw: unknown) => {
    const message = parseGraphMessage(raw);
    if (!message || !shown) return;
    switch (message.type) {
      case "ready":
        shown.ready = true;
        return refresh();
      case "openLayer": {
        const location = shown.summary?.layers.find((l) => l.name === message.layer)?.location;
        if (location) await openLayerLocation(location);
        return;
      }
      case "exportGraph": {
        const saved = await exportGraph(message.name, message.format, message.data);
        if (saved) send({ type: "notice", message: `Graph saved to ${saved.fsPath}` });
        return;
      }
    }
  };

  const open = (file: string, model: string) => {
    if (!shown) {
      const panel = vscode.window.createWebviewPanel(
        GRAPH_VIEW_TYPE,
        `Graph: ${model}`,
        vscode.ViewColumn.Beside,
        webviewOptions(extensionUri),
      );
      const webview = panel.webview;
      webview.html = panelHtml({
        cspSource: webview.cspSource,
        nonce: createNonce(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "graph.js")).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "media", "panel.css")).toString(),
        title: "ArchLab: Architecture Graph",
      });
      const current: Shown = { panel, file, model, ready: false };
      shown = current;
      const listening = webview.onDidReceiveMessage((raw) =>
        receive(raw).catch((err: unknown) =>
          lab.log.error(`Architecture graph: ${err instanceof Error ? err.message : String(err)}`),
        ),
      );
      panel.onDidDispose(() => {
        listening.dispose();
        if (shown === current) shown = undefined;
      });
      // A hidden panel's page reloads when shown again, and says `ready` again.
      panel.onDidChangeViewState(() => !panel.visible && (current.ready = false));
    } else {
      Object.assign(shown, { file, model });
      shown.panel.title = `Graph: ${model}`;
      shown.panel.reveal(vscode.ViewColumn.Beside, true);
      refresh();
    }
  };

  return [
    inspections.onDidChange((uri) => uri.fsPath === shown?.file && refresh()),
    { dispose: () => void shown?.panel.dispose() },
    registerCommand(lab.log, {
      id: Commands.showArchitectureGraph,
      failure: "Could not show the architecture graph",
      needsTrust: true,
      run: async (arg) => {
        const target = await graphTarget(lab, arg);
        if (target) open(target.file, target.model);
      },
    }),
  ];
}

/** The architecture a CodeLens names, else the one under the cursor, else a pick. */
async function graphTarget(lab: GraphHost, arg: unknown): Promise<{ file: string; model: string } | undefined> {
  if (isModelTarget(arg)) return arg;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== "file") return void noModelFile();
  const file = editor.document.uri.fsPath;
  const inspection = await lab.inspector.inspect(file, editor.document.getText());
  if (inspection.error) throw inspection.error;
  const names = inspection.report?.models.map((m) => m.name) ?? [];
  const cursor = editor.selection.active;
  const site = siteAt(layerSites(inspection.report, file), cursor.line + 1, cursor.character + 1);
  const symbols = (await topLevelSymbols(editor.document.uri)).filter(
    (s) => names.includes(s.name) && s.line <= cursor.line,
  );
  const model =
    site?.model ?? symbols.sort((a, b) => b.line - a.line)[0]?.name ?? (await pickModel(lab.inspector, file));
  return model ? { file, model } : undefined;
}

function parseGraphMessage(raw: unknown): GraphToHost | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case "ready":
      return { type: "ready" };
    case "openLayer":
      return typeof m.layer === "string" && m.layer.length <= 512 ? { type: "openLayer", layer: m.layer } : undefined;
    case "exportGraph":
      return isChartName(m.name) && isGraphData(m.format, m.data)
        ? { type: "exportGraph", name: m.name, format: m.format, data: m.data as string }
        : undefined;
    default:
      return undefined;
  }
}

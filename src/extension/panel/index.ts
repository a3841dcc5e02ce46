// The comparison panel's entry point for the extension: one panel per window, restored on reload.
import * as vscode from "vscode";
import type { RunActions, RunsModel, SweepsModel } from "../contracts";
import { VIEW_TYPE } from "../constants";
import { ComparisonPanel, PANEL_TITLE, webviewOptions, type ErrorReporter } from "./comparisonPanel";

export function registerComparisonPanel(
  context: vscode.ExtensionContext,
  runs: RunsModel,
  actions: RunActions,
  reportError: ErrorReporter,
  sweeps?: SweepsModel,
): { show(): void } {
  let current: ComparisonPanel | undefined;

  const attach = (panel: vscode.WebviewPanel): void => {
    const opened = new ComparisonPanel(panel, context.extensionUri, runs, actions, reportError, sweeps);
    current = opened;
    panel.onDidDispose(() => {
      opened.dispose();
      if (current === opened) current = undefined;
    });
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      // The webview keeps its own view state (getState/setState); the host only rebuilds the page.
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        attach(panel);
      },
    }),
    { dispose: () => void current?.panel.dispose() },
  );

  return {
    show() {
      if (current) return current.panel.reveal();
      attach(
        vscode.window.createWebviewPanel(
          VIEW_TYPE,
          PANEL_TITLE,
          vscode.ViewColumn.Active,
          webviewOptions(context.extensionUri),
        ),
      );
    },
  };
}

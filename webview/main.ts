// Webview entry: registers the VS Code elements in use, starts the panel, then says `ready` so the
// host sends its snapshot.
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import type { HostToWebview } from "../src/shared/webview-protocol";
import { App } from "./app";
import { postToHost } from "./host";

const app = new App(document.getElementById("app") ?? document.body);

// Read-only handle for inspecting the live charts (browser tests, the bench).
Object.defineProperty(window, "archlabPanel", {
  value: Object.freeze({
    charts: app.charts.charts,
    compareCharts: app.compare.charts,
    sweepCharts: () => app.sweepView.charts(),
    get parallel() {
      return app.parallel.chart;
    },
    get parallelLines() {
      return app.parallel.lines;
    },
  }),
});

window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
  if (event.data && typeof event.data === "object" && "type" in event.data) app.receive(event.data);
});

postToHost({ type: "ready" });

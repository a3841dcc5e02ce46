// The architecture graph of a run in the panel's details; its requests go to the host by run id.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import { postToHost } from "../host";
import { exportName } from "./graphLayout";
import { GraphView } from "./graphView";

export function runGraph(run: PanelRun): HTMLElement | undefined {
  const summary = run.summary;
  if (!summary?.layers.length) return undefined;
  const view = new GraphView(summary, {
    openLayer: (layer) => postToHost({ type: "openLayer", runId: run.id, layer: layer.name }),
    exportGraph: (format, data) => postToHost({ type: "exportGraph", name: exportName(run.model), format, data }),
  });
  return el("div", { className: "arch-graph-section" }, el("h4", {}, "Architecture graph"), view.element);
}

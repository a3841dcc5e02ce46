// Entry of the architecture graph panel: draws the summary the host sends, and says `ready` first.
import type { GraphToHost, HostToGraph } from "../../src/shared/graph-protocol";
import { el } from "../dom";
import { exportName } from "./graphLayout";
import { GraphView } from "./graphView";

declare function acquireVsCodeApi(): { postMessage(message: GraphToHost): void };

const api = acquireVsCodeApi();
const root = document.getElementById("app") ?? document.body;
const title = el("h2", {});
const notice = el("p", { className: "muted" });
root.append(title, notice);
let view: GraphView | undefined;

window.addEventListener("message", (event: MessageEvent<HostToGraph>) => {
  const message = event.data;
  if (!message || typeof message !== "object") return;
  switch (message.type) {
    case "graph": {
      const summary = message.summary;
      title.textContent = summary.name;
      notice.textContent = `${summary.params.total.toLocaleString("en-US")} params · ${summary.layers.length} layers · click a layer to open its line`;
      if (view) view.update(summary);
      else {
        view = new GraphView(summary, {
          openLayer: (layer) => api.postMessage({ type: "openLayer", layer: layer.name }),
          exportGraph: (format, data) =>
            api.postMessage({ type: "exportGraph", name: exportName(summary.name), format, data }),
        });
        root.append(view.element);
      }
      return;
    }
    case "notice":
      notice.textContent = message.message;
      return;
  }
});

api.postMessage({ type: "ready" });

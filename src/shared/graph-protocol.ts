// Messages between the extension host and an architecture graph panel (types only).
import type { ModelSummary } from "../engine/types";
import type { GraphFormat } from "./webview-protocol";

export type HostToGraph = { type: "graph"; summary: ModelSummary } | { type: "notice"; message: string };

export type GraphToHost =
  | { type: "ready" }
  /** Opens the source line of a layer of the shown summary, by its name. */
  | { type: "openLayer"; layer: string }
  | { type: "exportGraph"; name: string; format: GraphFormat; data: string };

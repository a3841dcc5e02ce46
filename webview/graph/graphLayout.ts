// An architecture as a laid-out graph: one node per input and layer, an edge per data flow (so a
// residual add or a concatenation has its real branches), placed by dagre's layered layout.
import dagre, { type GraphLabel } from "@dagrejs/dagre";
import type { LayerSummary, ModelSummary } from "../../src/engine/types";
import { formatShape } from "../../src/shared/layers";

export type GraphWeight = "params" | "macs";

export interface GraphNode {
  id: string;
  layer?: LayerSummary;
  lines: string[];
  /** The node's share of the model's params or MACs, 0..1. */
  share: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface ArchitectureLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

const CHAR_WIDTH = 7;
const LINE_HEIGHT = 16;
const PADDING = 10;

/** What dagre reads (a node's size) and writes (its centre; an edge's route) on the labels. */
type NodeLabel = { width: number; height: number; x?: number; y?: number };
type EdgeLabel = { points?: { x: number; y: number }[] };

const count = (n: number) => n.toLocaleString("en-US");

export function macsText(macs: number): string {
  if (macs === 0) return "0";
  if (macs >= 1e9) return `${(macs / 1e9).toFixed(1)} G`;
  if (macs >= 1e5) return `${(macs / 1e6).toFixed(1)} M`;
  return `${(macs / 1e3).toFixed(1)} K`;
}

/** A file-name-safe name for exports (the host accepts letters, digits and dashes). */
export function exportName(model: string): string {
  return model.replace(/[^a-z0-9-]+/gi, "-").slice(0, 40) || "model";
}

export function layoutArchitecture(summary: ModelSummary, weight: GraphWeight): ArchitectureLayout {
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  graph.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 28, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  const total = weight === "params" ? summary.params.total : summary.macs;
  const nodes = new Map<string, Omit<GraphNode, "x" | "y">>();
  const add = (node: Omit<GraphNode, "x" | "y" | "width" | "height">) => {
    const width = Math.max(...node.lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PADDING;
    const height = node.lines.length * LINE_HEIGHT + PADDING;
    nodes.set(node.id, { ...node, width, height });
    graph.setNode(node.id, { width, height });
  };
  const inputs = summary.inputs ?? [{ name: "input", shape: summary.inputShape }];
  for (const input of inputs)
    add({ id: input.name, lines: [input.name, `Input · ${formatShape(input.shape)}`], share: 0 });
  for (const layer of summary.layers) {
    const value = weight === "params" ? layer.params : layer.macs;
    add({
      id: layer.name,
      layer,
      lines: [
        layer.name,
        `${layer.type} · ${formatShape(layer.outputShape)}`,
        `${count(layer.params)} params · ${macsText(layer.macs)} MACs`,
      ],
      share: total > 0 ? value / total : 0,
    });
  }
  // A Sequential's summary before inbound layers were recorded: the layers in order.
  const chained = summary.layers.every((l) => !l.inputs);
  summary.layers.forEach((layer, i) => {
    const from = chained ? [i === 0 ? inputs[0].name : summary.layers[i - 1].name] : (layer.inputs ?? []);
    for (const source of from) if (nodes.has(source)) graph.setEdge(source, layer.name);
  });
  dagre.layout(graph);
  const placed: GraphNode[] = [...nodes.values()].map((node) => {
    const at = graph.node(node.id);
    return { ...node, x: at.x ?? 0, y: at.y ?? 0 };
  });
  const edges: GraphEdge[] = graph.edges().map((e) => ({ from: e.v, to: e.w, points: graph.edge(e).points ?? [] }));
  const size = graph.graph();
  return { nodes: placed, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

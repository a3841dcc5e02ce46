// The architecture graph: an SVG of the laid-out layers, shaded by their share of the params or
// MACs in the theme's colours, with wheel zoom, drag pan, SVG/PNG export and a click that opens the
// layer's source line.
//
// Zoom and pan are a transform on one group, written here: d3-zoom would bring d3-selection,
// d3-transition and d3-interpolate for the forty lines below.
import type { LayerSummary, ModelSummary } from "../../src/engine/types";
import { el } from "../dom";
import { onThemeChange, readTheme, withAlpha } from "../theme";
import { layoutArchitecture, type ArchitectureLayout, type GraphWeight } from "./graphLayout";

const SVG = "http://www.w3.org/2000/svg";
const LINE_HEIGHT = 16;
const MAX_HEIGHT = 640;
const MIN_FIT_SCALE = 0.6;

export interface GraphActions {
  openLayer(layer: LayerSummary): void;
  exportGraph(format: "svg" | "png", data: string): void;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

export class GraphView {
  readonly element = el("div", { className: "arch-graph" });
  private readonly canvas = svg("svg", { class: "arch-graph-canvas", role: "img" });
  private readonly content = svg("g");
  private weight: GraphWeight = "params";
  private layout: ArchitectureLayout | undefined;
  private view = { x: 0, y: 0, scale: 1 };

  constructor(
    private summary: ModelSummary,
    private readonly actions: GraphActions,
  ) {
    const weight = el("select", { className: "arch-graph-weight", title: "What the shading shows" });
    weight.append(new Option("Shade by params", "params"), new Option("Shade by MACs", "macs"));
    weight.addEventListener("change", () => {
      this.weight = weight.value as GraphWeight;
      this.render();
    });
    const button = (label: string, run: () => void) => {
      const b = el("button", { className: "arch-graph-button" }, label);
      b.addEventListener("click", run);
      return b;
    };
    this.element.append(
      el(
        "div",
        { className: "arch-graph-toolbar" },
        weight,
        button("Fit", () => this.fit()),
        button("Export SVG", () => this.actions.exportGraph("svg", this.svgText())),
        button("Export PNG", () => void this.pngDataUrl().then((url) => this.actions.exportGraph("png", url))),
      ),
      this.canvas,
    );
    this.canvas.append(this.content);
    this.enableZoomAndPan();
    // Laid out before the panel placed it: fit again once it has a width, and when that changes.
    let width = 0;
    new ResizeObserver(() => {
      if (this.canvas.clientWidth === width) return;
      width = this.canvas.clientWidth;
      this.fit();
    }).observe(this.canvas);
    onThemeChange(() => this.render());
    this.render();
  }

  update(summary: ModelSummary): void {
    this.summary = summary;
    this.render();
  }

  private render(): void {
    const theme = readTheme();
    const layout = layoutArchitecture(this.summary, this.weight);
    this.layout = layout;
    this.content.replaceChildren();
    this.canvas.setAttribute(
      "aria-label",
      `Graph of ${this.summary.name}: ${layout.nodes.length} nodes, ${layout.edges.length} edges`,
    );
    const edgeColour = withAlpha(theme.foreground, 0.55);
    const defs = svg("defs");
    const marker = svg("marker", {
      id: "arch-arrow",
      viewBox: "0 0 10 10",
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto-start-reverse",
    });
    marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: edgeColour }));
    defs.append(marker);
    this.content.append(defs);
    for (const edge of layout.edges) {
      const d = edge.points.map((p, i) => `${i ? "L" : "M"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
      const path = svg("path", {
        d,
        fill: "none",
        stroke: edgeColour,
        "stroke-width": 1.3,
        "marker-end": "url(#arch-arrow)",
        class: "arch-edge",
      });
      path.dataset.from = edge.from;
      path.dataset.to = edge.to;
      this.content.append(path);
    }
    const accent = theme.palette[0];
    for (const node of layout.nodes) {
      const group = svg("g", {
        class: node.layer ? "arch-node arch-layer" : "arch-node arch-input",
        transform: `translate(${node.x - node.width / 2}, ${node.y - node.height / 2})`,
      });
      group.dataset.node = node.id;
      group.dataset.share = node.share.toFixed(4);
      // The square root spreads the small shares apart: most layers hold a few percent.
      const fill = withAlpha(accent, 0.08 + 0.8 * Math.sqrt(node.share));
      group.append(
        svg("rect", { width: node.width, height: node.height, rx: 4, fill, stroke: withAlpha(theme.foreground, 0.45) }),
      );
      node.lines.forEach((line, i) => {
        const text = svg("text", {
          x: 10,
          y: 5 + LINE_HEIGHT * (i + 0.8),
          fill: theme.foreground,
          "font-family": theme.font,
          "font-size": 12,
        });
        if (i === 0) text.setAttribute("font-weight", "bold");
        text.textContent = line;
        group.append(text);
      });
      const title = svg("title");
      title.textContent = `${node.lines.join("\n")}\n${(node.share * 100).toFixed(1)}% of the model's ${this.weight === "params" ? "params" : "MACs"}${node.layer?.location ? `\nline ${node.layer.location.line}: click to open` : ""}`;
      group.append(title);
      const layer = node.layer;
      if (layer?.location) {
        group.classList.add("has-source");
        group.addEventListener("click", () => this.actions.openLayer(layer));
      }
      this.content.append(group);
    }
    this.fit();
  }

  /**
   * The graph's width in view, no larger than life; a tall graph is shown down to a readable
   * size, the rest a drag away.
   */
  private fit(): void {
    const layout = this.layout;
    if (!layout) return;
    const width = this.canvas.clientWidth || 600;
    let scale = Math.min(1, width / layout.width);
    if (layout.height * scale > MAX_HEIGHT) scale = Math.max(MIN_FIT_SCALE, MAX_HEIGHT / layout.height);
    this.canvas.setAttribute("height", String(Math.ceil(Math.max(120, Math.min(MAX_HEIGHT, layout.height * scale)))));
    this.view = { x: (width - layout.width * scale) / 2, y: 0, scale };
    this.applyView();
  }

  private applyView(): void {
    const { x, y, scale } = this.view;
    this.content.setAttribute("transform", `translate(${x.toFixed(1)}, ${y.toFixed(1)}) scale(${scale.toFixed(4)})`);
  }

  private enableZoomAndPan(): void {
    this.canvas.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const box = this.canvas.getBoundingClientRect();
        const px = event.clientX - box.left;
        const py = event.clientY - box.top;
        const factor = Math.exp(-event.deltaY * 0.0015);
        const scale = Math.min(4, Math.max(0.1, this.view.scale * factor));
        const k = scale / this.view.scale;
        // The point under the pointer stays where it is.
        this.view = { x: px - (px - this.view.x) * k, y: py - (py - this.view.y) * k, scale };
        this.applyView();
      },
      { passive: false },
    );
    let drag: { x: number; y: number; viewX: number; viewY: number } | undefined;
    this.canvas.addEventListener("pointerdown", (event) => {
      if ((event.target as Element).closest(".arch-node")) return;
      drag = { x: event.clientX, y: event.clientY, viewX: this.view.x, viewY: this.view.y };
      this.canvas.setPointerCapture(event.pointerId);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!drag) return;
      this.view = { ...this.view, x: drag.viewX + event.clientX - drag.x, y: drag.viewY + event.clientY - drag.y };
      this.applyView();
    });
    const end = () => (drag = undefined);
    this.canvas.addEventListener("pointerup", end);
    this.canvas.addEventListener("pointercancel", end);
  }

  /** The graph alone, at full size, with its colours written in: it reads the same outside VS Code. */
  svgText(): string {
    const layout = this.layout!;
    const copy = svg("svg", {
      xmlns: SVG,
      width: Math.ceil(layout.width),
      height: Math.ceil(layout.height),
      viewBox: `0 0 ${layout.width} ${layout.height}`,
    });
    copy.append(svg("rect", { width: "100%", height: "100%", fill: readTheme().background }));
    const content = this.content.cloneNode(true) as SVGGElement;
    content.removeAttribute("transform");
    copy.append(content);
    return new XMLSerializer().serializeToString(copy);
  }

  async pngDataUrl(): Promise<string> {
    const layout = this.layout!;
    const image = new Image();
    const loaded = new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("The graph could not be drawn as an image."));
    });
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(this.svgText())))}`;
    await loaded;
    const scale = 2;
    const canvas = el("canvas", {});
    canvas.width = Math.ceil(layout.width * scale);
    canvas.height = Math.ceil(layout.height * scale);
    const context = canvas.getContext("2d")!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return canvas.toDataURL("image/png");
  }
}

// A titled chart with its own PNG export button and a text alternative for screen readers.
import { el } from "../dom";
import type { ChartTheme } from "../theme";
import type { AnyChart } from "./chartjs";

export interface ChartCard {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Shown instead of the chart when there is nothing to draw. */
  setEmpty(message: string | undefined): void;
  setTitle(title: string): void;
  /** What the chart shows, in words: read by screen readers in place of the canvas. */
  describe(text: string): void;
}

let cards = 0;

export function chartCard(name: string, title: string, onExport: (name: string) => void): ChartCard {
  const descriptionId = `chart-description-${++cards}`;
  const canvas = el("canvas", {
    attrs: { "data-chart": name, role: "img", "aria-label": title, "aria-describedby": descriptionId },
  });
  const description = el("p", { className: "sr-only", attrs: { id: descriptionId, "data-chart-description": name } });
  const empty = el("div", { className: "chart-empty" });
  const box = el("div", { className: "chart-box" }, canvas, empty);
  const heading = el("h3", {}, title);
  const button = el("vscode-button" as "button", { attrs: { secondary: "", "data-export-chart": name } }, "PNG");
  button.title = `Save "${title}" as PNG`;
  button.addEventListener("click", () => onExport(name));
  const element = el(
    "section",
    { className: "chart-card", attrs: { "data-chart-card": name } },
    el("header", {}, heading, button),
    box,
    description,
  );
  return {
    element,
    canvas,
    // Live updates call these for every frame: each leaves the DOM alone when nothing changes, so
    // that the page is not laid out and painted again for nothing.
    setEmpty(message) {
      setText(empty, message ?? "");
      // Chart.js owns the canvas's inline display style, so emptiness is a class on the box.
      box.classList.toggle("empty", Boolean(message));
      if (message) setText(description, message);
    },
    setTitle(text) {
      if (heading.textContent === text) return;
      heading.textContent = text;
      canvas.setAttribute("aria-label", text);
      button.title = `Save "${text}" as PNG`;
    },
    describe(text) {
      if (!box.classList.contains("empty")) setText(description, text);
    },
  };
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** The chart on the theme's background: a transparent PNG is unreadable on the other theme. */
export function chartPng(chart: AnyChart, theme: ChartTheme): string {
  const source = chart.canvas;
  const copy = document.createElement("canvas");
  copy.width = source.width;
  copy.height = source.height;
  const context = copy.getContext("2d")!;
  context.fillStyle = theme.background;
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(source, 0, 0);
  return copy.toDataURL("image/png");
}

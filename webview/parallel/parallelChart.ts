// Parallel coordinates of the runs: one line per run across the axes, runs outside the brushed
// ranges faint. Dragging along an axis brushes a range on it; a click on an axis clears its range.
//
// chartjs-chart-pcp lays out and draws the axes (linear and logarithmic) from each axis's range.
// The runs' lines are stroked by this chart's own plugin, one path per colour: the library makes one
// element per run and axis, each resolving its own options when lines differ in colour, which took
// hundreds of milliseconds per redraw for a thousand runs; one path per colour takes a few.
import type { Chart as ChartType, ChartConfiguration, Plugin } from "chart.js";
import {
  LinearAxis,
  LineSegment,
  LogarithmicAxis,
  LogarithmicParallelCoordinatesController,
  ParallelCoordinatesController,
  PCPScale,
} from "chartjs-chart-pcp";
import { baseOptions, Chart } from "../charts/chartjs";
import { type ChartTheme, withAlpha } from "../theme";
import { AXES, type AxisKey, type Brushes, type Range } from "./axes";

Chart.register(ParallelCoordinatesController, LogarithmicParallelCoordinatesController, PCPScale, LineSegment);
Chart.registry.addElements(LinearAxis, LogarithmicAxis);

export type ParallelChart = ChartType<"pcp", number[], string>;

/** The library's axes are 10 px wide, drawn left of the first axis's x and right of the others'. */
const AXIS_WIDTH = 10;
/** How far from an axis a drag still brushes it. */
const GRAB = 18;

interface AxisScale {
  x: number;
  top: number;
  bottom: number;
  getPixelForValue(value: number): number;
  getValueForPixel(pixel: number): number | undefined;
}

/** One run's line: its value on each axis, in the order of AXES. */
export interface ParallelLine {
  label: string;
  values: number[];
  color: string;
  inside: boolean;
}

type LinesChart = ParallelChart & { $lines?: { lines: ParallelLine[]; faint: string } };

export interface BrushHandlers {
  /** A range brushed on an axis, or undefined to clear it. */
  onBrush(axis: AxisKey, range: Range | undefined): void;
  brushes(): Brushes;
}

function axisScale(chart: ParallelChart, index: number): AxisScale | undefined {
  return chart.getDatasetMeta(index)?.dataset as unknown as AxisScale | undefined;
}

/** Where an axis is drawn, in canvas CSS pixels. */
function axisCenter(chart: ParallelChart, index: number): number | undefined {
  const scale = axisScale(chart, index);
  if (!scale || !Number.isFinite(scale.x)) return undefined;
  return index === 0 ? scale.x - AXIS_WIDTH / 2 : scale.x + AXIS_WIDTH / 2;
}

function drawBrush(chart: ParallelChart, index: number, range: Range, theme: ChartTheme): void {
  const scale = axisScale(chart, index);
  const center = axisCenter(chart, index);
  if (!scale || center === undefined) return;
  const clamp = (y: number) => Math.max(scale.top, Math.min(scale.bottom, y));
  const a = clamp(scale.getPixelForValue(range[0]));
  const b = clamp(scale.getPixelForValue(range[1]));
  const { ctx } = chart;
  ctx.save();
  ctx.fillStyle = withAlpha(theme.focus, 0.25);
  ctx.strokeStyle = theme.focus;
  ctx.lineWidth = 2;
  ctx.fillRect(center - 9, Math.min(a, b), 18, Math.abs(a - b) || 2);
  ctx.strokeRect(center - 9, Math.min(a, b), 18, Math.abs(a - b) || 2);
  ctx.restore();
}

export function parallelChart(canvas: HTMLCanvasElement, theme: ChartTheme, handlers: BrushHandlers): ParallelChart {
  let preview: { index: number; range: Range } | undefined;
  const brushPlugin: Plugin<"pcp"> = {
    id: "archlabLinesAndBrushes",
    // Under the axes, so their ticks stay readable; faint lines first, the lines inside the ranges over them.
    beforeDatasetsDraw(chart) {
      const drawn = (chart as LinesChart).$lines;
      if (drawn) drawLines(chart as ParallelChart, drawn.lines, drawn.faint);
    },
    afterDatasetsDraw(chart) {
      const brushes = handlers.brushes();
      AXES.forEach((axis, index) => {
        const range = preview?.index === index ? preview.range : brushes[axis.key];
        if (range) drawBrush(chart as ParallelChart, index, range, theme);
      });
    },
  };
  const config: ChartConfiguration<"pcp", number[], string> = {
    type: "pcp",
    data: { labels: [], datasets: [] },
    options: {
      ...(baseOptions(theme) as object),
      // Hover effects would restyle 8,000 segments on every mouse move over a thousand runs.
      events: [],
      layout: { padding: { top: 8, bottom: 4, left: 8, right: 40 } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { ticks: { color: theme.foreground, font: { family: theme.font } } } },
    },
    plugins: [brushPlugin],
  };
  const chart = new Chart(canvas, config);

  // Dragging: the axis nearest the press, its range following the pointer until release.
  let drag: { index: number; startY: number; moved: boolean } | undefined;
  const valueAt = (index: number, y: number) => {
    const scale = axisScale(chart, index)!;
    return scale.getValueForPixel(Math.max(scale.top, Math.min(scale.bottom, y)));
  };
  const rangeOf = (index: number, y: number): Range | undefined => {
    const a = valueAt(index, drag!.startY);
    const b = valueAt(index, y);
    return a === undefined || b === undefined ? undefined : [Math.min(a, b), Math.max(a, b)];
  };
  canvas.addEventListener("pointerdown", (event) => {
    const area = chart.chartArea;
    if (!area || event.offsetY < area.top - 4 || event.offsetY > area.bottom + 4) return;
    let best: { index: number; distance: number } | undefined;
    AXES.forEach((_, index) => {
      const center = axisCenter(chart, index);
      const distance = center === undefined ? Infinity : Math.abs(center - event.offsetX);
      if (distance <= GRAB && (!best || distance < best.distance)) best = { index, distance };
    });
    if (!best) return;
    drag = { index: best.index, startY: event.offsetY, moved: false };
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drag) return;
    drag.moved ||= Math.abs(event.offsetY - drag.startY) > 3;
    const range = drag.moved ? rangeOf(drag.index, event.offsetY) : undefined;
    preview = range && { index: drag.index, range };
    chart.draw();
  });
  const release = (event: PointerEvent) => {
    if (!drag) return;
    const { index, moved } = drag;
    const range = moved ? rangeOf(index, event.offsetY) : undefined;
    drag = undefined;
    preview = undefined;
    handlers.onBrush(AXES[index].key, range);
    chart.draw();
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", () => {
    drag = undefined;
    preview = undefined;
    chart.draw();
  });
  return chart;
}

function drawLines(chart: ParallelChart, lines: readonly ParallelLine[], faint: string): void {
  const scales = AXES.map((_, i) => axisScale(chart, i));
  const xs = AXES.map((_, i) => axisCenter(chart, i));
  if (scales.some((s) => !s) || xs.some((x) => x === undefined)) return;
  const { ctx } = chart;
  const stroke = (group: readonly ParallelLine[], color: string, width: number) => {
    if (!group.length) return;
    ctx.beginPath();
    for (const line of group) {
      line.values.forEach((value, i) => {
        const y = scales[i]!.getPixelForValue(value);
        if (i === 0) ctx.moveTo(xs[i]!, y);
        else ctx.lineTo(xs[i]!, y);
      });
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  ctx.save();
  ctx.lineJoin = "round";
  stroke(
    lines.filter((l) => !l.inside),
    faint,
    1,
  );
  const byColor = new Map<string, ParallelLine[]>();
  for (const line of lines) {
    if (!line.inside) continue;
    const group = byColor.get(line.color);
    if (group) group.push(line);
    else byColor.set(line.color, [line]);
  }
  for (const [color, group] of byColor) stroke(group, withAlpha(color, 0.8), 1.5);
  ctx.restore();
}

/**
 * Draws the runs' lines. The library gets each axis's lowest and highest value as two invisible
 * items, which is all it needs to lay the axis out; the lines themselves are this chart's plugin's.
 */
export function updateParallel(chart: ParallelChart, lines: ParallelLine[], theme: ChartTheme): void {
  (chart as LinesChart).$lines = {
    lines,
    faint: withAlpha(theme.foreground.startsWith("#") ? theme.foreground : "#808080", 0.14),
  };
  chart.data.labels = ["lowest", "highest"];
  chart.data.datasets = AXES.map((axis, i) => {
    let low = Infinity;
    let high = -Infinity;
    for (const line of lines) {
      low = Math.min(low, line.values[i]);
      high = Math.max(high, line.values[i]);
    }
    return {
      type: axis.log ? "logarithmicPcp" : "pcp",
      label: axis.label,
      data: lines.length ? [low, high] : [],
      borderColor: "transparent",
      borderWidth: 0,
      ticks: { color: theme.foreground, font: { family: theme.font }, maxTicksLimit: 6 },
      grid: { color: theme.grid },
    };
  }) as unknown as ParallelChart["data"]["datasets"];
  chart.update("none");
}

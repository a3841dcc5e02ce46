// Loss or accuracy curves of the selected runs: train solid, test dashed, on one chart per metric or
// (split) train and test on charts of their own. Smoothed curves are drawn over their raw values,
// which stay visible faintly, as in TensorBoard.
import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { CurveOptions } from "../../src/shared/webview-protocol";
import type { EpochMetrics } from "../../src/engine/types";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { runLabel as labelOf } from "../format";
import { epochsBefore } from "../../src/engine/runs/continued";
import type { CurveStart } from "../lineage";
import type { LivePoint } from "../runs";
import { type ChartTheme, withAlpha } from "../theme";
import { axis, baseOptions, Chart } from "./chartjs";
import { smooth } from "./smoothing";
import { markUnchanged, skipUnchangedDatasets } from "./unchangedDatasets";

export type CurveMetric = "loss" | "accuracy";
export type CurveSplit = "train" | "test";

export interface Point {
  x: number;
  y: number;
}

type CurvesChart = Chart<"line", Point[]>;
/** `runLabel` ties a run's datasets together; the first of them (`primary`) stands for it in the legend. */
type LineDataset = ChartDataset<"line", Point[]> & {
  raw?: boolean;
  runLabel?: string;
  primary?: boolean;
  key?: string;
};

/** What one curves chart shows: a metric, and which of its splits. */
export interface CurvePart {
  metric: CurveMetric;
  splits: CurveSplit[];
}

export interface CurveRun {
  run: PanelRun;
  color: string;
  /** Batch progress since the panel opened, for a running run. */
  live?: readonly LivePoint[];
  /** A continued run's curves carry on from its parent's (see lineage.ts). */
  start?: CurveStart;
}

// `grace` pads the y range by a fixed amount: with one epoch, or curves that barely move, the range
// would otherwise shrink to float noise and the ticks read 19.333333335, 19.333333330, ...
const METRIC = {
  loss: {
    title: "Loss",
    grace: 0.01,
    train: (e: EpochMetrics) => e.loss,
    test: (e: EpochMetrics) => e.valLoss,
    live: (p: LivePoint) => p.loss,
  },
  accuracy: {
    title: "Accuracy (%)",
    grace: 0.5,
    train: (e: EpochMetrics) => e.acc * 100,
    test: (e: EpochMetrics) => (e.valAcc === undefined ? undefined : e.valAcc * 100),
    live: (p: LivePoint) => p.acc * 100,
  },
};

export function curvesChart(canvas: HTMLCanvasElement, metric: CurveMetric, theme: ChartTheme): CurvesChart {
  const config: ChartConfiguration<"line", Point[]> = {
    type: "line",
    data: { datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<"line">["options"]),
      parsing: false,
      scales: {
        x: axis(theme, "Epoch", { type: "linear", min: 1, ticks: { stepSize: 1, precision: 0 } }),
        y: axis(theme, METRIC[metric].title, { grace: METRIC[metric].grace }),
      },
      plugins: {
        // One entry per run (its train, test, raw and live lines share its colour), and a click on it
        // hides or shows all of them.
        legend: {
          labels: { color: theme.foreground, boxWidth: 12, generateLabels: (c) => runLegend(c as CurvesChart, theme) },
          onClick: (_event, item, legend) => toggleRun(legend.chart as CurvesChart, item.datasetIndex!),
        },
      },
    },
    plugins: [skipUnchangedDatasets],
  };
  return new Chart(canvas, config);
}

function runLegend(chart: CurvesChart, theme: ChartTheme) {
  return chart.data.datasets.flatMap((d, i) => {
    const line = d as LineDataset;
    if (!line.primary) return [];
    const color = typeof line.borderColor === "string" ? line.borderColor : "";
    return [
      {
        text: line.runLabel ?? "",
        fillStyle: color,
        strokeStyle: color,
        lineWidth: 0,
        fontColor: theme.foreground,
        hidden: !chart.isDatasetVisible(i),
        datasetIndex: i,
      },
    ];
  });
}

function toggleRun(chart: CurvesChart, index: number): void {
  const run = (chart.data.datasets[index] as LineDataset).runLabel;
  const show = !chart.isDatasetVisible(index);
  chart.data.datasets.forEach((d, i) => {
    if ((d as LineDataset).runLabel === run) chart.setDatasetVisibility(i, show);
  });
  chart.update("none");
}

/**
 * Each point's epoch and x: the epoch's number, or the training seconds at its end (after
 * `start.seconds` of the runs a continued run went on from). A continued run whose parent is drawn
 * starts at the parent's last point.
 */
function curvePoints(
  run: PanelRun,
  x: CurveOptions["x"],
  start: CurveStart | undefined,
): { epochs: EpochMetrics[]; xs: number[] } {
  let seconds = start?.seconds ?? 0;
  const xs = run.epochs.map((e) => (x === "epoch" ? e.epoch : (seconds += e.seconds)));
  const anchor = start?.anchor;
  if (!anchor) return { epochs: run.epochs, xs };
  return { epochs: [anchor, ...run.epochs], xs: [x === "epoch" ? anchor.epoch : start.seconds, ...xs] };
}

/** The points of one series, smoothed when asked; non-finite values are left out. */
export function seriesPoints(
  xs: readonly number[],
  ys: readonly (number | undefined)[],
  smoothing: number,
): { raw: Point[]; smoothed: Point[] } {
  const raw: Point[] = [];
  ys.forEach((y, i) => {
    if (y !== undefined && Number.isFinite(y)) raw.push({ x: xs[i], y });
  });
  const smoothedY = smooth(
    raw.map((p) => p.y),
    smoothing,
  );
  return { raw, smoothed: raw.map((p, i) => ({ x: p.x, y: smoothedY[i] })) };
}

/**
 * The new datasets, carried by the chart's dataset objects of the same series where there are:
 * Chart.js keeps a dataset's controller and elements only while the dataset object stays the same,
 * and rebuilding them for every curve on every live update cost most of the update. A series whose
 * points and style are as before, in the same place, keeps its data array and is marked unchanged,
 * so that the chart does not place its elements again (see unchangedDatasets.ts).
 */
function reuseDatasets(current: LineDataset[], next: LineDataset[]): LineDataset[] {
  const byKey = new Map(current.map((d, index) => [d.key, { old: d, index }]));
  return next.map((d, index) => {
    const found = d.key === undefined ? undefined : byKey.get(d.key);
    if (!found) return d;
    const { old } = found;
    byKey.delete(d.key);
    const data = old.data;
    const same = found.index === index && sameStyle(old, d) && samePoints(data, d.data);
    for (const field of Object.keys(old) as (keyof LineDataset)[]) if (!(field in d)) delete old[field];
    Object.assign(old, d);
    if (same) {
      old.data = data;
      markUnchanged(old);
    }
    return old;
  });
}

function samePoints(a: readonly Point[], b: readonly Point[]): boolean {
  return a.length === b.length && a.every((p, i) => p.x === b[i].x && p.y === b[i].y);
}

/** Every option but the data is the same (a dash pattern compared by its values). */
function sameStyle(a: LineDataset, b: LineDataset): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof LineDataset)[]);
  fields.delete("data");
  for (const field of fields) {
    const x: unknown = a[field];
    const y: unknown = b[field];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

export function updateCurves(
  chart: CurvesChart,
  part: CurvePart,
  runs: readonly CurveRun[],
  options: CurveOptions,
): void {
  const metric = METRIC[part.metric];
  const datasets: LineDataset[] = [];
  let runLabel = "";
  let primary = false;
  let runId = "";
  const add = (
    label: string,
    color: string,
    points: { raw: Point[]; smoothed: Point[] },
    style: Partial<LineDataset>,
  ) => {
    if (!points.raw.length) return;
    const line = {
      borderColor: color,
      backgroundColor: color,
      // Markers as filled dots without an outline: they look the same, and an outlined circle is
      // drawn twice (fill and stroke), which on a software canvas doubled what a live update paints.
      pointRadius: points.raw.length > 60 ? 0 : 2.5,
      pointBorderWidth: 0,
      borderWidth: 2,
      runLabel,
      ...style,
    };
    const series = label.slice(runLabel.length);
    if (options.smoothing > 0) {
      datasets.push({
        ...line,
        label: `${label} (raw)`,
        key: `${runId}${series} raw`,
        data: points.raw,
        raw: true,
        borderColor: withAlpha(color, 0.3),
        backgroundColor: withAlpha(color, 0.3),
        borderWidth: 1,
        pointRadius: 0,
      });
    }
    datasets.push({
      ...line,
      label,
      key: `${runId}${series}`,
      data: options.smoothing > 0 ? points.smoothed : points.raw,
      primary,
    });
    primary = false;
  };
  for (const { run, color, live, start } of runs) {
    runId = run.id;
    const { epochs, xs } = curvePoints(run, options.x, start);
    const label = labelOf(run);
    runLabel = label;
    primary = true;
    for (const split of part.splits) {
      const pick = split === "train" ? metric.train : metric.test;
      add(
        `${label} ${split}`,
        color,
        seriesPoints(xs, epochs.map(pick), options.smoothing),
        split === "test" ? { borderDash: [6, 4] } : {},
      );
    }
    // Within-epoch progress has no time of its own in the record, so it is drawn against epochs only.
    if (live?.length && part.splits.includes("train") && options.x === "epoch") {
      const after = run.epochs.at(-1)?.epoch ?? epochsBefore(run);
      const fresh = live.filter((p) => p.x > after);
      add(
        `${label} live`,
        color,
        seriesPoints(
          fresh.map((p) => p.x),
          fresh.map(metric.live),
          options.smoothing,
        ),
        { borderWidth: 1, borderDash: [2, 2] },
      );
    }
  }
  chart.data.datasets = reuseDatasets(chart.data.datasets, datasets);
  const scales = chart.options.scales!;
  const xAxis = scales.x as Record<string, unknown> & { title: { text: string }; ticks: Record<string, unknown> };
  // The first epoch's live progress lies between 0 and 1.
  const earliest = Math.min(...datasets.map((d) => d.data[0]?.x ?? Infinity));
  xAxis.min = options.x === "epoch" && earliest >= 1 ? 1 : 0;
  xAxis.title.text = options.x === "epoch" ? "Epoch" : "Training time (s)";
  xAxis.ticks.stepSize = options.x === "epoch" ? 1 : undefined;
  const yAxis = scales.y as Record<string, unknown> & { title: { text: string } };
  const log = part.metric === "loss" && options.logLoss;
  yAxis.type = log ? "logarithmic" : "linear";
  yAxis.title.text = log ? `${metric.title} (log scale)` : metric.title;
  chart.update("none");
}

// Test accuracy against parameter count (log scale) for completed runs, Pareto front highlighted.
import type { ChartConfiguration, TooltipItem } from "chart.js";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { formatInt } from "../format";
import { paretoFront } from "../pareto";
import { type ChartTheme, withAlpha } from "../theme";
import { axis, baseOptions, Chart } from "./chartjs";

export interface ParetoPoint {
  x: number;
  y: number;
  params: number;
  accuracy: number;
  runId: string;
  model: string;
  run: PanelRun;
}

type ParetoChart = Chart<"scatter", ParetoPoint[]>;

export function paretoPoints(runs: Iterable<PanelRun>): ParetoPoint[] {
  const points: ParetoPoint[] = [];
  for (const run of runs) {
    const params = run.summary?.params.total;
    if (run.status !== "completed" || !run.results || !params) continue;
    const accuracy = run.results.testAccuracy;
    points.push({ x: params, y: accuracy * 100, params, accuracy, runId: run.id, model: run.model, run });
  }
  return points;
}

export function paretoChart(canvas: HTMLCanvasElement, theme: ChartTheme): ParetoChart {
  const label = (item: TooltipItem<"scatter">) => {
    const p = item.raw as ParetoPoint;
    return `${p.model}: ${p.y.toFixed(2)}% with ${formatInt(p.params)} params`;
  };
  const config: ChartConfiguration<"scatter", ParetoPoint[]> = {
    type: "scatter",
    data: { datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<"scatter">["options"]),
      parsing: false,
      scales: {
        x: axis(theme, "Parameters (log scale)", {
          type: "logarithmic",
          ticks: { callback: logTick, autoSkip: false, maxRotation: 0 },
        }),
        y: axis(theme, "Test accuracy (%)"),
      },
      plugins: {
        legend: { labels: { color: theme.foreground, boxWidth: 12 } },
        tooltip: { callbacks: { label } },
      },
    },
  };
  return new Chart(canvas, config);
}

/** Draws the points and returns the front, smallest model first. */
/** With `groups`, every run is a point in its group's colour, one legend entry per group. */
export function updatePareto(
  chart: ParetoChart,
  points: ParetoPoint[],
  theme: ChartTheme,
  groups?: { colorOf: (run: PanelRun) => string; groupOf: (run: PanelRun) => string },
): ParetoPoint[] {
  const front = paretoFront(points);
  const onFront = new Set(front);
  const runColor = theme.palette[0];
  const frontSet = {
    label: "Pareto front",
    data: front,
    showLine: true,
    borderColor: theme.highlight,
    backgroundColor: theme.highlight,
    pointRadius: 5,
    pointStyle: "rectRot" as const,
    borderWidth: 2,
  };
  if (groups) {
    const byGroup = new Map<string, ParetoPoint[]>();
    for (const point of points) {
      const label = groups.groupOf(point.run);
      byGroup.set(label, [...(byGroup.get(label) ?? []), point]);
    }
    chart.data.datasets = [
      frontSet,
      ...[...byGroup].map(([label, data]) => {
        const color = groups.colorOf(data[0].run);
        return { label, data, borderColor: color, backgroundColor: withAlpha(color, 0.6), pointRadius: 4 };
      }),
    ];
  } else {
    const others = points.filter((p) => !onFront.has(p));
    chart.data.datasets = [
      frontSet,
      {
        label: "Other runs",
        data: others,
        borderColor: runColor,
        backgroundColor: withAlpha(runColor, 0.5),
        pointRadius: 3,
      },
    ];
  }
  const x = chart.options.scales!.x!;
  if (points.length) {
    const sizes = points.map((p) => p.params);
    x.min = 10 ** Math.floor(Math.log10(Math.min(...sizes)));
    x.max = 10 ** Math.ceil(Math.log10(Math.max(...sizes)));
  }
  chart.update("none");
  return front;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact" });

/** Labels only 1, 2 and 5 times powers of ten: a log axis labelled at every tick is unreadable. */
function logTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return "";
  const lead = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const rounded = Math.round(lead);
  return Math.abs(lead - rounded) < 1e-6 && [1, 2, 5].includes(rounded) ? compact.format(v) : "";
}

// The sweep's metric against one hyperparameter: completed trials as points, pruned ones as
// crosses at the value of their last rung, the best trial as a large diamond in the highlight
// colour. A click on a point shows that trial's run.
import type { ChartConfiguration, TooltipItem } from "chart.js";
import { formatMetric, formatParams } from "../../src/engine/sweep/report";
import type { SweepRecord } from "../../src/engine/sweep/types";
import { axis, baseOptions, Chart } from "../charts/chartjs";
import { formatInt } from "../format";
import { type ChartTheme, withAlpha } from "../theme";
import { trialPoints, type ParamAxis, type TrialPoint } from "./sweepData";

export type ParamChart = Chart<"scatter", TrialPoint[]>;

const METRIC_TITLES: Record<SweepRecord["spec"]["metric"], string> = {
  testAccuracy: "Test accuracy (%)",
  testLoss: "Test loss",
  learningTimeSec: "Learning time (s)",
  params: "Parameters",
  macs: "MACs per image",
};

export function paramChart(
  canvas: HTMLCanvasElement,
  sweep: SweepRecord,
  param: ParamAxis,
  theme: ChartTheme,
  onPick: (runId: string) => void,
): ParamChart {
  const label = (item: TooltipItem<"scatter">) => {
    const { trial } = item.raw as TrialPoint;
    const how = trial.status === "pruned" ? ` · pruned after epoch ${trial.epochsRun}` : "";
    const size = trial.paramsCount === undefined ? "" : ` · ${formatInt(trial.paramsCount)} params`;
    return `trial ${trial.trial + 1}: ${formatMetric(sweep.spec.metric, trial.value)}${size}${how} (${formatParams(trial.params)})`;
  };
  const categorical = param.kind === "categorical";
  const x = categorical
    ? axis(theme, param.name, {
        type: "linear",
        min: -0.5,
        max: param.categories.length - 0.5,
        // One tick per category, at its index: a linear scale's own ticks would fall between them.
        afterBuildTicks: (scale: { ticks: { value: number }[] }) =>
          (scale.ticks = param.categories.map((_, value) => ({ value }))),
        ticks: { callback: (v: number | string) => param.categories[Number(v)] ?? "" },
      })
    : axis(theme, param.log ? `${param.name} (log scale)` : param.name, {
        type: param.log ? "logarithmic" : "linear",
        grace: "5%",
      });
  const config: ChartConfiguration<"scatter", TrialPoint[]> = {
    type: "scatter",
    data: { datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<"scatter">["options"]),
      parsing: false,
      scales: { x, y: axis(theme, METRIC_TITLES[sweep.spec.metric], { grace: "5%" }) },
      plugins: { legend: { labels: { color: theme.foreground, boxWidth: 12 } }, tooltip: { callbacks: { label } } },
      onClick: (_event, elements, chart) => {
        const hit = elements[0];
        if (!hit) return;
        const point = chart.data.datasets[hit.datasetIndex].data[hit.index] as unknown as TrialPoint;
        onPick(point.trial.runId);
      },
    },
  };
  const chart = new Chart(canvas, config);
  updateParamChart(chart, sweep, param, theme);
  return chart;
}

/** Redraws the points; returns them, so the view can describe the chart in words. */
export function updateParamChart(
  chart: ParamChart,
  sweep: SweepRecord,
  param: ParamAxis,
  theme: ChartTheme,
): TrialPoint[] {
  const points = trialPoints(sweep, param);
  const color = theme.palette[0];
  const faint = withAlpha(theme.palette[1] ?? color, 0.8);
  chart.data.datasets = [
    {
      label: "Best trial",
      data: points.filter((p) => p.best),
      borderColor: theme.highlight,
      backgroundColor: theme.highlight,
      pointStyle: "rectRot",
      pointRadius: 8,
      pointHoverRadius: 9,
    },
    {
      label: "Completed",
      data: points.filter((p) => p.final && !p.best),
      borderColor: color,
      backgroundColor: withAlpha(color, 0.6),
      pointRadius: 4,
    },
    {
      label: "Pruned (at its last rung)",
      data: points.filter((p) => !p.final),
      borderColor: faint,
      backgroundColor: faint,
      pointStyle: "crossRot",
      pointRadius: 6,
      borderWidth: 2,
    },
  ];
  chart.update("none");
  return points;
}

// One bar per model: its latest completed run's test loss or learning time.
import type { ChartConfiguration } from "chart.js";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { type ChartTheme, withAlpha } from "../theme";
import { axis, baseOptions, Chart } from "./chartjs";

export type BarMetric = "testLoss" | "learningTime";

const METRIC: Record<BarMetric, { title: string; value: (run: PanelRun) => number }> = {
  testLoss: { title: "Test loss", value: (r) => r.results!.testLoss },
  learningTime: { title: "Learning time (s)", value: (r) => r.results!.learningTimeSec },
};

/**
 * The latest completed run of each architecture (model name within its file), smallest model first:
 * the bars then read in the order of the accuracy-vs-parameters chart, cost growing with size.
 */
export function latestPerModel(runs: Iterable<PanelRun>): { label: string; run: PanelRun }[] {
  const latest = new Map<string, PanelRun>();
  for (const run of runs) {
    if (run.status !== "completed" || !run.results) continue;
    const key = `${run.file}\u0000${run.model}`;
    const seen = latest.get(key);
    if (!seen || seen.startedAt < run.startedAt) latest.set(key, run);
  }
  const params = (run: PanelRun) => run.summary?.params.total ?? 0;
  const picked = [...latest.values()].sort(
    (a, b) => params(a) - params(b) || a.model.localeCompare(b.model) || a.file.localeCompare(b.file),
  );
  const nameCount = new Map<string, number>();
  for (const run of picked) nameCount.set(run.model, (nameCount.get(run.model) ?? 0) + 1);
  return picked.map((run) => ({
    label: (nameCount.get(run.model) ?? 0) > 1 ? `${run.model} (${run.file.split(/[\\/]/).pop()})` : run.model,
    run,
  }));
}

export function barsChart(
  canvas: HTMLCanvasElement,
  metric: BarMetric,
  theme: ChartTheme,
): Chart<"bar", number[], string> {
  const config: ChartConfiguration<"bar", number[], string> = {
    type: "bar",
    data: { labels: [], datasets: [] },
    options: {
      ...(baseOptions(theme) as ChartConfiguration<"bar">["options"]),
      scales: { x: axis(theme, "Model"), y: axis(theme, METRIC[metric].title, { beginAtZero: true }) },
      plugins: { legend: { display: false } },
    },
  };
  return new Chart(canvas, config);
}

export function updateBars(
  chart: Chart<"bar", number[], string>,
  metric: BarMetric,
  bars: { label: string; run: PanelRun }[],
  theme: ChartTheme,
  colorOf?: (run: PanelRun) => string,
): { label: string; value: number }[] {
  const single = metric === "testLoss" ? theme.palette[1] : theme.palette[2];
  const colors = bars.map((b) => colorOf?.(b.run) ?? single);
  chart.data.labels = bars.map((b) => b.label);
  chart.data.datasets = [
    {
      label: METRIC[metric].title,
      data: bars.map((b) => METRIC[metric].value(b.run)),
      backgroundColor: colors.map((c) => withAlpha(c, 0.7)),
      borderColor: colors,
      borderWidth: 1,
    },
  ];
  chart.update("none");
  return bars.map((b) => ({ label: b.label, value: METRIC[metric].value(b.run) }));
}

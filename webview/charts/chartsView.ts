// The panel's charts: the selected runs' curves (with their options), accuracy against size, and
// loss and time per model. Each redraws only when what it shows changed.
import type { CurveOptions, PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import { readTheme, type ChartTheme } from "../theme";
import { barsChart, latestPerModel, updateBars } from "./barsChart";
import { chartCard, chartPng, type ChartCard } from "./chartCard";
import type { AnyChart } from "./chartjs";
import { curveControls } from "./curveControls";
import { curvesChart, updateCurves, type CurvePart, type CurveRun } from "./curves";
import { describeBars, describeCurves, describePareto } from "./describe";
import { paretoChart, paretoPoints, updatePareto } from "./paretoChart";

export type CurveChartName = "loss" | "accuracy" | "loss-test" | "accuracy-test";
export type ChartName = CurveChartName | "pareto" | "test-loss" | "learning-time";

const CURVE_NAMES: CurveChartName[] = ["loss", "loss-test", "accuracy", "accuracy-test"];
const SUMMARY_TITLES = {
  pareto: "Accuracy vs parameters",
  "test-loss": "Test loss per model",
  "learning-time": "Learning time per model",
} as const;
const SUMMARY_NAMES = Object.keys(SUMMARY_TITLES) as (keyof typeof SUMMARY_TITLES)[];

/** What each curves chart shows: together, train and test share a chart; apart, each has its own. */
function curveLayout(split: boolean): Record<CurveChartName, { part: CurvePart; title: string } | undefined> {
  if (!split) {
    return {
      loss: { part: { metric: "loss", splits: ["train", "test"] }, title: "Loss (selected runs)" },
      accuracy: { part: { metric: "accuracy", splits: ["train", "test"] }, title: "Accuracy (selected runs)" },
      "loss-test": undefined,
      "accuracy-test": undefined,
    };
  }
  return {
    loss: { part: { metric: "loss", splits: ["train"] }, title: "Train loss (selected runs)" },
    "loss-test": { part: { metric: "loss", splits: ["test"] }, title: "Test loss (selected runs)" },
    accuracy: { part: { metric: "accuracy", splits: ["train"] }, title: "Train accuracy (selected runs)" },
    "accuracy-test": { part: { metric: "accuracy", splits: ["test"] }, title: "Test accuracy (selected runs)" },
  };
}

export class ChartsView {
  readonly element = el("div", { className: "charts-area" });
  readonly charts = {} as Record<ChartName, AnyChart>;
  private readonly cards = {} as Record<ChartName, ChartCard>;
  private theme: ChartTheme = readTheme();

  constructor(
    private options: CurveOptions,
    onOptions: (options: CurveOptions) => void,
    onExport: (name: ChartName, pngDataUrl: string) => void,
  ) {
    const card = (name: ChartName, title: string) =>
      (this.cards[name] = chartCard(name, title, () => onExport(name, chartPng(this.charts[name], this.theme))));
    const curves = el("div", { className: "charts curves" }, ...CURVE_NAMES.map((name) => card(name, name).element));
    const summaries = el(
      "div",
      { className: "charts" },
      ...SUMMARY_NAMES.map((name) => card(name, SUMMARY_TITLES[name]).element),
    );
    const controls = curveControls(options, (next) => {
      this.options = next;
      onOptions(next);
    });
    this.element.append(
      el(
        "section",
        { className: "curves-section", attrs: { "aria-label": "Curves of the selected runs" } },
        controls,
        curves,
      ),
      summaries,
    );
    this.create();
  }

  get curveOptions(): CurveOptions {
    return this.options;
  }

  /** Theme colors are baked into chart options, so a theme change rebuilds the charts. */
  retheme(): void {
    this.theme = readTheme();
    for (const chart of Object.values(this.charts)) chart.destroy();
    this.create();
  }

  get palette(): readonly string[] {
    return this.theme.palette;
  }

  updateCurves(runs: readonly CurveRun[]): void {
    const message = runs.length ? undefined : "Select runs in the table to compare their curves.";
    const layout = curveLayout(this.options.split);
    for (const name of CURVE_NAMES) {
      const shown = layout[name];
      const card = this.cards[name];
      if (card.element.hidden !== !shown) card.element.hidden = !shown;
      if (!shown) continue;
      card.setTitle(shown.title);
      card.setEmpty(message);
      updateCurves(this.charts[name] as never, shown.part, runs, this.options);
      card.describe(
        describeCurves(
          shown.part,
          runs.map((r) => r.run),
        ),
      );
    }
  }

  /** `colorOf` gives each run its group's colour when the runs are grouped. */
  updateSummaries(
    runs: Iterable<PanelRun>,
    colorOf?: (run: PanelRun) => string,
    groupOf?: (run: PanelRun) => string,
  ): void {
    const all = [...runs];
    const points = paretoPoints(all);
    this.cards.pareto.setEmpty(points.length ? undefined : "No completed runs yet.");
    const front = updatePareto(
      this.charts.pareto as never,
      points,
      this.theme,
      colorOf && groupOf && { colorOf, groupOf },
    );
    this.cards.pareto.describe(describePareto(front, points.length));
    const bars = latestPerModel(all);
    for (const [name, metric] of [
      ["test-loss", "testLoss"],
      ["learning-time", "learningTime"],
    ] as const) {
      this.cards[name].setEmpty(bars.length ? undefined : "No completed runs yet.");
      const values = updateBars(this.charts[name] as never, metric, bars, this.theme, colorOf);
      this.cards[name].describe(describeBars(SUMMARY_TITLES[name], values, metric === "testLoss" ? "loss" : "seconds"));
    }
  }

  private create(): void {
    const { cards, theme } = this;
    for (const name of CURVE_NAMES)
      this.charts[name] = curvesChart(
        cards[name].canvas,
        name.startsWith("loss") ? "loss" : "accuracy",
        theme,
      ) as unknown as AnyChart;
    this.charts.pareto = paretoChart(cards.pareto.canvas, theme) as unknown as AnyChart;
    this.charts["test-loss"] = barsChart(cards["test-loss"].canvas, "testLoss", theme) as unknown as AnyChart;
    this.charts["learning-time"] = barsChart(
      cards["learning-time"].canvas,
      "learningTime",
      theme,
    ) as unknown as AnyChart;
  }
}

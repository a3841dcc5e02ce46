// Two to four runs side by side: their config and results in one table ("only what differs" hides
// the rows they share), their curves overlaid, and their confusion matrices next to each other.
import type { CurveOptions } from "../../src/shared/webview-protocol";
import { chartCard, chartPng, type ChartCard } from "../charts/chartCard";
import type { AnyChart } from "../charts/chartjs";
import { curvesChart, updateCurves, type CurveMetric, type CurvePart, type CurveRun } from "../charts/curves";
import { describeCurves } from "../charts/describe";
import { checkbox } from "../controls";
import { clear, el } from "../dom";
import { confusionHeatmap } from "../details/confusion";
import { runLabel } from "../format";
import type { ChartTheme } from "../theme";
import { compareRows, type CompareRow } from "./compareRows";

export type CompareChartName = "compare-loss" | "compare-accuracy";
const CHARTS: { name: CompareChartName; metric: CurveMetric; title: string }[] = [
  { name: "compare-loss", metric: "loss", title: "Loss, train and test" },
  { name: "compare-accuracy", metric: "accuracy", title: "Accuracy, train and test" },
];

export interface CompareCallbacks {
  onClose(): void;
  onDiffOnly(on: boolean): void;
  onExport(name: CompareChartName, pngDataUrl: string): void;
}

export class CompareView {
  readonly element = el("section", {
    className: "compare",
    attrs: { "aria-labelledby": "compare-title", "data-compare": "" },
  });
  readonly charts = {} as Record<CompareChartName, AnyChart>;
  private readonly cards = {} as Record<CompareChartName, ChartCard>;
  private readonly title = el("h2", { attrs: { id: "compare-title", tabindex: "-1" } });
  private readonly hiddenCount = el("span", { className: "muted", attrs: { "data-compare-hidden": "" } });
  private readonly table = el("table", { className: "compare-table" });
  private readonly confusions = el("div", { className: "compare-confusions" });
  private readonly diffOnlyInput: HTMLInputElement;

  constructor(
    private diffOnly: boolean,
    private theme: ChartTheme,
    callbacks: CompareCallbacks,
  ) {
    const diff = checkbox(
      "Only what differs",
      diffOnly,
      (on) => {
        this.diffOnly = on;
        callbacks.onDiffOnly(on);
      },
      "diff-only",
    );
    this.diffOnlyInput = diff.input;
    const close = el(
      "vscode-button" as "button",
      { title: "Close the side-by-side comparison", attrs: { secondary: "", "data-compare-close": "" } },
      "Close",
    );
    close.addEventListener("click", () => callbacks.onClose());
    const charts = el("div", { className: "charts" });
    for (const { name, title } of CHARTS) {
      this.cards[name] = chartCard(name, title, () =>
        callbacks.onExport(name, chartPng(this.charts[name], this.theme)),
      );
      charts.append(this.cards[name].element);
    }
    this.element.append(
      el("header", { className: "compare-header" }, this.title, diff.element, this.hiddenCount, close),
      el("div", { className: "compare-scroll" }, this.table),
      charts,
      el("h3", {}, "Confusion matrices"),
      this.confusions,
    );
    this.element.hidden = true;
    this.create();
  }

  retheme(theme: ChartTheme): void {
    this.theme = theme;
    for (const chart of Object.values(this.charts)) chart.destroy();
    this.create();
  }

  /** Shows the runs (in their colours), or hides the section when there are none. */
  show(runs: readonly CurveRun[], curves: CurveOptions): void {
    this.element.hidden = runs.length === 0;
    if (!runs.length) return;
    this.diffOnlyInput.checked = this.diffOnly;
    this.title.textContent = `Side by side: ${runs.length} runs`;
    this.renderTable(runs);
    for (const { name, metric } of CHARTS) {
      const part: CurvePart = { metric, splits: ["train", "test"] };
      updateCurves(this.charts[name] as never, part, runs, curves);
      this.cards[name].describe(
        describeCurves(
          part,
          runs.map((r) => r.run),
        ),
      );
    }
    this.renderConfusions(runs);
  }

  /** Moves the keyboard to the comparison, as opening it from the toolbar should. */
  focus(): void {
    this.element.scrollIntoView({ block: "start" });
    this.title.focus();
  }

  private renderTable(runs: readonly CurveRun[]): void {
    const rows = compareRows(runs.map((r) => r.run));
    const shown = this.diffOnly ? rows.filter((r) => r.differs) : rows;
    const hidden = rows.length - shown.length;
    this.hiddenCount.textContent = this.diffOnly ? `${hidden} of ${rows.length} rows are the same and hidden` : "";
    const head = el("tr", {}, el("th", { attrs: { scope: "col" } }, ""));
    for (const { run, color } of runs) {
      const swatch = el("span", { className: "swatch", attrs: { "aria-hidden": "true" } });
      swatch.style.background = color;
      head.append(el("th", { attrs: { scope: "col", "data-run-id": run.id } }, swatch, runLabel(run)));
    }
    const body = el("tbody");
    let section = "";
    for (const row of shown) {
      if (row.section !== section) {
        section = row.section;
        body.append(
          el(
            "tr",
            { className: "compare-section" },
            el("th", { attrs: { colspan: String(runs.length + 1), scope: "colgroup" } }, section),
          ),
        );
      }
      body.append(compareRow(row));
    }
    if (!shown.length)
      body.append(
        el(
          "tr",
          {},
          el(
            "td",
            { className: "muted", attrs: { colspan: String(runs.length + 1) } },
            "These runs share every setting and result shown here.",
          ),
        ),
      );
    clear(this.table);
    this.table.append(
      el(
        "caption",
        { className: "sr-only" },
        "The compared runs, one per column; the best result of each row is marked.",
      ),
      el("thead", {}, head),
      body,
    );
  }

  private renderConfusions(runs: readonly CurveRun[]): void {
    clear(this.confusions);
    for (const { run, color } of runs) {
      const swatch = el("span", { className: "swatch", attrs: { "aria-hidden": "true" } });
      swatch.style.background = color;
      const heading = el("h4", {}, swatch, runLabel(run));
      const body = run.results
        ? confusionHeatmap(run.results.confusion, run.dataset?.classNames ?? [], this.theme)
        : el("p", { className: "muted" }, `No confusion matrix: the run is ${run.status}.`);
      this.confusions.append(
        el("figure", { className: "compare-confusion", attrs: { "data-run-id": run.id } }, heading, body),
      );
    }
  }

  private create(): void {
    for (const { name, metric } of CHARTS)
      this.charts[name] = curvesChart(this.cards[name].canvas, metric, this.theme) as unknown as AnyChart;
  }
}

function compareRow(row: CompareRow): HTMLTableRowElement {
  const tr = el(
    "tr",
    { className: row.differs ? "differs" : "", attrs: { "data-compare-row": row.label } },
    el("th", { attrs: { scope: "row" } }, row.label),
  );
  row.cells.forEach((text, i) => {
    const best = row.best.includes(i);
    const td = el("td", { className: best ? "best" : "" }, text);
    if (best) td.append(el("span", { className: "sr-only" }, " (best)"));
    tr.append(td);
  });
  return tr;
}

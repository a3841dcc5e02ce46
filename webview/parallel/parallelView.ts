// The parallel coordinates card: the chart, and under it each axis's brushed range as two number
// fields, which the keyboard reaches and which say in words what the chart selects.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { chartCard, chartPng, type ChartCard } from "../charts/chartCard";
import { el } from "../dom";
import { displayName } from "../table/columns";
import type { ChartTheme } from "../theme";
import { AXES, inBrushes, plottable, type AxisKey, type Brushes, type Range } from "./axes";
import { parallelChart, updateParallel, type ParallelChart, type ParallelLine } from "./parallelChart";

export interface ParallelCallbacks {
  onBrushes(brushes: Brushes): void;
  onExport(pngDataUrl: string): void;
}

/** Shortest text that tells the range's ends apart: 4 significant digits. */
const short = (v: number) => String(Number(v.toPrecision(4)));

export class ParallelView {
  readonly element: HTMLElement;
  chart!: ParallelChart;
  /** The lines drawn, one per run, in the order of the runs given. */
  lines: ParallelLine[] = [];
  private readonly card: ChartCard;
  private readonly fields = new Map<AxisKey, { min: HTMLInputElement; max: HTMLInputElement }>();
  private readonly summary = el("span", { className: "muted", attrs: { "data-parallel-summary": "" } });
  private readonly clearAll = el(
    "vscode-button" as "button",
    { title: "Clear every range", attrs: { secondary: "", "data-parallel-clear": "" } },
    "Clear ranges",
  ) as unknown as HTMLElement & { disabled: boolean };

  constructor(
    private brushes: Brushes,
    private theme: ChartTheme,
    private readonly callbacks: ParallelCallbacks,
  ) {
    this.card = chartCard("parallel", "Parallel coordinates: drag along an axis to filter the table", () =>
      callbacks.onExport(chartPng(this.chart as never, this.theme)),
    );
    this.card.element.classList.add("parallel-card");
    this.clearAll.addEventListener("click", () => {
      if (!this.clearAll.disabled) this.set({});
    });
    const ranges = el("div", {
      className: "parallel-ranges",
      attrs: { role: "group", "aria-label": "Ranges that filter the runs table" },
    });
    for (const axis of AXES) {
      const field = (end: "min" | "max") => {
        const input = el("input", {
          attrs: {
            type: "number",
            step: "any",
            "data-range": `${axis.key}-${end}`,
            "aria-label": `${axis.label}, ${end === "min" ? "lowest" : "highest"} value shown`,
          },
        });
        input.addEventListener("change", () => this.typed(axis.key));
        return input;
      };
      const min = field("min");
      const max = field("max");
      this.fields.set(axis.key, { min, max });
      ranges.append(el("label", { className: "control range-field" }, el("span", {}, axis.label), min, "–", max));
    }
    this.element = el(
      "section",
      { className: "parallel-section", attrs: { "aria-label": "Parallel coordinates of the runs" } },
      this.card.element,
      el("div", { className: "parallel-footer" }, this.summary, this.clearAll),
      ranges,
    );
    this.create();
  }

  retheme(theme: ChartTheme): void {
    this.theme = theme;
    this.chart.destroy();
    this.create();
  }

  /**
   * Draws `runs` (the table's runs before brushing) that have a value on every axis, those outside
   * the brushes faint; returns nothing, the table filters itself with the same brushes.
   */
  update(runs: readonly PanelRun[], colorOf: (run: PanelRun) => string): void {
    const drawn = runs.filter(plottable);
    const lines = (this.lines = drawn.map((run) => ({
      label: displayName(run),
      values: AXES.map((a) => a.value(run)!),
      color: colorOf(run),
      inside: inBrushes(run, this.brushes),
    })));
    this.card.setEmpty(drawn.length ? undefined : "No completed runs to draw.");
    updateParallel(this.chart, lines, this.theme);
    this.showRanges();
    const inside = lines.filter((l) => l.inside).length;
    const brushed = AXES.filter((a) => this.brushes[a.key]);
    this.summary.textContent = brushed.length
      ? `${inside} of ${drawn.length} completed runs inside the ranges`
      : `${drawn.length} completed runs; drag along an axis, or type a range below, to filter the table`;
    this.clearAll.disabled = !brushed.length;
    this.clearAll.toggleAttribute("disabled", !brushed.length);
    const ranges = brushed.map(
      (a) => `${a.label} ${short(this.brushes[a.key]![0])} to ${short(this.brushes[a.key]![1])}`,
    );
    this.card.describe(
      `${drawn.length} completed runs across ${AXES.map((a) => a.label).join(", ")}.${ranges.length ? ` Ranges: ${ranges.join("; ")}; ${inside} runs inside them.` : ""} The runs table holds every figure.`,
    );
  }

  private create(): void {
    this.chart = parallelChart(this.card.canvas, this.theme, {
      brushes: () => this.brushes,
      onBrush: (key, range) => this.set({ ...this.brushes, [key]: range }),
    });
  }

  private set(brushes: Brushes): void {
    const next: Brushes = {};
    for (const axis of AXES) if (brushes[axis.key]) next[axis.key] = brushes[axis.key];
    this.brushes = next;
    this.callbacks.onBrushes(next);
  }

  /** A range typed in: an empty end is open; ends given the wrong way round are swapped. */
  private typed(key: AxisKey): void {
    const { min, max } = this.fields.get(key)!;
    const low = min.value === "" ? -Infinity : Number(min.value);
    const high = max.value === "" ? Infinity : Number(max.value);
    if (Number.isNaN(low) || Number.isNaN(high)) return;
    const range: Range | undefined =
      low === -Infinity && high === Infinity ? undefined : [Math.min(low, high), Math.max(low, high)];
    // Open ends are kept as the largest finite numbers, so saved state stays plain JSON.
    this.set({
      ...this.brushes,
      [key]: range && range.map((v) => Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, v))),
    });
  }

  private showRanges(): void {
    for (const axis of AXES) {
      const { min, max } = this.fields.get(axis.key)!;
      const range = this.brushes[axis.key];
      for (const [input, value] of [
        [min, range?.[0]],
        [max, range?.[1]],
      ] as const) {
        if (document.activeElement === input) continue;
        input.value = value === undefined || Math.abs(value) === Number.MAX_VALUE ? "" : short(value);
      }
    }
  }
}

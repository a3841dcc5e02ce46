// A sweep at a glance, under the runs table: which sweep (the one of the run shown in the details,
// else the newest, or the user's pick), how its trials stand, the best trial and the smallest model
// within half a point of it (each a button that shows its run), and the metric against each
// hyperparameter.
import { paretoAnswer } from "../../src/engine/sweep/pareto";
import { formatMetric, formatParams, statusCounts } from "../../src/engine/sweep/report";
import type { SweepRecord, SweepTrial } from "../../src/engine/sweep/types";
import { chartCard, chartPng, type ChartCard } from "../charts/chartCard";
import { clear, el } from "../dom";
import { formatInt, formatStarted } from "../format";
import { readTheme, type ChartTheme } from "../theme";
import { paramChart, updateParamChart, type ParamChart } from "./paramChart";
import { paramAxes, type ParamAxis } from "./sweepData";

export interface SweepViewCallbacks {
  /** Shows the run of a trial in the details (and selects it). */
  showRun(runId: string): void;
  exportChart(name: string, pngDataUrl: string): void;
  /** Asks the host to go on with a sweep that did not finish. */
  resume(sweepId: string): void;
}

interface Drawn {
  key: string;
  axes: ParamAxis[];
  charts: { name: string; axis: ParamAxis; chart: ParamChart; card: ChartCard }[];
}

export class SweepView {
  readonly element = el("section", {
    className: "sweep-view",
    attrs: { "aria-label": "Sweep", "data-sweep-view": "" },
  });
  private readonly picker = el("select", { attrs: { "aria-label": "Sweep to show", "data-control": "sweep" } });
  private readonly summary = el("p", { className: "sweep-summary", attrs: { "data-sweep-summary": "" } });
  private readonly resumeButton = el(
    "vscode-button" as "button",
    { attrs: { "data-action": "resume-sweep" }, title: "Run the trials that did not finish; finished ones stay" },
    "Resume",
  );
  private readonly answer = el("div", { className: "sweep-answer" });
  private readonly grid = el("div", { className: "charts sweep-charts" });
  private sweeps: SweepRecord[] = [];
  /** The user's pick in the list; otherwise the view follows the details run's sweep. */
  private picked: string | undefined;
  private preferred: string | undefined;
  private drawn: Drawn | undefined;
  private theme: ChartTheme = readTheme();

  constructor(private readonly callbacks: SweepViewCallbacks) {
    this.picker.addEventListener("change", () => {
      this.picked = this.picker.value;
      this.render();
    });
    this.resumeButton.addEventListener("click", () => {
      const id = this.picker.value;
      if (id) callbacks.resume(id);
    });
    const header = el(
      "header",
      { className: "sweep-header" },
      el("h3", {}, "Sweep"),
      el("label", { className: "control" }, "Show ", this.picker),
      this.resumeButton,
    );
    this.element.append(header, this.summary, this.answer, this.grid);
    this.element.hidden = true;
  }

  /** `preferred`: the sweep of the run in the details, when it is a trial. */
  update(sweeps: SweepRecord[], preferred: string | undefined): void {
    this.sweeps = sweeps;
    // A trial of another sweep shown in the details takes over from the user's earlier pick.
    if (preferred && preferred !== this.preferred) this.picked = undefined;
    this.preferred = preferred;
    this.render();
  }

  /** The drawn charts by name (sweep-<hyperparameter>), for inspection. */
  charts(): Record<string, ParamChart> {
    return Object.fromEntries((this.drawn?.charts ?? []).map(({ name, chart }) => [name, chart]));
  }

  /** Theme colours are baked into chart options: a theme change redraws the charts. */
  retheme(): void {
    this.theme = readTheme();
    this.destroyCharts();
    this.render();
  }

  private current(): SweepRecord | undefined {
    const byId = (id: string | undefined) => (id ? this.sweeps.find((s) => s.id === id) : undefined);
    return byId(this.picked) ?? byId(this.preferred) ?? this.sweeps[0];
  }

  private render(): void {
    const sweep = this.current();
    this.element.hidden = !sweep;
    if (!sweep) return this.destroyCharts();
    this.fillPicker(sweep.id);
    this.summary.textContent = summaryText(sweep);
    // A sweep recorded as running may be running elsewhere (a terminal, another window): only one that says it stopped.
    this.resumeButton.hidden = !RESUMABLE.has(sweep.status);
    this.renderAnswer(sweep);
    this.renderCharts(sweep);
  }

  private fillPicker(selected: string): void {
    const options = this.sweeps.map((s) => ({
      id: s.id,
      label: `${s.model} · ${s.spec.method} · ${formatStarted(s.startedAt)} · ${s.status}`,
    }));
    // The labels too: a sweep that ends while listed must not read `running` any more.
    const key = JSON.stringify(options);
    if (this.picker.dataset.options !== key) {
      this.picker.dataset.options = key;
      clear(this.picker);
      for (const { id, label } of options) this.picker.append(el("option", { attrs: { value: id } }, label));
    }
    this.picker.value = selected;
  }

  private renderAnswer(sweep: SweepRecord): void {
    clear(this.answer);
    const { metric, goal } = sweep.spec;
    const answer = paretoAnswer(sweep.trials, metric, goal);
    if (!answer) {
      this.answer.append(el("p", { className: "muted" }, "No trial has completed yet."));
      return;
    }
    const line = (label: string, trial: SweepTrial, role: string) =>
      el(
        "p",
        { className: `sweep-trial ${role}`, attrs: { "data-sweep-trial": role } },
        el("strong", {}, `${label}: `),
        `trial ${trial.trial + 1}, ${formatMetric(metric, trial.value)} with ${formatInt(trial.paramsCount ?? 0)} params (${formatParams(trial.params)}) `,
        this.showButton(trial),
      );
    this.answer.append(line("Best", answer.best, "best"));
    const margin = metric === "testAccuracy" ? "half a point" : "half a percent";
    if (answer.smallest !== answer.best)
      this.answer.append(line(`Smallest within ${margin}`, answer.smallest, "smallest"));
    else
      this.answer.append(
        el(
          "p",
          { className: "muted sweep-trial" },
          `The best trial is also the smallest model within ${margin} of it.`,
        ),
      );
  }

  private showButton(trial: SweepTrial): HTMLElement {
    const button = el(
      "vscode-button" as "button",
      { attrs: { secondary: "", "data-show-trial": String(trial.trial + 1) } },
      "Show run",
    );
    button.addEventListener("click", () => this.callbacks.showRun(trial.runId));
    return button;
  }

  private renderCharts(sweep: SweepRecord): void {
    const axes = paramAxes(sweep);
    const key = `${sweep.id}|${axes.map((a) => `${a.name}:${a.kind}:${a.log}:${a.categories.join(",")}`).join(";")}`;
    const { theme } = this;
    if (this.drawn?.key !== key) {
      this.destroyCharts();
      const charts = axes.map((axis) => {
        const name = `sweep-${axis.name.replace(/[^a-z0-9]+/gi, "-")}`.slice(0, 40);
        const card = chartCard(name, `${sweep.spec.metric} vs ${axis.name}`, () =>
          this.callbacks.exportChart(name, chartPng(chart, theme)),
        );
        this.grid.append(card.element);
        const chart: ParamChart = paramChart(card.canvas, sweep, axis, theme, (runId) => this.callbacks.showRun(runId));
        return { name, axis, chart, card };
      });
      this.drawn = { key, axes, charts };
    }
    for (const { axis, chart, card } of this.drawn.charts) {
      const points = updateParamChart(chart, sweep, axis, theme);
      card.setEmpty(points.length ? undefined : "No trial has a result yet.");
      const best = points.find((p) => p.best);
      card.describe(
        `${points.length} trials of ${sweep.spec.metric} against ${axis.name}` +
          (best
            ? `; the best, trial ${best.trial.trial + 1}, has ${axis.name} = ${String(best.trial.params[axis.name])}.`
            : "."),
      );
    }
  }

  private destroyCharts(): void {
    for (const { chart } of this.drawn?.charts ?? []) chart.destroy();
    clear(this.grid);
    this.drawn = undefined;
  }
}

const RESUMABLE: ReadonlySet<SweepRecord["status"]> = new Set(["stopped", "interrupted", "failed"]);

function summaryText(sweep: SweepRecord): string {
  const counts = statusCounts(sweep);
  const parts = [`${counts.done} completed`, `${counts.pruned} pruned`];
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.pending) parts.push(`${counts.pending} not run`);
  const { method, metric, goal, epochs } = sweep.spec;
  return `${sweep.model}: ${method}, ${sweep.trials.length} trials of up to ${epochs} epochs (${parts.join(", ")}), ${metric} (${goal}), ${sweep.status} on ${sweep.ranOn}.`;
}

// The panel: applies host messages to its copy of the runs and redraws what changed, at most once
// per animation frame, however fast training reports.
import type { SweepRecord } from "../src/engine/sweep/types";
import type { HostToWebview, PanelRun, PanelState } from "../src/shared/webview-protocol";
import { latestPerArchitecture } from "./architecture";
import { curveStart } from "./lineage";
import { ChartsView } from "./charts/chartsView";
import { CompareView } from "./compare/compareView";
import { RunDiffView } from "./diff/runDiffView";
import { hasBrushes, inBrushes } from "./parallel/axes";
import { ParallelView } from "./parallel/parallelView";
import type { CurveRun } from "./charts/curves";
import { DetailsView } from "./details/detailsView";
import { el, frameScheduler } from "./dom";
import { groupColorSlots, groupKey, groupRuns, sweepOf, type GroupBy, type RunGroup } from "./groups/grouping";
import { loadState, postToHost, saveState } from "./host";
import { ImageRequests } from "./images";
import { noChanges, RunsState, type RunsChanges } from "./runs";
import { tableItems } from "./table/items";
import { SweepView } from "./sweep/sweepView";
import { RunsTable } from "./table/runsTable";
import { filterRuns, sortRuns, type RowFilters } from "./table/sortFilter";
import { PadView } from "./pad/padView";
import { PredictionRequests } from "./pad/predictionRequests";
import { onThemeChange, readTheme } from "./theme";
import { Toolbar, type ToolbarAction } from "./toolbar";

const MAX_CURVE_RUNS = 12;
/** Snapshots of more runs draw the table one frame before the rest. */
const STAGED_SNAPSHOT_RUNS = 200;
const PARALLEL_TYPING_DELAY_MS = 150;

type Dirty = {
  table: boolean;
  curves: boolean;
  summaries: boolean;
  details: boolean;
  compare: boolean;
  parallel: boolean;
  sweep: boolean;
};
const all = (on: boolean): Dirty => ({
  table: on,
  curves: on,
  summaries: on,
  details: on,
  compare: on,
  parallel: on,
  sweep: on,
});

export class App {
  private readonly state: PanelState = loadState();
  private readonly runs = new RunsState();
  private readonly selected = new Set(this.state.selected);
  private readonly folded = new Set(this.state.folded);
  private readonly images = new ImageRequests();
  private readonly table: RunsTable;
  private readonly toolbar: Toolbar;
  readonly charts: ChartsView;
  private readonly predictions = new PredictionRequests();
  private readonly pad = new PadView(this.predictions.predict, (runId, index) =>
    this.images.load(runId, [index]).then((images) => images[0]),
  );
  private readonly details = new DetailsView(
    this.images.load,
    (runId, annotations) => postToHost({ type: "annotate", runId, annotations }),
    (image, label) => {
      this.pad.showTestImage(image, label);
      this.pad.element.scrollIntoView({ block: "nearest" });
    },
    { get: (id) => this.runs.runs.get(id), show: (id) => this.rowClicked(id, false) },
  );
  private readonly runDiff = new RunDiffView(this.images.load, readTheme());
  readonly compare: CompareView;
  readonly parallel: ParallelView;
  readonly sweepView: SweepView;
  private sweeps: SweepRecord[] = [];
  private readonly notice = el("div", { className: "notice", attrs: { role: "status" } });
  private changes = noChanges();
  private dirty = all(true);
  /** The shown runs in table order, folded groups included. */
  private rows: PanelRun[] = [];
  /** The runs the filters let through, before the parallel coordinates' ranges: what that chart draws. */
  private filtered: PanelRun[] = [];
  private groups: RunGroup[] = [];
  /** A colour slot per group key, over all runs, so filtering does not recolour. */
  private colorSlots = new Map<string, number>();
  private groupLabels = new Map<string, string>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The next frame's parallel coordinates wait for the filter typing to pause. */
  private parallelLater = false;
  private parallelTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly schedule = frameScheduler(() => this.render());

  constructor(root: HTMLElement) {
    const scroller = el("div", { className: "table-scroll" });
    this.table = new RunsTable(
      {
        onSort: (column) => this.sortBy(column),
        onToggle: (id, on) => this.toggle([id], on),
        onToggleAll: (on) =>
          on
            ? this.toggle(
                this.rows.map((r) => r.id),
                true,
              )
            : this.select([]),
        onToggleGroup: (key, on) =>
          this.toggle(this.groups.find((g) => g.key === key)?.runs.map((r) => r.id) ?? [], on),
        onFold: (key, folded) => this.fold(key, folded),
        onRowClick: (id, additive) => this.rowClicked(id, additive),
        onStar: (runId, starred) => postToHost({ type: "annotate", runId, annotations: { starred } }),
      },
      scroller,
    );
    scroller.append(this.table.element);
    this.toolbar = new Toolbar(this.state, {
      onFilters: (f) => this.filter(f),
      onGroupBy: (by) => this.groupBy(by),
      onAction: (a) => this.act(a),
    });
    this.charts = new ChartsView(
      this.state.curves,
      (curves) => {
        this.state.curves = curves;
        this.changed({ curves: true, compare: true });
      },
      (chart, pngDataUrl) => postToHost({ type: "exportChart", chart, pngDataUrl }),
    );
    this.compare = new CompareView(this.state.compareDiffOnly, readTheme(), {
      onClose: () => this.closeCompare(),
      onDiffOnly: (on) => {
        this.state.compareDiffOnly = on;
        this.changed({ compare: true });
      },
      onExport: (chart, pngDataUrl) => postToHost({ type: "exportChart", chart, pngDataUrl }),
    });
    this.parallel = new ParallelView(this.state.brushes, readTheme(), {
      onBrushes: (brushes) => {
        this.state.brushes = brushes;
        this.changed({ table: true, parallel: true });
      },
      onExport: (pngDataUrl) => postToHost({ type: "exportChart", chart: "parallel", pngDataUrl }),
    });
    this.sweepView = new SweepView({
      showRun: (id) => this.rowClicked(id, false),
      exportChart: (chart, pngDataUrl) => postToHost({ type: "exportChart", chart, pngDataUrl }),
      resume: (sweepId) => postToHost({ type: "resumeSweep", sweepId }),
    });
    root.append(
      this.toolbar.element,
      this.notice,
      scroller,
      this.compare.element,
      this.runDiff.element,
      this.sweepView.element,
      this.parallel.element,
      this.charts.element,
      this.pad.element,
      this.details.element,
    );
    onThemeChange(() => {
      this.charts.retheme();
      this.compare.retheme(readTheme());
      this.runDiff.retheme(readTheme());
      this.parallel.retheme(readTheme());
      this.sweepView.retheme();
      this.dirty = { ...all(true), table: this.state.groupBy !== "none" };
      this.details.show(undefined);
      this.schedule();
    });
  }

  receive(message: HostToWebview): void {
    switch (message.type) {
      case "snapshot":
        if (message.warnings.length) this.showNotice(message.warnings.join(" "), "error");
        this.runs.apply(message, this.changes);
        return this.schedule();
      case "upsert":
      case "removed":
      case "batches":
        this.runs.apply(message, this.changes);
        return this.schedule();
      case "testImages":
        return this.images.answer(message.requestId, message.images);
      case "predictions":
        return this.predictions.answer(message.requestId, message.results);
      case "sweeps":
        this.sweeps = message.sweeps;
        return this.changed({ sweep: true });
      case "notice":
        return this.showNotice(message.message, message.level);
      default:
        return assertNever(message);
    }
  }

  private render(): void {
    try {
      this.draw();
    } catch (error) {
      // One malformed record must not leave the whole panel blank.
      this.showNotice(`Could not draw the panel: ${error instanceof Error ? error.message : String(error)}`, "error");
    }
  }

  private draw(): void {
    const changes = this.changes;
    this.changes = noChanges();
    if (changes.malformed)
      this.showNotice(`${changes.malformed} run record(s) could not be shown: they lack required fields.`, "error");
    const runsChanged = changes.all || changes.runs.size > 0;
    if (runsChanged) {
      timed("absorb", () => {
        this.absorb(changes);
        this.recolor();
        if (this.state.selection === "auto") this.followLatest();
      });
    }
    for (const id of changes.batches) if (this.selected.has(id)) this.dirty.curves = true;
    const { dirty } = this;
    this.dirty = all(false);
    if (dirty.table) timed("table", () => this.renderTable());
    // A snapshot of many runs is a lot to draw: the table comes first, in this frame; the charts and
    // details below it in the next, so the panel shows its runs and answers input sooner.
    if (changes.all && this.runs.runs.size > STAGED_SNAPSHOT_RUNS) {
      Object.assign(this.dirty, dirty, { table: false });
      this.schedule();
      return;
    }
    if (this.parallelLater && dirty.parallel) {
      // While the filter is being typed, the parallel coordinates follow once typing pauses.
      dirty.parallel = false;
      this.parallelTimer ??= setTimeout(() => {
        this.parallelTimer = undefined;
        this.changed({ parallel: true });
      }, PARALLEL_TYPING_DELAY_MS);
    }
    this.parallelLater = false;
    if (dirty.curves) {
      const curves = this.curveRuns();
      timed("curves", () => this.charts.updateCurves(curves));
      this.pad.update(curves.filter((c) => c.run.savedModel));
    }
    if (dirty.summaries) {
      const by = this.state.groupBy;
      timed("summaries", () =>
        this.charts.updateSummaries(
          this.runs.runs.values(),
          this.colorOf(),
          (run) => this.groupLabels.get(groupKey(run, by)) ?? "",
        ),
      );
    }
    if (dirty.parallel) {
      const color = this.colorOf();
      const single = this.charts.palette[0];
      timed("parallel", () => this.parallel.update(this.filtered, (run) => color?.(run) ?? single));
    }
    if (dirty.compare) timed("compare", () => this.compare.show(this.comparedRuns(), this.state.curves));
    if (dirty.details)
      timed("details", () =>
        this.details.show(this.state.detailsRunId ? this.runs.runs.get(this.state.detailsRunId) : undefined),
      );
    if (dirty.sweep || dirty.details) {
      const shown = this.state.detailsRunId ? this.runs.runs.get(this.state.detailsRunId) : undefined;
      this.sweepView.update(this.sweeps, shown && sweepOf(shown)?.id);
    }
    this.table.updateProgress(changes.batches, (run) => this.runs.progress(run));
  }

  /** Works out which views the changed runs touch. */
  private absorb(changes: RunsChanges): void {
    if (changes.all) {
      this.dirty = all(true);
      return;
    }
    this.dirty.table = true;
    const details = this.state.detailsRunId ? this.runs.runs.get(this.state.detailsRunId) : undefined;
    const parentsDrawn = new Set(this.selectedRuns().flatMap((r) => (r.parent ? [r.parent.id] : [])));
    for (const id of changes.runs) {
      // A continued run's details and curves show its parent's name and last epoch.
      if (details?.parent?.id === id) this.dirty.details = true;
      if (parentsDrawn.has(id)) this.dirty.curves = true;
      const run = this.runs.runs.get(id);
      if (!run) {
        this.table.forget(id);
        this.dirty.summaries = this.dirty.parallel = true;
      } else if (run.status === "completed") this.dirty.summaries = this.dirty.parallel = true;
      if (this.selected.has(id)) this.dirty.curves = true;
      if (this.state.detailsRunId === id) this.dirty.details = true;
      if (this.state.compare.includes(id)) this.dirty.compare = true;
    }
  }

  private recolor(): void {
    const before = this.colorSlots;
    const by = this.state.groupBy;
    this.colorSlots = by === "none" ? new Map<string, number>() : groupColorSlots(this.runs.runs.values(), by);
    this.groupLabels =
      by === "none"
        ? new Map<string, string>()
        : new Map(groupRuns([...this.runs.runs.values()], by).map((g) => [g.key, g.label]));
    if (before.size !== this.colorSlots.size || [...before].some(([key, slot]) => this.colorSlots.get(key) !== slot)) {
      this.dirty = { ...this.dirty, curves: true, summaries: true, table: true, compare: true, parallel: true };
    }
  }

  /** The run's group colour when grouping, else undefined (each chart colours on its own). */
  private colorOf(): ((run: PanelRun) => string) | undefined {
    const by = this.state.groupBy;
    if (by === "none") return undefined;
    const palette = this.charts.palette;
    return (run) => palette[(this.colorSlots.get(groupKey(run, by)) ?? 0) % palette.length];
  }

  private renderTable(): void {
    for (const id of this.selected) if (!this.runs.runs.has(id) && this.runs.runs.size) this.selected.delete(id);
    this.filtered = filterRuns(this.runs.runs.values(), this.state.filters);
    const brushes = this.state.brushes;
    const inside = hasBrushes(brushes) ? this.filtered.filter((run) => inBrushes(run, brushes)) : [...this.filtered];
    const rows = sortRuns(inside, this.state.sort.column, this.state.sort.descending);
    const palette = this.charts.palette;
    const { items, groups } = tableItems(rows, this.state.groupBy, this.folded, (key) => {
      const slot = this.colorSlots.get(key);
      return slot === undefined ? undefined : palette[slot % palette.length];
    });
    // Folding hides rows without unshowing them: "select all" and exports still take them.
    this.rows = groups.length ? groups.flatMap((g) => g.runs) : rows;
    this.groups = groups;
    this.table.render({
      items,
      runs: this.rows,
      selected: this.selected,
      detailsRunId: this.state.detailsRunId,
      sort: this.state.sort,
      progress: (run) => this.runs.progress(run),
    });
    this.toolbar.update(this.selectedRuns(), this.rows.length, this.runs.runs.size);
  }

  /** The automatic selection: the latest run of each architecture, so curves open with something useful. */
  private followLatest(): void {
    const latest = latestPerArchitecture(this.runs.runs.values()).map((r) => r.id);
    if (latest.length === this.selected.size && latest.every((id) => this.selected.has(id))) return;
    this.selected.clear();
    for (const id of latest) this.selected.add(id);
    this.state.selected = latest;
    saveState(this.state);
    this.dirty.table = true;
    this.dirty.curves = true;
  }

  private curveRuns(): CurveRun[] {
    const palette = this.charts.palette;
    const groupColor = this.colorOf();
    const drawn = this.selectedRuns().slice(0, MAX_CURVE_RUNS);
    const drawnIds = new Set(drawn.map((r) => r.id));
    return drawn.map((run, i) => ({
      run,
      color: groupColor?.(run) ?? palette[i % palette.length],
      live: this.runs.live.get(run.id),
      start: curveStart(run, this.runs.runs, Boolean(run.parent && drawnIds.has(run.parent.id))),
    }));
  }

  /** The compared runs, oldest first, each in its group's colour or its own. */
  private comparedRuns(): CurveRun[] {
    const runs = this.state.compare.map((id) => this.runs.runs.get(id)).filter((r): r is PanelRun => r !== undefined);
    // Deleted runs leave the comparison; one run left is nothing to compare.
    if (runs.length < 2) {
      if (this.state.compare.length && this.runs.runs.size) this.state.compare = [];
      return [];
    }
    runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
    const palette = this.charts.palette;
    const groupColor = this.colorOf();
    return runs.map((run, i) => ({ run, color: groupColor?.(run) ?? palette[i % palette.length] }));
  }

  private openCompare(runs: PanelRun[]): void {
    this.state.compare = runs.map((r) => r.id);
    this.changed({ compare: true });
    this.render();
    this.compare.focus();
  }

  private closeCompare(): void {
    this.state.compare = [];
    this.changed({ compare: true });
    if (!this.toolbar.focusAction("compare")) this.table.focus();
  }

  private selectedRuns(): PanelRun[] {
    return [...this.selected].map((id) => this.runs.runs.get(id)).filter((r): r is PanelRun => r !== undefined);
  }

  private sortBy(column: string): void {
    const current = this.state.sort;
    this.state.sort =
      current.column === column
        ? { column, descending: !current.descending }
        : { column, descending: column === "started" };
    this.changed({ table: true });
  }

  private filter(filters: RowFilters): void {
    this.parallelLater = filters.text !== this.state.filters.text && this.runs.runs.size > STAGED_SNAPSHOT_RUNS;
    this.state.filters = filters;
    this.changed({ table: true, parallel: true });
  }

  private groupBy(by: GroupBy): void {
    this.state.groupBy = by;
    this.recolor();
    this.changed({ table: true, curves: true, summaries: true, compare: true, parallel: true });
  }

  private fold(key: string, folded: boolean): void {
    if (folded) this.folded.add(key);
    else this.folded.delete(key);
    this.state.folded = [...this.folded];
    this.changed({ table: true });
  }

  /** Back to the automatic selection. */
  selectLatest(): void {
    this.state.selection = "auto";
    this.followLatest();
    this.changed({ table: true, curves: true });
  }

  private toggle(ids: string[], on: boolean): void {
    const remove = new Set(ids);
    this.select(
      on
        ? [...this.selected, ...ids.filter((id) => !this.selected.has(id))]
        : [...this.selected].filter((id) => !remove.has(id)),
    );
  }

  private select(ids: string[]): void {
    this.state.selection = "manual";
    this.selected.clear();
    for (const id of ids) this.selected.add(id);
    this.changed({ table: true, curves: true });
  }

  private rowClicked(id: string, additive: boolean): void {
    if (additive) return this.toggle([id], !this.selected.has(id));
    this.state.detailsRunId = id;
    this.select([id]);
    this.changed({ details: true });
  }

  private changed(parts: Partial<Dirty>): void {
    Object.assign(this.dirty, parts);
    this.state.selected = [...this.selected];
    saveState(this.state);
    this.schedule();
  }

  private act(action: ToolbarAction): void {
    const chosen = this.selectedRuns();
    switch (action) {
      case "selectLatest":
        return this.selectLatest();
      case "compare":
        return this.openCompare(chosen);
      case "stop":
        for (const run of chosen) if (run.status === "running") postToHost({ type: "stop", runId: run.id });
        return;
      case "rerun":
        for (const run of chosen) postToHost({ type: "rerun", runId: run.id });
        return;
      case "delete":
        return postToHost({ type: "delete", runIds: chosen.map((r) => r.id) });
      case "openSource":
        return chosen[0] && postToHost({ type: "openSource", runId: chosen[0].id });
      case "diffSources": {
        const [left, right] = [...chosen].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
        if (!left || !right) return;
        this.runDiff.show(left, right);
        return postToHost({ type: "diffSources", leftRunId: left.id, rightRunId: right.id });
      }
      case "exportMarkdown":
      case "exportCsv":
        return postToHost({
          type: "exportTable",
          format: action === "exportCsv" ? "csv" : "markdown",
          runIds: this.rows.map((r) => r.id),
        });
      default:
        return assertNever(action);
    }
  }

  private showNotice(message: string, level: "info" | "error"): void {
    this.notice.textContent = message;
    this.notice.className = `notice ${level}`;
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice.textContent = ""), 8000);
  }
}

/** Runs one part of a frame's drawing under a performance measure ("archlab:table", ...), which the bench reads. */
function timed(part: string, work: () => void): void {
  const start = performance.now();
  work();
  performance.measure(`archlab:${part}`, { start, end: performance.now() });
}

function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

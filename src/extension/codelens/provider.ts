// CodeLens above each architecture of a model file: train, quick run, size, latest result, stop.
import * as vscode from "vscode";
import type { EditorInspections } from "../editor/editorInspections";
import type { Inspector } from "../inspect/inspector";
import type { Job, JobManager } from "../jobs/jobManager";
import type { WorkspaceRuns } from "../runs/runsModel";
import type { SweepSessions } from "../sweeps/sweepSessions";
import { computeLenses, type ArchitectureState, type SymbolAt } from "./lenses";
import { topLevelSymbols } from "./symbols";

const REFRESH_DELAY_MS = 300;
// VS Code restarts its CodeLens debounce on every change event: progress refreshes far apart,
// or a stream of batch updates would keep the lenses from ever being redrawn.
const PROGRESS_REFRESH_MS = 2_000;
// The TypeScript server may still be starting when a file opens: ask again for its symbols.
const SYMBOL_RETRIES = 10;

/** What the lenses read of the workspace's ArchLab. */
export interface LensHost {
  readonly runs: Pick<WorkspaceRuns, "onDidChange" | "latest">;
  readonly jobs: Pick<JobManager, "subscribe" | "activeJobFor">;
  readonly inspector: Pick<Inspector, "cached">;
  readonly sweeps: Pick<SweepSessions, "onDidChange" | "activeFor" | "list">;
}

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly symbolRetries = new Map<string, number>();
  private readonly jobPhases = new Map<number, string>();
  private readonly symbols = new Map<string, { version: number; symbols: SymbolAt[] }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastProgressRefresh = 0;
  private sweeping = "";

  constructor(
    private readonly lab: LensHost,
    private readonly inspections: Pick<EditorInspections, "onDidChange" | "request">,
  ) {
    this.disposables.push(
      this.changed,
      inspections.onDidChange(() => this.refreshSoon()),
      // Lenses show a run's outcome; a running run's epochs are the job's progress (see onJobChanged).
      // A sweep's trials are not the lenses' latest results, and their stream would starve the redraws.
      lab.runs.onDidChange((change) => {
        if (
          change.kind === "batch" ||
          (change.kind === "upsert" && (change.record.status === "running" || change.record.sweep))
        )
          return;
        this.refreshSoon();
      }),
      lab.jobs.subscribe({ jobChanged: (job) => this.onJobChanged(job) }),
      lab.sweeps.onDidChange(() => this.onSweepsChanged()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.symbols.delete(doc.uri.toString())),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon()),
    );
  }

  /**
   * Redrawn when a sweep starts or ends only: short trials ending side by side would restart VS
   * Code's debounce again and again, and the lenses would show nothing new until the sweep ended.
   * Its progress is in its notification.
   */
  private onSweepsChanged(): void {
    const sweeping = this.lab.sweeps
      .list()
      .map((s) => s.sweep.id)
      .sort()
      .join(" ");
    if (sweeping === this.sweeping) return;
    this.sweeping = sweeping;
    this.refreshSoon();
  }

  /** A job started, stopped or began another run: redraw soon; mere progress: now and then. */
  private onJobChanged(job: Job): void {
    if (job.request.trial) return;
    const phase = `${job.state}:${job.runIds.length}`;
    if (this.jobPhases.get(job.id) !== phase) {
      if (job.state === "done") this.jobPhases.delete(job.id);
      else this.jobPhases.set(job.id, phase);
      return this.refreshSoon();
    }
    if (Date.now() - this.lastProgressRefresh < PROGRESS_REFRESH_MS) return;
    this.lastProgressRefresh = Date.now();
    this.refreshSoon();
  }

  refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, REFRESH_DELAY_MS);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted) {
      return [
        lens(0, "$(shield) ArchLab: trust this workspace to inspect and train its models", "workbench.trust.manage"),
      ];
    }
    const file = document.uri.fsPath;
    const symbols = await this.symbolsOf(document);
    const inspection = this.lab.inspector.cached(file);
    if (!inspection) this.inspections.request(document, 0);
    if (!symbols.length && inspection?.report?.models.length) this.retrySymbolsLater(file);
    const specs = computeLenses({
      file,
      symbols,
      report: inspection?.report,
      fileError: inspection?.error && { message: inspection.error.message, line: inspection.error.location?.line },
      state: (model) => this.stateOf(file, model),
    });
    return specs.map((s) => lens(s.line, s.title, s.command ?? "", s.args));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private stateOf(file: string, model: string): ArchitectureState {
    const latest = this.lab.runs.latest(file, model);
    const sweep = this.lab.sweeps.activeFor(file, model);
    if (sweep) return { latest, sweep: { trials: sweep.sweep.trials.length } };
    const job = this.lab.jobs.activeJobFor(file, model);
    if (!job) return { latest };
    const current = job.progress?.model === model ? job.progress : undefined;
    const runId = current ? job.runIds[job.runIds.length - 1] : undefined;
    return { latest, training: { runId, progress: current, queued: job.state === "queued" } };
  }

  /**
   * The document's declarations, asked of the TypeScript server once per version: while jobs run,
   * lenses are redrawn every few seconds, and a slow answer (the server shares the cores with the
   * trainers) would be cancelled by the next redraw before it arrived.
   */
  private async symbolsOf(document: vscode.TextDocument): Promise<SymbolAt[]> {
    const key = document.uri.toString();
    const known = this.symbols.get(key);
    if (known?.version === document.version) return known.symbols;
    const symbols = await topLevelSymbols(document.uri);
    // None yet may mean the server is still starting: ask again next time.
    if (symbols.length) this.symbols.set(key, { version: document.version, symbols });
    return symbols;
  }

  private retrySymbolsLater(file: string): void {
    const tries = this.symbolRetries.get(file) ?? 0;
    if (tries >= SYMBOL_RETRIES) return;
    this.symbolRetries.set(file, tries + 1);
    setTimeout(() => this.changed.fire(), 1000);
  }
}

function lens(line: number, title: string, command: string, args?: unknown[]): vscode.CodeLens {
  return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command, arguments: args });
}

// CodeLens above each architecture of a model file: train, quick run, size, latest result, stop.
import * as vscode from 'vscode';
import type { Inspector } from '../inspect/inspector';
import type { Job, JobManager } from '../jobs/jobManager';
import type { WorkspaceRuns } from '../runs/runsModel';
import { modelDiagnostics } from './diagnostics';
import { computeLenses, type ArchitectureState } from './lenses';
import { topLevelSymbols } from './symbols';

const REFRESH_DELAY_MS = 300;
// VS Code restarts its CodeLens debounce on every change event: progress refreshes far apart,
// or a stream of batch updates would keep the lenses from ever being redrawn.
const PROGRESS_REFRESH_MS = 2_000;
// The TypeScript server may still be starting when a file opens: ask again for its symbols.
const SYMBOL_RETRIES = 10;

/** What the lenses read of the workspace's ArchLab. */
export interface LensHost {
  readonly runs: Pick<WorkspaceRuns, 'onDidChange' | 'latest'>;
  readonly jobs: Pick<JobManager, 'subscribe' | 'activeJobFor'>;
  readonly inspector: Pick<Inspector, 'inspect' | 'cached' | 'forgetAll'>;
}

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('archlab');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly symbolRetries = new Map<string, number>();
  private readonly jobPhases = new Map<number, string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastProgressRefresh = 0;

  constructor(
    private readonly lab: LensHost,
    private readonly selector: vscode.DocumentSelector,
  ) {
    this.disposables.push(
      this.changed,
      this.diagnostics,
      // Lenses show a run's outcome; a running run's epochs are the job's progress (see onJobChanged).
      lab.runs.onDidChange((change) => {
        if (change.kind === 'batch' || (change.kind === 'upsert' && change.record.status === 'running')) return;
        this.refreshSoon();
      }),
      lab.jobs.subscribe({ jobChanged: (job) => this.onJobChanged(job) }),
      vscode.workspace.onDidSaveTextDocument((doc) => this.onSaved(doc)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon()),
    );
  }

  /** A job started, stopped or began another run: redraw soon; mere progress: now and then. */
  private onJobChanged(job: Job): void {
    const phase = `${job.state}:${job.runIds.length}`;
    if (this.jobPhases.get(job.id) !== phase) {
      if (job.state === 'done') this.jobPhases.delete(job.id);
      else this.jobPhases.set(job.id, phase);
      return this.refreshSoon();
    }
    if (Date.now() - this.lastProgressRefresh < PROGRESS_REFRESH_MS) return;
    this.lastProgressRefresh = Date.now();
    this.refreshSoon();
  }

  /**
   * A model file's inspection is keyed by its own content; a saved helper module it may import
   * (any other script) makes every inspection stale.
   */
  private onSaved(document: vscode.TextDocument): void {
    if (!vscode.languages.match(this.selector, document) && /\.(ts|js|mjs|cjs|mts|cts)$/.test(document.uri.fsPath)) {
      this.lab.inspector.forgetAll();
    }
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
      return [lens(0, '$(shield) ArchLab: trust this workspace to inspect and train its models', 'workbench.trust.manage')];
    }
    const file = document.uri.fsPath;
    const symbols = await topLevelSymbols(document.uri);
    void this.inspectAndRefresh(document.uri);
    const inspection = this.lab.inspector.cached(file);
    if (!symbols.length && inspection?.report?.models.length) this.retrySymbolsLater(file);
    this.diagnostics.set(document.uri, modelDiagnostics(document.uri, inspection, symbols));
    const specs = computeLenses({
      file,
      symbols,
      report: inspection?.report,
      fileError: inspection?.error && { message: inspection.error.message, line: inspection.error.location?.line },
      state: (model) => this.stateOf(file, model),
    });
    return specs.map((s) => lens(s.line, s.title, s.command ?? '', s.args));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private stateOf(file: string, model: string): ArchitectureState {
    const latest = this.lab.runs.latest(file, model);
    const job = this.lab.jobs.activeJobFor(file, model);
    if (!job) return { latest };
    const current = job.progress?.model === model ? job.progress : undefined;
    const runId = current ? job.runIds[job.runIds.length - 1] : undefined;
    return { latest, training: { runId, progress: current, queued: job.state === 'queued' } };
  }

  private async inspectAndRefresh(uri: vscode.Uri): Promise<void> {
    const before = this.lab.inspector.cached(uri.fsPath);
    const after = await this.lab.inspector.inspect(uri.fsPath);
    if (after !== before) this.refreshSoon();
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

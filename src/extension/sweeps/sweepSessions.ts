// The window's running sweeps: each planned in a child, its trials run as jobs of the window's
// queue (or put on a BullMQ queue when `archlab.queue` is set and its Redis answers), its record
// kept current in .archlab/sweeps. A stop ends it as `stopped`; a closing window as `interrupted`,
// to be resumed later.
import { resolve } from "node:path";
import type { RunStore } from "../../engine/runs/store";
import { runSweep, type TrialRunner } from "../../engine/sweep/controller";
import type { SweepRequest } from "../../engine/sweep/plan";
import type { SweepStore } from "../../engine/sweep/store";
import type { SweepRecord } from "../../engine/sweep/types";
import type { TrainingConfig, TrainingEvent } from "../../engine/types";
import type { JobManager } from "../jobs/jobManager";
import { JobTrialRunner } from "./jobTrialRunner";

export interface SweepTarget {
  file: string;
  model: string;
}

export interface SweepSession {
  readonly sweep: SweepRecord;
  readonly file: string;
  /** Where its trials run: "local" or the queue's address without its password. */
  readonly ranOn: string;
  /** Resolves with the record once the sweep has ended, however it ended. */
  readonly done: Promise<SweepRecord>;
  stop(): void;
}

export interface SweepSettings {
  maxConcurrentJobs: number;
  /** BullMQ queue's Redis URL; absent: trials run here. */
  queue?: string;
  overrides: Partial<TrainingConfig>;
}

export interface SweepSessionsDeps {
  root: string;
  plan(request: SweepRequest): Promise<SweepRecord>;
  sweeps: Pick<SweepStore, "save" | "get">;
  runs: RunStore;
  jobs: Pick<JobManager, "enqueue" | "stopJob" | "subscribe">;
  settings(): SweepSettings;
  /** Events of trials trained elsewhere (a queue's agents), so the window shows them live too. */
  remoteEvent(event: TrainingEvent): void;
  /** The queue's client (BullMQ), loaded only by a sweep that uses it. */
  loadQueue(): Promise<typeof import("../../engine/sweep/queue/choose")>;
  /** The queue could not be reached: said once, before the trials run here instead. */
  queueUnreachable(message: string): void;
  log(message: string): void;
}

interface LiveSession extends SweepSession {
  abort: AbortController;
  windowClosing: boolean;
}

export class SweepSessions {
  private readonly live = new Set<LiveSession>();
  private readonly listeners = new Set<(session: SweepSession) => void>();

  constructor(private readonly deps: SweepSessionsDeps) {}

  /** Called when a sweep starts, a trial starts or ends, and when the sweep ends. */
  onDidChange(listener: (session: SweepSession) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  activeFor(file: string, model: string): SweepSession | undefined {
    return [...this.live].find((s) => s.file === file && s.sweep.model === model);
  }

  list(): SweepSession[] {
    return [...this.live];
  }

  /** Plans a new sweep of the architecture and starts its trials; resolves once they are under way. */
  async start(target: SweepTarget): Promise<SweepSession> {
    if (this.activeFor(target.file, target.model)) throw new Error(`a sweep of ${target.model} is already running`);
    const { overrides } = this.deps.settings();
    const sweep = await this.deps.plan({
      file: target.file,
      model: target.model,
      overrides,
      storeRoot: this.deps.root,
    });
    return this.run(sweep, target.file);
  }

  /** Goes on with an earlier sweep: its finished trials stay, the others run again. */
  async resume(id: string): Promise<SweepSession> {
    const sweep = await this.deps.sweeps.get(id);
    const file = resolve(this.deps.root, sweep.file);
    if (this.activeFor(file, sweep.model)) throw new Error(`a sweep of ${sweep.model} is already running`);
    return this.run(sweep, file);
  }

  stopAll(): void {
    for (const session of this.live) session.stop();
  }

  /** The window is closing: running sweeps end as interrupted, to be resumed. */
  dispose(): void {
    for (const session of this.live) {
      session.windowClosing = true;
      session.abort.abort();
    }
    this.listeners.clear();
  }

  private async run(sweep: SweepRecord, file: string): Promise<SweepSession> {
    const runner = await this.runnerFor(sweep, file);
    const abort = new AbortController();
    let done!: Promise<SweepRecord>;
    const session: LiveSession = {
      sweep,
      file,
      ranOn: sweep.ranOn,
      abort,
      windowClosing: false,
      get done() {
        return done;
      },
      stop: () => abort.abort(),
    };
    this.live.add(session);
    const remote = !(runner instanceof JobTrialRunner);
    const changed = () => {
      for (const listener of this.listeners) listener(session);
    };
    this.deps.log(
      `Sweep ${sweep.id}: ${sweep.model}, ${sweep.spec.method}, ${sweep.trials.length} trials, ${runner.concurrency} at a time on ${sweep.ranOn}.`,
    );
    done = runSweep(sweep, {
      sweeps: this.deps.sweeps as SweepStore,
      runs: this.deps.runs,
      runner,
      file,
      signal: abort.signal,
      stoppedAs: () => (session.windowClosing ? "interrupted" : "stopped"),
      listener: {
        trialStarted: changed,
        trialEvent: (_trial, event) => remote && this.deps.remoteEvent(event),
        trialEnded: changed,
      },
    }).finally(async () => {
      this.live.delete(session);
      await runner.close();
      this.deps.log(`Sweep ${sweep.id} ${sweep.status}.`);
      changed();
    });
    changed();
    return session;
  }

  private async runnerFor(sweep: SweepRecord, file: string): Promise<TrialRunner> {
    const settings = this.deps.settings();
    const local = () => {
      sweep.ranOn = "local";
      return new JobTrialRunner(this.deps.jobs, this.deps.runs, settings.maxConcurrentJobs);
    };
    if (!settings.queue) return local();
    const { queueRunnerOrFallback } = await this.deps.loadQueue();
    return queueRunnerOrFallback(settings.queue, {
      sweep,
      file,
      runs: this.deps.runs,
      fallback: true,
      local,
      unreachable: (err) => this.deps.queueUnreachable(`${err.message}. The trials run here instead.`),
    });
  }
}

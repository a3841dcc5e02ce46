// One workspace's ArchLab: its run store, its runs, its job queue and its model inspections.
import * as vscode from "vscode";
import { cpus } from "node:os";
import { join } from "node:path";
import { closeOrphanedRuns, recheckRunning } from "../engine/runs/interrupted";
import { RunStore } from "../engine/runs/store";
import { JOB_LOCKS_FOLDER, Settings, STOP_TIMEOUT_MS } from "./constants";
import { ChildProcessError } from "../shared/child-error";
import { Inspector } from "./inspect/inspector";
import { JobLocks } from "./jobs/jobLocks";
import { JobManager, type Job } from "./jobs/jobManager";
import { TrainerProcess } from "../shared/trainer-process";
import { Predictor } from "./predict/predictor";
import { SweepStore } from "../engine/sweep/store";
import { planInChild } from "./sweeps/planner";
import { SweepSessions } from "./sweeps/sweepSessions";
import { startTrialTrainer } from "./sweeps/trialTrainer";
import { WorkspaceRuns } from "./runs/runsModel";
import { quickRunOverrides, readSettings, type ArchlabSettings } from "./settings";
import { epochsBefore } from "../engine/runs/continued";
import type { RunRecord, TrainingConfig } from "../engine/types";

const INSPECT_TIMEOUT_MS = 60_000;

export class ArchLab implements vscode.Disposable {
  readonly store: RunStore;
  readonly runs: WorkspaceRuns;
  readonly jobs: JobManager;
  readonly inspector: Inspector;
  readonly locks: JobLocks;
  readonly predictor: Predictor;
  readonly sweepStore: SweepStore;
  readonly sweeps: SweepSessions;
  private readonly trainerPath: string;

  constructor(
    context: vscode.ExtensionContext,
    readonly root: string,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.trainerPath = context.asAbsolutePath(join("dist", "trainer.js"));
    this.store = new RunStore(root, this.settings().runsDir);
    this.locks = new JobLocks(join(root, ".archlab", JOB_LOCKS_FOLDER));
    this.runs = new WorkspaceRuns(root, new vscode.EventEmitter());
    this.inspector = new Inspector((file, content) => this.inspectInChild(file, content));
    this.predictor = new Predictor(
      { trainerPath: this.trainerPath, cwd: root, stopTimeoutMs: STOP_TIMEOUT_MS, storeRoot: root },
      (message) => log.info(message),
    );
    this.jobs = new JobManager({
      startTrainer: (request, onMessage) => {
        const settings = this.settings();
        // Jobs that run side by side share the cores instead of each taking them all.
        const cores = Math.max(1, Math.floor(cpus().length / settings.maxConcurrentJobs));
        const options = { trainerPath: this.trainerPath, cwd: root, stopTimeoutMs: STOP_TIMEOUT_MS, onMessage };
        if (request.trial) {
          const env = {
            backend: settings.backend,
            threads: settings.threads,
            cores,
            storeRoot: root,
            runsDir: this.store.runsDir,
            datasetOptions: { fashionMnistDir: settings.fashionMnistDir },
            searchPaths: [root],
          };
          return startTrialTrainer(request.trial, env, options);
        }
        const job = request.continue
          ? { type: "continue" as const, ...request.continue }
          : { type: "train" as const, file: request.file, models: request.models, overrides: request.overrides };
        return new TrainerProcess(
          {
            ...job,
            backend: settings.backend,
            threads: settings.threads,
            cores,
            storeRoot: root,
            runsDir: this.store.runsDir,
            fashionMnistDir: settings.fashionMnistDir,
            searchPaths: [root],
            keepModels: settings.keepModels,
          },
          options,
        );
      },
      store: this.store,
      locks: this.locks,
      maxConcurrentJobs: () => this.settings().maxConcurrentJobs,
      log: (message) => log.info(message),
    });
    this.jobs.subscribe({ trainingEvent: (event) => this.runs.apply(event) });
    this.sweepStore = new SweepStore(root);
    this.sweeps = new SweepSessions({
      root,
      plan: (request) =>
        planInChild(request, {
          trainerPath: this.trainerPath,
          cwd: root,
          stopTimeoutMs: STOP_TIMEOUT_MS,
          onMessage: (m) => m.type === "log" && log.info(`[sweep plan] ${m.message}`),
        }),
      sweeps: this.sweepStore,
      runs: this.store,
      jobs: this.jobs,
      settings: () => this.settings(),
      remoteEvent: (event) => this.runs.apply(event),
      loadQueue: async () => loadQueueBundle(context),
      queueUnreachable: (message) => {
        log.warn(message);
        void vscode.window.showWarningMessage(`ArchLab: ${message}`);
      },
      log: (message) => log.info(message),
    });
  }

  settings(): ArchlabSettings {
    return readSettings(vscode.workspace.getConfiguration(Settings.section), this.root);
  }

  /** Queues training of `models` of `file` (all of them when absent). */
  train(file: string, models: string[] | undefined, mode: "full" | "quick", overrides?: Partial<TrainingConfig>): Job {
    const settings = this.settings();
    const base = mode === "quick" ? quickRunOverrides(settings) : settings.overrides;
    const what = models?.length ? models.join(", ") : vscode.workspace.asRelativePath(file);
    return this.jobs.enqueue({
      file,
      models,
      overrides: { ...base, ...overrides },
      label: mode === "quick" ? `${what} (quick run)` : what,
    });
  }

  /** Queues training a run's saved model `epochs` more epochs, as a new run (Continue Training). */
  continueTraining(record: RunRecord, epochs: number): Job {
    const from = record.savedModel?.epoch ?? epochsBefore(record) + record.epochs.length;
    return this.jobs.enqueue({
      file: this.runs.fileOf(record),
      models: [record.model],
      label: `${record.annotations?.name ?? record.model} (continued from epoch ${from})`,
      continue: { runId: record.id, epochs },
    });
  }

  /** Re-reads every record, and closes runs whose window went away mid-run. */
  async reload(): Promise<void> {
    const { records, warnings } = await this.store.list();
    for (const warning of warnings) this.log.warn(warning);
    const swept = await this.locks.sweep(records, (record) => this.store.save(record));
    const sweptIds = new Map(swept.map((r) => [r.id, r]));
    const current = records.map((r) => sweptIds.get(r.id) ?? r);
    // Runs of other processes (a CLI in a terminal, a killed trainer) whose owner is gone.
    for (const orphan of await closeOrphanedRuns(this.store, current)) sweptIds.set(orphan.id, orphan);
    this.runs.replaceAll(
      records.map((r) => sweptIds.get(r.id) ?? r),
      warnings,
    );
  }

  /** A run that was going when last read may have ended since, or lost its process: those become interrupted. */
  async closeOrphans(): Promise<void> {
    const running = this.runs.list().filter((r) => r.status === "running");
    if (!running.length) return;
    for (const record of await recheckRunning(this.store, running)) this.runs.upsert(record);
  }

  dispose(): void {
    this.predictor.dispose();
    this.sweeps.dispose();
    this.jobs.dispose();
    this.runs.dispose();
  }

  private async inspectInChild(file: string, content?: string) {
    const trainer = new TrainerProcess(
      { type: "inspect", file, ...(content === undefined ? {} : { content }) },
      {
        trainerPath: this.trainerPath,
        cwd: this.root,
        stopTimeoutMs: STOP_TIMEOUT_MS,
        onMessage: (m) => m.type === "log" && this.log.info(`[inspect] ${m.message}`),
      },
    );
    // A model file that never returns (an endless loop at import) must not hold its lenses hostage.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      trainer.kill();
    }, INSPECT_TIMEOUT_MS);
    const outcome = await trainer.outcome;
    clearTimeout(timer);
    if (timedOut)
      return { error: new ChildProcessError(`Inspecting the file took longer than ${INSPECT_TIMEOUT_MS / 1000} s.`) };
    switch (outcome.kind) {
      case "inspected":
        return { report: outcome.report };
      case "failed":
        return { error: outcome.error };
      case "trained":
      case "planned":
        return { error: new ChildProcessError("The trainer answered an inspection with something else.") };
    }
  }
}

type QueueModule = typeof import("../engine/sweep/queue/choose");

/** BullMQ (2 MB) is a bundle of its own, so that activation does not parse it. */
function loadQueueBundle(context: vscode.ExtensionContext): QueueModule {
  const bundle = context.asAbsolutePath(join("dist", "queue.js"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle found at run time, loaded only for a queue sweep
  return require(bundle) as QueueModule;
}

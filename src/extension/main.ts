// Extension entry: wires the workspace's runs, jobs, CodeLens, commands and the comparison panel.
// Activation stays light: no TensorFlow.js here, only the store and the UI; tfjs runs in children.
import * as vscode from "vscode";
import type { RunError } from "../engine/types";
import { ArchLab } from "./archlab";
import { ModelCodeLensProvider } from "./codelens/provider";
import { registerModelCommands } from "./commands/models";
import { registerContinueTraining } from "./commands/continueTraining";
import { registerCommand } from "./commands/register";
import { registerRunCommands } from "./commands/runs";
import { registerSavedModelCommands } from "./commands/savedModels";
import { registerTrainCommands } from "./commands/train";
import { Commands, OUTPUT_CHANNEL_NAME, Settings } from "./constants";
import { ChildProcessError } from "../shared/child-error";
import { EditorInspections } from "./editor/editorInspections";
import { LayerHints } from "./editor/layerHints";
import { registerGraphCommand } from "./graph/graphPanel";
import { showJobProgress } from "./jobs/progressUi";
import { registerComparisonPanel } from "./panel";
import { showError } from "./notify";
import { createRunActions, registerRunSources } from "./runs/runActions";
import { HEARTBEAT_MS } from "../engine/runs/owner";
import { watchStore } from "./runs/storeWatcher";
import { registerSweepCommands } from "./sweeps/sweepCommands";
import { WorkspaceSweeps } from "./sweeps/sweepsModel";

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    for (const id of Object.values(Commands)) {
      context.subscriptions.push(
        vscode.commands.registerCommand(id, () =>
          vscode.window.showInformationMessage("ArchLab: open a folder to train and compare models."),
        ),
      );
    }
    return;
  }

  const lab = new ArchLab(context, root, log);
  const modelFiles: vscode.DocumentFilter = { scheme: "file", pattern: lab.settings().modelGlob };
  const inspections = new EditorInspections(lab.inspector, modelFiles);
  const lenses = new ModelCodeLensProvider(lab, inspections);
  const hints = new LayerHints(lab.inspector, inspections);
  const actions = createRunActions(lab);
  // Jobs already warned of a record they could not write.
  const warnedJobs = new Set<number>();
  const sweeps = new WorkspaceSweeps(lab.sweepStore, lab.sweeps, (err) =>
    log.warn(`Could not read the sweep records: ${err instanceof Error ? err.message : String(err)}`),
  );
  const panel = registerComparisonPanel(
    context,
    lab.runs,
    actions,
    (what, err) => void showError(log, what, err),
    sweeps,
  );
  context.subscriptions.push(
    lab,
    inspections,
    sweeps,
    lenses,
    hints,
    vscode.languages.registerCodeLensProvider(modelFiles, lenses),
    vscode.languages.registerInlayHintsProvider(modelFiles, hints),
    vscode.languages.registerHoverProvider(modelFiles, hints),
    watchStore(lab.store, lab.runs, (err) =>
      log.warn(`Could not read the run records: ${err instanceof Error ? err.message : String(err)}`),
    ),
    watchOrphans(lab, log),
    showJobProgress(lab.jobs),
    registerRunSources(lab.runs),
    lab.jobs.subscribe({
      // A run that failed is shown once: as its run's failure, or as the job's when no run had started.
      trainingEvent: (event) => {
        if (event.type === "runFailed")
          void showError(log, `${event.record.model} failed`, describeRunError(event.record.error));
      },
      jobFailed: (job, error, closedRuns) =>
        closedRuns === 0 && void showError(log, `${job.request.label} failed`, error),
      jobCleanupFailed: (job, error) =>
        void showError(log, `${job.request.label}: its runs could not be closed`, error),
      // Once per job: a full disk fails every write after the first.
      runNotRecorded: (job, _runId, message) => {
        if (warnedJobs.has(job.id)) return;
        warnedJobs.add(job.id);
        void vscode.window.showWarningMessage(`ArchLab: ${message}`);
      },
    }),
    registerCommand(log, {
      id: Commands.openComparisonPanel,
      failure: "Could not open the comparison panel",
      run: () => panel.show(),
    }),
    ...registerTrainCommands(lab),
    ...registerRunCommands(lab, (runIds) => actions.delete(runIds)),
    ...registerModelCommands(lab, context.extensionUri),
    ...registerGraphCommand(lab, inspections, context.extensionUri),
    ...registerSavedModelCommands(lab),
    registerContinueTraining(lab),
    ...registerSweepCommands(lab),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration(`${Settings.section}.${Settings.runsFolder}`) ||
        e.affectsConfiguration(`${Settings.section}.${Settings.modelGlob}`)
      ) {
        void vscode.window.showInformationMessage("ArchLab: reload the window to apply the new setting.");
      }
    }),
  );
  lab.reload().then(
    () => log.info(`Loaded ${lab.runs.list().length} runs from ${lab.store.runsDir}.`),
    (err: unknown) => void showError(log, "Could not read the run records", err),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
}

/** A CLI run killed in a terminal writes nothing more: its heartbeat stops, and this notices. */
function watchOrphans(lab: Pick<ArchLab, "closeOrphans">, log: vscode.LogOutputChannel): vscode.Disposable {
  const timer = setInterval(
    () => void lab.closeOrphans().catch((err: unknown) => log.warn(`Could not check running runs: ${String(err)}`)),
    HEARTBEAT_MS,
  );
  return { dispose: () => clearInterval(timer) };
}

function describeRunError(error: RunError | undefined): ChildProcessError {
  return error ? ChildProcessError.fromRunError(error) : new ChildProcessError("unknown error");
}

export function deactivate(): void {
  // context.subscriptions are disposed by VS Code; ArchLab.dispose detaches running children,
  // which then record their runs as interrupted.
}

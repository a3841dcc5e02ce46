// Train Model, Train All Models in File, Quick Run, Rerun.
import * as vscode from 'vscode';
import type { ArchLab } from '../archlab';
import { Commands } from '../constants';
import { showError } from '../notify';
import { pickModel, requireTrust, targetOf } from './targets';

export function registerTrainCommands(lab: ArchLab): vscode.Disposable[] {
  const guarded = (name: string, run: (arg: unknown) => Promise<void>) =>
    vscode.commands.registerCommand(name, async (arg: unknown) => {
      try {
        if (await requireTrust()) await run(arg);
      } catch (err) {
        await showError(lab.log, 'Could not start training', err);
      }
    });
  const noModelFile = () => vscode.window.showInformationMessage('ArchLab: open a model file first (e.g. mnist.model.ts).');

  return [
    guarded(Commands.trainModel, async (arg) => {
      const target = targetOf(arg);
      if (!target) return void noModelFile();
      const model = target.model ?? (await pickModel(lab, target.file));
      if (model) lab.train(target.file, [model], 'full');
    }),
    guarded(Commands.trainAllModelsInFile, async (arg) => {
      const target = targetOf(arg);
      if (!target) return void noModelFile();
      lab.train(target.file, undefined, 'full');
    }),
    // From a lens: that architecture; from a menu: every architecture of the file.
    guarded(Commands.quickRun, async (arg) => {
      const target = targetOf(arg);
      if (!target) return void noModelFile();
      lab.train(target.file, target.model ? [target.model] : undefined, 'quick');
    }),
    guarded(Commands.rerun, async (arg) => {
      const id = typeof arg === 'string' ? arg : await pickRun(lab, 'Rerun which run?');
      const record = id ? lab.runs.get(id) : undefined;
      if (!record) return;
      // Same settings as that run; the architecture as the file defines it now.
      lab.train(lab.runs.fileOf(record), [record.model], 'full', record.config);
    }),
  ];
}

export async function pickRun(lab: ArchLab, title: string, filter = (status: string) => status !== 'running'): Promise<string | undefined> {
  const items = lab.runs
    .list()
    .filter((r) => filter(r.status))
    .map((r) => ({
      label: r.model,
      description: `${r.status}${r.results ? ` · ${(r.results.testAccuracy * 100).toFixed(2)}%` : ''}`,
      detail: `${new Date(r.startedAt).toLocaleString()} · ${r.file}`,
      id: r.id,
    }));
  if (!items.length) {
    void vscode.window.showInformationMessage('ArchLab: no runs yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}

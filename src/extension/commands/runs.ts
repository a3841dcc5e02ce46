// Stop Run, Stop All, Delete Run, Export Results.
import * as vscode from 'vscode';
import type { ArchLab } from '../archlab';
import { Commands } from '../constants';
import { showError } from '../notify';
import { exportTable } from '../panel/exports';
import { pickRun } from './train';
import { isModelTarget } from './targets';

export function registerRunCommands(lab: ArchLab, deleteRuns: (ids: string[]) => Promise<void>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.stopRun, async (arg: unknown) => {
      if (typeof arg === 'string') return lab.jobs.stopRun(arg);
      if (isModelTarget(arg)) {
        const job = lab.jobs.activeJobFor(arg.file, arg.model);
        return job && lab.jobs.stopJob(job.id);
      }
      const jobs = lab.jobs.list();
      if (!jobs.length) return void vscode.window.showInformationMessage('ArchLab: nothing is training.');
      const picked = await vscode.window.showQuickPick(
        jobs.map((j) => ({ label: j.request.label, description: j.state, id: j.id })),
        { title: 'Stop which job?' },
      );
      if (picked) lab.jobs.stopJob(picked.id);
    }),
    vscode.commands.registerCommand(Commands.stopAll, () => lab.jobs.stopAll()),
    vscode.commands.registerCommand(Commands.deleteRun, async (arg: unknown) => {
      const ids = Array.isArray(arg) ? arg.filter((x): x is string => typeof x === 'string') : [];
      if (typeof arg === 'string') ids.push(arg);
      if (!ids.length) {
        const picked = await pickRun(lab, 'Delete which run?');
        if (!picked) return;
        ids.push(picked);
      }
      await deleteRuns(ids);
    }),
    vscode.commands.registerCommand(Commands.exportResults, async (arg: unknown) => {
      const ids = Array.isArray(arg) ? new Set(arg) : undefined;
      const records = lab.runs.list().filter((r) => r.status === 'completed' && (!ids || ids.has(r.id)));
      if (!records.length) return void vscode.window.showInformationMessage('ArchLab: no completed runs to export yet.');
      const format = await vscode.window.showQuickPick(
        [
          { label: 'Markdown', format: 'markdown' as const },
          { label: 'CSV', format: 'csv' as const },
        ],
        { title: 'Export the results table as' },
      );
      if (!format) return;
      try {
        const saved = await exportTable(records, format.format);
        if (saved) void vscode.window.showInformationMessage(`ArchLab: exported ${records.length} runs to ${vscode.workspace.asRelativePath(saved)}.`);
      } catch (err) {
        await showError(lab.log, 'Export failed', err);
      }
    }),
  ];
}

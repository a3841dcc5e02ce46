// `archlab inspect`: each architecture's layers, params and MACs, without training.
import { existsSync } from 'node:fs';
import { initBackend } from '../engine/backend';
import { inspectModelFile, ModelFileError, type InspectReport } from '../engine/models';
import { alignedText } from '../engine/runs/table';
import type { BackendPreference, ModelSummary, ShapeProblem } from '../engine/types';
import { EXIT, errorLine, printError, shownPath, UsageError } from './output';

const thousands = new Intl.NumberFormat('en-US');

export async function inspectCommand(file: string, options: { json?: boolean; backend: BackendPreference }): Promise<number> {
  if (!existsSync(file)) throw new UsageError(`no such model file: ${file}`);
  const { tf } = await initBackend(options.backend);
  let result: InspectReport;
  try {
    result = await inspectModelFile(file, tf);
  } catch (err) {
    if (!(err instanceof ModelFileError)) throw err;
    process.stderr.write(err.message + '\n');
    return EXIT.failed;
  }
  if (options.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    process.stdout.write(describe(result));
    for (const model of result.models) {
      if (model.error) process.stderr.write(errorLine(model.error, model.name) + '\n');
      for (const problem of model.summary?.problems ?? []) process.stderr.write(problemLine(problem, model.name) + '\n');
    }
  }
  if (result.models.length === 0) printError(`${shownPath(result.file)} exports no architecture`);
  const built = result.models.every((m) => m.summary && !m.summary.problems?.length);
  return result.models.length > 0 && built ? EXIT.ok : EXIT.failed;
}

/** A shape problem as compilers print errors: file:line:column first, so terminals link it. */
function problemLine(problem: ShapeProblem, model: string): string {
  const at = problem.location;
  return at ? `${shownPath(at.file)}:${at.line}:${at.column}: model ${model}: ${problem.message}` : `archlab: ${model}: ${problem.message}`;
}

function describe(result: InspectReport): string {
  const parts = [`${shownPath(result.file)} (sha256 ${result.sha256.slice(0, 12)})\n`];
  for (const model of result.models) {
    parts.push(model.summary ? describeModel(model.summary, result.file) : `\n${model.name}: failed to build\n`);
  }
  if (result.skipped.length) {
    parts.push(`\nSkipped exports:\n${result.skipped.map((s) => `  ${s.name}: ${s.reason}\n`).join('')}`);
  }
  return parts.join('');
}

/** `file` is the inspected file: layers made there show their line, others file:line. */
function describeModel(summary: ModelSummary, file: string): string {
  const { total, trainable, nonTrainable } = summary.params;
  const head =
    `\n${summary.name}: ${thousands.format(total)} params (${thousands.format(trainable)} trainable, ` +
    `${thousands.format(nonTrainable)} non-trainable), ${thousands.format(summary.macs)} MACs per image, ` +
    `input [${summary.inputShape.join(', ')}]${summary.outputsProbabilities ? ', ends in softmax' : ''}\n`;
  const rows = summary.layers.map((layer) => [
    layer.name,
    layer.type,
    `[${layer.outputShape.join(', ')}]`,
    thousands.format(layer.params),
    thousands.format(layer.macs),
    !layer.location ? '' : layer.location.file === file ? String(layer.location.line) : `${shownPath(layer.location.file)}:${layer.location.line}`,
  ]);
  const table = alignedText(['Layer', 'Type', 'Output shape', 'Params', 'MACs', 'Line'], rows, [false, false, false, true, true, false]);
  return head + table.replace(/^/gm, '  ').replace(/ +$/, '');
}

// `archlab inspect`: each architecture's layers, params and MACs, without training.
import { join } from "node:path";
import type { InspectReport } from "../engine/models";
import { alignedText } from "../engine/runs/table";
import type { BackendPreference, ModelSummary, ShapeProblem } from "../engine/types";
import { TrainerProcess, type TrainerOutcome } from "../shared/trainer-process";
import { checkModelFile } from "./checks";
import { EXIT, errorLine, printError, shownPath } from "./output";

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

const thousands = new Intl.NumberFormat("en-US");

export interface InspectOptions {
  json?: boolean;
  backend: BackendPreference;
  /** Seconds the file may take to load and build its models. */
  timeout: number;
}

export async function inspectCommand(file: string, options: InspectOptions): Promise<number> {
  checkModelFile(file);
  const outcome = await inspectInChild(file, options);
  if ("timedOut" in outcome) {
    printError(
      `inspecting ${file} took longer than ${options.timeout} s: loading the file or building a model did not return (a loop at its top level or in a factory?); stopped it. Raise the limit with --timeout.`,
    );
    return EXIT.failed;
  }
  if ("stopped" in outcome) return EXIT.cancelled;
  if (outcome.kind !== "inspected") {
    const error =
      outcome.kind === "failed"
        ? outcome.error.toRunError()
        : { message: "the trainer answered an inspection with a training result" };
    process.stderr.write(
      errorLine(error) + (error.line === undefined && error.stderr ? `\n${error.stderr.trim()}` : "") + "\n",
    );
    return EXIT.failed;
  }
  const result = outcome.report;
  if (options.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } else {
    process.stdout.write(describe(result));
    for (const model of result.models) {
      if (model.error) process.stderr.write(errorLine(model.error, model.name) + "\n");
      for (const problem of model.summary?.problems ?? [])
        process.stderr.write(problemLine(problem, model.name) + "\n");
    }
  }
  if (result.models.length === 0) printError(`${shownPath(result.file)} exports no architecture`);
  const built = result.models.every((m) => m.summary && !m.summary.problems?.length);
  return result.models.length > 0 && built ? EXIT.ok : EXIT.failed;
}

/** The file's code runs in a child, so a time limit, Ctrl-C and SIGTERM end it whatever it does. */
async function inspectInChild(
  file: string,
  options: InspectOptions,
): Promise<TrainerOutcome | { timedOut: true } | { stopped: true }> {
  const trainer = new TrainerProcess(
    { type: "inspect", file, backend: options.backend },
    { trainerPath: join(__dirname, "trainer.js"), cwd: process.cwd(), stopTimeoutMs: 0 },
  );
  let ended: { timedOut: true } | { stopped: true } | undefined;
  const timer = setTimeout(() => {
    ended = { timedOut: true };
    trainer.kill();
  }, options.timeout * 1000);
  const stop = () => {
    ended = { stopped: true };
    trainer.kill();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    const outcome = await trainer.outcome;
    return ended ?? outcome;
  } finally {
    clearTimeout(timer);
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }
}

/** A shape problem as compilers print errors: file:line:column first, so terminals link it. */
function problemLine(problem: ShapeProblem, model: string): string {
  const at = problem.location;
  return at
    ? `${shownPath(at.file)}:${at.line}:${at.column}: model ${model}: ${problem.message}`
    : `archlab: ${model}: ${problem.message}`;
}

function describe(result: InspectReport): string {
  const parts = [`${shownPath(result.file)} (sha256 ${result.sha256.slice(0, 12)})\n`];
  for (const model of result.models) {
    parts.push(model.summary ? describeModel(model.summary, result.file) : `\n${model.name}: failed to build\n`);
  }
  if (result.skipped.length) {
    parts.push(`\nSkipped exports:\n${result.skipped.map((s) => `  ${s.name}: ${s.reason}\n`).join("")}`);
  }
  return parts.join("");
}

/** `file` is the inspected file: layers made there show their line, others file:line. */
function describeModel(summary: ModelSummary, file: string): string {
  const { total, trainable, nonTrainable } = summary.params;
  const head =
    `\n${summary.name}: ${thousands.format(total)} params (${thousands.format(trainable)} trainable, ` +
    `${thousands.format(nonTrainable)} non-trainable), ${thousands.format(summary.macs)} MACs per image, ` +
    `input [${summary.inputShape.join(", ")}]${summary.outputsProbabilities ? ", ends in softmax" : ""}\n`;
  const rows = summary.layers.map((layer) => [
    layer.name,
    layer.type,
    `[${layer.outputShape.join(", ")}]`,
    thousands.format(layer.params),
    thousands.format(layer.macs),
    !layer.location
      ? ""
      : layer.location.file === file
        ? String(layer.location.line)
        : `${shownPath(layer.location.file)}:${layer.location.line}`,
  ]);
  const table = alignedText(["Layer", "Type", "Output shape", "Params", "MACs", "Line"], rows, [
    false,
    false,
    false,
    true,
    true,
    false,
  ]);
  return head + table.replace(/^/gm, "  ").replace(/ +$/, "");
}

// What the CodeLens above each architecture says, from what is known about it: the symbols of the
// document, the inspection of the file, the latest run and whether it is training now.
import type { RunRecord } from "../../engine/types";
import type { InspectReport } from "../../engine/models";
import { Commands } from "../constants";
import { describeProgress, type JobProgress } from "../jobs/progress";

export interface SymbolAt {
  name: string;
  line: number;
}

export interface ArchitectureState {
  latest?: RunRecord;
  /** Set while a job trains or will train this architecture. */
  training?: { runId?: string; progress?: JobProgress; queued: boolean };
  /** Set while a sweep of this architecture runs (its progress is in its notification). */
  sweep?: { trials: number };
}

export interface LensSpec {
  line: number;
  title: string;
  command?: string;
  args?: unknown[];
}

export interface LensInput {
  file: string;
  symbols: SymbolAt[];
  /** Inspection of the file's current content; a previous one while it is being redone. */
  report?: InspectReport;
  /** The file could not be inspected at all (syntax error, failing import...). */
  fileError?: { message: string; line?: number };
  state(model: string): ArchitectureState;
}

export function computeLenses(input: LensInput): LensSpec[] {
  if (input.fileError) {
    const line = Math.max(0, (input.fileError.line ?? 1) - 1);
    return [{ line, title: `$(error) Model file error: ${firstLine(input.fileError.message)}` }];
  }
  if (!input.report) return [];
  const lenses: LensSpec[] = [];
  for (const model of input.report.models) {
    const symbol = input.symbols.find((s) => s.name === model.name);
    if (!symbol) continue;
    const at = (title: string, command?: string, args?: unknown[]): LensSpec => ({
      line: symbol.line,
      title,
      command,
      args,
    });
    const state = input.state(model.name);
    const target = { file: input.file, model: model.name };
    if (state.sweep) {
      lenses.push(at("$(debug-stop) Stop sweep", Commands.stopSweep, [target]));
      lenses.push(at(`sweep of ${state.sweep.trials} trials running`, Commands.openComparisonPanel));
    } else if (state.training) {
      const { runId, progress, queued } = state.training;
      lenses.push(at("$(debug-stop) Stop", Commands.stopRun, [runId ?? target]));
      lenses.push(
        at(queued ? "queued" : progress && progress.batchesPerEpoch > 0 ? describeProgress(progress) : "starting..."),
      );
    } else {
      lenses.push(at("$(play) Train", Commands.trainModel, [target]));
      lenses.push(at("Quick run", Commands.quickRun, [target]));
      if (model.sweepable && !model.error) lenses.push(at("$(beaker) Sweep", Commands.sweepModel, [target]));
    }
    if (model.error) {
      lenses.push(
        at(`$(error) ${firstLine(readableBuildError(model.error.message))}`, Commands.showModelSummary, [target]),
      );
      continue;
    }
    if (model.summary) {
      lenses.push(
        at(describeSize(model.summary.params.total, model.summary.macs), Commands.showModelSummary, [target]),
      );
    }
    const result =
      state.training || state.sweep ? undefined : describeResult(state.latest, model.summary?.architectureHash);
    if (result) lenses.push(at(result, Commands.openComparisonPanel));
  }
  return lenses;
}

export function describeSize(params: number, macs: number): string {
  return `${params.toLocaleString("en-US")} params · ${formatMacs(macs)} MACs`;
}

export function formatMacs(macs: number): string {
  if (macs >= 1e9) return `${(macs / 1e9).toFixed(1)} G`;
  if (macs >= 1e5) return `${(macs / 1e6).toFixed(1)} M`;
  return `${(macs / 1e3).toFixed(1)} K`;
}

/** The latest run's outcome, and `changed` when the architecture differs from what that run trained. */
export function describeResult(latest: RunRecord | undefined, currentHash: string | undefined): string | undefined {
  if (!latest) return undefined;
  const changed =
    currentHash !== undefined &&
    latest.summary?.architectureHash !== undefined &&
    latest.summary.architectureHash !== currentHash;
  const suffix = changed ? " · changed" : "";
  switch (latest.status) {
    case "completed": {
      const r = latest.results;
      if (!r) return `completed${suffix}`;
      return `${(r.testAccuracy * 100).toFixed(2)}% · ${r.learningTimeSec.toFixed(1)} s${suffix}`;
    }
    case "failed":
      return `last run failed: ${firstLine(latest.error?.message ?? "unknown error")}${suffix}`;
    case "cancelled":
    case "interrupted":
      return `last run ${latest.status}${suffix}`;
    case "running":
      return "running elsewhere";
    case "pruned":
      return `pruned after ${latest.epochs.length} epoch(s)${suffix}`;
  }
}

/** What the loader puts before a build error: its place (the editor shows it) and its phrase. */
const BUILD_PREFIX = /^(?:\S+:\d+:\d+: )?model \S+ failed to build: /;

export function readableBuildError(message: string): string {
  return message.replace(BUILD_PREFIX, "");
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

// Runs grouped by architecture, file, sweep or dataset, with the mean and spread of their results.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { architectureKey } from "../architecture";

export const GROUP_BYS = ["none", "architecture", "file", "sweep", "dataset"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface Spread {
  mean: number;
  /** Sample standard deviation; 0 for a single value. */
  sd: number;
  n: number;
}

export interface RunGroup {
  key: string;
  label: string;
  /** In table order. */
  runs: PanelRun[];
  accuracy?: Spread;
  loss?: Spread;
  learningTime?: Spread;
}

/**
 * The sweep a run belongs to. Sweep trials carry `sweep: { id, trial, params }` in their record;
 * read structurally so records without it (every run outside a sweep) need nothing.
 */
export function sweepOf(run: PanelRun): { id: string; trial?: number } | undefined {
  const sweep = (run as { sweep?: unknown }).sweep;
  if (!sweep || typeof sweep !== "object") return undefined;
  const { id, trial } = sweep as { id?: unknown; trial?: unknown };
  return typeof id === "string" && id ? { id, trial: typeof trial === "number" ? trial : undefined } : undefined;
}

const datasetOf = (run: PanelRun): string => run.dataset?.name ?? run.config.dataset;

export function groupKey(run: PanelRun, by: GroupBy): string {
  switch (by) {
    case "none":
      return run.id;
    case "architecture":
      return architectureKey(run);
    case "file":
      return `file:${run.file}`;
    case "sweep": {
      const sweep = sweepOf(run);
      return sweep ? `sweep:${sweep.id}` : "sweep:";
    }
    case "dataset":
      return `dataset:${datasetOf(run)}`;
    default: {
      const unknown: never = by;
      return unknown;
    }
  }
}

function groupLabel(by: GroupBy, runs: PanelRun[]): string {
  const first = runs[0];
  switch (by) {
    case "architecture": {
      const names = [...new Set(runs.map((r) => r.model))];
      const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")}, …` : names.join(", ");
      const hash = first.summary?.architectureHash;
      return hash ? `${shown} · ${hash.slice(0, 8)}` : `${shown} (did not build)`;
    }
    case "file":
      return first.file;
    case "sweep": {
      const sweep = sweepOf(first);
      return sweep ? `Sweep ${sweep.id}` : "Not in a sweep";
    }
    case "dataset":
      return datasetOf(first);
    default:
      return first.model;
  }
}

export function spread(values: readonly number[]): Spread | undefined {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (!n) return undefined;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? finite.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(variance), n };
}

/** Groups of the given rows, in the order their first run appears (so a sort orders the groups too). */
export function groupRuns(rows: readonly PanelRun[], by: GroupBy): RunGroup[] {
  const groups = new Map<string, PanelRun[]>();
  for (const run of rows) {
    const key = groupKey(run, by);
    const members = groups.get(key);
    if (members) members.push(run);
    else groups.set(key, [run]);
  }
  return [...groups].map(([key, runs]) => {
    const done = runs.filter((r) => r.status === "completed" && r.results);
    return {
      key,
      label: groupLabel(by, runs),
      runs,
      accuracy: spread(done.map((r) => r.results!.testAccuracy)),
      loss: spread(done.map((r) => r.results!.testLoss)),
      learningTime: spread(done.map((r) => r.results!.learningTimeSec)),
    };
  });
}

/**
 * A colour slot per group, stable while the table is filtered or sorted: groups are numbered in
 * the order of their earliest run among all runs.
 */
export function groupColorSlots(runs: Iterable<PanelRun>, by: GroupBy): Map<string, number> {
  const earliest = new Map<string, string>();
  for (const run of runs) {
    const key = groupKey(run, by);
    const seen = earliest.get(key);
    if (seen === undefined || run.startedAt < seen) earliest.set(key, run.startedAt);
  }
  const ordered = [...earliest].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
  return new Map(ordered.map(([key], i) => [key, i]));
}

// How numbers and dates read in the table, the details and the chart labels.
import { backendLabel } from "../src/engine/runs/table";
import type { PanelRun } from "../src/shared/webview-protocol";

export const formatInt = (n: number): string => n.toLocaleString("en-US");
export const formatPercent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;
export const formatLoss = (loss: number): string => loss.toFixed(4);

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function formatStarted(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** As the CLI's table says it: "wasm-fused (2 threads)", "tfjs-wasm". */
export function formatBackend(run: PanelRun): string {
  return backendLabel(run.backend);
}

/** The run's own name, or a label that tells apart runs of the same model by their start: "CNN 14:03:27". */
export function runLabel(run: PanelRun): string {
  const name = run.annotations?.name;
  if (name) return name;
  const time = localTime(run.startedAt);
  return time ? `${run.model} ${time}` : run.model;
}

// Labels are made on every live update (curves, legends, texts), and toTimeString's time-zone
// lookup made it one of the costlier calls of an update: each start time is converted once.
const times = new Map<string, string>();

function localTime(iso: string): string {
  let time = times.get(iso);
  if (time === undefined) {
    const date = new Date(iso);
    time = Number.isNaN(date.getTime()) ? "" : date.toTimeString().slice(0, 8);
    if (times.size > 100_000) times.clear();
    times.set(iso, time);
  }
  return time;
}

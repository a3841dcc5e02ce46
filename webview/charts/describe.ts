// Text alternatives of the charts: what a sighted user reads off them, in a sentence or two. The
// full figures are in the runs table, which every chart's description points to.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { formatInt, formatLoss, formatPercent, formatSeconds, runLabel } from "../format";
import type { CurvePart } from "./curves";

const TABLE = "The runs table holds every figure.";

export function describeCurves(part: CurvePart, runs: readonly PanelRun[]): string {
  const parts = runs.map((run) => {
    const last = run.epochs[run.epochs.length - 1];
    if (!last) return `${runLabel(run)}: no epoch yet`;
    const values = part.splits.map((split) => {
      const value =
        part.metric === "loss"
          ? split === "train"
            ? last.loss
            : last.valLoss
          : split === "train"
            ? last.acc
            : last.valAcc;
      const text = value === undefined ? "none" : part.metric === "loss" ? formatLoss(value) : formatPercent(value);
      return `${split} ${text}`;
    });
    return `${runLabel(run)} after epoch ${last.epoch}: ${values.join(", ")}`;
  });
  return `${parts.join("; ")}. ${TABLE}`;
}

export function describePareto(
  front: readonly { model: string; params: number; accuracy: number }[],
  total: number,
): string {
  const steps = front.map((p) => `${p.model} ${formatPercent(p.accuracy)} with ${formatInt(p.params)} params`);
  return `${total} completed runs. Best accuracy for its size, smallest first: ${steps.join(", ")}. ${TABLE}`;
}

export function describeBars(
  title: string,
  bars: readonly { label: string; value: number }[],
  unit: "loss" | "seconds",
): string {
  const text = bars.map((b) => `${b.label} ${unit === "loss" ? formatLoss(b.value) : formatSeconds(b.value)}`);
  return `${title}: ${text.join(", ")}. ${TABLE}`;
}

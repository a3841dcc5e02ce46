// A sweep's results as text: the trials sorted by the metric, then the Pareto answer.
import { alignedText } from "../runs/table";
import { paretoAnswer, paretoFront } from "./pareto";
import type { SweepMetric, SweepRecord, SweepTrial, TrialParams } from "./types";

const thousands = new Intl.NumberFormat("en-US");

export function formatMetric(metric: SweepMetric, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "-";
  switch (metric) {
    case "testAccuracy":
      return `${(value * 100).toFixed(2)}%`;
    case "testLoss":
      return value.toFixed(4);
    case "learningTimeSec":
      return `${value.toFixed(1)} s`;
    case "params":
    case "macs":
      return thousands.format(value);
  }
}

export function formatParams(params: TrialParams): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v}`)
    .join(" ");
}

/** Trials with a value first, best first; then the rest in trial order. */
export function sortedTrials(sweep: SweepRecord): SweepTrial[] {
  const sign = sweep.spec.goal === "max" ? -1 : 1;
  const known = (t: SweepTrial) => t.value !== undefined && Number.isFinite(t.value);
  return [...sweep.trials].sort((a, b) => {
    if (known(a) !== known(b)) return known(a) ? -1 : 1;
    if (known(a) && a.value !== b.value) return sign * (a.value! - b.value!);
    // Completed before pruned at the same value: it earned its number over every epoch.
    if (a.status !== b.status) return a.status === "completed" ? -1 : b.status === "completed" ? 1 : 0;
    return a.trial - b.trial;
  });
}

export function sweepTable(sweep: SweepRecord): string {
  const metric = sweep.spec.metric;
  const rows = sortedTrials(sweep).map((t) => [
    String(t.trial + 1),
    formatParams(t.params),
    formatMetric(metric, t.value),
    t.paramsCount === undefined ? "-" : thousands.format(t.paramsCount),
    t.learningTimeSec === undefined ? "-" : `${t.learningTimeSec.toFixed(1)} s`,
    t.status === "pruned" ? `pruned at epoch ${t.epochsRun}` : t.status,
  ]);
  return alignedText(["Trial", "Params", metric, "Params count", "Learning time", "Status"], rows, [
    true,
    false,
    true,
    true,
    true,
    false,
  ]);
}

/** The best trial, the smallest model within half a point of it, and the front of metric against params. */
export function paretoSummary(sweep: SweepRecord): string {
  const { metric, goal } = sweep.spec;
  const answer = paretoAnswer(sweep.trials, metric, goal);
  if (!answer) return "No trial completed: no answer yet.\n";
  const describe = (t: SweepTrial) =>
    `trial ${t.trial + 1}: ${formatMetric(metric, t.value)} with ${thousands.format(t.paramsCount ?? 0)} params (${formatParams(t.params)})`;
  const margin = metric === "testAccuracy" ? "half a point" : "half a percent";
  const lines = [`Best ${metric}: ${describe(answer.best)}`];
  lines.push(
    answer.smallest === answer.best
      ? `Smallest model within ${margin} of the best: the best itself.`
      : `Smallest model within ${margin} of the best: ${describe(answer.smallest)}`,
  );
  const front = paretoFront(sweep.trials, goal);
  lines.push(
    `Pareto front (${metric} vs params): ${front.map((t) => `#${t.trial + 1} ${thousands.format(t.paramsCount!)} → ${formatMetric(metric, t.value)}`).join(", ")}`,
  );
  return lines.join("\n") + "\n";
}

export function statusCounts(sweep: SweepRecord): Record<"done" | "running" | "pruned" | "failed" | "pending", number> {
  const counts = { done: 0, running: 0, pruned: 0, failed: 0, pending: 0 };
  for (const t of sweep.trials) {
    if (t.status === "completed") counts.done++;
    else if (t.status === "pruned") counts.pruned++;
    else if (t.status === "running") counts.running++;
    else if (t.status === "failed") counts.failed++;
    else counts.pending++;
  }
  return counts;
}

// What the sweep's notification, lens and final message say, from its record.
import { paretoAnswer } from "../../engine/sweep/pareto";
import { formatMetric, statusCounts } from "../../engine/sweep/report";
import type { SweepRecord, SweepTrial } from "../../engine/sweep/types";

const thousands = new Intl.NumberFormat("en-US");

/** "3/12 done · 2 running · 4 pruned · best 97.10% (trial 3)" */
export function describeSweepProgress(sweep: SweepRecord): string {
  const counts = statusCounts(sweep);
  const parts = [
    `${counts.done + counts.pruned + counts.failed}/${sweep.trials.length} done`,
    `${counts.running} running`,
  ];
  if (counts.pruned) parts.push(`${counts.pruned} pruned`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (sweep.best)
    parts.push(`best ${formatMetric(sweep.spec.metric, sweep.best.value)} (trial ${sweep.best.trial + 1})`);
  return parts.join(" · ");
}

/** The end of a sweep in one sentence: how it ended, the best trial and the smallest one near it. */
export function describeSweepEnd(sweep: SweepRecord): string {
  const { metric, goal } = sweep.spec;
  const head = `Sweep of ${sweep.model} ${sweep.status} (${describeSweepProgress(sweep)})`;
  const answer = paretoAnswer(sweep.trials, metric, goal);
  if (!answer) return `${head}: no trial completed.`;
  const trial = (t: SweepTrial) =>
    `trial ${t.trial + 1}, ${formatMetric(metric, t.value)} with ${thousands.format(t.paramsCount ?? 0)} params`;
  const margin = metric === "testAccuracy" ? "half a point" : "half a percent";
  const smallest =
    answer.smallest === answer.best
      ? "the best is also the smallest within " + margin
      : `smallest within ${margin}: ${trial(answer.smallest)}`;
  return `${head}. Best: ${trial(answer.best)}; ${smallest}.`;
}

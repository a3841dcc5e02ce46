// Sweep progress on the terminal: one live bar per running trial when attached to a terminal,
// otherwise a line per trial start, epoch and end. Everything on stderr; stdout carries results.
import { MultiBar, type SingleBar } from "cli-progress";
import { formatMetric, formatParams, statusCounts } from "../engine/sweep/report";
import type { SweepRecord, SweepTrial } from "../engine/sweep/types";
import type { TrainingEvent } from "../engine/types";

export class SweepProgress {
  private readonly multi?: MultiBar;
  private readonly bars = new Map<number, SingleBar>();

  constructor(
    private readonly sweep: SweepRecord,
    live: boolean,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {
    if (live) {
      this.multi = new MultiBar({
        format: "trial {trial} [{bar}] epoch {epoch}/{epochs} batch {value}/{total} | acc {acc}",
        stream: out,
        clearOnComplete: true,
        hideCursor: true,
        barsize: 24,
      });
    }
  }

  started(trial: SweepTrial): void {
    const n = this.sweep.trials.length;
    this.line(`trial ${trial.trial + 1}/${n} started: ${formatParams(trial.params)}`);
    this.bars.set(
      trial.trial,
      this.multi?.create(1, 0, {
        trial: trial.trial + 1,
        epoch: 1,
        epochs: this.sweep.spec.epochs,
        acc: "-",
      }) as SingleBar,
    );
  }

  event(trial: SweepTrial, event: TrainingEvent): void {
    const bar = this.bars.get(trial.trial);
    if (event.type === "batch" && bar) {
      bar.setTotal(event.batchesPerEpoch);
      bar.update(event.batch, { epoch: event.epoch, acc: `${(event.acc * 100).toFixed(1)}%` });
    } else if (event.type === "epoch" && !this.multi) {
      const m = event.metrics;
      const val = m.valAcc === undefined ? "" : `, val acc ${(m.valAcc * 100).toFixed(2)}%`;
      this.line(
        `trial ${trial.trial + 1} epoch ${m.epoch}: loss ${m.loss.toFixed(4)}${val} (${m.seconds.toFixed(1)} s)`,
      );
    }
  }

  ended(trial: SweepTrial): void {
    const bar = this.bars.get(trial.trial);
    if (bar) this.multi?.remove(bar);
    this.bars.delete(trial.trial);
    const { metric } = this.sweep.spec;
    const what = trial.status === "pruned" ? `pruned after epoch ${trial.epochsRun}` : trial.status;
    const counts = statusCounts(this.sweep);
    const best = this.sweep.best
      ? `, best so far ${formatMetric(metric, this.sweep.best.value)} (trial ${this.sweep.best.trial + 1})`
      : "";
    const error = trial.error && trial.status !== "pruned" ? ` (${trial.error.split("\n", 1)[0]})` : "";
    this.line(
      `trial ${trial.trial + 1} ${what}: ${metric} ${formatMetric(metric, trial.value)}${error} ` +
        `[${counts.done} done, ${counts.running} running, ${counts.pruned} pruned, ${counts.failed} failed${best}]`,
    );
  }

  line(text: string): void {
    if (this.multi) this.multi.log(text + "\n");
    else this.out.write(text + "\n");
  }

  stop(): void {
    this.multi?.stop();
  }
}

// Training progress on the terminal: a live bar per epoch when attached to a terminal, otherwise one
// plain line per epoch. Everything goes to stderr so that stdout carries only results.
import { SingleBar } from "cli-progress";
import { lastEpoch } from "../engine/runs/continued";
import type { EpochMetrics, TrainingEvent } from "../engine/types";

export class ProgressDisplay {
  private bar?: SingleBar;
  private barEpoch = 0;
  private model = "";
  private epochs = 0;

  constructor(
    private readonly live: boolean,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  onEvent(event: TrainingEvent): void {
    switch (event.type) {
      case "runStarted":
        this.model = event.record.model;
        // A continued run's epochs go on from its parent's: "epoch 3/4".
        this.epochs = lastEpoch(event.record);
        return;
      case "batch":
        if (this.live) this.showBatch(event.epoch, event.batch, event.batchesPerEpoch, event.loss, event.acc);
        return;
      case "epoch":
        this.stopBar();
        this.line(epochLine(this.model, this.epochs, event.metrics));
        return;
      case "runFinished":
      case "runFailed":
      case "runCancelled":
        this.stopBar();
        return;
      default: {
        const unknown: never = event;
        throw new Error(`Unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }

  line(text: string): void {
    this.stopBar();
    this.out.write(text + "\n");
  }

  stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private showBatch(epoch: number, batch: number, total: number, loss: number, acc: number): void {
    const values = { loss: loss.toFixed(4), acc: (acc * 100).toFixed(2) };
    if (!this.bar || this.barEpoch !== epoch) {
      this.stopBar();
      this.barEpoch = epoch;
      this.bar = new SingleBar({
        format: `${this.model} epoch ${epoch}/${this.epochs} [{bar}] {value}/{total} batches | loss {loss} acc {acc}% | {eta_formatted}`,
        stream: this.out,
        clearOnComplete: true,
        hideCursor: true,
        barsize: 30,
      });
      this.bar.start(total, batch, values);
    } else {
      this.bar.update(batch, values);
    }
  }
}

function epochLine(model: string, epochs: number, m: EpochMetrics): string {
  const validation =
    m.valLoss !== undefined && m.valAcc !== undefined
      ? `, val loss ${m.valLoss.toFixed(4)} acc ${(m.valAcc * 100).toFixed(2)}%`
      : "";
  return `${model} epoch ${m.epoch}/${epochs}: loss ${m.loss.toFixed(4)} acc ${(m.acc * 100).toFixed(2)}%${validation} (${m.seconds.toFixed(1)} s)`;
}

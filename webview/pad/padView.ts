// "Try the models": a drawing pad (or a test image sent from the details) and every selected
// run's prediction for it. The drawing is preprocessed as the runs' dataset was, and the result is
// shown small: that image, not the drawing, is what the models see.
import { preprocess, preprocessingOf } from "../../src/shared/preprocess";
import type { PredictionResult } from "../../src/shared/protocol";
import type { PanelImage, PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import { DrawingPad } from "./drawingPad";
import { predictionCards, replaceCards } from "./predictionsView";

const PREVIEW_SCALE = 4;

export type Predict = (runIds: string[], pixels: number[]) => Promise<PredictionResult[]>;
export type LoadTestImage = (runId: string, index: number) => Promise<PanelImage | undefined>;
export interface PadRun {
  run: PanelRun;
  /** Its colour in the curves. */
  color: string;
}

export class PadView {
  readonly element = el("section", { className: "pad", attrs: { "aria-label": "Try the models" } });
  private readonly pad = new DrawingPad(() => this.drawn());
  private readonly preview = el("canvas", { className: "pad-preview", attrs: { "aria-label": "What the models see" } });
  private readonly cards = el("div", { className: "predictions" });
  private readonly caption = el("p", { className: "muted pad-caption" }, "Draw a digit.");
  private readonly indexField = el("input", {
    className: "pad-index",
    attrs: { type: "number", min: "0", placeholder: "index", "aria-label": "Test image index" },
  });
  private readonly timing = el("span", { className: "muted pad-timing" });
  private runs: PadRun[] = [];
  private input: Float32Array | undefined;
  private results: PredictionResult[] | undefined;
  private inFlight = false;
  private again = false;

  constructor(
    private readonly predict: Predict,
    private readonly loadTestImage: LoadTestImage,
  ) {
    const clearButton = el(
      "vscode-button" as "button",
      { attrs: { secondary: "", "data-action": "clearPad" } },
      "Clear",
    );
    clearButton.addEventListener("click", () => this.clearPad());
    const showButton = el(
      "vscode-button" as "button",
      { attrs: { secondary: "", "data-action": "showTestImage" } },
      "Show test image",
    );
    showButton.addEventListener("click", () => void this.showTestImageByIndex());
    this.indexField.addEventListener("keydown", (e) => e.key === "Enter" && void this.showTestImageByIndex());
    this.element.append(
      el("h3", {}, "Try the models"),
      el(
        "div",
        { className: "pad-row" },
        el(
          "div",
          { className: "pad-input" },
          this.pad.canvas,
          el("div", { className: "pad-controls" }, clearButton, this.indexField, showButton),
        ),
        el(
          "div",
          { className: "pad-seen" },
          el("h4", {}, "What the models see"),
          this.preview,
          this.caption,
          this.timing,
        ),
        this.cards,
      ),
    );
    this.update([]);
  }

  /** The selected runs that have a trained model. */
  update(runs: PadRun[]): void {
    // The curves redraw on every live update of a running run; the cards stay as they are unless
    // the runs drawn (a record is a new object when it changes) or their colours did.
    const same =
      runs.length === this.runs.length &&
      runs.every((r, i) => r.run === this.runs[i].run && r.color === this.runs[i].color);
    if (same && this.cards.childElementCount) return;
    const before = this.ids().join();
    this.runs = runs;
    this.renderCards();
    if (before !== this.ids().join() && this.input) this.requestPredictions();
  }

  /** A test image from the details' gallery (0..255 pixels, the dataset's own form). */
  showTestImage(image: PanelImage, label?: string): void {
    const pixels = Float32Array.from(image.pixels.slice(0, image.width * image.height), (v) => v / 255);
    this.pad.showImage(image.width, image.height, pixels);
    this.setInput(pixels, image.width, `Test image #${image.index}${label ? `, ${label}` : ""}`);
  }

  private async showTestImageByIndex(): Promise<void> {
    const index = Number(this.indexField.value);
    const run = this.runs[0]?.run;
    if (!run || !Number.isSafeInteger(index) || index < 0 || this.indexField.value === "") return;
    const image = await this.loadTestImage(run.id, index).catch(() => undefined);
    if (!image) {
      this.caption.textContent = `Test image #${index} is not available for ${run.dataset?.name ?? run.config.dataset}.`;
      return;
    }
    this.showTestImage(image);
  }

  private clearPad(): void {
    this.pad.clear();
    this.input = undefined;
    this.results = undefined;
    this.drawPreview(new Float32Array(0), 0);
    this.caption.textContent = "Draw a digit.";
    this.timing.textContent = "";
    this.renderCards();
  }

  private drawn(): void {
    const run = this.runs[0]?.run;
    const [size] = run?.summary?.inputShape ?? run?.dataset?.imageShape ?? [28];
    const kind = preprocessingOf(run?.config.dataset ?? "mnist");
    this.setInput(
      preprocess(this.pad.image(), size, kind),
      size,
      `Your drawing, preprocessed as ${kind === "mnist" ? "MNIST" : "the dataset"} was.`,
    );
  }

  private ids(): string[] {
    return this.runs.map((r) => r.run.id);
  }

  private renderCards(): void {
    if (!this.runs.length)
      replaceCards(this.cards, [
        el("p", { className: "muted" }, "Select runs with a saved model to see their predictions."),
      ]);
    else replaceCards(this.cards, predictionCards(this.runs, this.results));
  }

  private setInput(pixels: Float32Array, size: number, caption: string): void {
    this.input = pixels;
    this.caption.textContent = caption;
    this.drawPreview(pixels, size);
    this.requestPredictions();
  }

  /** One request at a time: strokes that come in meanwhile are sent together once it answers. */
  private requestPredictions(): void {
    if (!this.input || !this.runs.length) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const started = performance.now();
    const count = this.runs.length;
    this.predict(this.ids(), Array.from(this.input))
      .then((results) => {
        const ms = Math.round(performance.now() - started);
        this.results = results;
        this.timing.textContent = `${count} model${count === 1 ? "" : "s"} answered in ${ms} ms`;
        this.timing.dataset.ms = String(ms);
        this.renderCards();
      })
      .catch((err: Error) => {
        this.timing.textContent = `No predictions: ${err.message}`;
      })
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.requestPredictions();
        }
      });
  }

  private drawPreview(pixels: Float32Array, size: number): void {
    this.preview.width = size || 28;
    this.preview.height = size || 28;
    // The height follows the canvas's own proportions, also where the CSS narrows a large preview.
    this.preview.style.width = `${(size || 28) * PREVIEW_SCALE}px`;
    const context = this.preview.getContext("2d")!;
    const data = context.createImageData(this.preview.width, this.preview.height);
    for (let i = 0; i < data.width * data.height; i++) {
      const v = Math.round((pixels[i] ?? 0) * 255);
      data.data.set([v, v, v, 255], i * 4);
    }
    context.putImageData(data, 0, 0);
  }
}

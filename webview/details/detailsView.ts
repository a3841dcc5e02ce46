// Details of one run: its name, note and star, config, layers, confusion matrix, per-class
// accuracy, misclassified images.
import type { Misclassified, RunAnnotations, RunError } from "../../src/engine/types";
import type { PanelImage, PanelRun } from "../../src/shared/webview-protocol";
import { append, clear, el } from "../dom";
import { formatStarted } from "../format";
import { runGraph } from "../graph/runGraph";
import { readTheme } from "../theme";
import { AnnotationEditor } from "./annotationEditor";
import { confusionHeatmap } from "./confusion";
import { continuedLine } from "./continued";
import { imageTile } from "./images";
import { savedModelLine } from "./savedModel";
import { configList, layersTable, perClassAccuracy } from "./summary";

const MAX_IMAGES = 48;

function errorText(error: RunError): string {
  const where =
    error.line === undefined
      ? ""
      : `${error.file ?? ""}:${error.line}${error.column === undefined ? "" : `:${error.column}`}`;
  return [where ? `${error.message} (${where})` : error.message, error.stderr?.trim().slice(-4000)]
    .filter(Boolean)
    .join("\n\n");
}

export type ImageLoader = (runId: string, indices: number[]) => Promise<PanelImage[]>;
/** Sends a test image to the drawing pad, with what it shows. */
export type TryImage = (image: PanelImage, label: string) => void;

/** The other runs of the panel, for a continued run's link to the run it went on from. */
export interface RunLinks {
  get(id: string): PanelRun | undefined;
  show(id: string): void;
}

export class DetailsView {
  readonly element = el("section", { className: "details" });
  /** Rebuilt for every record; the editor beside it stays, so typing survives a running run's epochs. */
  private readonly head = el("div");
  private readonly body = el("div");
  private readonly editor: AnnotationEditor;
  private run: PanelRun | undefined;
  /** The parent shown for a continued run: its deletion (or return) redraws the details. */
  private parent: PanelRun | undefined;
  private gallery = el("div", { className: "gallery" });
  private galleryTitle = el("h4", {});
  /** Guards against a slow answer for a previous run or cell overwriting the current one. */
  private galleryToken = 0;

  constructor(
    private readonly loadImages: ImageLoader,
    annotate: (runId: string, change: RunAnnotations) => void,
    private readonly tryImage: TryImage,
    private readonly links: RunLinks,
  ) {
    this.editor = new AnnotationEditor(annotate);
    this.element.append(this.head, this.editor.element, this.body);
    this.show(undefined);
  }

  get runId(): string | undefined {
    return this.run?.id;
  }

  show(run: PanelRun | undefined): void {
    const parent = run?.parent && this.links.get(run.parent.id);
    if (run && run === this.run && parent === this.parent) return;
    const sameRun = run?.id === this.run?.id && run?.results === this.run?.results;
    this.run = run;
    this.parent = parent;
    clear(this.head);
    clear(this.body);
    this.editor.element.hidden = !run;
    if (!run) {
      this.head.append(el("p", { className: "muted" }, "Click a run in the table to see its details."));
      return;
    }
    const classNames = run.dataset?.classNames ?? [];
    this.editor.show(run);
    const name = run.annotations?.name;
    append(
      this.head,
      el("h2", {}, name ? `${name} ` : run.model, name ? el("span", { className: "muted" }, run.model) : null),
      el("p", { className: "muted" }, `${run.file} · ${run.status} · started ${formatStarted(run.startedAt)}`),
      continuedLine(run, parent, (id) => this.links.show(id)),
    );
    this.body.append(
      ...(run.error ? [el("pre", { className: "error" }, errorText(run.error))] : []),
      savedModelLine(run),
      el(
        "div",
        { className: "details-grid" },
        el("div", {}, el("h4", {}, "Config"), configList(run)),
        el("div", {}, el("h4", {}, "Layers"), layersTable(run)),
      ),
    );
    const graph = runGraph(run);
    if (graph) this.body.append(graph);
    if (!run.results) return;
    const results = run.results;
    const heatmap = confusionHeatmap(results.confusion, classNames, readTheme(), (t, p) => this.showCell(t, p));
    this.body.append(
      el(
        "div",
        { className: "details-grid" },
        el("div", {}, el("h4", {}, "Confusion matrix"), heatmap),
        el("div", {}, el("h4", {}, "Per-class accuracy"), perClassAccuracy(results.perClassAccuracy, classNames)),
      ),
      this.galleryTitle,
      this.gallery,
    );
    if (!sameRun || !this.gallery.hasChildNodes())
      this.showImages(results.misclassified, `Misclassified test images (${results.misclassified.length})`);
  }

  private showCell(trueLabel: number, predicted: number): void {
    const run = this.run;
    if (!run?.results) return;
    const names = run.dataset?.classNames ?? [];
    const name = (label: number) => names[label] ?? String(label);
    const title = `True ${name(trueLabel)}, predicted ${name(predicted)}`;
    if (trueLabel === predicted) {
      this.galleryToken++;
      this.galleryTitle.textContent = title;
      clear(this.gallery);
      this.gallery.append(
        el("p", { className: "muted" }, "Correctly classified images are not kept; click an off-diagonal cell."),
      );
      return;
    }
    const items = run.results.misclassified.filter(([, t, p]) => t === trueLabel && p === predicted);
    this.showImages(items, `${title} (${items.length})`);
  }

  private showImages(items: Misclassified[], title: string): void {
    const run = this.run!;
    const token = ++this.galleryToken;
    const shown = items.slice(0, MAX_IMAGES);
    this.galleryTitle.textContent = shown.length < items.length ? `${title}, first ${shown.length} shown` : title;
    clear(this.gallery);
    this.gallery.dataset.count = String(shown.length);
    if (shown.length === 0) return;
    this.gallery.append(el("p", { className: "muted" }, "Loading images…"));
    this.loadImages(
      run.id,
      shown.map(([index]) => index),
    ).then(
      (images) => {
        if (token !== this.galleryToken) return;
        const byIndex = new Map(images.map((image) => [image.index, image]));
        clear(this.gallery);
        const names = run.dataset?.classNames ?? [];
        for (const item of shown) {
          const image = byIndex.get(item[0]);
          const tile = imageTile(image, item, names);
          if (image) {
            tile.classList.add("tryable");
            tile.title += ": click to see what the selected models predict for it";
            tile.addEventListener("click", () => this.tryImage(image, `label ${names[item[1]] ?? item[1]}`));
          }
          this.gallery.append(tile);
        }
      },
      () => {
        if (token === this.galleryToken)
          this.gallery.replaceChildren(el("p", { className: "muted" }, "Images unavailable."));
      },
    );
  }
}

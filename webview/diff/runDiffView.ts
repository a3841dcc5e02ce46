// What changed between two runs, opened by Diff: the headline deltas, the layers added, removed
// and changed with their Δparams and ΔMACs, the test images the second run fixed and broke (a
// click shows one large), and the confusion matrices side by side with their difference.
import type { PanelImage, PanelRun } from "../../src/shared/webview-protocol";
import { clear, el } from "../dom";
import { confusionHeatmap } from "../details/confusion";
import { drawImage } from "../details/images";
import { runLabel } from "../format";
import type { ChartTheme } from "../theme";
import { diffArchitectures, headlineDeltas, misclassifiedDiff, type ImageOutcome, type LayerDiffRow } from "./runDiff";

const MAX_IMAGES = 48;
const LARGE_SCALE = 8;

export type ImageLoader = (runId: string, indices: number[]) => Promise<PanelImage[]>;

const shape = (s: number[] | undefined) => (s ? s.map((d) => (d < 0 ? "?" : String(d))).join("×") : "");
const signed = (n: number, digits = 0, unit = "") =>
  `${n > 0 ? "+" : n < 0 ? "−" : "±"}${Math.abs(n).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;

function signedMacs(n: number): string {
  const abs = Math.abs(n);
  const text = abs >= 1e6 ? `${(abs / 1e6).toFixed(1)} M` : abs >= 1e3 ? `${(abs / 1e3).toFixed(1)} K` : String(abs);
  return `${n > 0 ? "+" : n < 0 ? "−" : "±"}${text}`;
}

export class RunDiffView {
  readonly element = el("section", {
    className: "run-diff",
    attrs: { "aria-labelledby": "run-diff-title", "data-run-diff": "" },
  });
  private readonly large = el("div", { className: "run-diff-large", attrs: { "data-large": "" } });
  private token = 0;

  constructor(
    private readonly loadImages: ImageLoader,
    private theme: ChartTheme,
  ) {
    this.element.hidden = true;
  }

  retheme(theme: ChartTheme): void {
    this.theme = theme;
  }

  close(): void {
    this.token++;
    this.element.hidden = true;
    clear(this.element);
  }

  /** `before` is the older run; what changed reads from it to `after`. */
  show(before: PanelRun, after: PanelRun): void {
    const token = ++this.token;
    clear(this.element);
    this.element.hidden = false;
    const closeButton = el("button", { className: "arch-graph-button", attrs: { "data-run-diff-close": "" } }, "Close");
    closeButton.addEventListener("click", () => this.close());
    this.element.append(
      el(
        "header",
        { className: "compare-header" },
        el("h2", { attrs: { id: "run-diff-title" } }, `What changed: ${runLabel(before)} → ${runLabel(after)}`),
        closeButton,
      ),
      this.headline(before, after),
    );
    if (before.summary && after.summary)
      this.element.append(el("h3", {}, "Architecture"), layerTable(diffArchitectures(before.summary, after.summary)));
    else
      this.element.append(
        el("p", { className: "muted" }, "One of the runs has no architecture summary (it never built)."),
      );
    this.element.append(el("h3", {}, "Test images"));
    const outcome = misclassifiedDiff(before, after);
    if ("reason" in outcome) {
      this.element.append(el("p", { className: "muted", attrs: { "data-no-image-diff": "" } }, outcome.reason));
      return;
    }
    const { fixed, broken, bothWrong, confusionDelta } = outcome.diff;
    const names = after.dataset?.classNames ?? [];
    const fixedGallery = el("div", { className: "gallery", attrs: { "data-outcome": "fixed" } });
    const brokenGallery = el("div", { className: "gallery", attrs: { "data-outcome": "broken" } });
    const title = (what: string, n: number) => `${what} (${n}${n > MAX_IMAGES ? `, first ${MAX_IMAGES} shown` : ""})`;
    this.element.append(
      el("p", { className: "muted" }, `${bothWrong} ${bothWrong === 1 ? "image" : "images"} wrong in both runs.`),
      el("h4", {}, title(`Fixed by ${runLabel(after)}`, fixed.length)),
      fixedGallery,
      el("h4", {}, title(`Broken by ${runLabel(after)}`, broken.length)),
      brokenGallery,
      this.large,
      el("h3", {}, "Confusion matrices"),
      el(
        "div",
        { className: "compare-confusions" },
        figure(runLabel(before), confusionHeatmap(before.results!.confusion, names, this.theme)),
        figure(runLabel(after), confusionHeatmap(after.results!.confusion, names, this.theme)),
        figure(`Difference (${runLabel(after)} − ${runLabel(before)})`, deltaTable(confusionDelta, names)),
      ),
    );
    const shown = [...fixed.slice(0, MAX_IMAGES), ...broken.slice(0, MAX_IMAGES)];
    if (!shown.length) return;
    this.loadImages(
      after.id,
      shown.map((o) => o.index),
    ).then(
      (images) => {
        if (token !== this.token) return;
        const byIndex = new Map(images.map((image) => [image.index, image]));
        const tile = (o: ImageOutcome) => this.tile(o, byIndex.get(o.index), names, before, after);
        fixedGallery.append(...fixed.slice(0, MAX_IMAGES).map(tile));
        brokenGallery.append(...broken.slice(0, MAX_IMAGES).map(tile));
      },
      () => token === this.token && fixedGallery.append(el("p", { className: "muted" }, "Images unavailable.")),
    );
  }

  private headline(before: PanelRun, after: PanelRun): HTMLElement {
    const d = headlineDeltas(before, after);
    const items: [string, string | undefined][] = [
      ["Test accuracy", d.testAccuracy === undefined ? undefined : signed(d.testAccuracy, 2, " pp")],
      ["Test loss", d.testLoss === undefined ? undefined : signed(d.testLoss, 4)],
      ["Learning time", d.learningTimeSec === undefined ? undefined : signed(d.learningTimeSec, 1, " s")],
      ["Params", d.params === undefined ? undefined : signed(d.params)],
      ["MACs", d.macs === undefined ? undefined : signedMacs(d.macs)],
    ];
    const list = el("dl", { className: "run-diff-headline" });
    for (const [label, value] of items)
      list.append(el("div", {}, el("dt", {}, label), el("dd", { attrs: { "data-delta": label } }, value ?? "n/a")));
    return list;
  }

  private tile(
    o: ImageOutcome,
    image: PanelImage | undefined,
    names: string[],
    before: PanelRun,
    after: PanelRun,
  ): HTMLElement {
    const name = (label: number) => names[label] ?? String(label);
    const figureEl = el("figure", {
      className: "test-image",
      title: `Test image #${o.index}: click to enlarge`,
      attrs: { "data-index": String(o.index), tabindex: "0" },
    });
    figureEl.append(
      image ? drawImage(image) : el("div", { className: "image-missing" }, "no image"),
      el("figcaption", {}, `${name(o.truth)}: ${name(o.before)} → ${name(o.after)}`),
    );
    const enlarge = () => {
      clear(this.large);
      if (!image) return;
      const canvas = drawImage(image);
      canvas.style.width = `${image.width * LARGE_SCALE}px`;
      canvas.style.height = `${image.height * LARGE_SCALE}px`;
      const verdict = (label: number) => (label === o.truth ? "right" : "wrong");
      this.large.append(
        canvas,
        el(
          "div",
          {},
          el("h4", {}, `Test image #${o.index}, true class ${name(o.truth)}`),
          el("p", {}, `${runLabel(before)} predicted ${name(o.before)} (${verdict(o.before)})`),
          el("p", {}, `${runLabel(after)} predicted ${name(o.after)} (${verdict(o.after)})`),
          el(
            "p",
            { className: "muted" },
            "Runs record their top prediction for each image, not the full distribution.",
          ),
        ),
      );
    };
    figureEl.addEventListener("click", enlarge);
    figureEl.addEventListener("keydown", (e) => e.key === "Enter" && enlarge());
    return figureEl;
  }
}

function figure(caption: string, content: HTMLElement): HTMLElement {
  return el("figure", { className: "compare-confusion" }, el("figcaption", {}, caption), content);
}

function layerTable(rows: LayerDiffRow[]): HTMLElement {
  const table = el("table", { className: "run-diff-layers" });
  table.append(
    el(
      "thead",
      {},
      el("tr", {}, ...["", "before", "after", "what changed", "Δparams", "ΔMACs"].map((h) => el("th", {}, h))),
    ),
  );
  const body = el("tbody", {});
  const mark = { same: "", changed: "~", added: "+", removed: "−" } as const;
  for (const row of rows) {
    const side = (l: LayerDiffRow["before"]) => (l ? `${l.type} ${shape(l.outputShape)}` : "");
    body.append(
      el(
        "tr",
        { className: `diff-${row.kind}`, attrs: { "data-kind": row.kind } },
        el("td", { title: row.kind }, mark[row.kind]),
        el("td", {}, side(row.before)),
        el("td", {}, side(row.after)),
        el("td", {}, row.kind === "added" ? "added" : row.kind === "removed" ? "removed" : row.changes.join(", ")),
        el("td", { className: "num" }, row.dParams ? signed(row.dParams) : ""),
        el("td", { className: "num" }, row.dMacs ? signedMacs(row.dMacs) : ""),
      ),
    );
  }
  table.append(body);
  return table;
}

/** The difference of two confusion matrices: on the diagonal more is better, off it fewer. */
function deltaTable(delta: number[][], names: string[]): HTMLElement {
  const table = el("table", {
    className: "confusion-delta",
    attrs: { "aria-label": "Confusion matrix difference: rows are true classes, columns predicted classes" },
  });
  table.append(el("tr", {}, el("th", {}, ""), ...delta.map((_, p) => el("th", {}, names[p] ?? String(p)))));
  delta.forEach((row, t) => {
    table.append(
      el(
        "tr",
        {},
        el("th", {}, names[t] ?? String(t)),
        ...row.map((n, p) => {
          const better = t === p ? n > 0 : n < 0;
          return el("td", { className: n === 0 ? "zero" : better ? "better" : "worse" }, n === 0 ? "·" : signed(n));
        }),
      ),
    );
  });
  return table;
}

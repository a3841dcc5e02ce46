// What changed between two runs, as architectures and as results: layers aligned and marked
// added, removed or changed (with Δparams and ΔMACs), the headline deltas, and which test images
// the second run fixed or broke. Pure, so it is tested without a page.
import type { LayerSetting, LayerSummary, ModelSummary, RunRecord } from "../../src/engine/types";
import { formatShape, LAYER_SETTINGS } from "../../src/shared/layers";

export type LayerChange = "same" | "changed" | "added" | "removed";

export interface LayerDiffRow {
  kind: LayerChange;
  before?: LayerSummary;
  after?: LayerSummary;
  /** What differs in a changed layer: `filters 32 → 48`, `output 28×28×32 → 28×28×48`. */
  changes: string[];
  dParams: number;
  dMacs: number;
}

// The settings that make two layers of one type different layers, and their dilation.
const COMPARED = [...LAYER_SETTINGS, "dilationRate"];

const settingText = (v: LayerSetting | undefined) =>
  v === undefined ? "unset" : Array.isArray(v) ? v.join("×") : String(v);

/**
 * Aligns the layers in the summaries' order (a Sequential's sequence; for a functional model the
 * order tfjs built it in, topological, which keeps a block's layers together) as the longest
 * common subsequence of layer types, the way a text diff aligns lines: an inserted layer shows as
 * added instead of shifting every layer after it into "changed".
 */
export function diffArchitectures(before: ModelSummary, after: ModelSummary): LayerDiffRow[] {
  const a = before.layers;
  const b = after.layers;
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i].type === b[j].type ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows: LayerDiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i].type === b[j].type) {
      rows.push(paired(a[i++], b[j++]));
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      const layer = b[j++];
      rows.push({ kind: "added", after: layer, changes: [], dParams: layer.params, dMacs: layer.macs });
    } else {
      const layer = a[i++];
      rows.push({ kind: "removed", before: layer, changes: [], dParams: -layer.params, dMacs: -layer.macs });
    }
  }
  return rows;
}

function paired(before: LayerSummary, after: LayerSummary): LayerDiffRow {
  const changes: string[] = [];
  for (const key of COMPARED) {
    const x = settingText(before.config?.[key]);
    const y = settingText(after.config?.[key]);
    if (x !== y) changes.push(`${key} ${x} → ${y}`);
  }
  const inputs = [before, after].map((l) => (l.inputShapes ?? []).map(formatShape).join(" + "));
  if (inputs[0] !== inputs[1]) changes.push(`input ${inputs[0]} → ${inputs[1]}`);
  const shapes = [formatShape(before.outputShape), formatShape(after.outputShape)];
  if (shapes[0] !== shapes[1]) changes.push(`output ${shapes[0]} → ${shapes[1]}`);
  const dParams = after.params - before.params;
  const dMacs = after.macs - before.macs;
  const kind = changes.length || dParams || dMacs ? "changed" : "same";
  return { kind, before, after, changes, dParams, dMacs };
}

export interface HeadlineDeltas {
  /** Percentage points. */
  testAccuracy?: number;
  testLoss?: number;
  learningTimeSec?: number;
  params?: number;
  macs?: number;
}

export function headlineDeltas(
  before: Pick<RunRecord, "results" | "summary">,
  after: Pick<RunRecord, "results" | "summary">,
): HeadlineDeltas {
  const delta = (x: number | undefined, y: number | undefined, scale = 1) =>
    x === undefined || y === undefined ? undefined : (y - x) * scale;
  return {
    testAccuracy: delta(before.results?.testAccuracy, after.results?.testAccuracy, 100),
    testLoss: delta(before.results?.testLoss, after.results?.testLoss),
    learningTimeSec: delta(before.results?.learningTimeSec, after.results?.learningTimeSec),
    params: delta(before.summary?.params.total, after.summary?.params.total),
    macs: delta(before.summary?.macs, after.summary?.macs),
  };
}

export interface ImageOutcome {
  index: number;
  truth: number;
  /** What the first run predicted (the truth when it was right). */
  before: number;
  after: number;
}

export interface MisclassifiedDiff {
  /** Wrong in the first run, right in the second. */
  fixed: ImageOutcome[];
  /** Right in the first run, wrong in the second. */
  broken: ImageOutcome[];
  /** Wrong in both. */
  bothWrong: number;
  /** The second confusion matrix minus the first. */
  confusionDelta: number[][];
}

/** Undefined, with the reason, when the runs were not tested on the same images. */
export function misclassifiedDiff(
  before: Pick<RunRecord, "results" | "dataset">,
  after: Pick<RunRecord, "results" | "dataset">,
): { diff: MisclassifiedDiff } | { reason: string } {
  const a = before.results;
  const b = after.results;
  if (!a || !b) return { reason: "Both runs need test results." };
  if (before.dataset?.name !== after.dataset?.name || a.testExamples !== b.testExamples) {
    return {
      reason: `The runs were tested on different images (${before.dataset?.name ?? "?"}, ${a.testExamples} vs ${after.dataset?.name ?? "?"}, ${b.testExamples}).`,
    };
  }
  const wrongBefore = new Map(a.misclassified.map(([index, truth, guess]) => [index, { truth, guess }]));
  const wrongAfter = new Map(b.misclassified.map(([index, truth, guess]) => [index, { truth, guess }]));
  const fixed: ImageOutcome[] = [];
  const broken: ImageOutcome[] = [];
  let bothWrong = 0;
  for (const [index, { truth, guess }] of wrongBefore) {
    if (wrongAfter.has(index)) bothWrong++;
    else fixed.push({ index, truth, before: guess, after: truth });
  }
  for (const [index, { truth, guess }] of wrongAfter)
    if (!wrongBefore.has(index)) broken.push({ index, truth, before: truth, after: guess });
  const byIndex = (x: ImageOutcome, y: ImageOutcome) => x.index - y.index;
  const confusionDelta = b.confusion.map((row, t) => row.map((n, p) => n - (a.confusion[t]?.[p] ?? 0)));
  return { diff: { fixed: fixed.sort(byIndex), broken: broken.sort(byIndex), bothWrong, confusionDelta } };
}

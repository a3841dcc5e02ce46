// The selected run's facts: training config, backend, per-layer summary, per-class accuracy.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import { formatInt, formatPercent, formatSeconds } from "../format";

export function configList(run: PanelRun): HTMLElement {
  const c = run.config;
  const validation = typeof c.validation === "object" ? `${c.validation.split * 100}% of training set` : c.validation;
  const entries: [string, string | undefined][] = [
    ["Dataset", c.dataset],
    ["Epochs", epochsText(run)],
    ["Batch size", String(c.batchSize)],
    ["Learning rate", String(c.learningRate)],
    ["Optimizer", c.optimizer],
    ["Validation", validation],
    ["Seed", String(c.seed)],
    ["Training images", c.limit === undefined ? undefined : formatInt(c.limit)],
    ["Test images", c.testLimit === undefined ? undefined : formatInt(c.testLimit)],
    ["Engine", engineText(run.backend)],
    [
      "Backend",
      `tfjs-${run.backend.name} ${run.backend.version}${run.backend.engine !== "wasm-fused" && run.backend.threads ? `, ${run.backend.threads} threads` : ""}`,
    ],
    ["Backend note", run.backend.fallbackReason],
    ["MACs per image", run.summary ? formatInt(run.summary.macs) : undefined],
    ["Total time", run.results ? formatSeconds(run.results.totalTimeSec) : undefined],
  ];
  const list = el("dl", { className: "config" });
  for (const [term, value] of entries) if (value !== undefined) list.append(el("dt", {}, term), el("dd", {}, value));
  return list;
}

export function layersTable(run: PanelRun): HTMLElement {
  if (!run.summary) return el("p", { className: "muted" }, "No model summary (the model did not build).");
  const head = el("tr", {}, ...["Layer", "Type", "Output shape", "Params", "MACs"].map((h) => el("th", {}, h)));
  const rows = run.summary.layers.map((layer) =>
    el(
      "tr",
      {},
      el("td", {}, layer.name),
      el("td", {}, layer.type),
      el("td", {}, `[${layer.outputShape.join(", ")}]`),
      el("td", { className: "num" }, formatInt(layer.params)),
      el("td", { className: "num" }, formatInt(layer.macs)),
    ),
  );
  const { total, trainable } = run.summary.params;
  const foot = el(
    "tr",
    {},
    el("td", { attrs: { colspan: "3" } }, `Total (${formatInt(trainable)} trainable)`),
    el("td", { className: "num" }, formatInt(total)),
    el("td", { className: "num" }, formatInt(run.summary.macs)),
  );
  return el("table", { className: "layers" }, el("thead", {}, head), el("tbody", {}, ...rows), el("tfoot", {}, foot));
}

export function perClassAccuracy(accuracy: number[], classNames: string[]): HTMLElement {
  const rows = accuracy.map((value, i) => {
    const bar = el("div", { className: "meter-fill" });
    bar.style.width = `${Math.max(0, Math.min(1, value)) * 100}%`;
    return el(
      "div",
      { className: "meter-row" },
      el("span", { className: "meter-label" }, classNames[i] ?? String(i)),
      el("div", { className: "meter" }, bar),
      el("span", { className: "meter-value" }, Number.isFinite(value) ? formatPercent(value) : "—"),
    );
  });
  return el("div", { className: "per-class" }, ...rows);
}

/** "5", or for a continued run the epochs it trained after its parent's: "2 (epochs 4–5)". */
function epochsText(run: PanelRun): string {
  const count = run.config.epochs;
  if (!run.parent) return String(count);
  const first = run.parent.epochs + 1;
  return `${count} (${count === 1 ? `epoch ${first}` : `epochs ${first}–${first + count - 1}`})`;
}

/** The fused engine with its threads and build, or TensorFlow.js (records before the engine existed say nothing). */
function engineText(backend: PanelRun["backend"]): string {
  if (backend.engine !== "wasm-fused") return "TensorFlow.js";
  const build = backend.simd === "relaxed" ? "relaxed SIMD" : "SIMD128";
  return `ArchLab fused WebAssembly (${build}, ${backend.threads ?? 1} thread${backend.threads && backend.threads > 1 ? "s" : ""})`;
}

// Each model's answer for the pad's image, side by side: the predicted class, then its top three
// classes as bars.
import type { PredictionResult } from "../../src/shared/protocol";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { clear, el } from "../dom";

const TOP = 3;

export function predictionCards(
  runs: { run: PanelRun; color: string }[],
  results: PredictionResult[] | undefined,
): HTMLElement[] {
  const byRun = new Map(results?.map((r) => [r.runId, r]));
  return runs.map(({ run, color }) => {
    const names = run.dataset?.classNames ?? [];
    const result = byRun.get(run.id);
    const card = el("div", { className: "prediction", attrs: { "data-run-id": run.id } });
    card.style.borderTopColor = color;
    const accuracy = run.results ? ` · ${(run.results.testAccuracy * 100).toFixed(2)}%` : "";
    card.append(el("div", { className: "prediction-model" }, run.model, el("span", { className: "muted" }, accuracy)));
    if (result?.error) {
      card.append(el("p", { className: "error" }, result.error));
      return card;
    }
    const top = result?.top?.slice(0, TOP);
    const predicted = top ? (names[top[0].label] ?? String(top[0].label)) : "–";
    // Titles: a long class name may end in an ellipsis.
    card.append(el("div", { className: "prediction-class", title: predicted }, predicted));
    const bars = el("div", { className: "prediction-bars" });
    for (const entry of top ?? []) {
      const name = names[entry.label] ?? String(entry.label);
      const percent = entry.probability * 100;
      const bar = el("span", { className: "bar" });
      bar.style.width = `${percent.toFixed(1)}%`;
      bars.append(
        el(
          "div",
          { className: "prediction-bar", attrs: { "data-label": String(entry.label) } },
          el("span", { className: "bar-label", title: name }, name),
          el("span", { className: "bar-track" }, bar),
          el("span", { className: "bar-value" }, `${percent < 0.1 ? "<0.1" : percent.toFixed(1)}%`),
        ),
      );
    }
    card.append(bars);
    return card;
  });
}

export function replaceCards(container: HTMLElement, cards: HTMLElement[]): void {
  clear(container);
  container.append(...cards);
}

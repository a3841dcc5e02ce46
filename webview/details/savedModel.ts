// The run's trained model in its details: how big, from which epoch, and what can be done with it.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";
import { postToHost } from "../host";

export function savedModelLine(run: PanelRun): HTMLElement {
  const saved = run.savedModel;
  if (!saved) {
    const why =
      run.savedModelError ??
      (run.status === "running" ? "saved after the first epoch" : "not kept (setting archlab.keepModels) or deleted");
    return el("p", { className: "muted saved-model", attrs: { "data-saved": "none" } }, `Trained model: ${why}.`);
  }
  const button = (label: string, type: "continueTraining" | "exportModel" | "deleteSavedModel", title: string) => {
    const b = el("vscode-button" as "button", { title, attrs: { secondary: "", "data-action": type } }, label);
    b.addEventListener("click", () => postToHost({ type, runId: run.id }));
    return b;
  };
  return el(
    "p",
    { className: "saved-model", attrs: { "data-saved": "yes" } },
    `Trained model: ${formatBytes(saved.bytes)} after epoch ${saved.epoch}${saved.optimizer ? ` (with ${saved.optimizer}'s state)` : ""} `,
    // A running run's model is its latest epoch's: it continues once the run has ended.
    run.status !== "running" &&
      button(
        "Continue Training…",
        "continueTraining",
        `Train this model more epochs, from epoch ${saved.epoch + 1}, as a new run`,
      ),
    button(
      "Export Model…",
      "exportModel",
      "Write it as a TensorFlow.js layers model (model.json, weights.bin) with a README",
    ),
    button("Delete Saved Model", "deleteSavedModel", "Delete the weights; the run's record stays"),
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

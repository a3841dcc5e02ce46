// The curves' options above their charts: smoothing, train and test together or apart, x axis, log loss.
import type { CurveOptions } from "../../src/shared/webview-protocol";
import { checkbox, range, select } from "../controls";
import { el } from "../dom";

export function curveControls(options: CurveOptions, onChange: (options: CurveOptions) => void): HTMLElement {
  const current = { ...options };
  const changed = (patch: Partial<CurveOptions>) => {
    Object.assign(current, patch);
    onChange({ ...current });
  };
  return el(
    "div",
    { className: "curve-controls", attrs: { role: "group", "aria-label": "Curve options" } },
    range(
      "Smoothing",
      { min: 0, max: 0.99, step: 0.01 },
      options.smoothing,
      (smoothing) => changed({ smoothing }),
      "smoothing",
    ).element,
    checkbox("Train and test apart", options.split, (split) => changed({ split }), "split").element,
    select(
      "X axis",
      [
        { value: "epoch", label: "Epoch" },
        { value: "time", label: "Training time" },
      ] as const,
      options.x,
      (x) => changed({ x }),
      "x-axis",
    ).element,
    checkbox("Log-scale loss", options.logLoss, (logLoss) => changed({ logLoss }), "log-loss").element,
    el("span", { className: "muted" }, "solid: train · dashed: test · dotted: live"),
  );
}

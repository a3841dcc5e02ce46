// A continued run's details say which run it went on from and at which epoch, with a link that
// shows that run; or, once that run is deleted, that it is gone (the record needs nothing of it).
import type { PanelRun } from "../../src/shared/webview-protocol";
import { shortRunId } from "../../src/engine/runs/continued";
import { el } from "../dom";
import { runLabel } from "../format";

export function continuedLine(
  run: PanelRun,
  parent: PanelRun | undefined,
  showRun: (id: string) => void,
): HTMLElement | null {
  if (!run.parent) return null;
  const { id, epochs } = run.parent;
  if (!parent) {
    return el(
      "p",
      { className: "continued muted", attrs: { "data-parent": "gone" } },
      `Continued from run ${id} at epoch ${epochs}. That run has been deleted; this one keeps its own curves and model.`,
    );
  }
  const link = el(
    "button",
    { className: "link", title: "Show that run", attrs: { type: "button", "data-action": "showParent" } },
    `${runLabel(parent)} (${shortRunId(id)})`,
  );
  link.addEventListener("click", () => showRun(id));
  return el(
    "p",
    { className: "continued", attrs: { "data-parent": "shown" } },
    "Continued from ",
    link,
    ` at epoch ${epochs}`,
  );
}

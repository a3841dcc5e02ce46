// The run's name, note and star, edited in its details. A field being edited keeps what the user
// types while the run's record changes underneath (a running run gets a new record every epoch).
import { ANNOTATION_LIMITS, type RunAnnotations } from "../../src/engine/types";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { el } from "../dom";

export class AnnotationEditor {
  readonly element: HTMLElement;
  private readonly name = el("input", {
    attrs: {
      type: "text",
      maxlength: String(ANNOTATION_LIMITS.name),
      "data-annotation": "name",
      "aria-label": "Name of this run",
    },
  });
  private readonly note = el("textarea", {
    attrs: {
      rows: "3",
      maxlength: String(ANNOTATION_LIMITS.note),
      "data-annotation": "note",
      "aria-label": "Note on this run",
      placeholder: "What this run tried, what it showed…",
    },
  });
  private readonly star = el("input", { attrs: { type: "checkbox", "data-annotation": "starred" } });
  private readonly status = el("span", { className: "muted", attrs: { role: "status", "data-annotation-status": "" } });
  private run: PanelRun | undefined;

  constructor(private readonly save: (runId: string, change: RunAnnotations) => void) {
    this.name.addEventListener("change", () => this.commit({ name: this.name.value }));
    this.name.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.revert(this.name, this.run?.annotations?.name ?? "");
    });
    // A note may span lines: Enter is a new line, Ctrl+Enter (or leaving the field) saves.
    this.note.addEventListener("change", () => this.commit({ note: this.note.value }));
    this.note.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) this.commit({ note: this.note.value });
      if (event.key === "Escape") this.revert(this.note, this.run?.annotations?.note ?? "");
    });
    this.star.addEventListener("change", () => this.commit({ starred: this.star.checked }));
    this.element = el(
      "div",
      { className: "annotations", attrs: { role: "group", "aria-label": "Name, note and star" } },
      el("label", { className: "control" }, "Name ", this.name),
      el("label", { className: "control" }, this.star, "Starred"),
      this.status,
      el("label", { className: "control note" }, "Note ", this.note),
    );
  }

  /** Shows the run's annotations, except in a field the user is changing. */
  show(run: PanelRun): void {
    const changedRun = run.id !== this.run?.id;
    const saved = this.run?.annotations !== run.annotations;
    this.run = run;
    const { name = "", note = "", starred = false } = run.annotations ?? {};
    this.name.placeholder = run.model;
    this.sync(this.name, name, changedRun);
    this.sync(this.note, note, changedRun);
    this.star.checked = starred;
    if (changedRun) this.status.textContent = "";
    else if (saved && this.status.textContent === "Saving…") this.status.textContent = "Saved in the run record";
  }

  private sync(field: HTMLInputElement | HTMLTextAreaElement, value: string, force: boolean): void {
    const editing = document.activeElement === field && field.value !== field.defaultValue;
    if (force || !editing) field.value = value;
    field.defaultValue = value;
  }

  private revert(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
    field.value = value;
  }

  private commit(change: RunAnnotations): void {
    const run = this.run;
    if (!run) return;
    const current = run.annotations ?? {};
    const same =
      (change.name !== undefined && change.name.trim() === (current.name ?? "")) ||
      (change.note !== undefined && change.note.trimEnd() === (current.note ?? "")) ||
      (change.starred !== undefined && change.starred === Boolean(current.starred));
    if (same) return;
    this.status.textContent = "Saving…";
    this.save(run.id, change);
  }
}

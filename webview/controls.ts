// Small native form controls styled by the theme: a labelled checkbox, select and range. Native
// elements keep keyboard use, focus and screen-reader names without extra work.
import { el } from "./dom";

export function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
  name: string,
): { element: HTMLElement; input: HTMLInputElement } {
  const input = el("input", { attrs: { type: "checkbox", "data-control": name } });
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return { element: el("label", { className: "control" }, input, label), input };
}

export function select<T extends string>(
  label: string,
  options: readonly { value: T; label: string }[],
  value: T,
  onChange: (value: T) => void,
  name: string,
): { element: HTMLElement; input: HTMLSelectElement } {
  const input = el("select", { attrs: { "data-control": name } });
  for (const option of options) input.append(el("option", { attrs: { value: option.value } }, option.label));
  input.value = value;
  input.addEventListener("change", () => onChange(input.value as T));
  return { element: el("label", { className: "control" }, `${label} `, input), input };
}

export function range(
  label: string,
  bounds: { min: number; max: number; step: number },
  value: number,
  onInput: (value: number) => void,
  name: string,
): { element: HTMLElement; input: HTMLInputElement } {
  const input = el("input", {
    attrs: {
      type: "range",
      min: String(bounds.min),
      max: String(bounds.max),
      step: String(bounds.step),
      "data-control": name,
    },
  });
  input.value = String(value);
  const shown = el("output", { className: "range-value" }, value.toFixed(2));
  input.addEventListener("input", () => {
    shown.textContent = Number(input.value).toFixed(2);
    onInput(Number(input.value));
  });
  return { element: el("label", { className: "control" }, `${label} `, input, shown), input };
}

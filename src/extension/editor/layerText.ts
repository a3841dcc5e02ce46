// What the editor says about the layers of a call site: the inlay hint's short label and the
// hover's details (Markdown). Pure text, no VS Code.
import type { LayerSummary } from "../../engine/types";
import { formatShape, LAYER_SETTINGS } from "../../shared/layers";
import { formatMacs } from "../codelens/lenses";
import { iterationsOf, siteMacs, siteParams, type LayerSite } from "./layerSites";

// MACs are worth a glance when a call holds a real share of the model's compute and they say
// something its parameters do not: a convolution reuses its weights at every position, where a
// Dense layer's MACs equal its weight count.
const MACS_SHARE_SHOWN = 0.05;

const count = (n: number): string => n.toLocaleString("en-US");
const macsText = (macs: number): string => (macs === 0 ? "0" : formatMacs(macs));

export function macsMatter(site: LayerSite): boolean {
  const macs = siteMacs(site);
  return macs > 0 && macs >= MACS_SHARE_SHOWN * site.modelMacs && macs > 2 * siteParams(site);
}

/**
 * `→ 14×14×32 · 9,248 params · 1.8 M MACs`; a loop's `×3 → 64, 32, 16 · ...`. VS Code cuts a line's
 * hints at `editor.inlayHints.maximumLength` characters, so a label that would be cut drops, in
 * turn, its layer count, its MACs, the shapes of all but the last iteration and its params (the
 * hover has them all), down to the output shape alone.
 */
export function hintLabel(site: LayerSite, maxLength = Number.POSITIVE_INFINITY): string {
  const candidates = hintLabels(site);
  return candidates.find((c) => c.length <= maxLength) ?? candidates[candidates.length - 1];
}

/**
 * The labels of the calls ending on one line, which share the line's `maxLength`: all at the
 * same level of detail, so they read alike.
 */
export function lineHintLabels(sites: LayerSite[], maxLength = Number.POSITIVE_INFINITY): string[] {
  const each = Math.floor(maxLength / Math.max(1, sites.length));
  const options = sites.map(hintLabels);
  const fits = (level: number) => options.every((labels) => labels[level].length <= each);
  let level = 0;
  while (level < options[0]?.length - 1 && !fits(level)) level++;
  return options.map((labels) => labels[level]);
}

/** From the most detailed label to the shortest. */
function hintLabels(site: LayerSite): string[] {
  const runs = iterationsOf(site);
  const outputs = runs.map((run) => formatShape(run[run.length - 1].outputShape));
  const distinct = outputs.every((o) => o === outputs[0]) ? [outputs[0]] : outputs;
  const loop = site.iterations > 1 ? `×${site.iterations} ` : "";
  const params = siteParams(site);
  const layers = runs[0].length > 1 ? `${runs[0].length} layers` : undefined;
  const paramsText = params > 0 ? `${count(params)} params` : undefined;
  const macs = macsMatter(site) ? `${formatMacs(siteMacs(site))} MACs` : undefined;
  const label = (shapes: string[], ...rest: (string | undefined)[]) =>
    [`${loop}→ ${shapes.join(", ")}`, ...rest].filter((part) => part !== undefined).join(" · ");
  const last = [outputs[outputs.length - 1]];
  return [
    label(distinct, layers, paramsText, macs),
    label(distinct, paramsText, macs),
    label(distinct, paramsText),
    label(last, paramsText),
    label(last),
    `${loop}${last[0]}`,
  ];
}

/** The hover: each layer's type, shapes, params, MACs and receptive field. */
export function hoverMarkdown(site: LayerSite): string {
  const via = site.location.via;
  const lines: string[] = [];
  const made = via?.function ? ` · made by \`${via.function}()\` (line ${via.line})` : "";
  const loop = site.iterations > 1 ? ` · ${site.iterations} iterations` : "";
  lines.push(`**${site.model}**${made}${loop}`, "");
  if (site.layers.length === 1) {
    lines.push(...layerDetails(site.layers[0], site.modelMacs));
    return lines.join("\n");
  }
  lines.push(
    "| layer | type | input → output | params | MACs | receptive field |",
    "| --- | --- | --- | ---: | ---: | --- |",
  );
  for (const layer of site.layers) {
    lines.push(
      `| \`${layer.name}\` | ${layer.type} | ${inputText(layer)} → ${formatShape(layer.outputShape)} | ${count(layer.params)} | ${macsText(layer.macs)} | ${fieldText(layer) ?? ""} |`,
    );
  }
  lines.push(
    "",
    `Together: ${count(siteParams(site))} params (${trainableText(site.layers)}), ${formatMacs(siteMacs(site))} MACs${shareText(siteMacs(site), site.modelMacs)}`,
  );
  return lines.join("\n");
}

function layerDetails(layer: LayerSummary, modelMacs: number): string[] {
  const lines = [
    `**${layer.type}** \`${layer.name}\``,
    "",
    `- shape: ${inputText(layer)} → **${formatShape(layer.outputShape)}**`,
    `- params: ${count(layer.params)} (${trainableText([layer])})`,
    `- MACs: ${macsText(layer.macs)}${shareText(layer.macs, modelMacs)}`,
  ];
  const field = fieldText(layer);
  if (field) lines.push(`- receptive field so far: ${field}`);
  const settings = settingsText(layer);
  if (settings) lines.push(`- ${settings}`);
  return lines;
}

function inputText(layer: LayerSummary): string {
  const inputs = layer.inputShapes ?? [];
  return inputs.length ? inputs.map(formatShape).join(" + ") : "?";
}

function trainableText(layers: LayerSummary[]): string {
  const total = layers.reduce((sum, l) => sum + l.params, 0);
  const trainable = layers.reduce((sum, l) => sum + (l.trainableParams ?? l.params), 0);
  return trainable === total
    ? `${count(trainable)} trainable`
    : `${count(trainable)} trainable, ${count(total - trainable)} not`;
}

function shareText(macs: number, modelMacs: number): string {
  return modelMacs > 0 && macs > 0 ? ` (${((100 * macs) / modelMacs).toFixed(1)}% of the model)` : "";
}

function fieldText(layer: LayerSummary): string | undefined {
  const field = layer.receptiveField;
  if (!field) return undefined;
  return `${field.size.join("×")} px, stride ${field.stride.join("×")}`;
}

function settingsText(layer: LayerSummary): string | undefined {
  const config = layer.config ?? {};
  // A bias is the default; only its absence says something.
  const shown = LAYER_SETTINGS.filter((key) => config[key] !== undefined && !(key === "useBias" && config[key])).map(
    (key) => {
      const value = config[key];
      return `${key} ${Array.isArray(value) ? value.join("×") : String(value)}`;
    },
  );
  return shown.length ? shown.join(", ") : undefined;
}

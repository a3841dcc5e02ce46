// The layers of a model file grouped by the call in an architecture that made them: one group per
// call site (a layer factory, or a helper's call making several layers), with the loop iterations
// that went through it. No VS Code here, so the grouping is tested on its own.
import type { InspectReport } from "../../engine/models";
import type { LayerLocation, LayerSummary } from "../../engine/types";

export interface LayerSite {
  model: string;
  location: LayerLocation;
  /** Every layer the call made, in build order (all iterations). */
  layers: LayerSummary[];
  /** Times the call ran (a loop); its layers are `iterations` runs of the same sequence. */
  iterations: number;
  /** The model's MACs per example, to tell which layers matter. */
  modelMacs: number;
}

/** The sites in `file` of every architecture that built, in source order. */
export function layerSites(report: InspectReport | undefined, file: string): LayerSite[] {
  const sites: LayerSite[] = [];
  for (const model of report?.models ?? []) {
    if (!model.summary) continue;
    const byCall = new Map<string, LayerSite>();
    for (const layer of model.summary.layers) {
      const location = layer.location;
      if (!location || location.file !== file) continue;
      const key = `${location.line}:${location.column}`;
      let site = byCall.get(key);
      if (!site) {
        site = { model: model.name, location, layers: [], iterations: 1, modelMacs: model.summary.macs };
        byCall.set(key, site);
        sites.push(site);
      }
      site.layers.push(layer);
    }
    for (const site of byCall.values()) site.iterations = repeats(site.layers);
  }
  return sites.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

/**
 * How many times one call ran: the layer types repeat with the period of one call's layers (a
 * helper making Conv2D, BatchNormalization, ReLU called three times gives nine layers, three runs).
 */
function repeats(layers: LayerSummary[]): number {
  const n = layers.length;
  for (let period = 1; period <= n; period++) {
    if (n % period) continue;
    if (layers.every((layer, i) => layer.type === layers[i % period].type)) return n / period;
  }
  return 1;
}

/** The layers one run of the call made: the first of each iteration's sequence. */
export function iterationsOf(site: LayerSite): LayerSummary[][] {
  const per = site.layers.length / site.iterations;
  return Array.from({ length: site.iterations }, (_, i) => site.layers.slice(i * per, (i + 1) * per));
}

export function siteParams(site: LayerSite): number {
  return site.layers.reduce((sum, layer) => sum + layer.params, 0);
}

export function siteMacs(site: LayerSite): number {
  return site.layers.reduce((sum, layer) => sum + layer.macs, 0);
}

/** The site whose call spans `line`:`column` (1-based), the innermost when calls nest. */
export function siteAt(sites: LayerSite[], line: number, column: number): LayerSite | undefined {
  const covering = sites.filter(({ location: l }) => {
    if (line < l.line || line > l.endLine) return false;
    if (line === l.line && column < l.column) return false;
    return !(line === l.endLine && column > l.endColumn);
  });
  const onLine = covering.length
    ? covering
    : sites.filter((s) => s.location.line <= line && line <= s.location.endLine);
  return onLine.sort((a, b) => spanOf(a) - spanOf(b))[0];
}

function spanOf(site: LayerSite): number {
  const l = site.location;
  return (l.endLine - l.line) * 10_000 + (l.endColumn - l.column);
}

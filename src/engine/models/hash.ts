import { createHash } from "node:crypto";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { nestedModel } from "./nested";

/**
 * sha256 of the model topology (layer classes and configs, no weights). tfjs names layers from a
 * global counter (dense_Dense3), so names are replaced by their position: two builds of the same
 * code hash equally, and only a change in the layers changes the hash.
 */
export function architectureHash(model: LayersModel): string {
  const names = new Map<string, string>();
  collectNames(model, names);
  const json = model.toJSON(null, false) as { class_name: unknown; config: unknown };
  const topology = renameDeep({ class_name: json.class_name, config: json.config }, names);
  return createHash("sha256").update(JSON.stringify(topology)).digest("hex");
}

function collectNames(model: LayersModel, names: Map<string, string>): void {
  if (!names.has(model.name)) names.set(model.name, `model${names.size}`);
  for (const layer of model.layers) {
    const inner = nestedModel(layer);
    if (inner) collectNames(inner, names);
    else if (!names.has(layer.name)) names.set(layer.name, `layer${names.size}`);
  }
}

function renameDeep(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === "string") return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => renameDeep(item, names));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renameDeep(item, names)]));
  }
  return value;
}

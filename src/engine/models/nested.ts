import type { LayersModel } from "@tensorflow/tfjs-layers";

export type Layer = LayersModel["layers"][number];

/** A model used as a layer of another model (e.g. a Sequential block inside a functional model). */
export function nestedModel(layer: Layer): LayersModel | undefined {
  const candidate = layer as Partial<LayersModel>;
  return Array.isArray(candidate.layers) && typeof candidate.countParams === "function"
    ? (layer as unknown as LayersModel)
    : undefined;
}

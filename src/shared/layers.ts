// How layers read in text, shared by the editor's hovers and hints, the architecture graph and the
// run diff, so that a shape or a setting reads the same in all of them.

/** A tensor shape: `28×28×32`, `?` for an unknown (batch) dimension, `scalar` for none. */
export function formatShape(shape: readonly number[]): string {
  return shape.length ? shape.map((d) => (d < 0 ? "?" : String(d))).join("×") : "scalar";
}

/**
 * The settings that tell layers of a type apart; initializers, formats and names stay in the
 * summary. (Every convolution's config holds its dilation, 1×1 nearly always: the run diff
 * compares it as well, where only a change shows.)
 */
export const LAYER_SETTINGS = [
  "units",
  "filters",
  "kernelSize",
  "strides",
  "poolSize",
  "padding",
  "activation",
  "rate",
  "axis",
  "targetShape",
  "useBias",
] as const;

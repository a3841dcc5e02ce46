// tfjs's shape errors in the words of the model file: shapes without the batch axis (28×28×4
// rather than [null,28,28,4]), layers by type rather than by the generated name (dense_Dense3).

export const showShape = (shape: readonly number[]): string =>
  shape.length ? shape.map((d) => (d < 0 ? "?" : d)).join("×") : "a scalar";

/** `[null,28,28,4]` (a batch axis first) or `[28,28,4]` as 28×28×4. */
function shownList(text: string, batchFirst: boolean): string {
  const dims = text.split(",").map((d) => d.trim());
  const kept = batchFirst && dims[0] === "null" ? dims.slice(1) : dims;
  return showShape(kept.map((d) => (d === "null" ? -1 : Number(d))));
}

const both = (shapes: string[]): string => (shapes.length === 2 ? `${shapes[0]} and ${shapes[1]}` : shapes.join(", "));

/** The layer an error came from, as far as it is known. */
export interface FailedLayer {
  type?: string;
  config?: { kernelSize?: unknown; poolSize?: unknown; padding?: unknown };
  /** Without the batch axis. */
  inputShapes?: number[][];
}

/** Why a convolution or pooling window leaves no output: it is larger than its input. */
export function windowTooLarge(
  type: string,
  config: FailedLayer["config"],
  input: number[],
  output?: number[],
): string | undefined {
  const window = config?.kernelSize ?? config?.poolSize;
  if (window === undefined) return undefined;
  const spatial = input.slice(0, -1);
  const size = Array.isArray(window) ? window.map((w) => Number(w ?? 1)) : spatial.map(() => Number(window));
  const what = config?.kernelSize !== undefined ? "kernel" : "pooling window";
  const outputs = output ? `, so it outputs ${showShape(output)}` : "";
  const padding = typeof config?.padding === "string" ? config.padding : "valid";
  return (
    `${type}: its ${showShape(size)} ${what} does not fit its ${showShape(spatial)} input (padding '${padding}')` +
    `${outputs}: use padding: 'same', a smaller ${what}, or less downsampling before it`
  );
}

interface Rewrite {
  pattern: RegExp;
  rewrite: (
    match: RegExpExecArray,
    type: string | undefined,
    inputShapes: number[][] | undefined,
    layer: FailedLayer,
  ) => string | undefined;
}

const REWRITES: Rewrite[] = [
  {
    // Sequential.add's check of each new layer's output.
    pattern: /Negative dimension size caused by adding layer (\w+) with input shape \[([^\]]*)\]/,
    rewrite: (m, type, _, layer) => {
      const input = m[2]
        .split(",")
        .filter((d) => d.trim() !== "")
        .map(Number);
      return (
        windowTooLarge(type ?? m[1], layer.config, input) ??
        `${type ?? m[1]} cannot take its ${showShape(input)} input: an axis would shrink below 1`
      );
    },
  },
  {
    pattern:
      /A `Concatenate` layer requires inputs with matching shapes except for the concat axis\. Got input shapes: \[(.*)\]/,
    rewrite: (m) => {
      const shapes = [...m[1].matchAll(/\[([^\]]*)\]/g)].map((s) => shownList(s[1], true));
      return `Concatenate needs inputs that match except along the concatenation axis, got ${both(shapes)}`;
    },
  },
  {
    pattern: /Operands could not be broadcast together with shapes \[([^\]]*)\] \[([^\]]*)\]/,
    rewrite: (m, type) =>
      `${type ?? "This merge layer"} needs inputs of the same shape, got ${shownList(m[1], false)} and ${shownList(m[2], false)}`,
  },
  {
    pattern: /Input (\d+) is incompatible with layer [^:]+: expected (?:min_)?ndim=(\d+), found ndim=(\d+)/,
    rewrite: (m, type, shapes) => {
      const input = shapes?.[Number(m[1])];
      const got = input ? `${showShape(input)} (${input.length}-D)` : `a ${Number(m[3]) - 1}-D input`;
      const need = Number(m[2]) - 1;
      const hint = need === 1 && input && input.length > 1 ? ": add tf.layers.flatten() before it" : "";
      return `${type ?? "The layer"} needs a ${need}-D input per example, got ${got}${hint}`;
    },
  },
  {
    pattern:
      /Input (\d+) is incompatible with layer [^:]+: expected axis (-?\d+) of input shape to have value (\d+) but got shape \[?([^\].]*)\]?/,
    rewrite: (m, type) =>
      `${type ?? "The layer"} was built for inputs whose axis ${m[2]} is ${m[3]}, got ${shownList(m[4], true)}`,
  },
];

/** The message of an error from building a model, readable. */
export function readableBuildError(message: string, layer: FailedLayer = {}): string {
  const { type, inputShapes } = layer;
  for (const { pattern, rewrite } of REWRITES) {
    const match = pattern.exec(message);
    const rewritten = match && rewrite(match, type, inputShapes, layer);
    if (rewritten) return rewritten;
  }
  const general = message
    .replace(/\[null,([\d,null]*)\]/g, (_, dims: string) => shownList(`null,${dims}`, true))
    .replace(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_([A-Z][A-Za-z0-9]*?)\d+\b/g, (_, __, cls: string) => cls);
  return type && !general.includes(type) ? `${type}: ${general}` : general;
}

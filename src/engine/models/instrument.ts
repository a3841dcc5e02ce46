// The tfjs namespace a model file gets: the engine's, with each `tf.layers.*` factory noting where
// it was called, so every layer of a built model knows its line. Errors thrown while a layer is
// connected (a Sequential adding it, `layer.apply(x)`) are tagged with that layer, so a shape error
// is reported at the layer that broke rather than at `tf.sequential(...)`.
import type { Tf } from "../tf";
import { captureSite, type Site } from "./sites";

type Layer = InstanceType<Tf["layers"]["Layer"]>;

/** What a failed connection knows: the layer, the shapes it was given (without the batch axis). */
export interface LayerFailure {
  layer?: Layer;
  inputShapes?: number[][];
  /** Where the failing factory was called, when the error came out of one (concatenate([a, b])). */
  site?: Site;
}

const layerSites = new WeakMap<object, Site>();
const failures = new WeakMap<object, LayerFailure>();
const instrumented = new WeakMap<Tf, Tf>();

/** Where the layer was created, if a model file's factory made it. */
export function siteOfLayer(layer: object): Site | undefined {
  return layerSites.get(layer);
}

/** The layer (or factory call) an error of a model build came from. */
export function failureOf(err: unknown): LayerFailure | undefined {
  return typeof err === "object" && err !== null ? failures.get(err) : undefined;
}

export function instrumentTf(tf: Tf): Tf {
  const known = instrumented.get(tf);
  if (known) return known;
  tagConnectionErrors(tf);
  const layers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(tf.layers)) {
    // Lower-case names are factories; the classes (Layer, RNN, RNNCell) are extended by user code.
    layers[name] = typeof value === "function" && /^[a-z]/.test(name) ? recordingFactory(value as Factory) : value;
  }
  // Models are recorded too: a Sequential block used as a layer of a functional model.
  const namespace = Object.freeze({
    ...tf,
    layers: Object.freeze(layers),
    sequential: recordingFactory(tf.sequential as Factory),
    model: recordingFactory(tf.model as Factory),
  }) as Tf;
  instrumented.set(tf, namespace);
  return namespace;
}

type Factory = (this: unknown, ...args: unknown[]) => unknown;

function recordingFactory(create: Factory): Factory {
  const recording: Factory = function (this: unknown, ...args) {
    const site = captureSite(recording);
    let result: unknown;
    try {
      result = create.apply(this, args);
    } catch (err) {
      if (site && !failureOf(err)?.site) fail(err, { ...failureOf(err), site });
      throw err;
    }
    const layer = layerIn(result);
    if (layer && site && !layerSites.has(layer)) layerSites.set(layer, site);
    return result;
  };
  return recording;
}

/** A factory returns a layer, or (given tensors, as `concatenate([a, b])`) the layer's output. */
function layerIn(result: unknown): object | undefined {
  const first: unknown = Array.isArray(result) ? result[0] : result;
  if (typeof first !== "object" || first === null) return undefined;
  const source = (first as { sourceLayer?: unknown }).sourceLayer;
  if (typeof source === "object" && source !== null) return source;
  return typeof (first as { getClassName?: unknown }).getClassName === "function" ? first : undefined;
}

function fail(err: unknown, failure: LayerFailure): void {
  if (typeof err === "object" && err !== null) failures.set(err, failure);
}

let patched = false;

/**
 * Wraps Layer.prototype.apply and Sequential.prototype.add once per process. The innermost layer
 * tags the error first (a layer inside a nested Sequential), so outer ones leave the tag alone.
 */
function tagConnectionErrors(tf: Tf): void {
  if (patched) return;
  patched = true;
  const layerProto = tf.layers.Layer.prototype as unknown as {
    apply: (this: Layer, inputs: unknown, kwargs?: unknown) => unknown;
  };
  const apply = layerProto.apply;
  layerProto.apply = function (inputs, kwargs) {
    try {
      return apply.call(this, inputs, kwargs);
    } catch (err) {
      if (!failureOf(err)?.layer) fail(err, { ...failureOf(err), layer: this, inputShapes: shapesOf(inputs) });
      throw err;
    }
  };
  const sequentialProto = tf.Sequential.prototype as unknown as { add: (this: unknown, layer: Layer) => void };
  const add = sequentialProto.add;
  sequentialProto.add = function (layer) {
    try {
      add.call(this, layer);
    } catch (err) {
      // Errors of add itself ("the first layer ... must get an inputShape") concern the layer added.
      if (!failureOf(err)?.layer) fail(err, { ...failureOf(err), layer });
      throw err;
    }
  };
}

function shapesOf(inputs: unknown): number[][] | undefined {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const shapes = list.map((x) => (x as { shape?: unknown } | null)?.shape);
  if (!shapes.every(Array.isArray)) return undefined;
  return (shapes as (number | null)[][]).map((shape) => shape.slice(1).map((d) => d ?? -1));
}

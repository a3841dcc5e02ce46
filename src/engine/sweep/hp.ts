// The `hp` object an architecture may take (Keras Tuner's `build_model(hp)` shape): each call
// declares one dimension of the search space and returns the value this build uses. Where values
// come from is the picker's business: defaults (Train, inspect), a trial's fixed values, or a search.
import type { ParamValue } from "../types";
import type { ParamDef } from "./types";

export type Picker = (name: string, def: ParamDef) => ParamValue;

type Options<T> = { default?: T };

export class HyperparameterSet {
  /** What this build declared, in call order. */
  readonly declared = new Map<string, ParamDef>();
  readonly values: Record<string, ParamValue> = {};

  constructor(private readonly pick: Picker = (_name, def) => defaultValue(def)) {}

  choice<T extends ParamValue>(name: string, values: readonly T[], options: Options<T> = {}): T {
    const where = `hp.choice('${name}')`;
    const given: unknown = values;
    if (!Array.isArray(given) || values.length === 0) throw new Error(`${where}: values must be a non-empty array`);
    for (const v of values) {
      if (!["number", "string", "boolean"].includes(typeof v))
        throw new Error(`${where}: values must be numbers, strings or booleans, got ${show(v)}`);
    }
    if (new Set(values).size !== values.length) throw new Error(`${where}: values must be distinct`);
    if (options.default !== undefined && !values.includes(options.default)) {
      throw new Error(`${where}: default ${show(options.default)} is not one of the values`);
    }
    return this.draw(name, { kind: "choice", values: [...values], default: options.default }) as T;
  }

  int(
    name: string,
    min: number,
    max: number,
    options: { step?: number; log?: boolean } & Options<number> = {},
  ): number {
    const where = `hp.int('${name}')`;
    const step = options.step ?? 1;
    for (const [key, v] of [
      ["min", min],
      ["max", max],
    ] as const) {
      if (!Number.isSafeInteger(v)) throw new Error(`${where}: ${key} must be an integer, got ${show(v)}`);
    }
    if (!Number.isSafeInteger(step) || step <= 0)
      throw new Error(`${where}: step must be a positive integer, got ${show(step)}`);
    checkRange(where, min, max, options);
    return this.draw(name, { kind: "int", min, max, step, log: options.log, default: options.default }) as number;
  }

  float(
    name: string,
    min: number,
    max: number,
    options: { step?: number; log?: boolean } & Options<number> = {},
  ): number {
    const where = `hp.float('${name}')`;
    for (const [key, v] of [
      ["min", min],
      ["max", max],
    ] as const) {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(`${where}: ${key} must be a finite number, got ${show(v)}`);
    }
    if (options.step !== undefined && !(options.step > 0))
      throw new Error(`${where}: step must be greater than 0, got ${show(options.step)}`);
    checkRange(where, min, max, options);
    return this.draw(name, {
      kind: "float",
      min,
      max,
      step: options.step,
      log: options.log,
      default: options.default,
    }) as number;
  }

  bool(name: string, options: Options<boolean> = {}): boolean {
    if (options.default !== undefined && typeof options.default !== "boolean") {
      throw new Error(`hp.bool('${name}'): default must be true or false, got ${show(options.default)}`);
    }
    return this.draw(name, { kind: "bool", default: options.default }) as boolean;
  }

  private draw(name: string, def: ParamDef): ParamValue {
    if (typeof name !== "string" || !/^[A-Za-z_][\w.-]*$/.test(name)) {
      throw new Error(`hp names must be identifiers such as 'filters' or 'units_1', got ${show(name)}`);
    }
    if (this.declared.has(name)) throw new Error(`hp name '${name}' is used twice: names are unique per architecture`);
    this.declared.set(name, def);
    const value = this.pick(name, def);
    this.values[name] = value;
    return value;
  }
}

function checkRange(where: string, min: number, max: number, options: { log?: boolean; default?: number }): void {
  if (min > max) throw new Error(`${where}: min (${min}) is greater than max (${max})`);
  if (options.log && min <= 0) throw new Error(`${where}: a log scale needs min greater than 0, got ${min}`);
  const d = options.default;
  if (d !== undefined && !(typeof d === "number" && d >= min && d <= max))
    throw new Error(`${where}: default ${show(d)} is outside [${min}, ${max}]`);
}

/** The value an architecture builds with outside a sweep: `default`, else the first choice, the minimum, false. */
export function defaultValue(def: ParamDef): ParamValue {
  if (def.default !== undefined) return def.default;
  switch (def.kind) {
    case "choice":
      return def.values[0];
    case "int":
    case "float":
      return def.min;
    case "bool":
      return false;
  }
}

/** A picker for one trial: its values, and the defaults for names it does not have (a space edited since). */
export function fixedPicker(values: Record<string, ParamValue>): Picker {
  return (name, def) => (Object.hasOwn(values, name) ? values[name] : defaultValue(def));
}

function show(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

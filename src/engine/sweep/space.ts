// Values of one search-space dimension: drawn at random (uniform, or log-uniform) or enumerated for
// a grid. Steps count from the minimum; results are rounded to 12 significant digits so that a
// step of 0.1 gives 0.3, not 0.30000000000000004.
import type { ParamValue } from "../types";
import type { ParamDef } from "./types";

/** Points a grid may have before it is refused: beyond that a random or ASHA sweep is the tool. */
export const MAX_GRID_VALUES = 1000;

export function sampleValue(def: ParamDef, random: () => number): ParamValue {
  switch (def.kind) {
    case "choice":
      return def.values[Math.min(def.values.length - 1, Math.floor(random() * def.values.length))];
    case "bool":
      return random() < 0.5;
    case "int": {
      const count = Math.floor((def.max - def.min) / def.step) + 1;
      if (def.log) return snap(def, logUniform(def.min, def.max + def.step * 0.999, random), Math.floor);
      return def.min + def.step * Math.min(count - 1, Math.floor(random() * count));
    }
    case "float": {
      const value = def.log ? logUniform(def.min, def.max, random) : def.min + random() * (def.max - def.min);
      return def.step ? snap(def, value, Math.round) : tidy(Math.min(def.max, value));
    }
  }
}

/** Every value of the dimension in order, for a grid; names what is missing when it has no finite set. */
export function gridValues(name: string, def: ParamDef): ParamValue[] {
  switch (def.kind) {
    case "choice":
      return def.values;
    case "bool":
      return [false, true];
    case "int":
    case "float": {
      if (def.kind === "float" && !def.step) {
        throw new Error(`${name}: a grid needs a step for a float range (or list the values), e.g. { step: 0.1 }`);
      }
      const step = def.step!;
      const count = Math.floor((def.max - def.min) / step + 1e-9) + 1;
      if (count > MAX_GRID_VALUES)
        throw new Error(`${name}: ${count} grid values is too many (at most ${MAX_GRID_VALUES})`);
      return Array.from({ length: count }, (_, i) => tidy(def.min + i * step));
    }
  }
}

function logUniform(min: number, max: number, random: () => number): number {
  return Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
}

function snap(def: { min: number; max: number; step?: number }, value: number, round: (x: number) => number): number {
  const step = def.step ?? 1;
  const steps = Math.floor((def.max - def.min) / step + 1e-9);
  return tidy(def.min + step * Math.max(0, Math.min(steps, round((value - def.min) / step))));
}

function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

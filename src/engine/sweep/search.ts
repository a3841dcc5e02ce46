// Which trials a sweep runs: every point of a grid, in order, or `trials` random draws reproducible
// from the seed. Both work on conditional spaces (an `hp` call that only some values of another
// make, as in a loop over `hp.int('blocks', ...)`): the architecture is built to see which names a
// choice of values declares. Written here rather than taken from npm: the JavaScript search
// libraries found optimise fixed numeric spaces, none explores a space that the code declares as
// it runs, and grid, random and ASHA are a few dozen lines each.
import { seededRandom } from "../train/data";
import { defaultValue, type Picker } from "./hp";
import { gridValues, MAX_GRID_VALUES, sampleValue } from "./space";
import type { ParamDef, SweepSpec, TrialParams } from "./types";

/** Builds the architecture with values from `pick`; returns what it declared (in call order) and the values it got. */
export type Probe = (pick: Picker) => { declared: Map<string, ParamDef>; values: TrialParams };

// A random draw that repeats an earlier trial is drawn again, this many times, before it is kept
// (a small space cannot give more distinct trials than it has points).
const REDRAWS = 20;

export function planTrials(spec: SweepSpec, probe: Probe): TrialParams[] {
  return spec.method === "grid" ? gridTrials(spec, probe) : randomTrials(spec, probe);
}

function gridTrials(spec: SweepSpec, probe: Probe): TrialParams[] {
  const trials: TrialParams[] = [];
  const limit = spec.trials ?? MAX_GRID_VALUES;
  const training = Object.entries(spec.parameters);
  // Depth first over the names in the order they are met: the first varies slowest.
  const expand = (assigned: TrialParams): void => {
    if (trials.length >= limit) return;
    const { declared } = probe((name, def) => (Object.hasOwn(assigned, name) ? assigned[name] : defaultValue(def)));
    checkNoClash(spec, declared);
    const next = [...training, ...declared].find(([name]) => !Object.hasOwn(assigned, name));
    if (!next) {
      trials.push(assigned);
      return;
    }
    const [name, def] = next;
    const where = Object.hasOwn(spec.parameters, name) ? `parameters.${name}` : `hp '${name}'`;
    for (const value of gridValues(where, def)) expand({ ...assigned, [name]: value });
  };
  expand({});
  if (spec.trials === undefined && trials.length >= MAX_GRID_VALUES) {
    throw new Error(
      `the grid has more than ${MAX_GRID_VALUES} points: narrow it, set trials to run its first ones, or use random or asha`,
    );
  }
  return trials;
}

function randomTrials(spec: SweepSpec, probe: Probe): TrialParams[] {
  const trials: TrialParams[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < (spec.trials ?? 0); i++) {
    const random = seededRandom(mix(spec.seed, i));
    let params = draw(spec, probe, random);
    for (let redraw = 0; redraw < REDRAWS && seen.has(key(params)); redraw++) params = draw(spec, probe, random);
    seen.add(key(params));
    trials.push(params);
  }
  return trials;
}

function draw(spec: SweepSpec, probe: Probe, random: () => number): TrialParams {
  const params: TrialParams = {};
  for (const [name, def] of Object.entries(spec.parameters)) params[name] = sampleValue(def, random);
  const { declared, values } = probe((_name, def) => sampleValue(def, random));
  checkNoClash(spec, declared);
  return { ...params, ...values };
}

function checkNoClash(spec: SweepSpec, declared: Map<string, ParamDef>): void {
  for (const name of declared.keys()) {
    if (Object.hasOwn(spec.parameters, name))
      throw new Error(`hp name '${name}' is also a training parameter of the sweep: rename one`);
  }
}

function key(params: TrialParams): string {
  return JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function mix(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

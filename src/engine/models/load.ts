// Loads a model file: bundle, evaluate, then sort its exports into architectures and skipped ones.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { HyperparameterSet } from "../sweep/hp";
import { sweptModels } from "../sweep/spec";
import type { Tf } from "../tf";
import type { TrainingExport } from "../types";
import { bundleModelFile } from "./bundle";
import { ModelFileError } from "./errors";
import { executeBundle, type ExecutedModule } from "./execute";
import { inSourceOrder } from "./order";
import { modelMacs } from "./summary";
import { checkTrainingExport } from "./training";

export interface Architecture {
  name: string;
  /** True when the function takes an `hp` object: a search space over its variants. */
  takesHyperparameters?: boolean;
  /** Multiply-accumulates per image of the model its first call returned (hp defaults). */
  macs?: number;
  /**
   * Builds a fresh model, with `hp`'s values or (without one) every hyperparameter's default;
   * throws a ModelFileError pointing at the user's code when the factory fails.
   */
  build(hp?: HyperparameterSet): LayersModel;
}

export interface LoadedModelFile {
  file: string;
  source: string;
  sha256: string;
  architectures: Architecture[];
  skipped: { name: string; reason: string }[];
  training?: TrainingExport;
  /** The `sweep` export as the file has it: checked per architecture when a sweep starts. */
  sweep?: unknown;
}

type Verdict = { architecture: Architecture } | { skipped: string };

/** Loads the file as it is on disk, or as `content` has it (an editor's unsaved text). */
export async function loadModelFile(file: string, tf: Tf, content?: string): Promise<LoadedModelFile> {
  const absolute = path.resolve(file);
  const source = content ?? (await readSource(absolute));
  const module = executeBundle(await bundleModelFile(absolute, content), absolute, tf, source);
  const exports = (module.exports ?? {}) as Record<string, unknown>;

  const architectures: Architecture[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const swept = readSwept(exports.sweep, absolute);
  for (const name of inSourceOrder(Object.keys(exports), source)) {
    if (name === "training" || name === "sweep") continue;
    const verdict = judgeExport(name, exports[name], tf, module, swept.includes(name));
    if ("architecture" in verdict) architectures.push(verdict.architecture);
    else skipped.push({ name, reason: verdict.skipped });
  }
  if (architectures.length === 0) {
    const why = skipped.map((s) => `${s.name}: ${s.reason}`).join("; ");
    throw new ModelFileError(
      "no model exports: export a function that takes no arguments (or an hp object) and returns a tf.LayersModel" +
        (why ? ` (skipped ${why})` : ""),
      absolute,
    );
  }
  return {
    file: absolute,
    source,
    sha256: createHash("sha256").update(source).digest("hex"),
    architectures,
    skipped,
    training: readTraining(exports.training, absolute),
    sweep: exports.sweep,
  };
}

function readSwept(value: unknown, file: string): string[] {
  try {
    return sweptModels(value);
  } catch (err) {
    throw new ModelFileError((err as Error).message, file);
  }
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "model file not found" : `cannot read the model file (${code ?? String(err)})`;
    throw new ModelFileError(reason, file);
  }
}

function readTraining(value: unknown, file: string): TrainingExport | undefined {
  if (value === undefined) return undefined;
  try {
    return checkTrainingExport(value);
  } catch (err) {
    throw new ModelFileError((err as Error).message, file);
  }
}

/**
 * Calls each candidate once: only what it returns tells an architecture from a helper. A function
 * of one argument is called with an `hp` object of defaults; it is an architecture when it returns
 * a model, or when it fails after using `hp` or has a sweep spec (then its error is the user's to see).
 */
function judgeExport(name: string, value: unknown, tf: Tf, module: ExecutedModule, swept: boolean): Verdict {
  if (typeof value !== "function") return { skipped: `not a function (${describe(value)})` };
  if (/^class\b/.test(Function.prototype.toString.call(value))) return { skipped: "a class, not a function" };
  if (value.length > 1)
    return { skipped: `takes ${value.length} arguments; an architecture takes none, or one hp object` };
  const takesHyperparameters = value.length === 1;
  const factory = value as (hp?: HyperparameterSet) => unknown;

  let result: unknown;
  const probe = new HyperparameterSet();
  // A helper of one argument (a layer of n units...) is no architecture: it never used the hp object.
  const helper = () => takesHyperparameters && !swept && probe.declared.size === 0;
  const helperReason = "takes 1 argument(s); an architecture takes none, or one hp object";
  try {
    result = factory(takesHyperparameters ? probe : undefined);
  } catch (err) {
    if (helper()) return { skipped: helperReason };
    const error = module.locate(err, `model ${name} failed to build: `);
    return {
      architecture: {
        name,
        takesHyperparameters,
        build: () => {
          throw error;
        },
      },
    };
  }
  if (isThenable(result)) {
    result.then(disposeQuietly, () => undefined);
    return { skipped: "returns a Promise; an architecture must build its model synchronously" };
  }
  if (!(result instanceof tf.LayersModel)) {
    return { skipped: helper() ? helperReason : `returns ${describe(result)}, not a tf.LayersModel` };
  }
  let macs: number | undefined;
  try {
    macs = modelMacs(result);
  } catch {
    // Counted again from the summary of the model that trains.
  }
  disposeQuietly(result);
  return {
    architecture: {
      name,
      takesHyperparameters,
      macs,
      build: (hp) =>
        build(name, () => factory(takesHyperparameters ? (hp ?? new HyperparameterSet()) : undefined), tf, module),
    },
  };
}

function build(name: string, factory: () => unknown, tf: Tf, module: ExecutedModule): LayersModel {
  let result: unknown;
  try {
    result = factory();
  } catch (err) {
    throw module.locate(err, `model ${name} failed to build: `);
  }
  if (!(result instanceof tf.LayersModel)) {
    throw module.locate(new Error(`returned ${describe(result)}, not a tf.LayersModel`), `model ${name} `);
  }
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function disposeQuietly(value: unknown): void {
  try {
    (value as { dispose?: () => void })?.dispose?.();
  } catch {
    // A model already disposed by its own code needs nothing more.
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  const className = (value as { getClassName?: () => string }).getClassName?.();
  if (className) return `a ${className}`;
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

// Loads a model file: bundle, evaluate, then sort its exports into architectures and skipped ones.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from '../tf';
import type { TrainingExport } from '../types';
import { bundleModelFile } from './bundle';
import { ModelFileError } from './errors';
import { executeBundle, type ExecutedModule } from './execute';
import { inSourceOrder } from './order';
import { checkTrainingExport } from './training';

export interface Architecture {
  name: string;
  /** Builds a fresh model; throws a ModelFileError pointing at the user's code when the factory fails. */
  build(): LayersModel;
}

export interface LoadedModelFile {
  file: string;
  source: string;
  sha256: string;
  architectures: Architecture[];
  skipped: { name: string; reason: string }[];
  training?: TrainingExport;
}

type Verdict = { architecture: Architecture } | { skipped: string };

export async function loadModelFile(file: string, tf: Tf): Promise<LoadedModelFile> {
  const absolute = path.resolve(file);
  const source = await readSource(absolute);
  const module = executeBundle(await bundleModelFile(absolute), absolute, tf);
  const exports = (module.exports ?? {}) as Record<string, unknown>;

  const architectures: Architecture[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of inSourceOrder(Object.keys(exports), source)) {
    if (name === 'training') continue;
    const verdict = judgeExport(name, exports[name], tf, module);
    if ('architecture' in verdict) architectures.push(verdict.architecture);
    else skipped.push({ name, reason: verdict.skipped });
  }
  if (architectures.length === 0) {
    const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    throw new ModelFileError(
      'no model exports: export a function that takes no arguments and returns a tf.LayersModel' +
        (why ? ` (skipped ${why})` : ''),
      absolute,
    );
  }
  return {
    file: absolute,
    source,
    sha256: createHash('sha256').update(source).digest('hex'),
    architectures,
    skipped,
    training: readTraining(exports.training, absolute),
  };
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'model file not found' : `cannot read the model file (${code ?? err})`;
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

/** Calls each candidate once: only what it returns tells an architecture from a helper. */
function judgeExport(name: string, value: unknown, tf: Tf, module: ExecutedModule): Verdict {
  if (typeof value !== 'function') return { skipped: `not a function (${describe(value)})` };
  if (/^class\b/.test(Function.prototype.toString.call(value))) return { skipped: 'a class, not a function' };
  if (value.length > 0) return { skipped: `takes ${value.length} argument(s); an architecture takes none` };
  const factory = value as () => unknown;

  let result: unknown;
  try {
    result = factory();
  } catch (err) {
    const error = module.locate(err, `model ${name} failed to build: `);
    return { architecture: { name, build: () => { throw error; } } };
  }
  if (isThenable(result)) {
    result.then(disposeQuietly, () => undefined);
    return { skipped: 'returns a Promise; an architecture must build its model synchronously' };
  }
  if (!(result instanceof tf.LayersModel)) return { skipped: `returns ${describe(result)}, not a tf.LayersModel` };
  disposeQuietly(result);
  return { architecture: { name, build: () => build(name, factory, tf, module) } };
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
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

function disposeQuietly(value: unknown): void {
  try {
    (value as { dispose?: () => void })?.dispose?.();
  } catch {
    // A model already disposed by its own code needs nothing more.
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  const className = (value as { getClassName?: () => string }).getClassName?.();
  if (className) return `a ${className}`;
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

// The tfjs namespace the engine hands to model files and training code.
import * as core from '@tensorflow/tfjs-core';
import * as layers from '@tensorflow/tfjs-layers';

export type Tf = typeof import('@tensorflow/tfjs-core') & typeof import('@tensorflow/tfjs-layers');

let merged: Tf | undefined;

/** The engine's own tfjs-core and tfjs-layers on one namespace, as `@tensorflow/tfjs` exposes them. */
export function engineTf(): Tf {
  merged ??= Object.freeze({ ...core, ...layers }) as Tf;
  return merged;
}

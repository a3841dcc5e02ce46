// What `import * as tf from '@tensorflow/tfjs'` offers in a model file: TensorFlow.js core and
// layers, with chained tensor methods (x.square().sum()), as ArchLab's engine provides them.
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
export * from "@tensorflow/tfjs-core";
export * from "@tensorflow/tfjs-layers";

/**
 * The object an architecture may take to describe a search space (`export function Net(hp:
 * Hyperparameters)`): each call names one hyperparameter and returns the value this build uses.
 * Outside a sweep every call returns its default: `default`, else the first choice, the minimum,
 * or false. Names are unique per architecture.
 */
interface ArchLabHyperparameters {
  choice<T extends number | string | boolean>(name: string, values: readonly T[], options?: { default?: T }): T;
  int(name: string, min: number, max: number, options?: { step?: number; log?: boolean; default?: number }): number;
  float(name: string, min: number, max: number, options?: { step?: number; log?: boolean; default?: number }): number;
  bool(name: string, options?: { default?: boolean }): boolean;
}
export type Hyperparameters = ArchLabHyperparameters;

declare global {
  /** The `hp` object of an architecture, without an import (also exported by '@tensorflow/tfjs'). */
  interface Hyperparameters extends ArchLabHyperparameters {}
}

// The optimizers' per-step scalars, computed in float32 as tfjs's optimizers compute them (their
// defaults: tf.train.adam(lr) and so on), and the kernel that applies each.
import type { OptimizerName } from "../types";

const f = Math.fround;
/** tfjs's backend epsilon for float32 backends, the optimizers' default. */
const EPSILON = 1e-7;

export interface OptimizerSpec {
  kernel: string;
  /** Extra state arrays per parameter, with the value they start from. */
  slots: number[];
  /** Floats of scalars the kernel reads. */
  scalars: number;
  /** The scalars for the next step (advances the optimizer's step count). */
  next(): number[];
}

export function optimizerSpec(name: OptimizerName, learningRate: number): OptimizerSpec {
  const negLr = f(-learningRate);
  switch (name) {
    case "sgd":
      return { kernel: "sgd", slots: [], scalars: 1, next: () => [negLr] };
    case "adam": {
      const [b1, b2] = [0.9, 0.999];
      let acc1 = f(b1);
      let acc2 = f(b2);
      return {
        kernel: "adam",
        slots: [0, 0],
        scalars: 8,
        next: () => {
          const scalars = [b1, 1 - b1, b2, 1 - b2, f(1 - acc1), f(1 - acc2), EPSILON, negLr];
          acc1 = f(acc1 * f(b1));
          acc2 = f(acc2 * f(b2));
          return scalars;
        },
      };
    }
    case "adamax": {
      const [b1, b2] = [0.9, 0.999];
      let acc1 = f(b1);
      return {
        kernel: "adamax",
        slots: [0, 0],
        scalars: 5,
        next: () => {
          const scalars = [b1, 1 - b1, b2, f(negLr / f(1 - acc1)), EPSILON];
          acc1 = f(acc1 * f(b1));
          return scalars;
        },
      };
    }
    case "rmsprop":
      return { kernel: "rmsprop", slots: [0, 0], scalars: 5, next: () => [0.9, 1 - 0.9, 0, learningRate, EPSILON] };
    case "adagrad":
      return { kernel: "adagrad", slots: [0.1], scalars: 2, next: () => [EPSILON, negLr] };
    case "adadelta":
      return { kernel: "adadelta", slots: [0, 0], scalars: 4, next: () => [0.95, 1 - 0.95, EPSILON, negLr] };
    default: {
      const unknown: never = name;
      throw new Error(`Unknown optimizer "${String(unknown)}"`);
    }
  }
}

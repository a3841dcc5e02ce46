// What the TypeScript side shares with native/fused/fused.h: activation codes.

/** The activations the kernels apply, in the order of fused.h's enum Activation. */
export const ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh"] as const;

/** softmax is handled with the loss (or, for inference, by a softmax kernel): only as the last layer. */
export type ActivationName = (typeof ACTIVATIONS)[number] | "softmax";

export function activationCode(name: ActivationName): number {
  return name === "softmax" ? 0 : ACTIVATIONS.indexOf(name);
}

// Model files import '@tensorflow/tfjs' as tfjs users write it; ArchLab resolves that import to
// its own tfjs-core + tfjs-layers at run time. This declaration gives the examples the same types
// for the editor and the type check without installing the umbrella package.
declare module "@tensorflow/tfjs" {
  export * from "@tensorflow/tfjs-core";
  export * from "@tensorflow/tfjs-layers";
}

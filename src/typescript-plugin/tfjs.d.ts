// What `import * as tf from '@tensorflow/tfjs'` offers in a model file: TensorFlow.js core and
// layers, with chained tensor methods (x.square().sum()), as ArchLab's engine provides them.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

// Per-kernel timings on the example models' shapes: each training kernel against the stock wasm
// kernel it replaces (the stock wasm backend has no Conv2DBackpropFilter at all).
// Usage: node --import tsx bench/kernels.ts
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import type { KernelConfig, NamedAttrMap, Tensor, Tensor4D, TensorInfo } from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "../src/engine/backend/kernels/batch-mat-mul";
import { biasAddConfig } from "../src/engine/backend/kernels/bias-add";
import { conv2DBackpropFilterConfig } from "../src/engine/backend/kernels/conv2d-backprop-filter";
import { conv2DBackpropInputConfig } from "../src/engine/backend/kernels/conv2d-backprop-input";
import { maxPoolGradConfig } from "../src/engine/backend/kernels/max-pool-grad";
import { sumConfig } from "../src/engine/backend/kernels/sum";
import { captureStockKernels } from "../src/engine/backend/kernels/wasm-ops";
import { engineTf } from "../src/engine/tf";

const tf = engineTf();
type Inputs = () => Record<string, Tensor>;
interface Case {
  kernel: string;
  label: string;
  inputs: Inputs;
  attrs: NamedAttrMap;
}

const rand = (shape: number[]) => tf.randomUniform(shape, -1, 1);

function convCases(label: string, n: number, h: number, ci: number, co: number): Case[] {
  const xShape = [n, h, h, ci];
  const attrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC" };
  return [
    {
      kernel: "Conv2DBackpropFilter",
      label,
      inputs: () => ({ x: rand(xShape), dy: rand([n, h, h, co]) }),
      attrs: { ...attrs, filterShape: [3, 3, ci, co] },
    },
    {
      kernel: "Conv2DBackpropInput",
      label,
      inputs: () => ({ dy: rand([n, h, h, co]), filter: rand([3, 3, ci, co]) }),
      attrs: { ...attrs, inputShape: xShape },
    },
  ];
}

function poolCase(label: string, n: number, h: number, c: number): Case {
  return {
    kernel: "MaxPoolGrad",
    label,
    inputs: () => {
      const input = rand([n, h, h, c]) as Tensor4D;
      const output = tf.maxPool(input, 2, 2, "valid");
      return { input, output, dy: rand(output.shape) };
    },
    attrs: { filterSize: [2, 2], strides: [2, 2], pad: "valid" },
  };
}

const cases: Case[] = [
  ...convCases("TinyCNN conv1 28x28 1->4", 64, 28, 1, 4),
  ...convCases("TinyCNN conv2 14x14 4->8", 64, 14, 4, 8),
  ...convCases("CNN conv1 28x28 1->8", 64, 28, 1, 8),
  ...convCases("CNN conv2 14x14 8->16", 64, 14, 8, 16),
  ...convCases("StrongCNN conv2 28x28 32->32", 64, 28, 32, 32),
  ...convCases("StrongCNN conv4 14x14 64->64", 64, 14, 64, 64),
  poolCase("CNN pool1 28x28x8", 64, 28, 8),
  poolCase("StrongCNN pool1 28x28x32", 64, 28, 32),
  {
    kernel: "BatchMatMul",
    label: "Dense dW 784x64ᵀ by 64x32",
    inputs: () => ({ a: rand([64, 784]), b: rand([64, 32]) }),
    attrs: { transposeA: true, transposeB: false },
  },
  {
    kernel: "BatchMatMul",
    label: "Dense dW 3136x64ᵀ by 64x128",
    inputs: () => ({ a: rand([64, 3136]), b: rand([64, 128]) }),
    attrs: { transposeA: true, transposeB: false },
  },
  {
    kernel: "BatchMatMul",
    label: "Dense dx 64x128 by 3136x128ᵀ",
    inputs: () => ({ a: rand([64, 128]), b: rand([3136, 128]) }),
    attrs: { transposeA: false, transposeB: true },
  },
  {
    kernel: "Sum",
    label: "bias grad 64x28x28x8",
    inputs: () => ({ x: rand([64, 28, 28, 8]) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    kernel: "Sum",
    label: "bias grad 64x28x28x32",
    inputs: () => ({ x: rand([64, 28, 28, 32]) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    kernel: "Add",
    label: "bias 64x28x28x4 + 4",
    inputs: () => ({ a: rand([64, 28, 28, 4]), b: rand([4]) }),
    attrs: {},
  },
  {
    kernel: "Add",
    label: "bias 64x28x28x32 + 32",
    inputs: () => ({ a: rand([64, 28, 28, 32]), b: rand([32]) }),
    attrs: {},
  },
];

function timeKernel(config: KernelConfig | undefined, c: Case): number | undefined {
  if (!config) return undefined;
  return tf.tidy(() => {
    const inputs = c.inputs();
    const backendInstance = tf.backend();
    const run = () => {
      const out = config.kernelFunc({ inputs, backend: backendInstance, attrs: c.attrs }) as TensorInfo;
      backendInstance.disposeData(out.dataId);
    };
    run();
    const times: number[] = [];
    const repeats = 15;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      run();
      times.push(performance.now() - started);
    }
    return times.sort((p, q) => p - q)[times.length >> 1];
  });
}

async function main(): Promise<void> {
  tf.env().set("PROD", true);
  await tf.setBackend("wasm");
  const stock = captureStockKernels([
    "Conv2D",
    "Transpose",
    "Slice",
    "Conv2DBackpropInput",
    "MaxPoolGrad",
    "BatchMatMul",
    "Sum",
    "Add",
  ]);
  const ours: Record<string, KernelConfig> = {
    Conv2DBackpropFilter: conv2DBackpropFilterConfig(stock),
    Conv2DBackpropInput: conv2DBackpropInputConfig(stock),
    MaxPoolGrad: maxPoolGradConfig(stock),
    BatchMatMul: batchMatMulConfig(stock),
    Sum: sumConfig(stock),
    Add: biasAddConfig(stock),
  };
  console.log(`wasm ${wasmBackend.version_wasm}, median ms per call`);
  console.log(
    `${"kernel".padEnd(22)}${"shape".padEnd(32)}${"stock".padStart(10)}${"ours".padStart(10)}${"speed-up".padStart(10)}`,
  );
  for (const c of cases) {
    const base = timeKernel(stock[c.kernel], c);
    const mine = timeKernel(ours[c.kernel], c) ?? NaN;
    const speedUp = base === undefined ? "" : `${(base / mine).toFixed(1)}x`;
    console.log(
      `${c.kernel.padEnd(22)}${c.label.padEnd(32)}${(base?.toFixed(2) ?? "none").padStart(10)}${mine.toFixed(2).padStart(10)}${speedUp.padStart(10)}`,
    );
  }
}

void main();

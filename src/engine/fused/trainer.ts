// The fused engine's trainer: a tfjs model's weights copied into WebAssembly memory, trained there
// by whole-step kernel programs, and copied back into the model when asked (syncModel).
import { tensor } from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { OptimizerName } from "../types";
import { readGraph, type FusedGraph } from "./graph";
import { lowerPlan, type LayerParams, type Plan, type Shared } from "./lower";
import type { Variant } from "./module";
import { optimizerSpec, type OptimizerSpec } from "./optimizer";
import { FusedRuntime } from "./runtime";
import { SplitGather, type EngineSplit } from "./splits";

export interface FusedOptions {
  optimizer: OptimizerName;
  learningRate: number;
  threads: number;
  /** Seeds the dropout masks. */
  seed: number;
  /** Forces one build of the kernels (tests); by default relaxed SIMD where the engine has it. */
  variant?: Variant;
}

export interface BatchMetrics {
  loss: number;
  acc: number;
}

export class FusedTrainer {
  readonly graph: FusedGraph;
  private readonly rt: FusedRuntime;
  private readonly shared: Shared;
  private readonly optimizer: OptimizerSpec;
  private readonly scalars: number;
  private readonly plans = new Map<string, Plan>();
  /** Where plans start: past the parameters and any split in engine memory. */
  private planBase: number;
  private readonly gather: SplitGather;
  private step = 0;

  /** Throws FusedUnsupported (with the reason) for models the engine cannot train. */
  constructor(
    model: LayersModel,
    private readonly options: FusedOptions,
  ) {
    this.graph = readGraph(model);
    this.optimizer = optimizerSpec(options.optimizer, options.learningRate);
    const rt = new FusedRuntime(Math.max(1, options.threads), options.variant);
    this.rt = rt;
    try {
      // Parameters, then their gradients, then each optimizer slot: one region each, in layer order,
      // so a parameter's gradient and slots are at fixed distances from it.
      // Dense and Conv2D: kernel, bias; BatchNormalization: gamma, beta (then its moving statistics, apart).
      const counts = this.graph.layers.map((layer) => {
        const weights =
          layer.kind === "dense" || layer.kind === "conv" || layer.kind === "batchnorm"
            ? layer.source.getWeights()
            : [];
        return weights.slice(0, 2).map((w) => w.size);
      });
      const total = counts.flat().reduce((a, b) => a + b, 0);
      const regions = 2 + this.optimizer.slots.length;
      const base = rt.alloc(total * 4 * regions);
      const regionBytes = total * 4;
      let at = base;
      const params: (LayerParams | undefined)[] = counts.map(([kernelCount, biasCount = 0], index) => {
        if (kernelCount === undefined) return undefined;
        const p: LayerParams = {
          kernel: at,
          kernelCount,
          bias: at + kernelCount * 4,
          biasCount,
          gradOffset: regionBytes,
        };
        if (this.graph.layers[index].kind === "batchnorm") p.state = rt.alloc(biasCount * 2 * 4);
        at += (kernelCount + biasCount) * 4;
        return p;
      });
      this.optimizer.slots.forEach((start, i) => rt.f32(base + regionBytes * (2 + i), total).fill(start));
      this.scalars = rt.alloc(this.optimizer.scalars * 4);
      const stepSeed = rt.alloc(4);
      const metrics = rt.alloc(8);
      this.gather = new SplitGather(rt);
      this.shared = {
        params,
        optimizer: {
          kernel: this.optimizer.kernel,
          slotOffsets: this.optimizer.slots.map((_, i) => regionBytes * (2 + i)),
          scalars: this.optimizer.scalars,
        },
        stepSeed,
        metrics,
        gather: this.gather.address,
      };
      this.planBase = rt.mark();
      this.loadWeights();
    } catch (err) {
      rt.dispose();
      throw err;
    }
  }

  get threads(): number {
    return this.rt.threads;
  }

  get variant(): Variant {
    return this.rt.variant;
  }

  /** One optimizer step on a batch: images flattened in the model's input layout, integer labels. */
  trainBatch(images: Float32Array, labels: ArrayLike<number>, count: number): BatchMetrics {
    const plan = this.plan(count, true);
    this.rt.f32(plan.input, images.length).set(images);
    const labelView = this.rt.i32(plan.labels, count);
    for (let i = 0; i < count; i++) labelView[i] = labels[i];
    this.gather.none();
    return this.runStep(plan);
  }

  /**
   * Copies a split (images flattened, integer labels) into engine memory, once per job: steps then
   * name their images by index (trainIndices). Best before the first step: plans made earlier are
   * dropped and laid out again past it.
   */
  attachSplit(images: Float32Array, labels: ArrayLike<number>, count: number): EngineSplit {
    const split = this.gather.attach(images, labels, count);
    this.planBase = this.rt.mark();
    this.plans.clear();
    return split;
  }

  /** One optimizer step on images `indices` of an attached split. */
  trainIndices(split: EngineSplit, indices: ArrayLike<number>): BatchMetrics {
    const plan = this.plan(indices.length, true);
    this.gather.select(split, indices, plan.indices);
    return this.runStep(plan);
  }

  private runStep(plan: Plan): BatchMetrics {
    this.rt.f32(this.scalars, this.optimizer.scalars).set(this.optimizer.next());
    this.rt.u32(this.shared.stepSeed, 1)[0] = (Math.imul(this.options.seed, 0x9e3779b1) ^ ++this.step) >>> 0;
    this.rt.run(plan.id);
    const [loss, acc] = this.rt.f32(this.shared.metrics, 2);
    return { loss, acc };
  }

  /** Times one training step's kernels on one thread (the bench's --profile): ms per kernel. */
  profileStep(images: Float32Array, labels: ArrayLike<number>, count: number): Map<string, number> {
    const plan = this.plan(count, true);
    this.gather.none();
    this.rt.f32(plan.input, images.length).set(images);
    this.rt.i32(plan.labels, count).set(Array.from(labels));
    this.rt.f32(this.scalars, this.optimizer.scalars).set(this.optimizer.next());
    return this.rt.profile(plan.id);
  }

  /** The model's outputs (count x classes) for a batch, in inference mode (no dropout). */
  predict(images: Float32Array, count: number): Float32Array {
    const plan = this.plan(count, false);
    this.rt.f32(plan.input, images.length).set(images);
    this.rt.run(plan.id);
    return this.rt.f32(plan.output, count * this.graph.classes).slice();
  }

  /** Optimizer steps taken so far. */
  get steps(): number {
    return this.step;
  }

  /**
   * The optimizer's state: per slot (Adam's m, then v), the values of each trainable weight in the
   * model's order of trainable weights (kernel, then bias, layer by layer).
   */
  optimizerSlots(): Float32Array[][] {
    return this.shared.optimizer.slotOffsets.map((offset) =>
      this.optimizerSlotViews(offset).map((view) => view.slice()),
    );
  }

  /**
   * Continues from a saved optimizer state, before the first step: `slots` as optimizerSlots
   * returns them, `steps` the steps taken before. The per-step scalars are replayed up to that
   * count, so Adam's bias correction (and the dropout masks' seeds) go on from there exactly as
   * in a run that never stopped.
   */
  loadOptimizerState(slots: Float32Array[][], steps: number): void {
    if (this.step !== 0) throw new Error("The optimizer state can only be loaded before the first step");
    const offsets = this.shared.optimizer.slotOffsets;
    if (slots.length !== offsets.length)
      throw new Error(
        `The saved optimizer state has ${slots.length} slots per weight, ${this.options.optimizer} has ${offsets.length}`,
      );
    offsets.forEach((offset, s) => {
      const views = this.optimizerSlotViews(offset);
      if (slots[s].length !== views.length || views.some((view, i) => view.length !== slots[s][i].length)) {
        throw new Error("The saved optimizer state does not match the model's trainable weights");
      }
      views.forEach((view, i) => view.set(slots[s][i]));
    });
    for (; this.step < steps; this.step++) this.optimizer.next();
  }

  /** Copies the trained weights into the tfjs model. */
  syncModel(): void {
    this.graph.layers.forEach((layer, index) => {
      const p = this.shared.params[index];
      if (!p) return;
      const current = layer.source.getWeights();
      const values = [this.rt.f32(p.kernel, p.kernelCount), this.rt.f32(p.bias, p.biasCount)];
      if (p.state !== undefined)
        values.push(this.rt.f32(p.state, p.biasCount), this.rt.f32(p.state + p.biasCount * 4, p.biasCount));
      const next = current.map((w, i) => tensor(values[i].slice(), w.shape, "float32"));
      layer.source.setWeights(next);
      for (const t of next) t.dispose();
    });
  }

  dispose(): void {
    this.rt.dispose();
  }

  /** One optimizer slot's values in WebAssembly memory, per trainable weight in the model's order. */
  private optimizerSlotViews(offset: number): Float32Array[] {
    return this.graph.layers.flatMap((layer, index) => {
      const p = this.shared.params[index];
      if (!p || !layer.trainable) return [];
      const views = [this.rt.f32(p.kernel + offset, p.kernelCount)];
      if (p.biasCount) views.push(this.rt.f32(p.bias + offset, p.biasCount));
      return views;
    });
  }

  private loadWeights(): void {
    this.graph.layers.forEach((layer, index) => {
      const p = this.shared.params[index];
      if (!p) return;
      const [kernel, bias, movingMean, movingVariance] = layer.source.getWeights();
      this.rt.f32(p.kernel, p.kernelCount).set(kernel.dataSync());
      if (bias) this.rt.f32(p.bias, p.biasCount).set(bias.dataSync());
      if (p.state !== undefined) {
        this.rt.f32(p.state, p.biasCount).set(movingMean.dataSync());
        this.rt.f32(p.state + p.biasCount * 4, p.biasCount).set(movingVariance.dataSync());
      }
    });
  }

  // Plans of every batch size share one region: only one runs at a time and none keeps state.
  private plan(batch: number, train: boolean): Plan {
    const key = `${train ? "train" : "infer"}:${batch}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const end = this.rt.mark();
      this.rt.reset(this.planBase);
      plan = lowerPlan(this.rt, this.graph, this.shared, batch, train, this.scalars);
      this.rt.reset(Math.max(end, this.rt.mark()));
      this.plans.set(key, plan);
    }
    return plan;
  }
}

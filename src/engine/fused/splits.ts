// A dataset split copied into the engine's memory once per job, so that a training step gathers
// its batch there (gather.c) from image indices instead of JavaScript copying each batch in. Images
// whose values are all k / 255 (every image file ArchLab reads) are kept as bytes: a quarter of the
// memory, and the table maps each byte back to the very float the loader made of it.
import type { FusedRuntime } from "./runtime";

/** A split in engine memory. */
export interface EngineSplit {
  images: number;
  labels: number;
  count: number;
  /** Values per image. */
  size: number;
  bytes: boolean;
}

/** Must match enum GatherKind and struct Gather in native/fused/gather.c. */
const GATHER_NONE = 0;
const GATHER_BYTES = 1;
const GATHER_FLOATS = 2;
const GATHER_WORDS = 7;

/** The float the loaders make of byte k (normalizePixels: k / 255, stored as float32). */
const BYTE_VALUES = Float32Array.from({ length: 256 }, (_, k) => k / 255);

/** Whether every value is one of BYTE_VALUES (then byteOf gives its byte). */
export function fitsBytes(images: Float32Array): boolean {
  for (let i = 0; i < images.length; i++) if (BYTE_VALUES[byteOf(images[i])] !== images[i]) return false;
  return true;
}

const byteOf = (value: number) => Math.min(255, Math.max(0, Math.round(value * 255)));

export class SplitGather {
  /** The gather descriptor, then the byte table. */
  private readonly descriptor: number;
  private readonly table: number;

  constructor(private readonly rt: FusedRuntime) {
    this.descriptor = rt.alloc(GATHER_WORDS * 4);
    this.table = rt.alloc(256 * 4);
    rt.f32(this.table, 256).set(BYTE_VALUES);
  }

  /** The descriptor's address: a training plan's first kernel reads it. */
  get address(): number {
    return this.descriptor;
  }

  /** Copies a split into engine memory (allocated at the runtime's top). */
  attach(images: Float32Array, labels: ArrayLike<number>, count: number): EngineSplit {
    const size = count ? images.length / count : 0;
    // Checked first, then written straight into engine memory: no second copy of the split in between.
    const bytes = fitsBytes(images);
    const at = this.rt.alloc(bytes ? images.length : images.length * 4);
    if (bytes) {
      const view = new Uint8Array(this.rt.memory.buffer, at, images.length);
      for (let i = 0; i < images.length; i++) view[i] = byteOf(images[i]);
    } else {
      this.rt.f32(at, images.length).set(images);
    }
    const labelsAt = this.rt.alloc(count * 4);
    const labelView = this.rt.i32(labelsAt, count);
    for (let i = 0; i < count; i++) labelView[i] = labels[i];
    return { images: at, labels: labelsAt, count, size, bytes };
  }

  /** The next step gathers images `indices` (written at `indicesAt`) of `split`. */
  select(split: EngineSplit, indices: ArrayLike<number>, indicesAt: number): void {
    this.rt.u32(indicesAt, indices.length).set(indices);
    this.rt
      .i32(this.descriptor, GATHER_WORDS)
      .set([
        split.bytes ? GATHER_BYTES : GATHER_FLOATS,
        split.images,
        split.labels,
        this.table,
        indicesAt,
        indices.length,
        split.size,
      ]);
  }

  /** The next step's batch is written in place. */
  none(): void {
    this.rt.i32(this.descriptor, 1)[0] = GATHER_NONE;
  }
}

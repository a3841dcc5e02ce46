// Runs the fused kernels on one shared WebAssembly memory from several threads. A program is a
// list of kernel calls; every thread makes every call with its own index (each kernel does its
// share) and all meet at a barrier after each call. Workers wait between programs in the same
// barrier, so starting one costs a wake-up, not a message.
import { MessageChannel, Worker } from "node:worker_threads";
import { fusedModule, type Variant } from "./module";

/** One kernel call: the export's name and its arguments after (thread index, thread count). */
export interface Call {
  kernel: string;
  args: number[];
}

// Words of the control block (an Int32Array at the start of the runtime's region); word 0 counts
// the threads arrived at the barrier.
const GENERATION = 1;
const PROGRAM = 2;
const FAILED = 3;
const CONTROL_BYTES = 64;
const STACK_BYTES = 1 << 20;
const PAGE = 65536;
const SPINS = 20000;
const STOP = -1;

type Exports = Record<string, (...args: number[]) => void> & {
  __heap_base: WebAssembly.Global;
  set_stack(top: number): void;
  product_work_floats(): number;
  winograd_work_floats(c: number, co: number, m: number): number;
};

// The same barrier runs on the main thread and in the workers, as source text there: so it names
// the control words by number (0 COUNT, 1 GENERATION, 3 FAILED), nothing from outside itself.
function barrier(control: Int32Array, threads: number, spins: number): void {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === threads - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  for (let i = 0; i < spins; i++) if (Atomics.load(control, 1) !== generation) return;
  while (Atomics.load(control, 1) === generation) {
    if (Atomics.load(control, 3)) throw new Error("a kernel failed on another thread");
    Atomics.wait(control, 1, generation, 50);
  }
}

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { module, memory, tid, threads, stackTop, controlAt, port, spins } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const kernels = instance.exports;
kernels.set_stack(stackTop);
const control = new Int32Array(memory.buffer, controlAt, 16);
const GENERATION = ${GENERATION}, FAILED = ${FAILED};
const barrier = (${barrier.toString()});
const programs = new Map();
function program(id) {
  while (!programs.has(id)) {
    const message = receiveMessageOnPort(port);
    if (!message) { Atomics.wait(control, GENERATION, Atomics.load(control, GENERATION), 1); continue; }
    const { id: got, calls } = message.message;
    programs.set(got, calls.map(({ kernel, args }) => kernels[kernel].bind(null, tid, threads, ...args)));
  }
  return programs.get(id);
}
for (;;) {
  barrier(control, threads, spins);
  const id = Atomics.load(control, ${PROGRAM});
  if (id === ${STOP}) break;
  try {
    for (const call of program(id)) { call(); barrier(control, threads, spins); }
  } catch (err) {
    if (!Atomics.load(control, FAILED)) { Atomics.store(control, FAILED, 1); Atomics.notify(control, GENERATION); }
    throw err;
  }
}
`;

export class FusedRuntime {
  readonly memory: WebAssembly.Memory;
  readonly variant: Variant;
  /** Scratch floats per thread of a matrix product (its packed blocks). */
  readonly productWorkFloats: number;
  private readonly kernels: Exports;
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly programs: (() => void)[][] = [];
  private readonly definitions: Call[][] = [];
  private failure: Error | undefined;
  private top: number;

  constructor(
    readonly threads: number,
    variant?: Variant,
  ) {
    const { module, variant: chosen } = fusedModule(variant);
    this.variant = chosen;
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
    this.kernels = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as Exports;
    this.top = align(Number(this.kernels.__heap_base.value), 64);
    this.productWorkFloats = this.kernels.product_work_floats();
    const controlAt = this.alloc(CONTROL_BYTES);
    this.control = new Int32Array(this.memory.buffer, controlAt, 16);
    for (let tid = 1; tid < threads; tid++) {
      const stackTop = this.alloc(STACK_BYTES) + STACK_BYTES;
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory, tid, threads, stackTop, controlAt, port: port2, spins: SPINS },
        transferList: [port2],
      });
      worker.on("error", (err) => {
        this.failure ??= err;
      });
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1 as unknown as MessagePort);
    }
  }

  /** Scratch floats per thread of a Winograd convolution with c input and co output channels, tiles of m x m outputs. */
  winogradWorkFloats(c: number, co: number, m: number): number {
    return this.kernels.winograd_work_floats(c, co, m);
  }

  /** `bytes` of memory, 64-byte aligned, for the life of the runtime. */
  alloc(bytes: number): number {
    const at = align(this.top, 64);
    this.top = at + align(bytes, 64);
    const pages = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    return at;
  }

  /** Where the next allocation starts; with `reset`, later allocations reuse the memory from there. */
  mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }

  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, length);
  }

  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, at, length);
  }

  /** Registers a program with every thread; returns its id for `run`. */
  define(calls: Call[]): number {
    const id = this.programs.length;
    for (const { kernel } of calls)
      if (typeof this.kernels[kernel] !== "function") throw new Error(`no kernel ${kernel}`);
    this.definitions.push(calls);
    this.programs.push(calls.map(({ kernel, args }) => this.kernels[kernel].bind(null, 0, this.threads, ...args)));
    for (const port of this.ports) port.postMessage({ id, calls });
    return id;
  }

  run(id: number): void {
    if (this.failure) throw this.failure;
    const calls = this.programs[id];
    if (this.threads === 1) {
      for (const call of calls) call();
      return;
    }
    try {
      Atomics.store(this.control, PROGRAM, id);
      barrier(this.control, this.threads, SPINS);
      for (const call of calls) {
        call();
        barrier(this.control, this.threads, SPINS);
      }
    } catch (err) {
      Atomics.store(this.control, FAILED, 1);
      Atomics.notify(this.control, GENERATION);
      this.failure = this.failure ?? (err instanceof Error ? err : new Error(String(err)));
      throw this.failure;
    }
  }

  /** Runs a program on this thread alone, timing each call: milliseconds per kernel name. */
  profile(id: number): Map<string, number> {
    const times = new Map<string, number>();
    this.definitions[id].forEach(({ kernel }, i) => {
      const start = performance.now();
      this.programs[id][i]();
      times.set(kernel, (times.get(kernel) ?? 0) + performance.now() - start);
    });
    return times;
  }

  dispose(): void {
    if (this.threads > 1 && !this.failure) {
      Atomics.store(this.control, PROGRAM, STOP);
      try {
        barrier(this.control, this.threads, 0);
      } catch {
        // a worker already gone: terminate below
      }
    }
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

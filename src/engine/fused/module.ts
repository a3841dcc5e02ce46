// The fused kernels' WebAssembly module: found next to the code (native/ at the package root, for
// the bundles in dist/ and the sources alike), compiled once per process, relaxed-SIMD build when
// the engine has it.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";

export type Variant = "relaxed" | "simd128";

export interface FusedModule {
  module: WebAssembly.Module;
  variant: Variant;
}

let compiled: FusedModule | undefined;

/** The compiled module; throws with the reason when this engine cannot run it. */
export function fusedModule(prefer?: Variant): FusedModule {
  if (compiled && (!prefer || compiled.variant === prefer)) return compiled;
  setEngineFlags();
  const dir = nativeDir();
  const variants: Variant[] = prefer ? [prefer] : ["relaxed", "simd128"];
  for (const variant of variants) {
    const bytes = readFileSync(path.join(dir, `fused-${variant}.wasm`));
    if (!WebAssembly.validate(bytes)) continue;
    const result = { module: new WebAssembly.Module(bytes), variant };
    if (!prefer) compiled = result;
    return result;
  }
  throw new Error(`this JavaScript engine cannot run ${prefer ?? "SIMD128"} WebAssembly`);
}

function nativeDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "native", "fused-simd128.wasm"))) return path.join(dir, "native");
    if (path.dirname(dir) === dir) throw new Error("native/fused-simd128.wasm is missing from the installation");
  }
}

let flagsSet = false;

// V8 compiles WebAssembly with its baseline compiler first and optimizes hot functions later;
// these kernels ran 2-5x slower until then, so they are compiled optimized from the start. Node 20
// (V8 11.3) has relaxed SIMD behind a flag; Node 22 and later have it on.
function setEngineFlags(): void {
  if (flagsSet) return;
  flagsSet = true;
  v8.setFlagsFromString("--no-wasm-lazy-compilation");
  v8.setFlagsFromString("--no-wasm-dynamic-tiering");
  if (Number(process.versions.node.split(".")[0]) < 22) v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
}

// Builds the fused training kernels (native/fused/*.c) into two WebAssembly modules: one with
// plain SIMD128, one with relaxed-SIMD fused multiply-add for engines that have it. clang 19 and
// its wasm-ld (Debian's clang-19, lld-19) target wasm32 directly; no emscripten, no C library.
// The builds are deterministic, so `--check` verifies that the committed modules match the sources.
//   node --import tsx native/build.ts [--check]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const NATIVE = __dirname;
const SOURCES = path.join(NATIVE, "fused");
const CLANG = process.env.ARCHLAB_CLANG ?? "clang-19";
const WASM_LD = process.env.ARCHLAB_WASM_LD ?? "wasm-ld-19";

export const VARIANTS = {
  simd128: [],
  relaxed: ["-mrelaxed-simd", "-DRELAXED"],
} as const;

const COMPILE = ["--target=wasm32", "-O3", "-msimd128", "-matomics", "-mbulk-memory", "-nostdlib", "-Wall", "-Werror"];
// A shared, imported memory (the threads' instances all use it) of up to 4 GiB; each instance
// moves its stack pointer into a region of its own (set_stack), so the default stack is the first's.
const LINK = [
  "--no-entry",
  "--import-memory",
  "--shared-memory",
  "--max-memory=4294967296",
  "-z",
  "stack-size=1048576",
  "--export=__heap_base",
];

export function build(variant: keyof typeof VARIANTS): Buffer {
  const work = mkdtempSync(path.join(tmpdir(), "archlab-wasm-"));
  try {
    const objects = readdirSync(SOURCES)
      .filter((f) => f.endsWith(".c") || f.endsWith(".s"))
      .sort()
      .map((file) => {
        const object = path.join(work, `${file}.o`);
        const flags = file.endsWith(".c")
          ? [...COMPILE, ...VARIANTS[variant]]
          : ["--target=wasm32", "-matomics", "-mbulk-memory"];
        execFileSync(CLANG, [...flags, "-c", path.join(SOURCES, file), "-o", object], { stdio: "inherit" });
        return object;
      });
    const output = path.join(work, "out.wasm");
    execFileSync(WASM_LD, [...LINK, ...objects, "-o", output], { stdio: "inherit" });
    return readFileSync(output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function modulePath(variant: keyof typeof VARIANTS): string {
  return path.join(NATIVE, `fused-${variant}.wasm`);
}

function main(): void {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const variant of Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]) {
    const built = build(variant);
    const target = modulePath(variant);
    if (check) {
      let committed: Buffer | undefined;
      try {
        committed = readFileSync(target);
      } catch {
        committed = undefined;
      }
      const same = committed !== undefined && committed.equals(built);
      if (!same) stale++;
      console.log(`${path.basename(target)}: ${same ? "matches the sources" : "differs from a build of the sources"}`);
    } else {
      writeFileSync(target, built);
      console.log(`${path.basename(target)}: ${built.length} bytes`);
    }
  }
  if (stale) {
    console.error("Run `npm run build:wasm` and commit the modules.");
    process.exit(1);
  }
}

if (require.main === module) main();

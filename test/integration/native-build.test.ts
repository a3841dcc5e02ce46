// The committed WebAssembly modules are what the C sources build to (the build is deterministic),
// so nobody ships kernels that differ from the code under review. Needs clang-19 and wasm-ld-19,
// which the test setup installs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const REPO = join(__dirname, "../..");
const haveClang =
  spawnSync("clang-19", ["--version"]).status === 0 && spawnSync("wasm-ld-19", ["--version"]).status === 0;

test(
  "native/fused-*.wasm match a build of native/fused",
  { skip: !haveClang && "clang-19 or wasm-ld-19 is not installed" },
  () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(REPO, "native/build.ts"), "--check"], {
      cwd: REPO,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /fused-simd128\.wasm: matches the sources/);
    assert.match(run.stdout, /fused-relaxed\.wasm: matches the sources/);
  },
);

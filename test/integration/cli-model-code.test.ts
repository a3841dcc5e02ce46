// What a model file's own code does cannot hold the command line hostage or go unreported: a file
// that loops at import is stopped by Ctrl-C, SIGTERM and inspect's time limit; exports that are not
// models are named; the file runs once per job; error locations are plain file names.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { InspectReport } from "../../src/engine/models";
import type { RunRecord } from "../../src/engine/types";
import { readJson } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");
const QUICK = ["--backend", "cpu", "--limit", "200", "--test-limit", "100", "--epochs", "1"];
const DENSE =
  "tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] })";

let cwd: string;

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-model-code-"));
  await writeFile(
    join(cwd, "loop.model.ts"),
    `import * as tf from '@tensorflow/tfjs';\nwhile (true) {}\nexport const A = () => ${DENSE};\n`,
  );
});
after(() => rm(cwd, { recursive: true, force: true }));

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function storeFiles(runsDir: string): Promise<string[]> {
  return (await readdir(runsDir).catch(() => [] as string[])).sort();
}

for (const [signal, what] of [
  ["SIGINT", "Ctrl-C"],
  ["SIGTERM", "SIGTERM"],
] as const) {
  test(`${what} ends train of a model file that loops at import within a few seconds`, async () => {
    const runsDir = join(cwd, `loop-${signal}`);
    const child = spawn(process.execPath, [BIN, "train", "loop.model.ts", "--runs-dir", runsDir, ...QUICK], {
      cwd,
      detached: true,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Long enough for the trainer to be inside the loop.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sent = Date.now();
    // Ctrl-C as a terminal sends it, to the whole group; SIGTERM as `kill PID` sends it, to the command.
    if (signal === "SIGINT") process.kill(-child.pid!, signal);
    else child.kill(signal);
    const code = await closed;
    const took = Date.now() - sent;
    assert.equal(code, 130, stderr);
    assert.ok(took < 5_000, `took ${took} ms`);
    assert.match(stderr, /the model file did not stop within 2 s \(does it loop at its top level or in a factory\?\)/);
    assert.deepEqual(await storeFiles(runsDir), [], "no run had started: nothing recorded");
  });
}

test("inspect has a time limit that says what was running", () => {
  const started = Date.now();
  const { code, stderr } = archlab("inspect", "loop.model.ts", "--timeout", "2");
  assert.equal(code, 1);
  assert.ok(Date.now() - started < 10_000);
  assert.match(
    stderr,
    /inspecting loop\.model\.ts took longer than 2 s: loading the file or building a model did not return .*--timeout/,
  );
});

test("train names each export it skips and why; a file with nothing trainable fails with that list", async () => {
  const file = join(cwd, "mixed.model.ts");
  await writeFile(
    file,
    "import * as tf from '@tensorflow/tfjs';\n" +
      `export function Good() { return ${DENSE}; }\n` +
      `export function Forgot() { ${DENSE}; }\n` +
      `export async function Later() { return ${DENSE}; }\n` +
      "export function Plain() { return { layers: [] }; }\n",
  );
  const { code, stdout, stderr } = archlab("train", file, ...QUICK, "--runs-dir", join(cwd, "mixed"));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /archlab: skipped export Forgot: returns undefined, not a tf\.LayersModel/);
  assert.match(
    stderr,
    /archlab: skipped export Later: returns a Promise; an architecture must build its model synchronously/,
  );
  assert.match(stderr, /archlab: skipped export Plain: returns an object, not a tf\.LayersModel/);
  assert.match(stdout, /Good +7,850 /);

  const none = join(cwd, "none.model.ts");
  await writeFile(none, `import * as tf from '@tensorflow/tfjs';\nexport function Forgot() { ${DENSE}; }\n`);
  const failed = archlab("train", none, ...QUICK, "--runs-dir", join(cwd, "none"));
  assert.equal(failed.code, 1);
  assert.match(
    failed.stderr,
    /none\.model\.ts: no model exports: .*\(skipped Forgot: returns undefined, not a tf\.LayersModel\)/,
  );
});

test("train evaluates the model file once and builds each architecture at most twice", async () => {
  const counts = join(cwd, "counts.txt");
  const file = join(cwd, "counted.model.ts");
  await writeFile(
    file,
    "import * as tf from '@tensorflow/tfjs';\nimport { appendFileSync } from 'node:fs';\n" +
      `appendFileSync(${JSON.stringify(counts)}, 'file\\n');\n` +
      `export function A() { appendFileSync(${JSON.stringify(counts)}, 'A\\n'); return ${DENSE}; }\n` +
      `export function B() { appendFileSync(${JSON.stringify(counts)}, 'B\\n'); return ${DENSE}; }\n`,
  );
  // The automatic backend: where the wasm thread count is chosen from the models' size.
  const { code, stderr } = archlab(
    "train",
    file,
    "--backend",
    "auto",
    "--limit",
    "200",
    "--test-limit",
    "100",
    "--epochs",
    "1",
    "--runs-dir",
    join(cwd, "counted"),
  );
  assert.equal(code, 0, stderr);
  const lines = (await readFile(counts, "utf8")).trim().split("\n");
  assert.deepEqual(
    lines.filter((l) => l === "file"),
    ["file"],
    "the file ran once",
  );
  assert.deepEqual(
    lines.filter((l) => l === "A"),
    ["A", "A"],
    "once to tell it is an architecture, once to train",
  );
  assert.deepEqual(
    lines.filter((l) => l === "B"),
    ["B", "B"],
  );
});

for (const name of ["modèle.model.ts", "<b>x&y<b> #1.model.ts"]) {
  test(`error locations are plain paths for ${name}`, async () => {
    const dir = join(cwd, `names-${name.length}`);
    await mkdir(dir);
    const file = join(dir, name);
    await writeFile(
      file,
      "import * as tf from '@tensorflow/tfjs';\nexport function A() { const x: any = undefined; return x.foo; }\n",
    );
    const runsDir = join(dir, "runs");
    const result = spawnSync(process.execPath, [BIN, "train", name, ...QUICK, "--runs-dir", runsDir], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.includes(`${name}:2:`), result.stderr);
    assert.doesNotMatch(result.stderr, /%[0-9A-F]{2}/);
    const [recordFile] = await storeFiles(runsDir);
    const record = await readJson<RunRecord>(join(runsDir, recordFile));
    assert.equal(record.error?.file, file);
    assert.equal(record.error?.line, 2);
    const inspected = spawnSync(process.execPath, [BIN, "inspect", name, "--json"], { cwd: dir, encoding: "utf8" });
    assert.equal((JSON.parse(inspected.stdout) as InspectReport).models[0].error?.file, file);
  });
}

test("usage mistakes exit 2, say what was expected, and write nothing to the store", async () => {
  const runsDir = join(cwd, "usage");
  await mkdir(runsDir);
  const before = await storeFiles(runsDir);
  const fileAsRuns = join(cwd, "a-file");
  await writeFile(fileAsRuns, "");
  for (const [args, message] of [
    [["--model", "NoSuch"], /No architecture named "NoSuch" in the file \(available: MLP, TinyCNN, CNN, StrongCNN\)/],
    [["--model", ""], /--model .* expected an architecture name/],
    [
      ["--dataset", "/nonexistent"],
      /--dataset: Unknown dataset "\/nonexistent": expected mnist, fashion-mnist or a folder of IDX files/,
    ],
    [["--dataset", ""], /--dataset needs mnist, fashion-mnist or a folder of IDX files, not an empty string/],
  ] as const) {
    const { code, stderr } = archlab("train", EXAMPLE, ...args, "--runs-dir", runsDir, ...QUICK);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
  }
  const folder = archlab("train", cwd, "--runs-dir", runsDir);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /is a folder, not a model file/);
  const emptyRunsDir = archlab("train", EXAMPLE, "--runs-dir", "", ...QUICK);
  assert.equal(emptyRunsDir.code, 2);
  assert.match(emptyRunsDir.stderr, /--runs-dir needs a folder, not an empty string/);
  const runsIsFile = archlab("train", EXAMPLE, "--runs-dir", join(fileAsRuns, "runs"), ...QUICK);
  assert.equal(runsIsFile.code, 2);
  assert.match(runsIsFile.stderr, /a-file is a file \(remove it, or choose another folder with --runs-dir\)/);
  assert.deepEqual(await storeFiles(runsDir), before, "the store is unchanged");
  assert.deepEqual(await storeFiles(join(cwd, ".archlab", "runs")), []);
});

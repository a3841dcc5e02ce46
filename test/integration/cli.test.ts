// The `archlab` command line end to end, as a user runs it: node bin/archlab.js in a folder of their own.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { TrainJson } from "../../src/cli/train";
import type { InspectReport } from "../../src/engine/models";
import type { RunRecord } from "../../src/engine/types";
import { readJson } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");

let cwd: string;

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-cli-"));
});
after(() => rm(cwd, { recursive: true, force: true }));

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("inspect --json lists the four study architectures with their exact param counts", () => {
  const { code, stdout } = archlab("inspect", EXAMPLE, "--json");
  assert.equal(code, 0);
  const result = JSON.parse(stdout) as InspectReport;
  assert.deepEqual(
    result.models.map((m) => [m.name, m.summary?.params.total]),
    [
      ["MLP", 25450],
      ["TinyCNN", 4266],
      ["CNN", 26698],
      ["StrongCNN", 467818],
    ],
  );
});

test("inspect prints per-layer shapes, params and MACs", () => {
  const { code, stdout } = archlab("inspect", EXAMPLE);
  assert.equal(code, 0);
  assert.match(stdout, /TinyCNN: 4,266 params .* MACs per image/);
  assert.match(stdout, /Conv2D +\[28, 28, 4\] +40 +28,224/);
});

test("train --json prints only JSON on stdout and leaves a run record", async () => {
  const { code, stdout, stderr } = archlab(
    "train",
    EXAMPLE,
    "--limit",
    "500",
    "--epochs",
    "1",
    "--model",
    "MLP",
    "--json",
  );
  assert.equal(code, 0, stderr);
  const { runsDir, runs } = JSON.parse(stdout) as TrainJson;
  assert.equal(runsDir, join(cwd, ".archlab", "runs"));
  assert.equal(runs.length, 1);
  assert.equal(runs[0].model, "MLP");
  assert.equal(runs[0].status, "completed");
  assert.equal(runs[0].params?.total, 25450);
  const accuracy = runs[0].testAccuracy ?? 0;
  assert.ok(accuracy > 0.1 && accuracy <= 1);
  assert.equal(runs[0].epochs.length, 1);
  const record = await readJson<RunRecord>(join(runsDir, `${runs[0].id}.json`));
  assert.equal(record.status, "completed");
  assert.equal(record.config.limit, 500);
});

test("train prints the results table and where the records are; progress goes to stderr", async () => {
  const runsDir = join(cwd, "elsewhere");
  const { code, stdout, stderr } = archlab(
    "train",
    "--model",
    "TinyCNN",
    EXAMPLE,
    "--model",
    "MLP",
    "--limit",
    "300",
    "--epochs",
    "2",
    "--test-limit",
    "200",
    "--runs-dir",
    runsDir,
  );
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Model +Params +Test accuracy +Loss +Learning time +Backend\n-+ /);
  assert.match(
    stdout,
    /TinyCNN +4,266 +\d+\.\d\d% +\d+\.\d\d +\d+\.\d s +(wasm-fused|tfjs-\w+)( \(\d threads\))?\nMLP +25,450 +\d+\.\d\d% /,
  );
  assert.match(stdout, /Run records: elsewhere/);
  assert.match(stderr, /MLP epoch 1\/2: loss [\d.]+ acc [\d.]+%, val loss [\d.]+ acc [\d.]+%/);
  assert.match(stderr, /MLP epoch 2\/2/);
  assert.equal((await readdir(runsDir)).length, 2);
});

test("bad arguments are usage errors: exit code 2 and a message", () => {
  for (const args of [
    ["train"],
    ["train", EXAMPLE, "--epochs", "three"],
    ["train", EXAMPLE, "--lr", "-1"],
    ["train", EXAMPLE, "--backend", "gpu"],
    ["train", EXAMPLE, "--no-such-option"],
    ["train", join(cwd, "missing.model.ts")],
    ["frobnicate"],
  ]) {
    const { code, stderr } = archlab(...args);
    assert.equal(code, 2, `archlab ${args.join(" ")}`);
    assert.match(stderr, /error|no such model file|missing model file/, `archlab ${args.join(" ")}`);
  }
});

test("a broken model file gives one clear line with file:line:column and exit code 1", async () => {
  const file = join(cwd, "broken.model.ts");
  await writeFile(
    file,
    "import * as tf from '@tensorflow/tfjs';\n\nexport const A = () => tf.sequential({ layers: [ });\n",
  );
  for (const command of ["train", "inspect"]) {
    const { code, stderr } = archlab(command, file);
    assert.equal(code, 1, command);
    assert.match(stderr, /^broken\.model\.ts:3:\d+: .+$/m, command);
  }
});

for (const [signal, what] of [
  ["SIGINT", "Ctrl-C"],
  ["SIGTERM", "a kill"],
] as const) {
  test(`${what} cancels the current run, keeps a cancelled record and exits non-zero`, async () => {
    const runsDir = join(cwd, `interrupted-${signal}`);
    const child = spawn(
      process.execPath,
      [BIN, "train", EXAMPLE, "--model", "TinyCNN", "--backend", "cpu", "--runs-dir", runsDir],
      { cwd },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      // Once only: a second signal means "quit at once".
      if (/training on/.test(stderr) && !child.killed) child.kill(signal);
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 130);
    assert.match(stderr, /[Cc]ancelling the current run/);
    const [name] = await readdir(runsDir);
    const record = await readJson<RunRecord>(join(runsDir, name));
    assert.equal(record.status, "cancelled");
    assert.equal(record.epochs.length, 0);
  });
}

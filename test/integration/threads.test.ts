// WebAssembly threads: the automatic choice, and the threaded build really running under Node.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { TrainJson } from "../../src/cli/train";
import { initBackend } from "../../src/engine/backend";
import { loadModelFile } from "../../src/engine/models";
import { autoThreadCount, threadsForArchitectures, THREADS_MIN_MACS } from "../../src/engine/train/threads";
import type { RunRecord } from "../../src/engine/types";

const REPO = join(import.meta.dirname, "../..");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");
const twoCores = cpus().length >= 2 ? false : "needs two cores";

test("small models keep one thread; a job with a large model gets every core, up to four", () => {
  assert.equal(autoThreadCount([25_450, 88_592], 2), 1);
  assert.equal(autoThreadCount([25_450, THREADS_MIN_MACS], 2), 2);
  assert.equal(autoThreadCount([THREADS_MIN_MACS * 4], 16), 4);
  assert.equal(autoThreadCount([THREADS_MIN_MACS * 4], 1), 1, "one core: no threads to add");
});

test("the example models: only StrongCNN is large enough for threads", { skip: twoCores }, async () => {
  const { tf } = await initBackend("cpu");
  const { architectures } = await loadModelFile(EXAMPLE, tf);
  assert.equal(threadsForArchitectures(architectures, ["MLP", "TinyCNN", "CNN"]), 1);
  assert.equal(threadsForArchitectures(architectures, ["StrongCNN"]), Math.min(cpus().length, 4));
  assert.equal(threadsForArchitectures(architectures, undefined), Math.min(cpus().length, 4));
  assert.equal(threadsForArchitectures(architectures, ["StrongCNN"], 1), 1, "a job with a share of one core");
});

test("two wasm threads train as one thread does, and the record says which ran", { skip: twoCores }, async () => {
  const trained = [await trainTinyCnn(1), await trainTinyCnn(2)];
  for (const [i, record] of trained.entries()) {
    assert.equal(record.status, "completed");
    assert.deepEqual([record.backend.name, record.backend.threads], ["wasm", i + 1]);
    assert.ok(record.results && record.results.testAccuracy > 0.8, `test accuracy ${record.results?.testAccuracy}`);
  }
  const [one, two] = trained.map((r) => r.results?.testAccuracy ?? 0);
  assert.ok(Math.abs(one - two) <= 0.01, `one thread ${one}, two threads ${two}`);
});

test(
  "where the threaded build cannot be prepared, training runs on one thread and the record says why",
  { skip: twoCores },
  async () => {
    const cwd = await mkdtemp(join(tmpdir(), "archlab-threads-"));
    try {
      // A temp folder that is a file: the pthread worker script cannot be written.
      const notAFolder = join(cwd, "not-a-folder");
      await writeFile(notAFolder, "");
      const args = [
        "train",
        EXAMPLE,
        "--model",
        "MLP",
        "--backend",
        "wasm",
        "--threads",
        "2",
        "--epochs",
        "1",
        "--limit",
        "300",
        "--test-limit",
        "100",
        "--json",
      ];
      const cli = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), ...args], {
        cwd,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, TMPDIR: notAFolder },
      });
      assert.equal(cli.status, 0, cli.stderr);
      const [run] = (JSON.parse(cli.stdout) as TrainJson).runs;
      assert.equal(run.status, "completed");
      assert.equal(run.backend.threads, 1);
      assert.match(run.backend.fallbackReason ?? "", /2 threads unavailable, one used: .*not a directory/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  },
);

/** One epoch of TinyCNN on 2,000 images through the CLI, in a process of its own: threads live as long as their process. */
async function trainTinyCnn(threads: number): Promise<RunRecord> {
  const cwd = await mkdtemp(join(tmpdir(), "archlab-threads-"));
  try {
    const args = ["train", EXAMPLE, "--model", "TinyCNN", "--backend", "wasm", "--threads", String(threads)];
    args.push(
      "--epochs",
      "1",
      "--limit",
      "2000",
      "--test-limit",
      "1000",
      "--batch-size",
      "32",
      "--lr",
      "0.01",
      "--json",
    );
    const cli = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), ...args], {
      cwd,
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(cli.status, 0, cli.stderr);
    const runsDir = join(cwd, ".archlab", "runs");
    const [file] = await readdir(runsDir);
    return JSON.parse(await readFile(join(runsDir, file), "utf8")) as RunRecord;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

// Every way a CLI run can end leaves a true record: killed with SIGKILL, quit with a second Ctrl-C,
// or with its disk filling up mid-run.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readRunRecords } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");
const QUICK = ["--model", "MLP", "--backend", "cpu", "--limit", "200", "--test-limit", "100", "--epochs", "1"];

let cwd: string;

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-records-"));
});
after(() => rm(cwd, { recursive: true, force: true }));

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const records = readRunRecords;

/** Starts a long training and calls `act` once its stderr matches `when`; resolves with its exit. */
function trainUntil(runsDir: string, when: RegExp, act: (child: ReturnType<typeof spawn>) => void) {
  // Its own process group, so that the test can kill the command with its trainer child.
  const child = spawn(
    process.execPath,
    [
      BIN,
      "train",
      EXAMPLE,
      "--model",
      "MLP",
      "--backend",
      "cpu",
      "--limit",
      "3000",
      "--epochs",
      "200",
      "--runs-dir",
      runsDir,
    ],
    { cwd, detached: true },
  );
  let stderr = "";
  let acted = false;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!acted && when.test(stderr)) {
      acted = true;
      act(child);
    }
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test("a run killed with SIGKILL, with its trainer, is marked interrupted, with its epochs, by the next command", async () => {
  const runsDir = join(cwd, "killed");
  const killed = await trainUntil(runsDir, /MLP epoch 2\/200/, (child) => process.kill(-child.pid!, "SIGKILL"));
  assert.equal(killed.signal, "SIGKILL");
  const [left] = await records(runsDir);
  assert.equal(left.status, "running", "nothing could end the record when the processes were killed");
  const owner = left.owner!;
  assert.ok(
    Number.isInteger(owner.pid) && owner.host && owner.processStartedAt && owner.heartbeatAt,
    JSON.stringify(owner),
  );

  const next = archlab("train", EXAMPLE, ...QUICK, "--runs-dir", runsDir);
  assert.equal(next.code, 0, next.stderr);
  assert.match(
    next.stderr,
    new RegExp(
      `Marked run ${left.id} \\(MLP\\) as interrupted: The run did not finish: the process running it \\(pid ${owner.pid} on .+\\) has ended`,
    ),
  );
  const repaired = (await records(runsDir)).find((r) => r.id === left.id)!;
  assert.equal(repaired.status, "interrupted");
  assert.ok(repaired.epochs.length >= 2, "the epochs it recorded stay");
  assert.ok(repaired.finishedAt);
});

test("killing only the command with SIGKILL: its trainer ends the record as interrupted and says why", async () => {
  const runsDir = join(cwd, "killed-command");
  const killed = await trainUntil(runsDir, /MLP epoch 1\/200/, (child) => child.kill("SIGKILL"));
  assert.equal(killed.signal, "SIGKILL");
  const [record] = await eventually(
    () => records(runsDir),
    ([r]) => r?.status !== "running",
  );
  assert.equal(record.status, "interrupted");
  assert.equal(record.error?.message, "The archlab command that ran it was killed or lost its terminal.");
  assert.ok(record.epochs.length >= 1);
});

test("a second Ctrl-C quits at once and still ends the record as cancelled", async () => {
  const runsDir = join(cwd, "twice");
  // As a terminal sends Ctrl-C: to the whole process group, the trainer child included.
  const quit = await trainUntil(runsDir, /MLP epoch 1\/200/, (child) => {
    process.kill(-child.pid!, "SIGINT");
    setTimeout(() => process.kill(-child.pid!, "SIGINT"), 20);
  });
  assert.equal(quit.code, 130, quit.stderr);
  const [record] = await records(runsDir);
  assert.equal(record.status, "cancelled");
  assert.ok(record.epochs.length >= 1, "the epochs it recorded stay");
  assert.ok(record.finishedAt);
  assert.match(quit.stderr, /Ctrl-C again to quit at once/);
});

test("the disk filling up mid-run keeps the results: the table prints, the message names the file, no record is left running", async (t) => {
  const mountPoint = join(cwd, "small-disk");
  await mkdir(mountPoint);
  // A tmpfs of a few pages, where the machine lets the test mount one (root on Linux).
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint], { encoding: "utf8" });
  if (mount.status !== 0) return t.skip(`cannot mount a tmpfs here: ${mount.stderr.trim() || mount.error?.message}`);
  t.after(() => spawnSync("umount", [mountPoint]));
  const runsDir = join(mountPoint, "runs");
  const child = spawn(
    process.execPath,
    [
      BIN,
      "train",
      EXAMPLE,
      "--model",
      "MLP,TinyCNN",
      "--backend",
      "cpu",
      "--limit",
      "500",
      "--test-limit",
      "300",
      "--epochs",
      "3",
      "--runs-dir",
      runsDir,
    ],
    { cwd },
  );
  let stdout = "";
  let stderr = "";
  let filled = false;
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!filled && /MLP epoch 1\/3/.test(stderr)) {
      filled = true;
      // Whatever room is left goes to this file: the next write of the run fails with ENOSPC.
      void writeFile(join(mountPoint, "filler"), Buffer.alloc(64 * 1024, 1)).catch(() => undefined);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 1, stderr);
  assert.match(
    stderr,
    new RegExp(
      `Could not write the run record ${runsDir}/[\\w.-]+-mlp-[0-9a-f]+\\.json: the disk is full \\(ENOSPC\\)\\. To keep records, free some disk space, or choose another folder with --runs-dir\\.`,
    ),
  );
  assert.equal(stderr.match(/Could not write/g)?.length, 1, "one message for one cause");
  assert.match(stderr, /training goes on/);
  assert.match(stdout, /MLP +25,450 +\d+\.\d\d% /, "the finished run is in the table");
  assert.match(stdout, /TinyCNN +4,266 +\d+\.\d\d% /, "the next model was trained too");
  assert.match(stderr, /2 of 2 runs could not be recorded \(MLP, TinyCNN\)/);
  const left = await records(runsDir).catch(() => []);
  assert.deepEqual(
    left.filter((r) => r.status === "running"),
    [],
    "no record stays running",
  );
});

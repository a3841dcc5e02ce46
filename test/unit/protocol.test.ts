// The host's side of the trainer protocol, against small stand-in children: the ready handshake,
// messages that are not the protocol's, a crash with its stderr, and a child that will not stop.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TrainerToHost } from "../../src/shared/protocol";
import { isTrainerMessage, TrainerProcess } from "../../src/shared/trainer-process";

let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), "archlab-protocol-"))));
after(() => rm(dir, { recursive: true, force: true }));

async function child(name: string, source: string): Promise<string> {
  const file = join(dir, `${name}.cjs`);
  await writeFile(file, source);
  return file;
}

const inspect = { type: "inspect", file: "/w/a.model.ts" } as const;

test("the request is sent only after the child says ready, and its answer is the outcome", async () => {
  const trainerPath = await child(
    "echo",
    `process.on('message', (m) => {
       process.send({ type: 'inspected', report: { file: m.file, sha256: 'x', models: [], skipped: [] } }, () => process.exit(0));
     });
     setTimeout(() => process.send({ type: 'ready', pid: process.pid }), 50);`,
  );
  const seen: TrainerToHost["type"][] = [];
  const outcome = await new TrainerProcess(inspect, {
    trainerPath,
    cwd: dir,
    stopTimeoutMs: 5000,
    onMessage: (m) => seen.push(m.type),
  }).outcome;
  assert.deepEqual(outcome, {
    kind: "inspected",
    report: { file: "/w/a.model.ts", sha256: "x", models: [], skipped: [] },
  });
  assert.deepEqual(seen, ["ready", "inspected"]);
});

test("messages outside the protocol are ignored", async () => {
  const trainerPath = await child(
    "noisy",
    `process.send('hello');
     process.send({ type: 'shout' });
     process.send({ type: 'failed', error: { message: 'Dataset not found' } }, () => process.exit(0));`,
  );
  const seen: string[] = [];
  const outcome = await new TrainerProcess(inspect, {
    trainerPath,
    cwd: dir,
    stopTimeoutMs: 5000,
    onMessage: (m) => seen.push(m.type),
  }).outcome;
  assert.deepEqual(seen, ["failed"]);
  assert.equal(outcome.kind, "failed");
  if (outcome.kind === "failed") assert.equal(outcome.error.message, "Dataset not found");
});

test("a child that crashes fails with its exit code and the end of its stderr", async () => {
  const trainerPath = await child("crash", `process.stderr.write('Fatal: out of memory\\n'); process.exit(3);`);
  const outcome = await new TrainerProcess(inspect, { trainerPath, cwd: dir, stopTimeoutMs: 5000 }).outcome;
  assert.equal(outcome.kind, "failed");
  if (outcome.kind !== "failed") return;
  assert.equal(outcome.error.exitCode, 3);
  assert.match(outcome.error.message, /exited unexpectedly with code 3/);
  assert.match(outcome.error.stderr, /out of memory/);
});

test("a child that ignores stop is killed after the timeout", async () => {
  const trainerPath = await child(
    "stubborn",
    `process.on('message', () => {});
     process.send({ type: 'ready', pid: process.pid });
     setInterval(() => {}, 1000);`,
  );
  const trainer = new TrainerProcess(inspect, {
    trainerPath,
    cwd: dir,
    stopTimeoutMs: 200,
    onMessage: (m) => m.type === "ready" && trainer.stop(),
  });
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, "failed");
  if (outcome.kind === "failed") assert.equal(outcome.error.exitCode, 137, "SIGKILL, as a shell reports it");
});

test("only the protocol's message types count as trainer messages", () => {
  assert.ok(isTrainerMessage({ type: "log", message: "x" }));
  assert.ok(!isTrainerMessage({ type: "progress" }));
  // Inherited keys are not message types.
  assert.ok(!isTrainerMessage({ type: "toString" }));
  assert.ok(!isTrainerMessage(null));
  assert.ok(!isTrainerMessage("ready"));
});

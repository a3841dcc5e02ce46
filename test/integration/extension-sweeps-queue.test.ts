// A sweep from the extension with `archlab.queue` set, against a real redis-server on a free port of
// 127.0.0.1 and an `archlab agent` in a folder of its own: the trials go to the queue, not to the
// window's jobs, through the queue client bundle the extension loads (dist/queue.js); their epochs
// reach the window as they happen, and their records land in the workspace's store.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RunStore } from "../../src/engine/runs/store";
import { SweepStore } from "../../src/engine/sweep/store";
import type { TrainingEvent } from "../../src/engine/types";
import { JobLocks } from "../../src/extension/jobs/jobLocks";
import { JobManager } from "../../src/extension/jobs/jobManager";
import { planInChild } from "../../src/extension/sweeps/planner";
import { SweepSessions } from "../../src/extension/sweeps/sweepSessions";
import { readRunRecords } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";
import { freePort } from "./helpers/net";

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
const skip = !hasRedis && "redis-server is not installed (npm run setup installs it)";
const processes: ChildProcess[] = [];
let root: string;
let url: string;

function start(args: string[], cwd: string): ChildProcess & { output: () => string } {
  const child = spawn(args[0], args.slice(1), { cwd });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  processes.push(child);
  return Object.assign(child, { output: () => output });
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  if (!hasRedis) return;
  ensureBuilt();
  root = await mkdtemp(join(tmpdir(), "archlab-ext-queue-"));
  await writeFile(
    join(root, "dense.model.ts"),
    [
      "import * as tf from '@tensorflow/tfjs';",
      "export function Dense(hp: Hyperparameters) {",
      "  const units = hp.choice('units', [8, 16]);",
      "  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'relu' }), tf.layers.dense({ units: 10 })] });",
      "}",
      "export const training = { limit: 300, testLimit: 100 };",
      "export const sweep = { Dense: { method: 'grid', epochs: 2 } };",
    ].join("\n"),
  );
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  const redis = start(
    ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", root],
    root,
  );
  await until("redis-server", () => /Ready to accept connections/.test(redis.output()), 20_000);
});

after(async () => {
  for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (root) await rm(root, { recursive: true, force: true });
});

test(
  "with archlab.queue set, the trials go to the queue: an agent trains them and the workspace gets their records",
  { skip },
  async () => {
    const agentDir = join(root, "agent-machine");
    await mkdir(agentDir);
    const agent = start(
      [process.execPath, join(REPO, "bin/archlab.js"), "agent", "--queue", url, "--backend", "cpu"],
      agentDir,
    );
    await until("the agent", () => /waiting for trials/.test(agent.output()));

    const store = new RunStore(root);
    let enqueued = 0;
    const jobs = new JobManager({
      startTrainer: () => {
        throw new Error("no trial may train in the window when the queue answers");
      },
      store,
      locks: new JobLocks(join(root, ".archlab", "jobs")),
      maxConcurrentJobs: () => 1,
      log: () => undefined,
    });
    jobs.subscribe({ jobChanged: (job) => job.state === "queued" && enqueued++ });
    const events: TrainingEvent[] = [];
    const warnings: string[] = [];
    const sessions = new SweepSessions({
      root,
      plan: (request) =>
        planInChild(request, { trainerPath: join(REPO, "dist/trainer.js"), cwd: root, stopTimeoutMs: 5000 }),
      sweeps: new SweepStore(root),
      runs: store,
      jobs,
      settings: () => ({ maxConcurrentJobs: 1, overrides: {}, queue: url }),
      remoteEvent: (event) => events.push(event),
      // The bundle the extension host requires, not the sources: it must load on its own.
      loadQueue: async () =>
        createRequire(import.meta.url)(
          join(REPO, "dist/queue.js"),
        ) as typeof import("../../src/engine/sweep/queue/choose"),
      queueUnreachable: (message) => warnings.push(message),
      log: () => undefined,
    });

    const session = await sessions.start({ file: join(root, "dense.model.ts"), model: "Dense" });
    assert.equal(session.ranOn, url);
    const sweep = await session.done;
    assert.deepEqual(warnings, []);
    assert.equal(enqueued, 0, "no trial went to the window's job queue");
    assert.equal(sweep.status, "completed");
    assert.deepEqual(
      sweep.trials.map((t) => [t.params.units, t.status]),
      [
        [8, "completed"],
        [16, "completed"],
      ],
    );

    const records = await readRunRecords(join(root, ".archlab", "runs"));
    assert.deepEqual(records.map((r) => r.id).sort(), sweep.trials.map((t) => t.runId).sort());
    for (const record of records) {
      assert.equal(record.status, "completed");
      assert.equal(record.file, "dense.model.ts");
      assert.equal(record.epochs.length, 2);
    }
    for (const trial of sweep.trials) {
      const epochs = events.filter((e) => e.type === "epoch" && e.runId === trial.runId);
      assert.equal(epochs.length, 2, `the window saw trial ${trial.trial + 1}'s epochs as they came`);
    }
    const stored = await new SweepStore(root).get(sweep.id);
    assert.equal(stored.ranOn, url);
  },
);

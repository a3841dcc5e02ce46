// Trials on other machines: a real redis-server on a free port of 127.0.0.1, two agent processes,
// a controller. One agent is killed with SIGKILL mid-trial: the queue gives its trial to the other
// agent, and every trial ends recorded exactly once, the retried one saying so. Then ASHA's stop
// decisions reach an agent at its epoch ends, and an unreachable Redis gives a clear message.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { SweepJson } from "../../src/cli/sweep";
import { readRunRecords } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";
import { freePort } from "./helpers/net";

const BIN = join(REPO, "bin/archlab.js");
const DATA = ["--limit", "300", "--test-limit", "200", "--backend", "wasm"];
const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;

let cwd: string;
let file: string;
let url: string;
const processes: ChildProcess[] = [];

type Started = ChildProcess & { output: () => string; stdout: () => string };

function start(args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(args[0], args.slice(1), { cwd, env: { ...process.env, ...env } });
  let output = "";
  let stdout = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  processes.push(child);
  return Object.assign(child, { output: () => output, stdout: () => stdout });
}

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on("close", resolve),
  );

const runRecords = () => readRunRecords(join(cwd, ".archlab", "runs"));

function agent() {
  // A short lock: a killed agent's trial is given to another within seconds, not the default 30.
  return start([process.execPath, BIN, "agent", "--queue", url], { ARCHLAB_AGENT_LOCK_MS: "2000" });
}

before(async () => {
  if (!hasRedis) return;
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-queue-"));
  file = join(cwd, "small.model.ts");
  await writeFile(
    file,
    [
      "import * as tf from '@tensorflow/tfjs';",
      "import { head } from './head';",
      "export function Small(hp: Hyperparameters) {",
      "  const filters = hp.choice('filters', [2, 4]);",
      "  return tf.sequential({ layers: [",
      "    tf.layers.conv2d({ inputShape: [28, 28, 1], filters, kernelSize: 3, activation: 'relu' }),",
      "    tf.layers.maxPooling2d({ poolSize: 4 }),",
      "    ...head(),",
      "  ] });",
      "}",
      "export const sweep = { Small: { method: 'asha', trials: 4, epochs: 3, seed: 0, parameters: { learningRate: [0.01, 0.000001] } } };",
    ].join("\n"),
  );
  // A relative import: the job carries the bundle, so the agent needs no copy of this file.
  await writeFile(
    join(cwd, "head.ts"),
    "import * as tf from '@tensorflow/tfjs';\nexport const head = () => [tf.layers.flatten(), tf.layers.dense({ units: 10 })];\n",
  );
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  const redis = start([
    "redis-server",
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    cwd,
  ]);
  await until("redis-server", () => /Ready to accept connections/.test(redis.output()), 20_000);
});

after(async () => {
  for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

test(
  "two agents, one killed mid-trial: every trial recorded exactly once, the retried one says so",
  { skip: !hasRedis && "redis-server is not installed (npm run setup installs it)" },
  async () => {
    const first = agent();
    const second = agent();
    await until(
      "both agents",
      () => /waiting for trials/.test(first.output()) && /waiting for trials/.test(second.output()),
    );
    const controller = start([
      process.execPath,
      BIN,
      "sweep",
      file,
      "--method",
      "grid",
      "--epochs",
      "4",
      "--queue",
      url,
      ...DATA,
      "--json",
    ]);
    // Kill whichever agent starts training first, once it is into its trial.
    let victim: Started | undefined;
    await until("an agent training", () => {
      victim = [first, second].find((a) => /training on 300 images/.test(a.output()));
      return Boolean(victim);
    });
    victim!.kill("SIGKILL");
    const survivor = victim === first ? second : first;
    assert.equal(await exited(controller), 0, controller.output());
    const { sweep } = JSON.parse(controller.stdout()) as SweepJson;
    assert.equal(sweep.status, "completed");
    assert.match(sweep.ranOn, /^redis:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      sweep.trials.map((t) => t.status),
      ["completed", "completed", "completed", "completed"],
    );

    const records = await runRecords();
    assert.equal(records.length, 4, "one record per trial, the killed attempt included");
    assert.deepEqual(records.map((r) => r.sweep?.trial).sort(), [0, 1, 2, 3]);
    for (const record of records) {
      assert.equal(record.status, "completed");
      assert.equal(record.epochs.length, 4);
      assert.equal(record.file, "small.model.ts");
      assert.match(
        record.source.text,
        /export function Small/,
        "the workspace record keeps the model file, not the bundle",
      );
    }
    const retried = records.flatMap((r) => (r.sweep?.retried ? [r.sweep] : []));
    assert.equal(retried.length, 1, JSON.stringify(records.map((r) => r.sweep)));
    assert.equal(retried[0].attempt, 2);
    assert.match(retried[0].retried ?? "", /stopped responding/);
    assert.equal(retried[0].agent, `${(await import("node:os")).hostname()}:${survivor.pid}`);
    survivor.kill("SIGTERM");
    assert.equal(await exited(survivor), 0);
  },
);

test(
  "ASHA's decisions reach the agent at epoch ends: slow learners are pruned after one epoch",
  { skip: !hasRedis && "redis-server is not installed" },
  async () => {
    await rm(join(cwd, ".archlab"), { recursive: true, force: true });
    const only = agent();
    await until("the agent", () => /waiting for trials/.test(only.output()));
    const controller = start([process.execPath, BIN, "sweep", file, "--queue", url, "--parallel", "1", ...DATA]);
    assert.equal(await exited(controller), 0, controller.output());
    assert.match(controller.output(), /pruned at epoch 1/);
    const records = await runRecords();
    for (const record of records.filter((r) => r.sweep?.params.learningRate === 0.000001)) {
      assert.equal(record.status, "pruned");
      assert.equal(record.epochs.length, 1);
    }
    assert.equal(records.find((r) => r.sweep?.trial === 0)!.epochs.length, 3);
    only.kill("SIGTERM");
    await exited(only);
  },
);

test(
  "Redis unreachable: a clear message, then the trials run here (or, with --no-fallback, exit 1)",
  { skip: !hasRedis && "redis-server is not installed" },
  async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const strict = spawnSync(process.execPath, [BIN, "sweep", file, "--queue", closed, "--no-fallback", ...DATA], {
      cwd,
      encoding: "utf8",
    });
    assert.equal(strict.status, 1);
    assert.match(strict.stderr, /cannot reach the queue's Redis at redis:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const fallback = spawnSync(process.execPath, [BIN, "sweep", file, "--queue", closed, "--trials", "1", ...DATA], {
      cwd,
      encoding: "utf8",
    });
    assert.equal(fallback.status, 0, fallback.stderr);
    assert.match(fallback.stderr, /ECONNREFUSED\)\. Running the trials here instead/);
    assert.match(fallback.stderr, /1 at a time on local/);
  },
);

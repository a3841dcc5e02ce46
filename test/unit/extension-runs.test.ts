// The extension's view of runs: live events applied to records, runs left running by a closed
// window, settings, and inspections cached by content.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import type { RunRecord } from "../../src/engine/types";
import { runRecord } from "../support/records";
import type { RunsChange } from "../../src/extension/contracts";
import { Inspector } from "../../src/extension/inspect/inspector";
import { JobLocks } from "../../src/extension/jobs/jobLocks";
import { WorkspaceRuns, type ChangeEmitter } from "../../src/extension/runs/runsModel";
import { quickRunOverrides, readSettings } from "../../src/extension/settings";

function emitter(changes: RunsChange[]): ChangeEmitter {
  return { event: () => ({ dispose() {} }), fire: (c) => void changes.push(c), dispose() {} };
}

function record(id: string, model: string, startedAt: string, status: RunRecord["status"] = "completed"): RunRecord {
  return runRecord({ id, model, file: "models/mnist.model.ts", status, startedAt });
}

test("runs are listed newest first and found by file and model", () => {
  const changes: RunsChange[] = [];
  const runs = new WorkspaceRuns("/w", emitter(changes));
  runs.replaceAll([
    record("a", "MLP", "2026-01-01T00:00:00Z"),
    record("b", "MLP", "2026-02-01T00:00:00Z"),
    record("c", "CNN", "2026-03-01T00:00:00Z"),
  ]);
  assert.deepEqual(
    runs.list().map((r) => r.id),
    ["c", "b", "a"],
  );
  assert.equal(runs.latest("/w/models/mnist.model.ts", "MLP")?.id, "b");
  assert.equal(runs.latest("/w/other.model.ts", "MLP"), undefined);
  assert.deepEqual(changes, [{ kind: "reset" }]);
});

test("a run's name, note and star stay when a trainer event brings its record without them", () => {
  const changes: RunsChange[] = [];
  const runs = new WorkspaceRuns("/w", emitter(changes));
  const started = record("r", "MLP", "2026-01-01T00:00:00Z", "running");
  runs.apply({ type: "runStarted", runId: "r", record: started });
  runs.upsert({ ...started, annotations: { name: "wide", starred: true } });
  runs.apply({ type: "runFinished", runId: "r", record: { ...started, status: "completed" } });
  assert.deepEqual(runs.get("r")?.annotations, { name: "wide", starred: true });
  assert.deepEqual(changes.at(-1), { kind: "upsert", record: runs.get("r") });
  // Cleared annotations are an empty object, which does replace them.
  runs.upsert({ ...started, status: "completed", annotations: {} });
  assert.deepEqual(runs.get("r")?.annotations, {});
});

test("a sweep's trials are variants of the architecture: the lens's latest result leaves them out", () => {
  const runs = new WorkspaceRuns("/w", emitter([]));
  const trial = {
    ...record("t", "Net", "2026-02-01T00:00:00Z"),
    sweep: { id: "s", trial: 0, params: { filters: 32 } },
  };
  runs.replaceAll([record("plain", "Net", "2026-01-01T00:00:00Z"), trial]);
  assert.equal(runs.latest("/w/models/mnist.model.ts", "Net")?.id, "plain");
});

test("training events update the run as it trains", () => {
  const changes: RunsChange[] = [];
  const runs = new WorkspaceRuns("/w", emitter(changes));
  const started = record("r", "MLP", "2026-01-01T00:00:00Z", "running");
  runs.apply({ type: "runStarted", runId: "r", record: started });
  runs.apply({ type: "batch", runId: "r", epoch: 1, batch: 3, batchesPerEpoch: 10, loss: 2, acc: 0.1 });
  runs.apply({ type: "epoch", runId: "r", metrics: { epoch: 1, loss: 1, acc: 0.5, seconds: 2 } });
  assert.deepEqual(runs.get("r")?.epochs, [{ epoch: 1, loss: 1, acc: 0.5, seconds: 2 }]);
  runs.apply({ type: "runFinished", runId: "r", record: { ...started, status: "completed" } });
  assert.equal(runs.get("r")?.status, "completed");
  assert.deepEqual(
    changes.map((c) => c.kind),
    ["upsert", "batch", "upsert", "upsert"],
  );
  runs.remove("r");
  assert.equal(runs.list().length, 0);
  assert.deepEqual(changes.at(-1), { kind: "removed", id: "r" });
});

test("a running run whose child is gone becomes interrupted; a live one and a CLI run are left alone", async () => {
  const dir = await mkdtemp(join(tmpdir(), "archlab-locks-"));
  const alive = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
  try {
    const locks = new JobLocks(dir);
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.on("exit", r));
    await locks.acquire("gone", dead.pid!);
    await locks.acquire("live", alive.pid!);
    const saved: RunRecord[] = [];
    const records = [
      record("gone", "MLP", "2026-01-01T00:00:00Z", "running"),
      record("live", "CNN", "2026-01-01T00:00:00Z", "running"),
      record("cli", "TinyCNN", "2026-01-01T00:00:00Z", "running"),
    ];
    const swept = await locks.sweep(records, async (r) => void saved.push(r));
    assert.deepEqual(
      swept.map((r) => [r.id, r.status]),
      [["gone", "interrupted"]],
    );
    assert.deepEqual(
      saved.map((r) => r.id),
      ["gone"],
    );
    assert.match(saved[0].error?.message ?? "", /closed or reloaded/);
    assert.equal(await locks.livePid("live"), alive.pid);
    await locks.acquire("ended", alive.pid!);
    await locks.sweep([record("ended", "MLP", "2026-01-01T00:00:00Z", "completed")], async () => undefined);
    assert.equal(await locks.livePid("ended"), undefined, "the pid file of a finished run is cleaned up");
  } finally {
    alive.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test("settings left empty defer to the model file; quick runs train one epoch on a subset", () => {
  const values: Record<string, unknown> = {
    epochs: null,
    batchSize: 128,
    learningRate: null,
    dataset: "",
    backend: "wasm",
    threads: 2,
    quickRunSize: 500,
    runsFolder: "out/runs",
  };
  const settings = readSettings({ get: <T>(key: string) => values[key] as T | undefined }, "/w");
  assert.deepEqual(settings.overrides, { batchSize: 128 });
  assert.equal(settings.backend, "wasm");
  assert.equal(settings.threads, 2);
  assert.equal(settings.maxConcurrentJobs, 1);
  assert.equal(settings.modelGlob, "**/*.model.{ts,js,mjs}");
  assert.equal(settings.runsDir, "/w/out/runs");
  assert.deepEqual(quickRunOverrides(settings), { batchSize: 128, epochs: 1, quick: true, limit: 500, testLimit: 500 });
  const odd = readSettings({ get: <T>(key: string) => (key === "backend" ? "gpu" : undefined) as T }, "/w");
  assert.equal(odd.backend, "auto");
  assert.equal(odd.threads, undefined, "no thread count: the job chooses from its models");
  assert.equal(odd.quickRunSize, undefined);
  assert.deepEqual(quickRunOverrides(odd), { epochs: 1, quick: true }, "no size: each model gets one by its MACs");
  assert.equal(odd.runsDir, undefined);
});

test("a file is inspected once per content, and again after it changes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "archlab-inspect-"));
  try {
    const file = join(dir, "a.model.ts");
    await writeFile(file, "export function A() {}");
    let calls = 0;
    const inspector = new Inspector(async (f) => {
      calls++;
      return { report: { file: f, sha256: String(calls), models: [], skipped: [] } };
    });
    const [first, concurrent] = await Promise.all([inspector.inspect(file), inspector.inspect(file)]);
    assert.equal(first, concurrent);
    assert.equal((await inspector.inspect(file)).report?.sha256, "1");
    assert.equal(calls, 1);
    await writeFile(file, "export function B() {}");
    assert.equal((await inspector.inspect(file)).report?.sha256, "2");
    assert.equal(inspector.cached(file)?.report?.sha256, "2");
    // A helper module the file imports was saved: the same content is inspected again.
    inspector.forgetAll();
    assert.equal(inspector.cached(file)?.report?.sha256, "2", "the last result stays on show meanwhile");
    assert.equal((await inspector.inspect(file)).report?.sha256, "3");
    const missing = await inspector.inspect(join(dir, "missing.model.ts"));
    assert.match(missing.error?.message ?? "", /Cannot read/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

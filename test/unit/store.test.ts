// The run store: what the panel and the CLI can rely on when reading .archlab/runs.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { closeOrphanedRuns, orphanedRecord, recheckRunning } from "../../src/engine/runs/interrupted";
import { RunStore } from "../../src/engine/runs/store";
import { StoreWriteError } from "../../src/engine/runs/write-error";
import { RUN_SCHEMA_VERSION, type RunRecord } from "../../src/engine/types";
import { readJson, runRecord } from "../support/records";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "archlab-store-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

function record(store: RunStore, model: string, startedAt: string): RunRecord {
  const id = store.newRunId(model, new Date(startedAt));
  return runRecord({ id, model, source: { text: "export {}", sha256: "abc" }, status: "running", startedAt });
}

test("records go to <root>/.archlab/runs with a schema version, and come back newest first", async () => {
  const store = new RunStore(root);
  assert.equal(store.runsDir, join(root, ".archlab", "runs"));
  const older = record(store, "MLP", "2026-11-25T04:00:00.000Z");
  const newer = record(store, "TinyCNN", "2026-11-25T05:00:00.000Z");
  await store.save(older);
  await store.save(newer);

  const { records, warnings } = await store.list();
  assert.deepEqual(
    records.map((r) => r.model),
    ["TinyCNN", "MLP"],
  );
  assert.deepEqual(warnings, []);
  const onDisk = await readJson<RunRecord>(join(store.runsDir, `${newer.id}.json`));
  assert.equal(onDisk.schemaVersion, RUN_SCHEMA_VERSION);
  assert.deepEqual(await store.get(newer.id), newer);
});

test("an empty or missing store lists nothing", async () => {
  assert.deepEqual(await new RunStore(root).list(), { records: [], warnings: [] });
  assert.equal(await new RunStore(root).get("20261125-040000-000-mlp-0000"), undefined);
});

test("run ids sort by time and are safe file names", () => {
  const store = new RunStore(root);
  const id = store.newRunId("My Fancy/CNN v2!", new Date("2026-11-25T04:12:00.123Z"));
  assert.match(id, /^20261125-041200-123-my-fancy-cnn-v2-[0-9a-f]{4}$/);
  const later = store.newRunId("A", new Date("2026-11-25T04:12:00.124Z"));
  assert.ok(later > id);
  assert.notEqual(store.newRunId("x"), store.newRunId("x"));
});

test("saving replaces the record atomically and leaves no temp files", async () => {
  const store = new RunStore(root);
  const run = record(store, "CNN", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  await store.save({ ...run, status: "completed" });
  assert.equal((await store.get(run.id))?.status, "completed");
  assert.deepEqual(await readdir(store.runsDir), [`${run.id}.json`]);
});

test("a write that fails midway leaves the previous record intact", async () => {
  const store = new RunStore(root);
  const run = record(store, "CNN", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  const unwritable = {
    ...run,
    status: "completed",
    epochs: [
      {
        toJSON: () => {
          throw new Error("disk full");
        },
      },
    ],
  };
  await assert.rejects(store.save(unwritable as unknown as RunRecord), /disk full/);
  assert.deepEqual(await readdir(store.runsDir), [`${run.id}.json`]);
  // A process killed between write and rename leaves a temp file behind: it is never read as a run.
  await writeFile(join(store.runsDir, `.tmp-${run.id}-123-abcd`), '{"schemaVersion": 1, "id": "torn');
  const { records, warnings } = await store.list();
  assert.deepEqual(records, [run]);
  assert.deepEqual(warnings, []);
});

test("corrupt and unknown-version records are skipped with a warning", async () => {
  const store = new RunStore(root);
  const good = record(store, "MLP", "2026-11-25T04:00:00.000Z");
  await store.save(good);
  await writeFile(join(store.runsDir, "torn.json"), '{"schemaVersion": 1, "id": "torn"');
  await writeFile(
    join(store.runsDir, "future.json"),
    JSON.stringify({ ...good, id: "future", schemaVersion: RUN_SCHEMA_VERSION + 1 }),
  );
  await writeFile(join(store.runsDir, "other.json"), JSON.stringify({ hello: "world" }));
  await writeFile(join(store.runsDir, "notes.txt"), "not a record");

  const { records, warnings } = await store.list();
  assert.deepEqual(records, [good]);
  assert.equal(warnings.length, 3);
  assert.match(
    warnings.find((w) => w.includes("torn.json"))!,
    /not valid JSON/,
  );
  assert.match(
    warnings.find((w) => w.includes("future.json"))!,
    new RegExp(`unknown schema version ${RUN_SCHEMA_VERSION + 1}`),
  );
  assert.match(
    warnings.find((w) => w.includes("other.json"))!,
    /no schemaVersion/,
  );
  assert.equal(await store.get("future"), undefined);
});

test("delete removes a record; ids that are not file names are refused", async () => {
  const store = new RunStore(root, join(root, "elsewhere"));
  const run = record(store, "MLP", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  assert.deepEqual(await readdir(join(root, "elsewhere")), [`${run.id}.json`]);
  await store.delete(run.id);
  assert.equal(await store.get(run.id), undefined);
  await assert.rejects(store.delete("../../etc/passwd"), /Invalid run id/);
  assert.equal(await store.get("../x"), undefined);
});

test("a version 1 record is read as the current version, without annotations", async () => {
  const store = new RunStore(root);
  const run = record(store, "MLP", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  const path = join(store.runsDir, `${run.id}.json`);
  await writeFile(path, JSON.stringify({ ...run, schemaVersion: 1 }));
  assert.deepEqual(await store.get(run.id), run);
  assert.deepEqual((await store.list()).warnings, []);
});

test("a name, a note and a star are saved in the record and survive the trainer saving its epochs", async () => {
  const store = new RunStore(root);
  const run = record(store, "TinyCNN", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  const annotated = await store.annotate(run.id, {
    name: "  small and good ",
    note: "Try 6 filters next.\n",
    starred: true,
  });
  assert.deepEqual(annotated?.annotations, { name: "small and good", note: "Try 6 filters next.", starred: true });
  // The trainer knows nothing of annotations: its next save leaves them as they are.
  await store.save({ ...run, epochs: [{ epoch: 1, loss: 0.5, acc: 0.8, seconds: 1 }] });
  const onDisk = await readJson<RunRecord>(join(store.runsDir, `${run.id}.json`));
  assert.equal(onDisk.schemaVersion, RUN_SCHEMA_VERSION);
  assert.deepEqual(onDisk.annotations, annotated?.annotations);
  assert.equal(onDisk.epochs.length, 1);
  // Clearing one field keeps the others; clearing them all leaves "nothing written".
  assert.deepEqual((await store.annotate(run.id, { name: "" }))?.annotations, {
    note: "Try 6 filters next.",
    starred: true,
  });
  assert.deepEqual((await store.annotate(run.id, { note: "", starred: false }))?.annotations, {});
  await store.save({ ...run, status: "completed" });
  assert.deepEqual((await store.get(run.id))?.annotations, {});
  assert.equal(await store.annotate("20261125-040000-000-gone-0000", { starred: true }), undefined);
});

test("bad annotations are refused with the field named, on writing and on reading", async () => {
  const store = new RunStore(root);
  const run = record(store, "MLP", "2026-11-25T04:00:00.000Z");
  await store.save(run);
  await assert.rejects(
    store.annotate(run.id, { name: "x".repeat(201) }),
    /"name" must be text of at most 200 characters/,
  );
  await assert.rejects(
    store.annotate(run.id, { starred: "yes" as unknown as boolean }),
    /"starred" must be true or false/,
  );
  assert.deepEqual((await store.get(run.id))?.annotations, undefined, "nothing was written");
  await writeFile(join(store.runsDir, "bad.json"), JSON.stringify({ ...run, id: "bad", annotations: { note: 42 } }));
  const { warnings } = await store.list();
  assert.match(warnings.join("\n"), /bad\.json: invalid "annotations": "note" must be text/);
});

test("a running record names its owner; a reader marks it interrupted once that owner is gone", async () => {
  const store = new RunStore(root);
  const mine = { ...record(store, "MLP", "2026-11-25T04:00:00.000Z"), id: "r-mine" };
  await store.save(mine);
  const saved = (await store.get("r-mine"))!;
  assert.equal(saved.owner?.pid, process.pid);
  assert.equal(saved.owner?.host, hostname());
  assert.equal(orphanedRecord(saved), undefined, "this process still runs it");

  // A process that ended (a pid far above any live one), one whose pid now belongs to another
  // process (this one, started at another time), and one on another host that stopped beating.
  const now = new Date("2026-11-25T05:00:00.000Z");
  const dead = { ...saved, owner: { ...saved.owner, pid: 2 ** 22 + 17 } };
  assert.match(
    orphanedRecord(dead, now)?.error?.message ?? "",
    /the process running it \(pid 4194321 on .+\) has ended/,
  );
  const reused = {
    ...saved,
    owner: { ...saved.owner, pid: process.ppid, processStartedAt: "2000-01-01T00:00:00.000Z" },
  };
  assert.match(orphanedRecord(reused, now)?.error?.message ?? "", /its pid now belongs to another process/);
  const far = { ...saved, owner: { ...saved.owner, host: "elsewhere", heartbeatAt: "2026-11-25T04:58:00.000Z" } };
  assert.match(orphanedRecord(far, now)?.error?.message ?? "", /has not written it for 120 s/);
  assert.equal(
    orphanedRecord({ ...far, owner: { ...far.owner, heartbeatAt: "2026-11-25T04:59:50.000Z" } }, now),
    undefined,
  );

  // As the killed process left it (a save from here would make this process its owner).
  await writeFile(join(store.runsDir, "r-mine.json"), JSON.stringify(dead));
  const repaired = await closeOrphanedRuns(store);
  assert.deepEqual(
    repaired.map((r) => [r.id, r.status]),
    [["r-mine", "interrupted"]],
  );
  assert.equal((await store.get("r-mine"))?.status, "interrupted");
});

test("a run a window saw running is read again before it is called interrupted: one that completed meanwhile stays completed", async () => {
  const store = new RunStore(root);
  const gone = {
    pid: 2 ** 22 + 17,
    host: hostname(),
    processStartedAt: "2026-11-25T04:00:00.000Z",
    heartbeatAt: "2026-11-25T04:00:00.000Z",
  };
  // As a CLI in a terminal left them: one completed before it exited, one killed mid-run.
  const completed = { ...record(store, "MLP", "2026-11-25T04:00:00.000Z"), id: "r-done", owner: gone };
  const killed = { ...record(store, "CNN", "2026-11-25T04:00:00.000Z"), id: "r-killed", owner: gone };
  await mkdir(store.runsDir, { recursive: true });
  await writeFile(
    join(store.runsDir, "r-done.json"),
    JSON.stringify({ ...completed, status: "completed", finishedAt: "2026-11-25T04:01:00.000Z" }),
  );
  await writeFile(join(store.runsDir, "r-killed.json"), JSON.stringify(killed));

  // The window's view: both still running, their owner gone.
  const changed = await recheckRunning(store, [completed, killed]);
  assert.deepEqual(changed.map((r) => [r.id, r.status]).sort(), [
    ["r-done", "completed"],
    ["r-killed", "interrupted"],
  ]);
  assert.equal((await store.get("r-done"))?.status, "completed", "the completed record was not rewritten");
  assert.equal((await store.get("r-killed"))?.status, "interrupted");
});

test("writes of one record land in the order they were made, and a failed write names the file", async () => {
  const store = new RunStore(root);
  const order = { ...record(store, "MLP", "2026-11-25T04:00:00.000Z"), id: "r-order" };
  const writes = [];
  for (let epoch = 1; epoch <= 20; epoch++) {
    order.epochs.push({ epoch, loss: 1 / epoch, acc: 0.5, seconds: 1 });
    writes.push(store.save(structuredClone(order)));
  }
  writes.push(store.save({ ...structuredClone(order), status: "completed" }));
  await Promise.all(writes);
  const last = await store.get("r-order");
  assert.equal(last?.status, "completed");
  assert.equal(last?.epochs.length, 20);

  await writeFile(join(root, "blocker"), "a file where the folder should be");
  const blocked = new RunStore(root, join(root, "blocker", "runs"));
  await assert.rejects(blocked.save(record(blocked, "MLP", "2026-11-25T04:00:00.000Z")), (err: Error) => {
    assert.ok(err instanceof StoreWriteError);
    assert.match(
      err.message,
      /^Could not write the run records folder .+blocker\/runs: a part of the path is a file, not a folder \(ENOTDIR\)\. To keep records, remove that file or use another folder\.$/,
    );
    return true;
  });
});

// Watching a records folder that does not exist yet (.archlab/runs before a workspace's first run):
// the nearest folder that exists is watched for the next one down, records come from the folder
// once it is there, and a folder deleted and made again is followed. The watcher is a fake that
// the test fires as VS Code would, on a real temporary folder.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { WATCHER_START_MS, watchFolder, type Watch } from "../../src/extension/folders/folderWatch";

/** The watchers folderWatch holds, by `base|pattern`, and how many it ever started. */
class FakeWatchers {
  readonly active = new Map<string, (path: string) => void>();
  started = 0;

  readonly watch: Watch = (base, pattern, listener) => {
    const key = `${base}|${pattern}`;
    assert.ok(!this.active.has(key), `${key} is watched once`);
    this.active.set(key, listener);
    this.started++;
    return { dispose: () => this.active.delete(key) };
  };

  keys(): string[] {
    return [...this.active.keys()].sort();
  }

  /** What VS Code reports when `path` (in `base`, matching `pattern`) is created, changed or deleted. */
  fire(base: string, pattern: string, path: string): void {
    const listener = this.active.get(`${base}|${pattern}`);
    assert.ok(listener, `${base}|${pattern} is watched (watched: ${this.keys().join(", ")})`);
    listener(path);
  }
}

let root: string;
let runs: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "archlab-folder-watch-"));
  runs = join(root, ".archlab", "runs");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** watchFolder on .archlab/runs with fake watchers: what it reported, and the watchers it holds. */
function watchRuns() {
  const fake = new FakeWatchers();
  const seen = { appeared: 0, records: [] as string[] };
  const watch = watchFolder(runs, fake.watch, {
    record: (path) => seen.records.push(path),
    appeared: () => seen.appeared++,
  });
  return { fake, seen, watch };
}

/** The watchers of a runs folder that exists: its records, and its parent for the folder itself. */
const watchingTheFolder = () => [`${runs}|*.json`, `${root}/.archlab|runs`];

test("a folder that is not there yet is waited for from the nearest folder that is, one level at a time", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { fake, seen, watch } = watchRuns();
  assert.deepEqual(fake.keys(), [`${root}|.archlab`]);

  mkdirSync(join(root, ".archlab"));
  fake.fire(root, ".archlab", join(root, ".archlab"));
  assert.deepEqual(fake.keys(), [`${root}/.archlab|runs`], "the next level down is waited for");
  assert.equal(seen.appeared, 0);

  // The CLI makes the folder and writes its first record before the watcher hears of it.
  mkdirSync(runs);
  writeFileSync(join(runs, "r1.json"), "{}");
  fake.fire(join(root, ".archlab"), "runs", runs);
  assert.deepEqual(fake.keys(), watchingTheFolder());
  assert.equal(seen.appeared, 1, "the records already in the folder are read");
  t.mock.timers.tick(WATCHER_START_MS);
  assert.equal(seen.appeared, 2, "and read again once the folder's own watcher has started");

  fake.fire(runs, "*.json", join(runs, "r2.json"));
  assert.deepEqual(seen.records, [join(runs, "r2.json")]);

  watch.dispose();
  assert.deepEqual(fake.keys(), []);
});

test("a folder made with its parents at once is watched from the first event", () => {
  const { fake, seen } = watchRuns();
  mkdirSync(runs, { recursive: true });
  fake.fire(root, ".archlab", join(root, ".archlab"));
  assert.deepEqual(fake.keys(), watchingTheFolder());
  assert.equal(seen.appeared, 1);
});

test("a folder that exists is watched at once, and its records are not read again", () => {
  mkdirSync(runs, { recursive: true });
  const { fake, seen } = watchRuns();
  assert.deepEqual(fake.keys(), watchingTheFolder());
  // Events about the folder itself (a change of its times) change nothing.
  fake.fire(join(root, ".archlab"), "runs", runs);
  assert.equal(fake.started, 2, "no watcher started again");
  assert.equal(seen.appeared, 0);
});

test("a folder deleted and made again is followed", () => {
  mkdirSync(runs, { recursive: true });
  const { fake, seen } = watchRuns();

  rmSync(join(root, ".archlab"), { recursive: true });
  fake.fire(join(root, ".archlab"), "runs", runs);
  assert.deepEqual(fake.keys(), [`${root}|.archlab`]);

  mkdirSync(runs, { recursive: true });
  fake.fire(root, ".archlab", join(root, ".archlab"));
  assert.deepEqual(fake.keys(), watchingTheFolder());
  assert.equal(seen.appeared, 1);
});

test("after dispose, the second look is not taken and a late event starts nothing", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { fake, seen, watch } = watchRuns();
  const late = fake.active.get(`${root}|.archlab`)!;
  mkdirSync(join(root, ".archlab"));
  fake.fire(root, ".archlab", join(root, ".archlab"));
  const lateToo = fake.active.get(`${root}/.archlab|runs`)!;
  mkdirSync(runs);
  fake.fire(join(root, ".archlab"), "runs", runs);
  assert.equal(seen.appeared, 1);

  watch.dispose();
  assert.deepEqual(fake.keys(), []);
  t.mock.timers.tick(WATCHER_START_MS);
  assert.equal(seen.appeared, 1, "no second look");
  rmSync(join(root, ".archlab"), { recursive: true });
  late(join(root, ".archlab"));
  lateToo(runs);
  assert.deepEqual(fake.keys(), [], "no watcher started");
});

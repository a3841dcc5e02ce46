// What the panel shows of a store a crash or another version left behind: a run whose process is
// gone shows as interrupted, and the records the store skipped are named in the panel, not only in
// the log.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { closeOrphanedRuns } from "../../src/engine/runs/interrupted";
import { RunStore } from "../../src/engine/runs/store";
import { WorkspaceRuns } from "../../src/extension/runs/runsModel";
import { launchBrowser, openPanel, type Browser } from "./harness";
import { makeRun, toPanel } from "./fixtures";

describe("comparison panel: a store left by crashes and other versions", () => {
  let browser: Browser;
  let root: string;
  before(async () => {
    browser = await launchBrowser();
    root = await mkdtemp(join(tmpdir(), "archlab-panel-records-"));
  });
  after(async () => {
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("shows a run whose process died as interrupted, and names the records it skipped", async () => {
    const store = new RunStore(root);
    await store.save({ ...makeRun({ model: "CNN" }), id: "run-done" });
    // As a CLI run killed with SIGKILL leaves it: running, owned by a process that is gone.
    const killed = { ...makeRun({ model: "MLP", status: "running", epochs: 5, epochsDone: 2 }), id: "run-killed" };
    const owner = {
      host: hostname(),
      pid: 2 ** 22 + 17,
      processStartedAt: "2026-01-01T00:00:00.000Z",
      heartbeatAt: "2026-01-01T00:01:00.000Z",
    };
    await writeFile(join(store.runsDir, "run-killed.json"), JSON.stringify({ ...killed, owner }));
    await writeFile(join(store.runsDir, "torn.json"), '{"schemaVersion": 2, "id": "torn"');
    await writeFile(join(store.runsDir, "future.json"), JSON.stringify({ ...killed, id: "future", schemaVersion: 99 }));

    // What the extension does when it loads the store (ArchLab.reload), then what the panel sends.
    const { records, warnings } = await store.list();
    const repaired = new Map((await closeOrphanedRuns(store, records)).map((r) => [r.id, r]));
    const runs = new WorkspaceRuns(root, { event: () => ({ dispose() {} }), fire() {}, dispose() {} });
    runs.replaceAll(
      records.map((r) => repaired.get(r.id) ?? r),
      warnings,
    );
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: runs.list().map(toPanel), warnings: [...(runs.warnings ?? [])] });
    await panel.settle();

    assert.equal(await panel.page.locator('tr[data-run-id="run-killed"] .status').textContent(), "interrupted");
    assert.equal((await store.get("run-killed"))?.epochs.length, 2, "the epochs it recorded stay");
    const notice = (await panel.page.locator(".notice").textContent()) ?? "";
    assert.match(notice, /Skipped run record torn\.json: not valid JSON/);
    assert.match(notice, /Skipped run record future\.json: unknown schema version 99 .*newer ArchLab/);
    if (process.env.ARCHLAB_SCREENSHOTS)
      await panel.page.screenshot({ path: join(process.env.ARCHLAB_SCREENSHOTS, "panel-store-warnings.png") });
    assert.deepEqual(panel.errors, []);
  });
});

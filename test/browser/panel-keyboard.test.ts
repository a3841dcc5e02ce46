import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, studyRuns, toPanel } from "./fixtures";

const focused = (panel: PanelPage) =>
  panel.page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    const tr = active?.closest("tr") as HTMLElement | null;
    return {
      tag: active?.tagName ?? "",
      runId: tr?.dataset.runId,
      groupKey: tr?.dataset.groupKey,
      outline: active ? getComputedStyle(active).outlineStyle : "",
    };
  });

async function press(panel: PanelPage, key: string): Promise<void> {
  await panel.page.keyboard.press(key);
  await panel.settle();
}

describe("comparison panel: keyboard", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("moves through the rows with the arrow keys, one row in the tab order, focus visible", async () => {
    const panel = await openPanel(browser);
    const runs = studyRuns();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.click('button.sort[data-column="params"]');
    await panel.settle();
    assert.equal(await panel.page.locator('.runs-table tbody tr[tabindex="0"]').count(), 1);
    // Tab from the last header button lands on the table's one tabbable row.
    await panel.page.locator('button.sort[data-column="started"]').focus();
    await press(panel, "Tab");
    const byModel = new Map(runs.map((r) => [r.model, r.id]));
    const now = await focused(panel);
    assert.equal(now.tag, "TR");
    assert.notEqual(now.outline, "none", "the focused row shows an outline");
    await press(panel, "Home");
    assert.equal((await focused(panel)).runId, byModel.get("TinyCNN"));
    await press(panel, "ArrowDown");
    await press(panel, "ArrowDown");
    assert.equal((await focused(panel)).runId, byModel.get("CNN"));
    await press(panel, "Enter");
    assert.equal(await panel.page.locator(".details h2").textContent(), "CNN");
    await press(panel, "End");
    assert.equal((await focused(panel)).runId, byModel.get("StrongCNN"));
    await press(panel, "Control+Enter");
    assert.deepEqual((await panel.state())?.selected, [byModel.get("CNN"), byModel.get("StrongCNN")]);
    await press(panel, "Home");
    assert.equal((await focused(panel)).runId, byModel.get("TinyCNN"));
    assert.equal(await panel.page.locator('.runs-table tbody tr[tabindex="0"]').count(), 1);
  });

  it("folds and unfolds a group from the keyboard", async () => {
    const panel = await openPanel(browser);
    await panel.send({
      type: "snapshot",
      runs: [...studyRuns(), makeRun({ model: "CNN", params: 26_698 })].map(toPanel),
      warnings: [],
    });
    await panel.page.selectOption('select[data-control="group-by"]', "architecture");
    await panel.settle();
    await panel.page.locator(".runs-table tbody tr.group-row").first().focus();
    const group = (await focused(panel)).groupKey;
    assert.ok(group, "the first row is a group header");
    const runRows = () => panel.page.locator(".runs-table tbody tr[data-run-id]").count();
    const before = await runRows();
    await press(panel, "Enter");
    assert.equal(await panel.page.locator(`tr[data-group-key="${group}"]`).getAttribute("aria-expanded"), "false");
    assert.ok((await runRows()) < before);
    assert.equal((await focused(panel)).groupKey, group, "the header keeps the focus");
    await press(panel, "ArrowRight");
    assert.equal(await runRows(), before);
    await press(panel, "ArrowLeft");
    assert.ok((await runRows()) < before);
  });

  it("reaches a row far down a thousand-run table", async () => {
    const panel = await openPanel(browser);
    const runs = Array.from({ length: 1000 }, (_, i) => makeRun({ model: `Net${String(i).padStart(4, "0")}` }));
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.click('button.sort[data-column="model"]');
    await panel.settle();
    await panel.page.locator('.runs-table tbody tr[tabindex="0"]').focus();
    await press(panel, "End");
    assert.equal((await focused(panel)).runId, runs[999].id);
    await press(panel, "PageUp");
    assert.equal((await focused(panel)).runId, runs[989].id);
    assert.ok(await panel.page.locator(`tr[data-run-id="${runs[989].id}"]`).isVisible());
  });
});

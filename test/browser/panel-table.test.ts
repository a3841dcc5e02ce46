import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { columnText, launchBrowser, openPanel, type Browser } from "./harness";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { makeRun, studyRuns, toPanel } from "./fixtures";

describe("comparison panel: runs table", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("says ready, then shows the snapshot as rows with the study figures", async () => {
    const panel = await openPanel(browser);
    assert.deepEqual(await panel.posted(), [{ type: "ready" }]);
    await panel.send({ type: "snapshot", runs: studyRuns().map(toPanel), warnings: [] });
    assert.deepEqual((await columnText(panel, "model")).sort(), ["CNN", "MLP", "StrongCNN", "TinyCNN"]);
    const row = panel.page.locator(".runs-table tbody tr", { hasText: "StrongCNN" });
    assert.equal(await row.locator('td[data-column="params"]').textContent(), "467,818");
    assert.equal(await row.locator('td[data-column="testAccuracy"]').textContent(), "99.09%");
    assert.equal(await row.locator('td[data-column="epochs"]').textContent(), "5/5");
    assert.equal(await row.locator('td[data-column="status"]').textContent(), "completed");
    assert.match((await panel.page.locator(".toolbar .count").textContent()) ?? "", /4 of 4 runs/);
    assert.deepEqual(panel.errors, []);
  });

  it("sorts by a column on header clicks, both ways", async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: studyRuns().map(toPanel), warnings: [] });
    await panel.page.click('button.sort[data-column="params"]');
    await panel.settle();
    assert.deepEqual(await columnText(panel, "model"), ["TinyCNN", "MLP", "CNN", "StrongCNN"]);
    await panel.page.click('button.sort[data-column="params"]');
    await panel.settle();
    assert.deepEqual(await columnText(panel, "model"), ["StrongCNN", "CNN", "MLP", "TinyCNN"]);
    await panel.page.click('button.sort[data-column="testAccuracy"]');
    await panel.settle();
    assert.deepEqual(await columnText(panel, "model"), ["MLP", "TinyCNN", "CNN", "StrongCNN"]);
    assert.deepEqual((await panel.state())?.sort, { column: "testAccuracy", descending: false });
  });

  it("filters by model or file text and by status", async () => {
    const panel = await openPanel(browser);
    const runs = [
      ...studyRuns(),
      makeRun({ model: "WideMLP", file: "experiments/wide.model.ts", status: "failed" }),
      makeRun({ model: "DeepCNN", file: "experiments/deep.model.ts", status: "running", epochsDone: 2 }),
    ];
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.locator('vscode-textfield[data-filter="text"] input').fill("cnn");
    await panel.settle();
    assert.deepEqual((await columnText(panel, "model")).sort(), ["CNN", "DeepCNN", "StrongCNN", "TinyCNN"]);
    await panel.page.locator('vscode-textfield[data-filter="text"] input').fill("experiments/");
    await panel.settle();
    assert.deepEqual((await columnText(panel, "model")).sort(), ["DeepCNN", "WideMLP"]);
    await panel.page.locator('vscode-textfield[data-filter="text"] input').fill("");
    await panel.page.evaluate(() => {
      const select = document.querySelector('vscode-single-select[data-filter="status"]') as HTMLElement & {
        value: string;
      };
      select.value = "failed";
      select.dispatchEvent(new Event("change"));
    });
    await panel.settle();
    assert.deepEqual(await columnText(panel, "model"), ["WideMLP"]);
    assert.match((await panel.page.locator(".toolbar .count").textContent()) ?? "", /1 of 6 runs/);
  });

  it("leaves out a malformed record with a notice and shows the rest", async () => {
    const panel = await openPanel(browser);
    const broken = {
      ...toPanel(makeRun({ model: "Broken" })),
      config: undefined,
      epochs: "many",
    } as unknown as PanelRun;
    await panel.send({
      type: "snapshot",
      runs: [broken, ...studyRuns().map(toPanel)],
      warnings: ["1 run record skipped: unknown schema version"],
    });
    assert.deepEqual((await columnText(panel, "model")).sort(), ["CNN", "MLP", "StrongCNN", "TinyCNN"]);
    assert.match((await panel.page.locator(".notice").textContent()) ?? "", /1 run record\(s\) could not be shown/);
    assert.deepEqual(panel.errors, []);
  });

  it("shows hostile names as text and injects no element", async () => {
    const panel = await openPanel(browser);
    const hostile = "<img src=x onerror=alert(1)>";
    const run = makeRun({ model: hostile, file: "<script>alert(2)</script>.model.ts" });
    await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
    await panel.page.click('.runs-table tbody td[data-column="model"]');
    await panel.settle();
    assert.deepEqual(await columnText(panel, "model"), [hostile]);
    assert.equal(await panel.page.locator(".details h2").textContent(), hostile);
    assert.equal(await panel.page.locator("#app img").count(), 0);
    assert.equal(await panel.page.locator("#app script").count(), 0);
    assert.deepEqual(panel.errors, []);
  });

  it("restores filters, selection and details from saved state; moves a running row's progress bar with batches", async () => {
    const running = makeRun({ model: "CNN", status: "running", epochs: 4, epochsDone: 1 });
    const panel = await openPanel(browser, {
      version: 1,
      sort: { column: "model", descending: false },
      filters: { text: "cnn", status: "" },
      selected: [running.id],
      detailsRunId: running.id,
    });
    await panel.send({ type: "snapshot", runs: [toPanel(running), ...studyRuns().map(toPanel)], warnings: [] });
    assert.equal(await panel.page.locator('vscode-textfield[data-filter="text"] input').inputValue(), "cnn");
    assert.equal(await panel.page.locator(".details h2").textContent(), "CNN");
    const bar = panel.page.locator(`tr[data-run-id="${running.id}"] vscode-progress-bar`);
    assert.equal(await bar.getAttribute("value"), "25");
    await panel.send({
      type: "batches",
      progress: [{ runId: running.id, epoch: 2, batch: 50, batchesPerEpoch: 100, loss: 0.3, acc: 0.9 }],
    });
    assert.equal(await bar.getAttribute("value"), "38");
    assert.equal(
      await panel.page.locator(`tr[data-run-id="${running.id}"] .progress-label`).textContent(),
      " 38% · epoch 2/4, loss 0.300",
    );
    assert.equal(await panel.page.locator(`tr[data-run-id="${running.id}"] input[type=checkbox]`).isChecked(), true);
    assert.deepEqual(await columnText(panel, "model"), ["CNN", "CNN", "StrongCNN", "TinyCNN"]);
    await panel.page.locator(".runs-table tbody tr", { hasText: "TinyCNN" }).focus();
    await panel.page.keyboard.press("Enter");
    await panel.settle();
    assert.equal(await panel.page.locator(".details h2").textContent(), "TinyCNN");
  });

  it("keeps a thousand runs scrollable, drawing the rows in view", async () => {
    const panel = await openPanel(browser);
    const runs = Array.from({ length: 1000 }, (_, i) =>
      makeRun({ model: `Net${String(i).padStart(4, "0")}`, epochs: 20 }),
    );
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.click('button.sort[data-column="model"]');
    await panel.settle();
    const shown = await columnText(panel, "model");
    assert.equal(shown[0], "Net0000");
    assert.ok(shown.length < 200, `${shown.length} rows in the DOM`);
    await panel.page.locator(".table-scroll").evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    await panel.settle();
    const atEnd = await columnText(panel, "model");
    assert.equal(atEnd[atEnd.length - 1], "Net0999");
    await panel.page.locator("tr", { hasText: "Net0999" }).locator('td[data-column="model"]').click();
    await panel.settle();
    assert.equal(await panel.page.locator(".details h2").textContent(), "Net0999");
    assert.match((await panel.page.locator(".toolbar .count").textContent()) ?? "", /1000 of 1000 runs, 1 selected/);
  });
});

// A continued run (Continue Training) in the panel: its curves start after its parent's last epoch
// and join the parent's line when both are drawn, its details name the parent with a link to it (or
// say it was deleted), its row says where it went on from, and its saved model can go on again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunRecord } from "../../src/engine/types";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { chartData, columnText, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

interface Point {
  x: number;
  y: number;
}

/** TinyCNN trained 3 epochs, and a run that went on from it for 2 more (epochs 4 and 5). */
function lineage(): { parent: RunRecord; child: RunRecord } {
  const parent = makeRun({ model: "TinyCNN", epochs: 3, startedAt: "2026-01-01T10:00:00.000Z" });
  parent.epochs = parent.epochs.map((e, i) => ({ ...e, loss: [1.2, 0.8, 0.6][i], seconds: [4, 3, 3][i] }));
  parent.savedModel = {
    path: `.archlab/models/${parent.id}`,
    bytes: 52_000,
    sha256: "a".repeat(64),
    epoch: 3,
    optimizer: "adam",
  };
  const child = makeRun({ model: "TinyCNN", epochs: 2, startedAt: "2026-01-01T11:00:00.000Z" });
  child.parent = { id: parent.id, epochs: 3 };
  child.epochs = [
    { epoch: 4, loss: 0.5, acc: 0.9, valLoss: 0.55, valAcc: 0.88, seconds: 2 },
    { epoch: 5, loss: 0.45, acc: 0.92, valLoss: 0.5, valAcc: 0.9, seconds: 2.5 },
  ];
  child.savedModel = {
    path: `.archlab/models/${child.id}`,
    bytes: 52_000,
    sha256: "b".repeat(64),
    epoch: 5,
    optimizer: "adam",
  };
  return { parent, child };
}

const trainLoss = async (panel: PanelPage, run: RunRecord): Promise<Point[] | undefined> =>
  (await chartData(panel, "loss")).find(
    (d) =>
      d.label.endsWith(" train") &&
      d.label.startsWith("TinyCNN") &&
      d.label.includes(new Date(run.startedAt).toTimeString().slice(0, 8)),
  )?.data as Point[] | undefined;

async function clickRow(panel: PanelPage, id: string): Promise<void> {
  await panel.page.click(`tr[data-run-id="${id}"] td[data-column="model"]`);
  await panel.settle();
}

describe("comparison panel: continued runs", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("draws a continued run from its parent's epochs on, joined to the parent's line when both are selected", async () => {
    const panel = await openPanel(browser);
    const { parent, child } = lineage();
    await panel.send({ type: "snapshot", runs: [toPanel(parent), toPanel(child)], warnings: [] });
    await clickRow(panel, child.id);
    assert.deepEqual(
      await trainLoss(panel, child),
      [
        { x: 4, y: 0.5 },
        { x: 5, y: 0.45 },
      ],
      "alone, from epoch 4 on",
    );

    await panel.page.click(`tr[data-run-id="${parent.id}"] input[type=checkbox]`);
    await panel.settle();
    assert.deepEqual(await trainLoss(panel, parent), [
      { x: 1, y: 1.2 },
      { x: 2, y: 0.8 },
      { x: 3, y: 0.6 },
    ]);
    assert.deepEqual(
      await trainLoss(panel, child),
      [
        { x: 3, y: 0.6 },
        { x: 4, y: 0.5 },
        { x: 5, y: 0.45 },
      ],
      "with its parent, from the parent's last point",
    );

    // By training time, the continued run starts where its parent's 10 seconds ended.
    await panel.page.selectOption('select[data-control="x-axis"]', "time");
    await panel.settle();
    assert.deepEqual(
      (await trainLoss(panel, parent))?.map((p) => p.x),
      [4, 7, 10],
    );
    assert.deepEqual(
      (await trainLoss(panel, child))?.map((p) => p.x),
      [10, 12, 14.5],
    );
    assert.deepEqual(panel.errors, []);
  });

  it("names the parent in the details with a link that shows it, says when it is gone, and marks the row", async () => {
    const panel = await openPanel(browser);
    const { parent, child } = lineage();
    await panel.send({ type: "snapshot", runs: [toPanel(parent), toPanel(child)], warnings: [] });
    await clickRow(panel, child.id);
    const at = new Date(parent.startedAt).toTimeString().slice(0, 8);
    assert.equal(
      await panel.page.locator(".details .continued").textContent(),
      `Continued from TinyCNN ${at} (…${parent.id.slice(-4)}) at epoch 3`,
    );
    assert.match((await panel.page.locator(".details dl.config").textContent()) ?? "", /Epochs2 \(epochs 4–5\)/);
    const models = await columnText(panel, "model");
    assert.ok(models.includes("TinyCNN ↳ from epoch 3"), models.join(" | "));
    assert.ok(models.includes("TinyCNN"));
    assert.deepEqual((await columnText(panel, "epochs")).sort(), ["3/3", "5/5"]);

    await panel.page.click('.details .continued button[data-action="showParent"]');
    await panel.settle();
    assert.equal((await panel.state())?.detailsRunId, parent.id);
    assert.equal(await panel.page.locator(".details .continued").count(), 0, "the parent continues nothing");

    // Deleting the parent leaves the continued run whole: its row, curve and details.
    await clickRow(panel, child.id);
    await panel.send({ type: "removed", id: parent.id });
    assert.equal(
      await panel.page.locator(".details .continued").textContent(),
      `Continued from run ${parent.id} at epoch 3. That run has been deleted; this one keeps its own curves and model.`,
    );
    assert.deepEqual(
      (await trainLoss(panel, child))?.map((p) => p.x),
      [4, 5],
    );
    assert.deepEqual(await columnText(panel, "model"), ["TinyCNN ↳ from epoch 3"]);
    assert.deepEqual(panel.errors, []);
  });

  it("offers Continue Training for a run's saved model once the run has ended", async () => {
    const panel = await openPanel(browser);
    const { parent, child } = lineage();
    const running = makeRun({ model: "CNN", status: "running", epochs: 3, epochsDone: 1 });
    running.savedModel = {
      path: `.archlab/models/${running.id}`,
      bytes: 100_000,
      sha256: "c".repeat(64),
      epoch: 1,
      optimizer: "adam",
    };
    await panel.send({ type: "snapshot", runs: [toPanel(parent), toPanel(child), toPanel(running)], warnings: [] });
    await clickRow(panel, child.id);
    await panel.page.click('.details vscode-button[data-action="continueTraining"]');
    const posted = (await panel.posted()).filter(
      (m): m is Extract<WebviewToHost, { type: "continueTraining" }> => m.type === "continueTraining",
    );
    assert.deepEqual(posted, [{ type: "continueTraining", runId: child.id }]);
    await clickRow(panel, running.id);
    assert.equal(await panel.page.locator('.details vscode-button[data-action="exportModel"]').count(), 1);
    assert.equal(
      await panel.page.locator('.details vscode-button[data-action="continueTraining"]').count(),
      0,
      "not while it trains",
    );
    assert.deepEqual(panel.errors, []);
  });
});

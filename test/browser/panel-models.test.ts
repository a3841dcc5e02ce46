// A run's trained model in the panel: what its details say about it and the actions on it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { makeRun, toPanel } from "./fixtures";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";

const ofType = <T extends WebviewToHost["type"]>(messages: WebviewToHost[], type: T) =>
  messages.filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);

async function showDetails(panel: PanelPage, id: string): Promise<void> {
  await panel.page.click(`tr[data-run-id="${id}"] td[data-column="model"]`);
  await panel.settle();
}

describe("comparison panel: saved models", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("shows a run's saved model and sends Export Model and Delete Saved Model for it", async () => {
    const panel = await openPanel(browser);
    const run = makeRun({ model: "StrongCNN", accuracy: 0.99 });
    run.savedModel = {
      path: `.archlab/models/${run.id}`,
      bytes: 5_614_000,
      sha256: "a".repeat(64),
      epoch: 5,
      optimizer: "adam",
    };
    const bare = makeRun({ model: "MLP", accuracy: 0.95 });
    await panel.send({ type: "snapshot", runs: [toPanel(run), toPanel(bare)], warnings: [] });
    await showDetails(panel, run.id);
    assert.equal(
      await panel.page.locator(".details .saved-model").textContent(),
      "Trained model: 5.6 MB after epoch 5 (with adam's state) Continue Training…Export Model…Delete Saved Model",
    );
    await panel.page.click('.details vscode-button[data-action="exportModel"]');
    await panel.page.click('.details vscode-button[data-action="deleteSavedModel"]');
    const posted = await panel.posted();
    assert.deepEqual(ofType(posted, "exportModel"), [{ type: "exportModel", runId: run.id }]);
    assert.deepEqual(ofType(posted, "deleteSavedModel"), [{ type: "deleteSavedModel", runId: run.id }]);
    await showDetails(panel, bare.id);
    assert.match(
      (await panel.page.locator(".details .saved-model").textContent()) ?? "",
      /Trained model: not kept \(setting archlab\.keepModels\) or deleted/,
    );
    assert.equal(await panel.page.locator('.details vscode-button[data-action="exportModel"]').count(), 0);
    assert.deepEqual(panel.errors, []);
  });
});

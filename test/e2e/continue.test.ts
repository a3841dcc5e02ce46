// Continue Training in a real VS Code: a TinyCNN run trained two epochs from its Train lens shows
// in the comparison panel; its details' Continue Training… asks how many more epochs, the window
// trains them as a job, and the new run's curve goes on from the parent's, joined to it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FrameLocator } from "playwright-core";
import type { RunRecord } from "../../src/engine/types";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

// The study's file, its TinyCNN trained on 6,000 images: an epoch takes a few seconds.
const modelFile = readFileSync(path.join(repoRoot, "examples/mnist.model.ts"), "utf8").replace(
  /export const training = \{[^}]*\};/,
  "export const training = { epochs: 2, limit: 6000, testLimit: 1000 };",
);
const tinyCnnLine = modelFile.split("\n").findIndex((l) => l.startsWith("export function TinyCNN")) + 1;

interface Point {
  x: number;
  y: number;
}

/** The loss chart's train lines, by label, as the webview drew them. */
function trainLines(panel: FrameLocator): Promise<{ label: string; data: Point[] }[]> {
  return panel.locator("body").evaluate(() => {
    const { charts } = (
      window as unknown as {
        archlabPanel: { charts: Record<string, { data: { datasets: { label: string; data: Point[] }[] } }> };
      }
    ).archlabPanel;
    return charts.loss.data.datasets
      .filter((d) => d.label.endsWith(" train"))
      .map((d) => ({ label: d.label, data: d.data.map((p) => ({ x: p.x, y: p.y })) }));
  });
}

describe("Continue Training", () => {
  let vsc: VsCode;

  const waitForRun = async (what: string, found: (r: RunRecord) => boolean, timeoutMs: number): Promise<RunRecord> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = vsc.runRecords().find(found);
      if (run) return run;
      if (Date.now() > deadline)
        throw new Error(
          `${what}: not within ${timeoutMs / 1000} s (${JSON.stringify(vsc.runRecords().map((r) => [r.id, r.status, r.parent, r.error?.message]))})`,
        );
      await vsc.page.waitForTimeout(500);
    }
  };

  before(
    async () => {
      vsc = await startVsCode({
        contents: { "mnist.model.ts": modelFile },
        settings: { "archlab.backend": "auto", "archlab.keepModels": "all" },
      });
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "continues a run from the panel: asks for epochs, trains them as a job, and draws the curve on from the parent",
    { timeout: 240_000 },
    scenario(async (t) => {
      await vsc.waitForActivation();
      await vsc.openFile("mnist.model.ts");
      await vsc.clickCodeLensAbove(tinyCnnLine, "Train", 45_000);
      const parent = await waitForRun(
        "the parent run completed",
        (r) => r.model === "TinyCNN" && r.status === "completed",
        120_000,
      );
      assert.deepEqual([parent.config.limit, parent.savedModel?.epoch], [6000, 2]);

      await vsc.runCommand("ArchLab: Open Comparison Panel");
      const panel = await vsc.webview("ArchLab: Compare");
      const parentRow = panel.locator(`.runs-table tbody tr[data-run-id="${parent.id}"]`);
      await parentRow.waitFor({ timeout: 30_000 });
      await parentRow.locator('td[data-column="model"]').click();
      const continueButton = panel.locator('.details vscode-button[data-action="continueTraining"]');
      await continueButton.click();

      // VS Code's input box: the run's own count proposed, a wrong answer explained, then 3 epochs.
      const input = vsc.page.locator(".quick-input-widget input");
      await input.waitFor();
      assert.match(await vsc.page.locator(".quick-input-widget").innerText(), /Continue training TinyCNN from epoch 2/);
      assert.equal(await input.inputValue(), "2");
      const complaint = vsc.page.locator(".quick-input-widget .quick-input-message", {
        hasText: "A whole number of epochs, from 1 to 1000",
      });
      await input.fill("0");
      await complaint.waitFor();
      await input.fill("3");
      await complaint.waitFor({ state: "hidden" });
      assert.match(
        await vsc.page.locator(".quick-input-widget").innerText(),
        /How many more epochs\? They train as a new run from epoch 3/,
      );
      const shots = [await vsc.screenshot("continue-training-epochs")];
      await vsc.page.keyboard.press("Enter");
      const progress = await vsc.waitForNotification(/TinyCNN \(continued from epoch 2\)/, 60_000);
      t.diagnostic(`notification: ${progress}`);

      const child = await waitForRun(
        "the continued run completed",
        (r) => r.parent?.id === parent.id && r.status !== "running",
        180_000,
      );
      assert.equal(child.status, "completed", child.error?.message);
      assert.deepEqual(child.parent, { id: parent.id, epochs: 2 });
      assert.deepEqual(
        child.epochs.map((e) => e.epoch),
        [3, 4, 5],
      );
      assert.equal(child.backend.engine, "wasm-fused");
      t.diagnostic(
        `parent's losses ${parent.epochs.map((e) => e.loss.toFixed(4)).join(", ")}; continued ${child.epochs.map((e) => e.loss.toFixed(4)).join(", ")}`,
      );
      assert.ok(child.epochs[0].loss < parent.epochs[1].loss, "the loss goes on falling from where the parent stopped");

      // The new run in the table, both runs' curves joined, and its details naming its parent.
      const childRow = panel.locator(`.runs-table tbody tr[data-run-id="${child.id}"]`);
      await childRow.waitFor({ timeout: 30_000 });
      assert.equal(await childRow.locator('td[data-column="model"]').innerText(), "TinyCNN ↳ from epoch 2");
      assert.equal(await childRow.locator('td[data-column="epochs"]').innerText(), "5/5");
      await childRow.locator('td[data-column="model"]').click();
      await parentRow.locator("input[type=checkbox]").click();
      await panel
        .locator("body")
        .evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const lines = await trainLines(panel);
      assert.equal(lines.length, 2, lines.map((l) => l.label).join(", "));
      const [parentLine, childLine] = [
        lines.find((l) => l.data.length === 2)!,
        lines.find((l) => l.data.length === 4)!,
      ];
      assert.deepEqual(
        parentLine.data.map((p) => p.x),
        [1, 2],
      );
      assert.deepEqual(
        childLine.data.map((p) => p.x),
        [2, 3, 4, 5],
        "from the parent's last epoch on",
      );
      assert.deepEqual(childLine.data[0], parentLine.data[1], "the two lines join");
      const details = panel.locator(".details .continued");
      assert.match(
        await details.innerText(),
        new RegExp(`^Continued from TinyCNN \\d\\d:\\d\\d:\\d\\d \\(…${parent.id.slice(-4)}\\) at epoch 2$`),
      );

      await childRow.scrollIntoViewIfNeeded();
      shots.push(await vsc.screenshot("continue-training-table"));
      await panel.locator('canvas[data-chart="loss"]').scrollIntoViewIfNeeded();
      shots.push(await vsc.screenshot("continue-training-curves"));
      await details.scrollIntoViewIfNeeded();
      shots.push(await vsc.screenshot("continue-training-details"));
      t.diagnostic(`screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(", ")}`);
    }),
  );
});

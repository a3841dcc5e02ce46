import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunRecord } from "../../src/engine/types";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

/** Three runs of one study that differ in model, learning rate and results only. */
function threeRuns(): RunRecord[] {
  const a = makeRun({ model: "CNN", params: 26_698, accuracy: 0.9822, testLoss: 0.056, learningTimeSec: 95 });
  const b = makeRun({ model: "CNN", params: 26_698, accuracy: 0.9851, testLoss: 0.049, learningTimeSec: 95 });
  b.config = { ...b.config, learningRate: 3e-3 };
  const c = makeRun({ model: "TinyCNN", params: 4_266, accuracy: 0.9796, testLoss: 0.066, learningTimeSec: 60 });
  return [a, b, c];
}

const compareRowLabels = (panel: PanelPage) =>
  panel.page.$$eval(".compare-table tbody tr[data-compare-row]", (rows) =>
    rows.map((r) => (r as HTMLElement).dataset.compareRow),
  );

const cellTexts = (panel: PanelPage, label: string) =>
  panel.page.$$eval(`.compare-table tr[data-compare-row="${label}"] td`, (cells) =>
    cells.map((c) => ({ text: c.firstChild?.textContent ?? "", best: c.classList.contains("best") })),
  );

async function check(panel: PanelPage, runId: string): Promise<void> {
  await panel.page.locator(`.runs-table tr[data-run-id="${runId}"] input[type=checkbox]`).check();
  await panel.settle();
}

const actionDisabled = (panel: PanelPage, action: string) =>
  panel.page.locator(`vscode-button[data-action="${action}"]`).evaluate((b) => b.hasAttribute("disabled"));

describe("comparison panel: side by side", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("compares two to four runs: only what differs by default, the best result marked", async () => {
    const panel = await openPanel(browser, { version: 2, selection: "manual", selected: [] });
    const runs = threeRuns();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal(await actionDisabled(panel, "compare"), true, "nothing to compare with no run selected");
    await check(panel, runs[0].id);
    assert.equal(await actionDisabled(panel, "compare"), true, "one run is not a comparison");
    await check(panel, runs[1].id);
    await check(panel, runs[2].id);
    assert.equal(await actionDisabled(panel, "compare"), false);
    assert.equal(await panel.page.locator("section.compare").isVisible(), false);
    await panel.page.click('vscode-button[data-action="compare"]');
    await panel.settle();
    assert.equal(await panel.page.locator("section.compare").isVisible(), true);
    assert.equal(
      await panel.page.evaluate(() => document.activeElement?.id),
      "compare-title",
      "the keyboard moves to the comparison",
    );
    // One column per run, oldest first.
    assert.deepEqual(
      await panel.page.$$eval(".compare-table thead th[data-run-id]", (ths) =>
        ths.map((t) => (t as HTMLElement).dataset.runId),
      ),
      runs.map((r) => r.id),
    );
    assert.equal(
      await panel.page.locator('input[data-control="diff-only"]').isChecked(),
      true,
      '"only what differs" is on by default',
    );
    const differing = await compareRowLabels(panel);
    for (const label of ["Model", "Learning rate", "Params", "Test accuracy", "Test loss", "Learning time"])
      assert.ok(differing.includes(label), `${label} differs: ${differing.join(",")}`);
    for (const label of ["Batch size", "Optimizer", "Dataset", "Seed", "File"])
      assert.ok(!differing.includes(label), `${label} is shared and hidden`);
    assert.deepEqual(await cellTexts(panel, "Learning rate"), [
      { text: "0.001", best: false },
      { text: "0.003", best: false },
      { text: "0.001", best: false },
    ]);
    assert.deepEqual(
      (await cellTexts(panel, "Test accuracy")).map((c) => c.best),
      [false, true, false],
      "the best accuracy is marked",
    );
    assert.deepEqual(
      (await cellTexts(panel, "Params")).map((c) => c.best),
      [false, false, true],
      "the smallest model is marked",
    );
    assert.match(
      (await panel.page.locator("[data-compare-hidden]").textContent()) ?? "",
      /^\d+ of \d+ rows are the same and hidden$/,
    );

    await panel.page.locator('input[data-control="diff-only"]').uncheck();
    await panel.settle();
    const everything = await compareRowLabels(panel);
    assert.ok(everything.includes("Batch size") && everything.includes("Optimizer"), "shared rows come back");
    assert.deepEqual(
      await cellTexts(panel, "Batch size"),
      [0, 1, 2].map(() => ({ text: "64", best: false })),
    );
    assert.equal((await panel.state())?.compareDiffOnly, false);
    assert.deepEqual(
      (await panel.state())?.compare,
      runs.map((r) => r.id),
    );
    assert.deepEqual(panel.errors, []);
  });

  it("overlays the runs' curves and shows their confusion matrices", async () => {
    const runs = threeRuns();
    const ids = runs.map((r) => r.id);
    const panel = await openPanel(browser, { version: 2, selection: "manual", selected: ids, compare: ids });
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal(
      await panel.page.locator("section.compare").isVisible(),
      true,
      "the comparison is back after a reload",
    );
    const datasets = await panel.page.evaluate(() => {
      const charts = (
        window as unknown as {
          archlabPanel: {
            compareCharts: Record<
              string,
              { data: { datasets: { label: string; data: { x: number; y: number }[]; borderColor: string }[] } }
            >;
          };
        }
      ).archlabPanel.compareCharts;
      return charts["compare-loss"].data.datasets.map((d) => ({
        label: d.label,
        points: d.data.length,
        color: d.borderColor,
      }));
    });
    assert.equal(datasets.length, 6, "train and test of each of the three runs");
    assert.equal(new Set(datasets.map((d) => d.color)).size, 3, "one colour per run");
    assert.ok(datasets.every((d) => d.points === 5));
    assert.equal(datasets.filter((d) => d.label.endsWith(" test")).length, 3);
    const matrices = await panel.page.$$eval(".compare-confusion", (figures) =>
      figures.map((f) => ({
        id: (f as HTMLElement).dataset.runId,
        label: f.querySelector("canvas")?.getAttribute("aria-label") ?? "",
      })),
    );
    assert.deepEqual(
      matrices.map((m) => m.id),
      runs.map((r) => r.id),
    );
    // makeRun's mistakes: each wrongly classified image is predicted as the next class.
    assert.match(matrices[2].label, /Most confused: true 0 predicted 1 2 times, true 1 predicted 2 2 times/);
    await panel.page.click("vscode-button[data-compare-close]");
    await panel.settle();
    assert.equal(await panel.page.locator("section.compare").isVisible(), false);
    assert.deepEqual((await panel.state())?.compare, []);
    assert.equal(
      await panel.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action),
      "compare",
      "focus goes back to the Compare button",
    );
  });

  it("follows a compared running run and lets go of a deleted one", async () => {
    const runs = threeRuns();
    const running = makeRun({ model: "MLP", status: "running", epochs: 5, epochsDone: 1 });
    const panel = await openPanel(browser, {
      version: 2,
      selection: "manual",
      selected: [],
      compare: [runs[0].id, running.id],
    });
    await panel.send({ type: "snapshot", runs: [...runs, running].map(toPanel), warnings: [] });
    assert.deepEqual(await cellTexts(panel, "Epochs"), [
      { text: "5/5", best: false },
      { text: "1/5", best: false },
    ]);
    const next = {
      ...makeRun({ model: "MLP", status: "running", epochs: 5, epochsDone: 3 }),
      id: running.id,
      startedAt: running.startedAt,
    };
    await panel.send({ type: "upsert", run: toPanel(next) });
    assert.deepEqual(
      (await cellTexts(panel, "Epochs")).map((c) => c.text),
      ["5/5", "3/5"],
    );
    await panel.send({ type: "removed", id: running.id });
    assert.equal(await panel.page.locator("section.compare").isVisible(), false, "one run left is no comparison");
    assert.deepEqual(panel.errors, []);
  });
});

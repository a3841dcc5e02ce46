import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunAnnotations } from "../../src/engine/types";
import type { PanelRun, WebviewToHost } from "../../src/shared/webview-protocol";
import { chartData, columnText, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, studyRuns, toPanel } from "./fixtures";

const annotateMessages = async (panel: PanelPage) =>
  (await panel.posted()).filter((m): m is Extract<WebviewToHost, { type: "annotate" }> => m.type === "annotate");

/** What the host does with an annotate request: the record comes back with the change saved. */
async function hostSaves(panel: PanelPage, run: PanelRun, annotations: RunAnnotations): Promise<PanelRun> {
  const saved = { ...run, annotations };
  await panel.send({ type: "upsert", run: saved });
  return saved;
}

const modelCells = (panel: PanelPage) => columnText(panel, "model");

async function filterText(panel: PanelPage, text: string): Promise<void> {
  await panel.page.locator('vscode-textfield[data-filter="text"] input').fill(text);
  await panel.settle();
}

describe("comparison panel: names, notes and stars", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("renames a run and notes it from its details; the table, curves and filter use them", async () => {
    const panel = await openPanel(browser);
    const runs = studyRuns().map(toPanel);
    await panel.send({ type: "snapshot", runs, warnings: [] });
    const cnn = runs.find((r) => r.model === "CNN")!;
    await panel.page.click(`.runs-table tr[data-run-id="${cnn.id}"] td[data-column="file"]`);
    await panel.settle();
    assert.equal(await panel.page.locator('input[data-annotation="name"]').getAttribute("placeholder"), "CNN");
    await panel.page.locator('input[data-annotation="name"]').fill("  baseline ");
    await panel.page.locator('input[data-annotation="name"]').press("Enter");
    await panel.page.locator('textarea[data-annotation="note"]').fill("Dropout would help.\nTry lr 3e-3.");
    await panel.page.locator('textarea[data-annotation="note"]').press("Control+Enter");
    assert.deepEqual(await annotateMessages(panel), [
      { type: "annotate", runId: cnn.id, annotations: { name: "  baseline " } },
      { type: "annotate", runId: cnn.id, annotations: { note: "Dropout would help.\nTry lr 3e-3." } },
    ]);
    assert.equal(await panel.page.locator("[data-annotation-status]").textContent(), "Saving…");
    // Nothing shows as saved until the host sends the record back.
    assert.ok(!(await modelCells(panel)).some((t) => t.startsWith("baseline")));
    await hostSaves(panel, cnn, { name: "baseline", note: "Dropout would help.\nTry lr 3e-3." });
    assert.equal(await panel.page.locator("[data-annotation-status]").textContent(), "Saved in the run record");
    assert.ok((await modelCells(panel)).includes("baseline CNN"), (await modelCells(panel)).join(","));
    assert.equal(
      await panel.page.locator(`.runs-table tr[data-run-id="${cnn.id}"] td[data-column="note"]`).textContent(),
      "Dropout would help.\nTry lr 3e-3.",
    );
    assert.equal(await panel.page.locator(".details h2").textContent(), "baseline CNN");
    assert.ok(
      (await chartData(panel, "loss")).some((d) => d.label === "baseline train"),
      "the curves are labelled with the name",
    );
    // The filter box searches names and notes.
    await filterText(panel, "BASELINE");
    assert.deepEqual(await modelCells(panel), ["baseline CNN"]);
    await filterText(panel, "lr 3e-3");
    assert.deepEqual(await modelCells(panel), ["baseline CNN"]);
    await filterText(panel, "tiny");
    assert.deepEqual(await modelCells(panel), ["TinyCNN"]);
    assert.deepEqual(panel.errors, []);
  });

  it("stars a run with its button or S on its row, and filters on stars", async () => {
    const panel = await openPanel(browser);
    const runs = studyRuns().map(toPanel);
    await panel.send({ type: "snapshot", runs, warnings: [] });
    const [mlp, , tiny] = runs;
    const selectedBefore = (await panel.state())?.selected;
    await panel.page.click(`.runs-table tr[data-run-id="${mlp.id}"] button.star`);
    await panel.page.locator(`.runs-table tr[data-run-id="${tiny.id}"]`).focus();
    await panel.page.keyboard.press("s");
    assert.deepEqual(
      (await annotateMessages(panel)).map((m) => [m.runId, m.annotations]),
      [
        [mlp.id, { starred: true }],
        [tiny.id, { starred: true }],
      ],
    );
    assert.deepEqual((await panel.state())?.selected, selectedBefore, "starring does not change the selection");
    assert.equal(await panel.page.locator(".details h2").count(), 0, "nor open the details");
    const starredTiny = await hostSaves(panel, tiny, { starred: true });
    assert.equal(
      await panel.page.locator(`.runs-table tr[data-run-id="${tiny.id}"] button.star`).getAttribute("aria-pressed"),
      "true",
    );
    await panel.page.locator('input[data-control="starred-only"]').check();
    await panel.settle();
    assert.deepEqual(await modelCells(panel), ["TinyCNN"]);
    assert.equal((await panel.state())?.filters.starred, true);
    // S again on the row unstars it.
    await panel.page.locator(`.runs-table tr[data-run-id="${tiny.id}"]`).focus();
    await panel.page.keyboard.press("S");
    assert.deepEqual((await annotateMessages(panel)).at(-1)?.annotations, { starred: false });
    await hostSaves(panel, starredTiny, {});
    assert.deepEqual(await modelCells(panel), []);
  });

  it("keeps a note being typed while a running run gets new epochs", async () => {
    const panel = await openPanel(browser);
    const running = toPanel(makeRun({ model: "TinyCNN", status: "running", epochs: 5, epochsDone: 1 }));
    await panel.send({ type: "snapshot", runs: [running], warnings: [] });
    await panel.page.click(`.runs-table tr[data-run-id="${running.id}"] td[data-column="file"]`);
    await panel.settle();
    const note = panel.page.locator('textarea[data-annotation="note"]');
    await note.fill("half-written");
    const next = toPanel({
      ...makeRun({ model: "TinyCNN", status: "running", epochs: 5, epochsDone: 2 }),
      id: running.id,
      startedAt: running.startedAt,
    });
    await panel.send({ type: "upsert", run: next });
    assert.equal(await note.inputValue(), "half-written");
    assert.equal(
      await panel.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.annotation),
      "note",
      "the note keeps focus",
    );
    assert.deepEqual(await annotateMessages(panel), [], "nothing is saved before the user is done");
    await note.press("Escape");
    assert.equal(await note.inputValue(), "", "Escape goes back to the saved note");
  });

  it("shows names, notes and stars of the records after a reload, with the filter the panel had", async () => {
    const runs = studyRuns().map(toPanel);
    runs[3] = { ...runs[3], annotations: { name: "the big one", note: "slow but best", starred: true } };
    const first = await openPanel(browser);
    await first.send({ type: "snapshot", runs, warnings: [] });
    await filterText(first, "slow");
    const saved = await first.state();
    await first.page.close();
    const panel = await openPanel(browser, saved);
    await panel.send({ type: "snapshot", runs, warnings: [] });
    assert.equal(
      await panel.page
        .locator('vscode-textfield[data-filter="text"]')
        .evaluate((f) => (f as HTMLElement & { value: string }).value),
      "slow",
    );
    assert.deepEqual(await modelCells(panel), ["the big one StrongCNN"]);
    assert.equal(
      await panel.page.locator(`.runs-table tr[data-run-id="${runs[3].id}"] button.star`).getAttribute("aria-pressed"),
      "true",
    );
    assert.deepEqual(panel.errors, []);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, studyRuns, toPanel } from "./fixtures";

const ofType = <T extends WebviewToHost["type"]>(messages: WebviewToHost[], type: T) =>
  messages.filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);

async function clickAction(panel: PanelPage, action: string): Promise<void> {
  await panel.page.click(`vscode-button[data-action="${action}"]`);
  await panel.settle();
}

describe("comparison panel: actions reach the host", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("exports the shown rows as Markdown and CSV, in table order", async () => {
    const panel = await openPanel(browser);
    const runs = studyRuns();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.locator('vscode-textfield[data-filter="text"] input').fill("cnn");
    await panel.page.click('button.sort[data-column="params"]');
    await panel.settle();
    await clickAction(panel, "exportMarkdown");
    await clickAction(panel, "exportCsv");
    const byModel = new Map(runs.map((r) => [r.model, r.id]));
    const expected = ["TinyCNN", "CNN", "StrongCNN"].map((m) => byModel.get(m));
    assert.deepEqual(ofType(await panel.posted(), "exportTable"), [
      { type: "exportTable", format: "markdown", runIds: expected },
      { type: "exportTable", format: "csv", runIds: expected },
    ]);
  });

  it("exports a chart as an opaque PNG data URL", async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: studyRuns().map(toPanel), warnings: [] });
    await panel.page.click('vscode-button[data-export-chart="pareto"]');
    const [request] = ofType(await panel.posted(), "exportChart");
    assert.equal(request.chart, "pareto");
    const png = Buffer.from(request.pngDataUrl.replace("data:image/png;base64,", ""), "base64");
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from("PNG")]);
    assert.ok(png.length > 5_000, `a ${png.length}-byte PNG is too small to hold the chart`);
  });

  it("sends stop, rerun, delete, diff and open-source for the selected runs", async () => {
    const panel = await openPanel(browser);
    const running = makeRun({ model: "Live", status: "running", epochsDone: 1 });
    const [mlp, cnn] = studyRuns();
    await panel.send({ type: "snapshot", runs: [running, mlp, cnn].map(toPanel), warnings: [] });
    // The panel opens with the latest run of each architecture selected; start from none.
    await panel.page.uncheck(".runs-table thead input[type=checkbox]");
    await panel.settle();
    const check = async (id: string) => {
      await panel.page.check(`tr[data-run-id="${id}"] input[type=checkbox]`);
      await panel.settle();
    };
    await check(running.id);
    assert.equal(
      await panel.page.locator('vscode-button[data-action="delete"]').getAttribute("disabled"),
      "",
      "a running run cannot be deleted",
    );
    await clickAction(panel, "stop");
    await panel.page.uncheck(`tr[data-run-id="${running.id}"] input[type=checkbox]`);
    await check(cnn.id);
    await clickAction(panel, "openSource");
    await check(mlp.id);
    await clickAction(panel, "diffSources");
    await clickAction(panel, "rerun");
    await clickAction(panel, "delete");
    const posted = await panel.posted();
    // Diff also shows what changed between the runs, with the test images the newer one fixed and broke.
    assert.ok(
      posted.some((m) => m.type === "testImages" && m.runId === cnn.id),
      "the diff asks for the newer run's test images",
    );
    const actions = posted.filter((m) => m.type !== "ready" && m.type !== "testImages");
    assert.deepEqual(actions, [
      { type: "stop", runId: running.id },
      { type: "openSource", runId: cnn.id },
      { type: "diffSources", leftRunId: mlp.id, rightRunId: cnn.id },
      { type: "rerun", runId: cnn.id },
      { type: "rerun", runId: mlp.id },
      { type: "delete", runIds: [cnn.id, mlp.id] },
    ]);
  });

  it("shows a confusion cell's misclassified images, fetched from the host", async () => {
    const panel = await openPanel(browser);
    const run = makeRun({ model: "MLP", accuracy: 0.95 });
    await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
    await panel.page.click(`tr[data-run-id="${run.id}"] td[data-column="model"]`);
    await panel.settle();
    const canvas = panel.page.locator("canvas.confusion");
    const { origin, cell } = await canvas.evaluate((c: HTMLElement) => ({
      origin: Number(c.dataset.origin),
      cell: Number(c.dataset.cell),
    }));
    // The fixture predicts each of its first mistakes as the next class: true 3 is predicted as 4.
    await canvas.click({ position: { x: origin + 4.5 * cell, y: origin + 3.5 * cell } });
    await panel.settle();
    const requests = ofType(await panel.posted(), "testImages");
    const last = requests[requests.length - 1];
    const expected = run.results!.misclassified.filter(([, t, p]) => t === 3 && p === 4).map(([index]) => index);
    assert.deepEqual(last.indices, expected);
    assert.match(
      (await panel.page.locator(".details h4", { hasText: "True 3" }).textContent()) ?? "",
      /True 3, predicted 4 \(5\)/,
    );
    const images = last.indices.map((index) => ({
      index,
      width: 28,
      height: 28,
      pixels: Array.from({ length: 784 }, (_, i) => (i * 7) % 256),
    }));
    await panel.send({ type: "testImages", requestId: last.requestId, runId: run.id, images });
    assert.equal(await panel.page.locator(".gallery figure canvas").count(), expected.length);
    assert.deepEqual(
      await panel.page.locator(".gallery figcaption").allTextContents(),
      expected.map(() => "true 3 → 4"),
    );
    const painted = await panel.page
      .locator(".gallery canvas")
      .first()
      .evaluate((c: HTMLCanvasElement) => c.getContext("2d")!.getImageData(0, 0, 28, 28).data[4 * 10]);
    assert.equal(painted, 70);
  });
});

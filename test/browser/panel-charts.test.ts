import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { chartData, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, studyRuns, toPanel } from "./fixtures";

interface ParetoPoint {
  model: string;
  params: number;
}

/** Pixels of a screenshot of `selector` that differ clearly from its top-left corner. */
async function inkedPixels(
  browser: Browser,
  panel: PanelPage,
  selector: string,
): Promise<{ inked: number; total: number }> {
  const png = await panel.page.locator(selector).screenshot();
  // Decoded in a separate blank page: the panel's CSP rightly refuses to load arbitrary images.
  const scratch = await browser.context.newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        const distance =
          Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]);
        if (distance > 60) inked++;
      }
      return { inked, total: data.length / 4 };
    }, png.toString("base64"));
  } finally {
    await scratch.close();
  }
}

describe("comparison panel: charts", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("extends the loss and accuracy curves of a selected run as epochs arrive", async () => {
    const panel = await openPanel(browser);
    const running = makeRun({ model: "TinyCNN", status: "running", epochs: 5, epochsDone: 1 });
    await panel.send({ type: "snapshot", runs: [toPanel(running)], warnings: [] });
    await panel.page.click(`tr[data-run-id="${running.id}"] td[data-column="model"]`);
    await panel.settle();
    const lengths = async (chart: string) =>
      (await chartData(panel, chart)).map((d) => [d.label.split(" ").pop(), d.data.length]);
    assert.deepEqual(await lengths("loss"), [
      ["train", 1],
      ["test", 1],
    ]);
    for (const done of [2, 3]) {
      await panel.send({
        type: "upsert",
        run: toPanel({
          ...makeRun({ model: "TinyCNN", status: "running", epochs: 5, epochsDone: done }),
          id: running.id,
          startedAt: running.startedAt,
        }),
      });
    }
    assert.deepEqual(await lengths("loss"), [
      ["train", 3],
      ["test", 3],
    ]);
    assert.deepEqual(await lengths("accuracy"), [
      ["train", 3],
      ["test", 3],
    ]);
    const [train] = await chartData(panel, "accuracy");
    assert.deepEqual(
      (train.data as { x: number }[]).map((p) => p.x),
      [1, 2, 3],
    );
    assert.match(train.label, /^TinyCNN /);
  });

  it("highlights the Pareto front of completed runs (best accuracy for its size)", async () => {
    const panel = await openPanel(browser);
    const runs = [
      ...studyRuns(),
      makeRun({ model: "Micro", params: 1_000, accuracy: 0.9 }),
      makeRun({ model: "Bloated", params: 1_000_000, accuracy: 0.985 }),
      makeRun({ model: "SameSizeWorse", params: 4_266, accuracy: 0.95 }),
      makeRun({ model: "Broken", params: 500, status: "failed" }),
      makeRun({ model: "Live", params: 600, status: "running", epochsDone: 2 }),
    ];
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    const [front, others] = await chartData(panel, "pareto");
    assert.equal(front.label, "Pareto front");
    assert.deepEqual(
      (front.data as ParetoPoint[]).map((p) => p.model),
      ["Micro", "TinyCNN", "CNN", "StrongCNN"],
    );
    assert.deepEqual((others.data as ParetoPoint[]).map((p) => p.model).sort(), ["Bloated", "MLP", "SameSizeWorse"]);
    const scales = await panel.page.evaluate(() => {
      const charts = (
        window as unknown as {
          archlabPanel: { charts: Record<string, { options: { scales: { x: { type: string } } } }> };
        }
      ).archlabPanel.charts;
      return charts.pareto.options.scales.x.type;
    });
    assert.equal(scales, "logarithmic");
  });

  it("draws test loss and learning time bars from the latest completed run of each model, smallest first", async () => {
    const panel = await openPanel(browser);
    const older = makeRun({
      model: "CNN",
      params: 26_698,
      testLoss: 0.5,
      learningTimeSec: 10,
      startedAt: "2025-01-01T00:00:00.000Z",
    });
    await panel.send({ type: "snapshot", runs: [older, ...studyRuns()].map(toPanel), warnings: [] });
    const labels = await panel.page.evaluate(() => {
      const charts = (window as unknown as { archlabPanel: { charts: Record<string, { data: { labels: string[] } }> } })
        .archlabPanel.charts;
      return charts["test-loss"].data.labels;
    });
    assert.deepEqual(labels, ["TinyCNN", "MLP", "CNN", "StrongCNN"]);
    assert.deepEqual((await chartData(panel, "test-loss"))[0].data, [0.066, 0.135, 0.056, 0.028]);
    assert.deepEqual((await chartData(panel, "learning-time"))[0].data, [60, 31, 95, 420]);
  });

  it("paints real pixels on the chart canvases", async () => {
    const panel = await openPanel(browser);
    const runs = studyRuns();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.click(`tr[data-run-id="${runs[1].id}"] td[data-column="model"]`);
    await panel.settle();
    for (const chart of ["pareto", "loss", "test-loss"]) {
      const { inked, total } = await inkedPixels(browser, panel, `canvas[data-chart="${chart}"]`);
      assert.ok(inked > total * 0.01, `${chart}: only ${inked} of ${total} pixels drawn`);
    }
    const empty = await openPanel(browser);
    await empty.send({ type: "snapshot", runs: [], warnings: [] });
    assert.equal(
      await empty.page.locator('[data-chart-card="pareto"] .chart-empty').textContent(),
      "No completed runs yet.",
    );
    assert.equal(await empty.page.locator('canvas[data-chart="pareto"]').isVisible(), false);
    assert.equal(await empty.page.locator('[data-chart-card="loss"] .chart-empty').isVisible(), true);
  });

  it("takes chart colors from the theme and follows a theme change", async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: studyRuns().map(toPanel), warnings: [] });
    await panel.page.evaluate(() => {
      document.documentElement.style.setProperty("--vscode-charts-red", "#00ff00");
      document.body.className = "vscode-high-contrast";
    });
    await panel.settle();
    const color = await panel.page.evaluate(() => {
      const charts = (
        window as unknown as {
          archlabPanel: { charts: Record<string, { data: { datasets: { borderColor: string }[] } }> };
        }
      ).archlabPanel.charts;
      return charts.pareto.data.datasets[0].borderColor;
    });
    assert.equal(color, "#00ff00");
    assert.deepEqual(panel.errors, []);
  });
});

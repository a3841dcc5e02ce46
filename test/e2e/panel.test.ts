// The comparison panel in a real VS Code: after a quick run of TinyCNN, the panel's table shows the
// run with its size and accuracy, its charts are drawn, and the run's details show its confusion matrix.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FrameLocator } from "playwright-core";
import type { RunRecord } from "../../src/engine/types";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

const modelFile = "examples/mnist.model.ts";
const tinyCnnLine =
  readFileSync(path.join(repoRoot, modelFile), "utf8")
    .split("\n")
    .findIndex((l) => l.startsWith("export function TinyCNN(")) + 1;
const CHARTS = ["pareto", "loss", "test-loss", "learning-time"] as const;

interface CanvasInk {
  width: number;
  height: number;
  inked: number;
}

/** The canvas's size on screen and how many of its pixels are not transparent. */
function ink(panel: FrameLocator, selector: string): Promise<CanvasInk> {
  return panel
    .locator(selector)
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const { width, height } = canvas.getBoundingClientRect();
      const pixels =
        canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) inked++;
      return { width, height, inked };
    });
}

async function assertDrawn(panel: FrameLocator, selector: string): Promise<void> {
  const canvas = await ink(panel, selector);
  assert.ok(
    canvas.width > 0 && canvas.height > 0,
    `${selector} has a size on screen (${canvas.width}x${canvas.height})`,
  );
  assert.ok(canvas.inked > 100, `${selector} is drawn (${canvas.inked} non-transparent pixels)`);
}

interface ChartDataset {
  label?: string;
  data: { params?: number }[];
}

/** The datasets of one of the panel's Chart.js charts, read inside the webview. */
function chartData(panel: FrameLocator, chart: string): Promise<ChartDataset[]> {
  return panel.locator("body").evaluate((_body, name) => {
    const { charts } = (
      window as unknown as { archlabPanel: { charts: Record<string, { data: { datasets: ChartDataset[] } }> } }
    ).archlabPanel;
    return charts[name].data.datasets.map((d) => ({
      label: d.label,
      data: d.data.map((p) => ({ params: p?.params })),
    }));
  }, chart);
}

describe("the comparison panel", () => {
  let vsc: VsCode;

  const tinyCnnRuns = (): RunRecord[] => vsc.runRecords().filter((r) => r.model === "TinyCNN");

  const waitForCompletedRun = async (timeoutMs: number): Promise<RunRecord> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = tinyCnnRuns().find((r) => r.status === "completed");
      if (done) return done;
      if (Date.now() > deadline) {
        throw new Error(
          `No completed TinyCNN run within ${timeoutMs / 1000} s: ${JSON.stringify(tinyCnnRuns().map((r) => [r.status, r.error?.message]))}`,
        );
      }
      await vsc.page.waitForTimeout(500);
    }
  };

  before(
    async () => {
      vsc = await startVsCode({
        files: { "mnist.model.ts": modelFile },
        settings: { "archlab.backend": "wasm", "archlab.quickRunSize": 300, "archlab.epochs": 1 },
      });
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "shows a quick run of TinyCNN in its table, charts and details",
    { timeout: 180_000 },
    scenario(async (t) => {
      const started = Date.now();
      await vsc.waitForActivation();
      await vsc.openFile("mnist.model.ts");
      await vsc.clickCodeLensAbove(tinyCnnLine, "Quick run", 45_000);
      const run = await waitForCompletedRun(90_000);
      t.diagnostic(`quick run of TinyCNN completed after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(run.summary?.params.total, 4266, "the lens above TinyCNN trained TinyCNN");

      await vsc.runCommand("ArchLab: Open Comparison Panel");
      const panel = await vsc.webview("ArchLab: Compare");
      const row = panel.locator(`.runs-table tbody tr[data-run-id="${run.id}"]`);
      await row.waitFor({ timeout: 30_000 });
      const cell = (column: string) => row.locator(`td[data-column="${column}"]`).innerText();
      assert.equal(await cell("model"), "TinyCNN");
      assert.equal(await cell("params"), "4,266");
      assert.match(await cell("testAccuracy"), /^\d{1,3}\.\d+\s?%$/);
      assert.equal(await cell("status"), "completed");

      const paretoParams = (await chartData(panel, "pareto")).flatMap((d) => d.data.map((p) => p.params));
      assert.ok(
        paretoParams.includes(4266),
        `the accuracy-vs-size chart holds TinyCNN (params: ${paretoParams.join(", ")})`,
      );
      for (const name of ["pareto", "test-loss", "learning-time"])
        await assertDrawn(panel, `canvas[data-chart="${name}"]`);

      // Selecting the run draws its curves and shows its details.
      await row.locator(`td[data-column="model"]`).click();
      const confusion = panel.locator("canvas.confusion");
      await confusion.waitFor({ timeout: 30_000 });
      await panel
        .locator("body")
        .evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const lossCurves = await chartData(panel, "loss");
      assert.ok(
        lossCurves.some((d) => /TinyCNN/.test(d.label ?? "") && d.data.length > 0),
        `the loss chart has TinyCNN's curve (${lossCurves.map((d) => d.label).join(", ")})`,
      );
      for (const name of CHARTS) await assertDrawn(panel, `canvas[data-chart="${name}"]`);
      await assertDrawn(panel, "canvas.confusion");

      const shots = [await vsc.screenshot("panel-after-quick-run")];
      await confusion.scrollIntoViewIfNeeded();
      shots.push(await vsc.screenshot("panel-run-details"));
      t.diagnostic(
        `screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(", ")}; scenario took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }),
  );
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunRecord } from "../../src/engine/types";
import { columnText, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

/** Nine completed runs at three learning rates and three batch sizes, and one running run. */
function grid(): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const [i, learningRate] of [1e-4, 1e-3, 1e-2].entries()) {
    for (const [j, batchSize] of [32, 64, 128].entries()) {
      const run = makeRun({
        model: `Net-${learningRate}-${batchSize}`,
        accuracy: 0.95 + 0.01 * i - 0.002 * j,
        testLoss: 0.2 - 0.05 * i,
        params: 1000 * (j + 1),
      });
      run.config = { ...run.config, learningRate, batchSize };
      runs.push(run);
    }
  }
  runs.push(makeRun({ model: "Live", status: "running", epochsDone: 1 }));
  return runs;
}

/** Page coordinates of a value on one of the chart's axes (by dataset index). */
const axisPoint = (panel: PanelPage, axis: number, value: number) =>
  panel.page.evaluate(
    ({ axis, value }) => {
      const chart = (
        window as unknown as {
          archlabPanel: {
            parallel: {
              canvas: HTMLCanvasElement;
              getDatasetMeta(i: number): { dataset: { x: number; getPixelForValue(v: number): number } };
            };
          };
        }
      ).archlabPanel.parallel;
      const scale = chart.getDatasetMeta(axis).dataset;
      const box = chart.canvas.getBoundingClientRect();
      // The library draws the first axis left of its x and the others right of it, 10 px wide.
      return { x: box.left + scale.x + (axis === 0 ? -5 : 5), y: box.top + scale.getPixelForValue(value) };
    },
    { axis, value },
  );

async function drag(panel: PanelPage, axis: number, from: number, to: number): Promise<void> {
  const start = await axisPoint(panel, axis, from);
  const end = await axisPoint(panel, axis, to);
  await panel.page.mouse.move(start.x, start.y);
  await panel.page.mouse.down();
  await panel.page.mouse.move(end.x, (start.y + end.y) / 2, { steps: 3 });
  await panel.page.mouse.move(end.x, end.y, { steps: 3 });
  await panel.page.mouse.up();
  await panel.settle();
}

/** The lines drawn: each run's label, colour, and whether it is inside the ranges (drawn in its colour) or faint. */
const lineColors = (panel: PanelPage) =>
  panel.page.evaluate(() => {
    const lines = (
      window as unknown as { archlabPanel: { parallelLines: { label: string; color: string; inside: boolean }[] } }
    ).archlabPanel.parallelLines;
    return lines.map((l) => ({ label: l.label, color: l.inside ? l.color : "faint" }));
  });

/** The canvas pixel halfway along a run's line between the first two axes (learning rate, batch size). */
const midPixel = (panel: PanelPage, learningRate: number, batchSize: number) =>
  panel.page.evaluate(
    ({ learningRate, batchSize }) => {
      const chart = (
        window as unknown as {
          archlabPanel: {
            parallel: {
              canvas: HTMLCanvasElement;
              getDatasetMeta(i: number): { dataset: { x: number; getPixelForValue(v: number): number } };
            };
          };
        }
      ).archlabPanel.parallel;
      const [a, b] = [0, 1].map((i) => chart.getDatasetMeta(i).dataset);
      const x = (a.x - 5 + b.x + 5) / 2;
      const y = (a.getPixelForValue(learningRate) + b.getPixelForValue(batchSize)) / 2;
      const ratio = chart.canvas.width / chart.canvas.getBoundingClientRect().width;
      // The most opaque pixel of the 3x3 around it: a 1.5 px line is antialiased across pixels.
      const data = chart.canvas
        .getContext("2d")!
        .getImageData(Math.round(x * ratio) - 1, Math.round(y * ratio) - 1, 3, 3).data;
      let best = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > data[best + 3]) best = i;
      return { r: data[best], g: data[best + 1], b: data[best + 2], alpha: data[best + 3] };
    },
    { learningRate, batchSize },
  );

const models = async (panel: PanelPage) => (await columnText(panel, "model")).sort();

describe("comparison panel: parallel coordinates", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("draws a line per completed run, and brushing an axis filters the table", async () => {
    const panel = await openPanel(browser);
    const runs = grid();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal((await lineColors(panel)).length, 9, "the running run has no results to draw");
    assert.equal((await columnText(panel, "model")).length, 10);
    // Brush learning rates 5e-4 to 2e-3 (a log axis): the three runs at 1e-3 are left, and the
    // running run, which trains at 1e-3 too (it has no results yet, so it is not drawn).
    await drag(panel, 0, 2e-3, 5e-4);
    const range = (await panel.state())?.brushes.learningRate;
    assert.ok(
      range && range[0] > 1e-4 && range[0] < 1e-3 && range[1] > 1e-3 && range[1] < 1e-2,
      `brushed ${String(range)}`,
    );
    assert.deepEqual(await models(panel), ["Live", "Net-0.001-128", "Net-0.001-32", "Net-0.001-64"]);
    const colors = await lineColors(panel);
    const inside = colors.filter((c) => c.label.startsWith("Net-0.001-"));
    const outside = colors.filter((c) => !c.label.startsWith("Net-0.001-"));
    assert.equal(inside.length, 3);
    assert.equal(outside.length, 6);
    assert.ok(outside.every((c) => c.color === "faint") && inside.every((c) => c.color !== "faint"));
    // On the canvas: a run inside is stroked in the chart blue, nearly opaque; one outside faintly.
    const drawnInside = await midPixel(panel, 1e-3, 64);
    const drawnOutside = await midPixel(panel, 1e-2, 64);
    assert.ok(drawnInside.alpha > 150 && drawnInside.b > drawnInside.r + 60, `inside: ${JSON.stringify(drawnInside)}`);
    assert.ok(drawnOutside.alpha > 0 && drawnOutside.alpha < 90, `outside: ${JSON.stringify(drawnOutside)}`);
    assert.match(
      (await panel.page.locator("[data-parallel-summary]").textContent()) ?? "",
      /^3 of 9 completed runs inside the ranges$/,
    );
    assert.equal(
      await panel.page.locator('input[data-range="learningRate-min"]').inputValue(),
      String(Number(range[0].toPrecision(4))),
    );
    // A second axis narrows it further: batch sizes from 50 up, and then accuracy, which the running run lacks.
    await drag(panel, 1, 50, 200);
    assert.deepEqual(await models(panel), ["Live", "Net-0.001-128", "Net-0.001-64"]);
    await drag(panel, 5, 95.3, 96.9);
    assert.deepEqual(await models(panel), ["Net-0.001-128", "Net-0.001-64"]);
    const accuracy = await axisPoint(panel, 5, 95);
    await panel.page.mouse.click(accuracy.x, accuracy.y);
    await panel.settle();
    // A click on an axis clears its range.
    const click = await axisPoint(panel, 1, 64);
    await panel.page.mouse.click(click.x, click.y);
    await panel.settle();
    assert.equal((await panel.state())?.brushes.batchSize, undefined);
    assert.deepEqual(await models(panel), ["Live", "Net-0.001-128", "Net-0.001-32", "Net-0.001-64"]);
    assert.deepEqual(panel.errors, []);
  });

  it("takes ranges from the keyboard, keeps them through a reload, and clears them", async () => {
    const runs = grid();
    const first = await openPanel(browser);
    await first.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    const min = first.page.locator('input[data-range="testAccuracy-min"]');
    await min.focus();
    await first.page.keyboard.type("96.5");
    await first.page.keyboard.press("Tab");
    await first.settle();
    assert.deepEqual((await first.state())?.brushes.testAccuracy?.[0], 96.5);
    assert.deepEqual(await models(first), ["Net-0.01-128", "Net-0.01-32", "Net-0.01-64"], "accuracy 96.5% and up");
    const saved = await first.state();
    await first.page.close();

    const panel = await openPanel(browser, saved);
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal((await columnText(panel, "model")).length, 3, "the ranges are back after a reload");
    assert.equal(await panel.page.locator('input[data-range="testAccuracy-min"]').inputValue(), "96.5");
    assert.match(
      (await panel.page.locator('[data-chart-description="parallel"]').textContent()) ?? "",
      /Ranges: Test accuracy \(%\) 96\.5 to .*; 3 runs inside them\./,
    );
    await panel.page.click("vscode-button[data-parallel-clear]");
    await panel.settle();
    assert.deepEqual((await panel.state())?.brushes, {});
    assert.equal((await columnText(panel, "model")).length, 10);
    assert.deepEqual(panel.errors, []);
  });
});

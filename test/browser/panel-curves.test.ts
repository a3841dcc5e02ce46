import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EpochMetrics } from "../../src/engine/types";
import { smooth } from "../../webview/charts/smoothing";
import { chartData, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

interface Point {
  x: number;
  y: number;
}

/** Debiased EMA written as what it is: each value's weighted mean of the values so far, weights w^age. */
function reference(values: number[], w: number): number[] {
  return values.map((_, n) => {
    let sum = 0;
    let weights = 0;
    for (let i = 0; i <= n; i++) {
      sum += w ** (n - i) * values[i];
      weights += w ** (n - i);
    }
    return sum / weights;
  });
}

const NOISY_LOSS = [1.2, 0.7, 0.9, 0.45, 0.6, 0.3, 0.42, 0.25];

function noisyRun(model = "CNN") {
  const run = makeRun({ model, epochs: NOISY_LOSS.length });
  run.epochs = NOISY_LOSS.map((loss, i): EpochMetrics => ({
    epoch: i + 1,
    loss,
    acc: 0.8 + i * 0.02,
    valLoss: loss * 1.1,
    valAcc: 0.78 + i * 0.02,
    seconds: 2 + i,
  }));
  return run;
}

const dataset = async (panel: PanelPage, chart: string, label: RegExp) => {
  const found = (await chartData(panel, chart)).find((d) => label.test(d.label));
  assert.ok(found, `${chart} has a dataset matching ${label}`);
  return found.data as Point[];
};

describe("smoothing", () => {
  it("is the debiased exponential moving average TensorBoard draws", () => {
    for (const w of [0.3, 0.6, 0.95]) {
      const expected = reference(NOISY_LOSS, w);
      smooth(NOISY_LOSS, w).forEach((v, i) =>
        assert.ok(Math.abs(v - expected[i]) < 1e-12, `w=${w}, point ${i}: ${v} vs ${expected[i]}`),
      );
    }
    assert.deepEqual(smooth(NOISY_LOSS, 0), NOISY_LOSS);
    assert.deepEqual(smooth([0.5, 0.5, 0.5], 0.9), [0.5, 0.5, 0.5]);
    const withGap = smooth([1, NaN, 3], 0.5);
    assert.ok(Number.isNaN(withGap[1]));
    assert.equal(withGap[2], reference([1, 3], 0.5)[1]);
  });
});

describe("comparison panel: curves", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("smooths the curves with the slider, keeping the raw values faint behind", async () => {
    const panel = await openPanel(browser);
    const run = noisyRun();
    await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
    assert.deepEqual(
      (await dataset(panel, "loss", /train$/)).map((p) => p.y),
      NOISY_LOSS,
      "unsmoothed at first",
    );
    await panel.page.locator('input[data-control="smoothing"]').fill("0.6");
    await panel.settle();
    const smoothed = (await dataset(panel, "loss", /train$/)).map((p) => p.y);
    const expected = reference(NOISY_LOSS, 0.6);
    smoothed.forEach((y, i) => assert.ok(Math.abs(y - expected[i]) < 1e-9, `epoch ${i + 1}: ${y} vs ${expected[i]}`));
    assert.deepEqual(
      (await dataset(panel, "loss", /train \(raw\)$/)).map((p) => p.y),
      NOISY_LOSS,
    );
    const test = (await dataset(panel, "loss", /test$/)).map((p) => p.y);
    reference(
      NOISY_LOSS.map((l) => l * 1.1),
      0.6,
    ).forEach((y, i) => assert.ok(Math.abs(test[i] - y) < 1e-9));
    assert.equal(await panel.page.locator(".curve-controls output").textContent(), "0.60");
    assert.equal((await panel.state())?.curves.smoothing, 0.6);
    // The slider works from the keyboard too.
    await panel.page.locator('input[data-control="smoothing"]').press("ArrowRight");
    await panel.settle();
    assert.equal((await panel.state())?.curves.smoothing, 0.61);
  });

  it("draws train and test apart, by training time, and loss on a log scale", async () => {
    const panel = await openPanel(browser);
    const run = noisyRun();
    await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
    assert.equal(await panel.page.locator('[data-chart-card="loss-test"]').isVisible(), false);
    await panel.page.locator('input[data-control="split"]').check();
    await panel.settle();
    assert.equal(await panel.page.locator('[data-chart-card="loss-test"]').isVisible(), true);
    assert.deepEqual(
      (await chartData(panel, "loss")).map((d) => d.label.split(" ").pop()),
      ["train"],
    );
    assert.deepEqual(
      (await chartData(panel, "loss-test")).map((d) => d.label.split(" ").pop()),
      ["test"],
    );
    assert.deepEqual(
      (await chartData(panel, "accuracy-test")).map((d) => d.label.split(" ").pop()),
      ["test"],
    );
    assert.equal(
      await panel.page.locator('[data-chart-card="loss-test"] h3').textContent(),
      "Test loss (selected runs)",
    );

    await panel.page.selectOption('select[data-control="x-axis"]', "time");
    await panel.settle();
    let seconds = 0;
    const ends = run.epochs.map((e) => (seconds += e.seconds));
    assert.deepEqual(
      (await dataset(panel, "loss", /train$/)).map((p) => p.x),
      ends,
    );

    await panel.page.locator('input[data-control="log-loss"]').check();
    await panel.settle();
    const scales = await panel.page.evaluate(() => {
      const charts = (
        window as unknown as { archlabPanel: { charts: Record<string, { scales: Record<string, { type: string }> }> } }
      ).archlabPanel.charts;
      return { loss: charts.loss.scales.y.type, accuracy: charts.accuracy.scales.y.type, x: charts.loss.scales.x.type };
    });
    assert.deepEqual(scales, { loss: "logarithmic", accuracy: "linear", x: "linear" });
    assert.deepEqual((await panel.state())?.curves, { smoothing: 0, split: true, x: "time", logLoss: true });
    assert.deepEqual(panel.errors, []);
  });

  it("draws a running job's curve live, between its epochs", async () => {
    const panel = await openPanel(browser);
    const running = makeRun({ model: "TinyCNN", status: "running", epochs: 3, epochsDone: 1 });
    await panel.send({ type: "snapshot", runs: [toPanel(running)], warnings: [] });
    for (const [batch, loss] of [
      [25, 0.9],
      [50, 0.8],
      [75, 0.7],
    ]) {
      await panel.send({
        type: "batches",
        progress: [{ runId: running.id, epoch: 2, batch, batchesPerEpoch: 100, loss, acc: 0.7 }],
      });
    }
    assert.deepEqual(await dataset(panel, "loss", /live$/), [
      { x: 1.25, y: 0.9 },
      { x: 1.5, y: 0.8 },
      { x: 1.75, y: 0.7 },
    ]);
    // Once the epoch is recorded, its finished part is the epoch point; the live line goes on after it.
    const next = {
      ...makeRun({ model: "TinyCNN", status: "running", epochs: 3, epochsDone: 2 }),
      id: running.id,
      startedAt: running.startedAt,
    };
    await panel.send({ type: "upsert", run: toPanel(next) });
    await panel.send({
      type: "batches",
      progress: [{ runId: running.id, epoch: 3, batch: 10, batchesPerEpoch: 100, loss: 0.6, acc: 0.8 }],
    });
    assert.deepEqual(await dataset(panel, "loss", /live$/), [{ x: 2.1, y: 0.6 }]);
    assert.equal((await dataset(panel, "loss", /train$/)).length, 2);
    const done = { ...makeRun({ model: "TinyCNN", epochs: 3 }), id: running.id, startedAt: running.startedAt };
    await panel.send({ type: "upsert", run: toPanel(done) });
    assert.equal(
      (await chartData(panel, "loss")).some((d) => /live$/.test(d.label)),
      false,
      "no live line once the run is over",
    );
  });

  it("opens with the latest run of each architecture selected, follows new runs, and remembers a manual pick", async () => {
    const old = makeRun({ model: "CNN", startedAt: "2026-01-01T00:00:00.000Z" });
    const latestCnn = makeRun({ model: "CNN", startedAt: "2026-01-02T00:00:00.000Z" });
    const mlp = makeRun({ model: "MLP", startedAt: "2026-01-01T12:00:00.000Z" });
    const failed = makeRun({ model: "Broken", status: "failed", epochsDone: 0, startedAt: "2026-01-03T00:00:00.000Z" });
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: [old, latestCnn, mlp, failed].map(toPanel), warnings: [] });
    const checked = () =>
      panel.page.$$eval(".runs-table tbody tr", (rows) =>
        rows
          .filter((r) => (r.querySelector("input[type=checkbox]") as HTMLInputElement)?.checked)
          .map((r) => (r as HTMLElement).dataset.runId),
      );
    assert.deepEqual((await checked()).sort(), [latestCnn.id, mlp.id].sort());
    assert.equal(
      (await chartData(panel, "loss")).filter((d) => /train$/.test(d.label)).length,
      2,
      "their curves are drawn",
    );
    const saved = await panel.state();
    assert.equal(saved?.selection, "auto");

    // A new run of CNN takes its architecture's place; the reloaded panel shows the same.
    const rerun = makeRun({ model: "CNN", status: "running", epochsDone: 1, startedAt: "2026-01-04T00:00:00.000Z" });
    await panel.send({ type: "upsert", run: toPanel(rerun) });
    assert.deepEqual((await checked()).sort(), [rerun.id, mlp.id].sort());
    const reloaded = await openPanel(browser, await panel.state());
    await reloaded.send({ type: "snapshot", runs: [old, latestCnn, mlp, failed, rerun].map(toPanel), warnings: [] });
    assert.deepEqual(
      (
        await reloaded.page.$$eval(".runs-table tbody tr input:checked", (boxes) =>
          boxes.map((b) => (b.closest("tr") as HTMLElement).dataset.runId),
        )
      ).sort(),
      [rerun.id, mlp.id].sort(),
    );

    // Picking by hand ends the automatic selection, and the pick survives a reload.
    await reloaded.page.click(`tr[data-run-id="${old.id}"] td[data-column="model"]`);
    await reloaded.settle();
    const manual = await reloaded.state();
    assert.equal(manual?.selection, "manual");
    assert.deepEqual(manual?.selected, [old.id]);
    const again = await openPanel(browser, manual);
    const newer = makeRun({ model: "MLP", startedAt: "2026-01-05T00:00:00.000Z" });
    await again.send({
      type: "snapshot",
      runs: [old, latestCnn, mlp, failed, rerun, newer].map(toPanel),
      warnings: [],
    });
    assert.deepEqual((await again.state())?.selected, [old.id]);
    await again.page.click('vscode-button[data-action="selectLatest"]');
    await again.settle();
    assert.deepEqual((await again.state())?.selected.sort(), [newer.id, rerun.id].sort());
  });
});

/** How far (in pixels) any drawn point of the loss and accuracy charts lies from where its value belongs. */
function misplacement(panel: PanelPage): Promise<{ points: number; worst: number }> {
  return panel.page.evaluate(() => {
    interface Scale {
      getPixelForValue(v: number): number;
    }
    interface ChartLike {
      data: { datasets: { data: { x: number; y: number }[] }[] };
      scales: { x: Scale; y: Scale };
      getDatasetMeta(i: number): { data: { x: number; y: number }[] };
    }
    const charts = (window as unknown as { archlabPanel: { charts: Record<string, ChartLike> } }).archlabPanel.charts;
    let points = 0;
    let worst = 0;
    for (const chart of [charts.loss, charts.accuracy]) {
      chart.data.datasets.forEach((dataset, i) => {
        const elements = chart.getDatasetMeta(i).data;
        dataset.data.forEach((p, j) => {
          points++;
          const dx = Math.abs(elements[j].x - chart.scales.x.getPixelForValue(p.x));
          const dy = Math.abs(elements[j].y - chart.scales.y.getPixelForValue(p.y));
          worst = Math.max(worst, dx, dy);
        });
      });
    }
    return { points, worst };
  });
}

describe("comparison panel: live curves", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("keeps every line on its values as a running run's epochs come in, rescaling the axes or not", async () => {
    const panel = await openPanel(browser);
    const ended = noisyRun("CNN");
    const live = makeRun({ model: "MLP", status: "running", epochs: 8, epochsDone: 0 });
    await panel.send({ type: "snapshot", runs: [toPanel(ended), toPanel(live)], warnings: [] });
    // Losses inside the ended run's range, one far above it (the y axis grows), then inside again
    // (the axes stay: only the running run's lines change), then with smoothing.
    const losses = [0.9, 0.5, 4, 0.35];
    for (let n = 1; n <= losses.length; n++) {
      live.epochs = losses.slice(0, n).map((loss, i) => ({
        epoch: i + 1,
        loss,
        acc: 0.5 + i * 0.1,
        valLoss: loss,
        valAcc: 0.5 + i * 0.1,
        seconds: 1,
      }));
      await panel.send({ type: "upsert", run: toPanel(live) });
      const { points, worst } = await misplacement(panel);
      assert.ok(points >= 2 * (2 * 8 + 2 * n), `epoch ${n}: both runs' lines drawn (${points} points)`);
      assert.ok(worst < 0.01, `epoch ${n}: a point lies ${worst} px from its value`);
      assert.deepEqual(
        (await dataset(panel, "loss", /MLP.* train$/)).map((p) => p.y),
        losses.slice(0, n),
      );
    }
    await panel.page.locator('input[data-control="smoothing"]').fill("0.6");
    await panel.settle();
    live.epochs = [...live.epochs, { epoch: 5, loss: 0.3, acc: 0.9, valLoss: 0.3, valAcc: 0.9, seconds: 1 }];
    await panel.send({ type: "upsert", run: toPanel(live) });
    assert.ok((await misplacement(panel)).worst < 0.01, "smoothed lines on their values");
    assert.deepEqual(panel.errors, []);
  });
});

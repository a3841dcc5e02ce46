// The panel's sweep view in Chromium: the sweep of the run in the details (else the newest), its
// trials grouped in the table with pruned ones saying so, the best trial and the smallest model
// within half a point, and one chart of the metric against each hyperparameter with the best
// trial marked; clicking through shows a trial's run.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { SweepRecord, SweepTrial } from "../../src/engine/sweep/types";
import type { RunRecord } from "../../src/engine/types";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

const SHOTS = process.env.ARCHLAB_SCREENSHOTS;

interface TrialSpec {
  filters: number;
  learningRate: number;
  optimizer: string;
  status: "completed" | "pruned" | "running";
  accuracy: number;
  params: number;
  epochs: number;
}

function sweepOf(
  id: string,
  model: string,
  startedAt: string,
  specs: TrialSpec[],
): { sweep: SweepRecord; runs: RunRecord[] } {
  const trials: SweepTrial[] = specs.map((s, trial) => ({
    trial,
    params: { filters: s.filters, learningRate: s.learningRate, optimizer: s.optimizer },
    runId: `${id}-t${String(trial + 1).padStart(3, "0")}`,
    status: s.status,
    value: s.status === "running" ? undefined : s.accuracy,
    epochsRun: s.epochs,
    paramsCount: s.params,
    macs: s.params * 10,
    learningTimeSec: s.epochs * 2,
  }));
  const done = trials.filter((t) => t.status === "completed");
  const best = done.reduce((a, b) => (b.value! > a.value! ? b : a));
  const sweep: SweepRecord = {
    schemaVersion: 1,
    id,
    model,
    file: "sweep.model.ts",
    spec: {
      method: "asha",
      trials: specs.length,
      metric: "testAccuracy",
      goal: "max",
      epochs: 9,
      seed: 1,
      reduction: 3,
      parameters: { learningRate: { kind: "float", min: 1e-4, max: 1e-1, log: true } },
    },
    baseConfig: {
      epochs: 9,
      batchSize: 64,
      learningRate: 1e-3,
      optimizer: "adam",
      dataset: "mnist",
      validation: "test",
      seed: 42,
    },
    status: specs.some((s) => s.status === "running") ? "running" : "completed",
    startedAt,
    ranOn: "local",
    trials,
    best: { trial: best.trial, value: best.value! },
  };
  const runs = specs.map((s, trial) => {
    const run = makeRun({
      id: trials[trial].runId,
      model,
      file: "sweep.model.ts",
      params: s.params,
      accuracy: s.accuracy,
      status: s.status,
      epochs: 9,
      epochsDone: s.epochs,
      startedAt: new Date(Date.parse(startedAt) + trial * 1000).toISOString(),
    });
    return { ...run, sweep: { id, trial, params: trials[trial].params } };
  });
  return { sweep, runs };
}

// Bigger models learn better until 16 filters; a slow learning rate gets pruned at rung 1 or 3.
const first = sweepOf("20260101-000000-net-sweep-aaaa", "Net", "2026-01-01T00:00:00.000Z", [
  {
    filters: 4,
    learningRate: 0.003,
    optimizer: "adam",
    status: "completed",
    accuracy: 0.962,
    params: 4_266,
    epochs: 9,
  },
  { filters: 8, learningRate: 0.01, optimizer: "adam", status: "completed", accuracy: 0.974, params: 8_490, epochs: 9 },
  {
    filters: 16,
    learningRate: 0.005,
    optimizer: "sgd",
    status: "completed",
    accuracy: 0.978,
    params: 16_938,
    epochs: 9,
  },
  { filters: 32, learningRate: 0.0003, optimizer: "sgd", status: "pruned", accuracy: 0.41, params: 33_834, epochs: 1 },
  { filters: 8, learningRate: 0.0001, optimizer: "adam", status: "pruned", accuracy: 0.62, params: 8_490, epochs: 3 },
  {
    filters: 32,
    learningRate: 0.02,
    optimizer: "adam",
    status: "completed",
    accuracy: 0.976,
    params: 33_834,
    epochs: 9,
  },
]);
const second = sweepOf("20260102-000000-small-sweep-bbbb", "Small", "2026-01-02T00:00:00.000Z", [
  { filters: 2, learningRate: 0.01, optimizer: "adam", status: "completed", accuracy: 0.91, params: 2_000, epochs: 9 },
  { filters: 4, learningRate: 0.01, optimizer: "adam", status: "running", accuracy: 0.5, params: 4_000, epochs: 2 },
]);

type ShownPoint = { x: number; y: number; trial: { trial: number } };

function sweepChart(panel: PanelPage, name: string): Promise<{ label: string; data: ShownPoint[] }[]> {
  return panel.page.evaluate((chartName) => {
    const charts = (
      window as unknown as {
        archlabPanel: {
          sweepCharts: () => Record<string, { data: { datasets: { label: string; data: unknown[] }[] } }>;
        };
      }
    ).archlabPanel.sweepCharts();
    return charts[chartName].data.datasets.map((d) => ({
      label: d.label,
      data: JSON.parse(JSON.stringify(d.data)) as ShownPoint[],
    }));
  }, name);
}

const text = (panel: PanelPage, selector: string) =>
  panel.page.$eval(selector, (e) => (e as HTMLElement).innerText.replace(/\s+/g, " ").trim());

describe("the sweep view", () => {
  let browser: Browser;
  let panel: PanelPage;

  before(async () => {
    browser = await launchBrowser();
    panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: [...first.runs, ...second.runs].map(toPanel), warnings: [] });
  });
  after(() => browser.close());

  it("stays hidden while the workspace has no sweep", async () => {
    assert.equal(await panel.page.$eval("[data-sweep-view]", (e) => (e as HTMLElement).hidden), true);
  });

  it("shows the newest sweep until a trial of another is shown, with its standing and answer", async () => {
    await panel.send({ type: "sweeps", sweeps: [second.sweep, first.sweep] });
    assert.equal(await panel.page.$eval("[data-sweep-view]", (e) => (e as HTMLElement).hidden), false);
    assert.match(
      await text(panel, "[data-sweep-summary]"),
      /^Small: asha, 2 trials of up to 9 epochs \(1 completed, 0 pruned, 1 running\), testAccuracy \(max\), running on local\.$/,
    );

    // Showing a trial of the first sweep in the details switches the view to that sweep.
    await panel.page.click(`.runs-table tbody tr[data-run-id="${first.runs[0].id}"] td[data-column="model"]`);
    await panel.settle();
    assert.match(
      await text(panel, "[data-sweep-summary]"),
      /^Net: asha, 6 trials of up to 9 epochs \(4 completed, 2 pruned\), testAccuracy \(max\), completed on local\.$/,
    );
    assert.equal(
      await text(panel, '[data-sweep-trial="best"]'),
      "Best: trial 3, 97.80% with 16,938 params (filters=16 learningRate=0.005 optimizer=sgd) Show run",
    );
    // 97.4% is within half a point of 97.8% with half the parameters.
    assert.equal(
      await text(panel, '[data-sweep-trial="smallest"]'),
      "Smallest within half a point: trial 2, 97.40% with 8,490 params (filters=8 learningRate=0.01 optimizer=adam) Show run",
    );
  });

  it("draws the metric against each hyperparameter, pruned trials as such and the best one apart", async () => {
    const cards = await panel.page.$$eval(".sweep-charts [data-chart-card]", (els) =>
      els.map((e) => e.getAttribute("data-chart-card")),
    );
    assert.deepEqual(cards, ["sweep-filters", "sweep-learningRate", "sweep-optimizer"]);

    const filters = await sweepChart(panel, "sweep-filters");
    const byLabel = Object.fromEntries(
      filters.map((d) => [d.label, d.data.map((p) => [p.x, Number(p.y.toFixed(1)), p.trial.trial + 1])]),
    );
    assert.deepEqual(byLabel["Best trial"], [[16, 97.8, 3]]);
    assert.deepEqual(byLabel.Completed, [
      [4, 96.2, 1],
      [8, 97.4, 2],
      [32, 97.6, 6],
    ]);
    assert.deepEqual(byLabel["Pruned (at its last rung)"], [
      [32, 41, 4],
      [8, 62, 5],
    ]);

    // A choice of strings reads as categories, in the order the trials drew them.
    const optimizer = await sweepChart(panel, "sweep-optimizer");
    assert.deepEqual(
      optimizer.find((d) => d.label === "Best trial")!.data.map((p) => p.x),
      [1],
    );
    const ticks = await panel.page.evaluate(() => {
      const chart = (
        window as unknown as {
          archlabPanel: { sweepCharts: () => Record<string, { scales: { x: { ticks: { label: string }[] } } }> };
        }
      ).archlabPanel.sweepCharts()["sweep-optimizer"];
      return chart.scales.x.ticks.map((t) => t.label);
    });
    assert.deepEqual(ticks, ["adam", "sgd"]);
    // A range declared log reads on a log axis.
    const type = await panel.page.evaluate(() => {
      const chart = (
        window as unknown as {
          archlabPanel: { sweepCharts: () => Record<string, { scales: { x: { type: string } } }> };
        }
      ).archlabPanel.sweepCharts()["sweep-learningRate"];
      return chart.scales.x.type;
    });
    assert.equal(type, "logarithmic");
    const described = await panel.page.$eval(
      '[data-chart-card="sweep-filters"] [data-chart-description]',
      (e) => e.textContent,
    );
    assert.equal(described, "6 trials of testAccuracy against filters; the best, trial 3, has filters = 16.");
  });

  it("groups the trials by sweep in the table, pruned ones saying where they stopped", async () => {
    await panel.page.selectOption('select[data-control="group-by"]', "sweep");
    await panel.settle();
    const groups = await panel.page.$$eval(".runs-table tbody tr.group-row", (rows) =>
      rows.map((r) => (r as HTMLElement).innerText.split("\n")[0].trim()),
    );
    assert.ok(
      groups.some((g) => g.includes(`Sweep ${first.sweep.id}`)),
      groups.join(" | "),
    );
    assert.ok(
      groups.some((g) => g.includes(`Sweep ${second.sweep.id}`)),
      groups.join(" | "),
    );
    const status = (id: string) =>
      panel.page.$eval(`.runs-table tbody tr[data-run-id="${id}"] td[data-column="status"]`, (td) => ({
        text: td.textContent,
        title: (td as HTMLElement).title,
      }));
    assert.deepEqual(await status(first.runs[3].id), {
      text: "pruned at epoch 1",
      title: "Stopped after epoch 1 of 9: below the top of the trials at that rung",
    });
    assert.equal((await status(first.runs[4].id)).text, "pruned at epoch 3");
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await panel.page.setViewportSize({ width: 1280, height: 1500 });
      await panel.page.screenshot({ path: join(SHOTS, "panel-sweep-browser.png"), fullPage: true });
    }
  });

  it("the best trial's Show run opens its run in the details", async () => {
    await panel.page.click('[data-sweep-trial="best"] [data-show-trial]');
    await panel.settle();
    const state = await panel.state();
    assert.equal(state?.detailsRunId, first.runs[2].id);
    assert.deepEqual(state?.selected, [first.runs[2].id]);
    assert.deepEqual(panel.errors, []);
  });

  it("a finished sweep offers no Resume; a stopped one does, and asks the host to go on with it", async () => {
    const resume = '[data-sweep-view] [data-action="resume-sweep"]';
    assert.equal(await panel.page.$eval(resume, (b) => (b as HTMLElement).hidden), true);
    const stopped = { ...first.sweep, status: "stopped" as const };
    await panel.send({ type: "sweeps", sweeps: [second.sweep, stopped] });
    assert.equal(await panel.page.$eval(resume, (b) => (b as HTMLElement).hidden), false);
    assert.equal(await panel.page.$eval(resume, (b) => getComputedStyle(b).display !== "none"), true);
    await panel.page.click(resume);
    assert.deepEqual((await panel.posted()).at(-1), { type: "resumeSweep", sweepId: first.sweep.id });
    await panel.send({ type: "sweeps", sweeps: [second.sweep, first.sweep] });
  });

  it("the list says how each sweep stands now: one that ended while listed no longer reads running", async () => {
    const label = () =>
      panel.page.$eval(`[data-control="sweep"] option[value="${second.sweep.id}"]`, (o) => o.textContent);
    assert.match((await label()) ?? "", /^Small · asha · .+ · running$/);
    await panel.send({ type: "sweeps", sweeps: [{ ...second.sweep, status: "completed" }, first.sweep] });
    assert.match((await label()) ?? "", /^Small · asha · .+ · completed$/);
    await panel.send({ type: "sweeps", sweeps: [second.sweep, first.sweep] });
  });

  it("the user can pick another sweep in the list", async () => {
    await panel.page.selectOption('[data-control="sweep"]', second.sweep.id);
    await panel.settle();
    assert.match(await text(panel, "[data-sweep-summary]"), /^Small: /);
    assert.equal(
      await panel.page.$eval('[data-sweep-trial="best"]', (e) => e.textContent?.includes("trial 1, 91.00%")),
      true,
    );
    assert.deepEqual(panel.errors, []);
  });
});

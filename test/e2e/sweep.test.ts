// A sweep from VS Code as a user runs it: the Sweep lens above an architecture with a sweep spec,
// the notification and lens while it runs, the trials as run records, the final message, and the
// panel's sweep view. `archlab.queue` points at a port where no Redis answers, so the window says
// so and the trials run here, two at a time.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { SweepRecord } from "../../src/engine/sweep/types";
import type { RunRecord } from "../../src/engine/types";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

// A dense network on 1,500 images, three epochs a trial: the whole sweep takes seconds.
// The slow learning rate barely moves, so ASHA stops such trials at its first rung.
const model = `import * as tf from '@tensorflow/tfjs';

export function Dense(hp: Hyperparameters) {
  const units = hp.choice('units', [8, 32]);
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'relu' }), tf.layers.dense({ units: 10 })],
  });
}

export const training = { limit: 1500, testLimit: 300 };
export const sweep = {
  Dense: { method: 'asha', trials: 6, epochs: 3, seed: 0, parameters: { learningRate: [0.01, 0.000001] } },
};
`;
const denseLine = model.split("\n").findIndex((l) => l.startsWith("export function Dense")) + 1;
// Screenshots are kept where a reader of the test's report can open them.
const notes = process.env.ARCHLAB_SCREENSHOTS;

describe("a sweep from VS Code", () => {
  let vsc: VsCode;
  let finished: SweepRecord;

  const sweeps = (): SweepRecord[] => {
    const dir = path.join(vsc.workspace, ".archlab", "sweeps");
    try {
      return readdirSync(dir)
        .filter((n) => n.endsWith(".json") && !n.startsWith("."))
        .map((n) => JSON.parse(readFileSync(path.join(dir, n), "utf8")) as SweepRecord);
    } catch {
      return [];
    }
  };

  const shot = async (name: string): Promise<string> => {
    const file = await vsc.screenshot(name);
    if (notes) {
      mkdirSync(notes, { recursive: true });
      copyFileSync(file, path.join(notes, path.basename(file)));
    }
    return path.relative(repoRoot, file);
  };

  before(
    async () => {
      vsc = await startVsCode({
        contents: { "sweep.model.ts": model },
        settings: { "archlab.backend": "wasm", "archlab.maxConcurrentJobs": 2, "archlab.queue": "redis://127.0.0.1:1" },
      });
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "runs the sweep from its lens, says the queue is unreachable, and records every trial",
    { timeout: 240_000 },
    scenario(async (t) => {
      const started = Date.now();
      await vsc.waitForActivation();
      await vsc.openFile("sweep.model.ts");
      await vsc.clickCodeLensAbove(denseLine, "Sweep", 60_000);

      const warning = await vsc.waitForNotification(/cannot reach the queue's Redis/, 60_000);
      assert.match(
        warning,
        /cannot reach the queue's Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\. The trials run here instead\./,
      );

      const progress = await vsc.waitForNotification(/\d\/6 done · \d running/, 60_000);
      assert.match(progress, /sweep of Dense/);
      const lenses = await vsc.codeLensesAbove(denseLine, 30_000, (texts) => texts.includes("Stop sweep"));
      assert.ok(lenses.includes("Stop sweep"), `the lens offers Stop sweep while it runs (${lenses.join(" | ")})`);
      assert.ok(lenses.includes("sweep of 6 trials running"), `the lens says the sweep runs (${lenses.join(" | ")})`);
      const running = await shot("sweep-running");

      const end = await vsc.waitForNotification(/Sweep of Dense completed/, 180_000);
      assert.match(
        end,
        /Sweep of Dense completed \(6\/6 done · 0 running.*\)\. Best: trial \d, \d+\.\d\d% with [\d,]+ params; /,
      );
      const [sweep] = sweeps();
      finished = sweep;
      assert.equal(sweep.status, "completed");
      assert.equal(sweep.ranOn, "local");
      assert.ok(sweep.trials.every((trial) => trial.status === "completed" || trial.status === "pruned"));

      const trials = vsc.runRecords().filter((r) => r.sweep?.id === sweep.id);
      assert.equal(trials.length, 6, "one run record per trial");
      for (const run of trials) {
        assert.equal(run.id, sweep.trials[run.sweep!.trial].runId);
        assert.equal(run.config.limit, 1500);
        if (run.status === "pruned") {
          assert.ok(run.epochs.length < 3, "a pruned trial stopped early");
          assert.equal(run.config.learningRate, 0.000001, "only a slow learner is pruned");
        }
      }
      assert.ok(maxOverlap(trials) <= 2, "never more than maxConcurrentJobs trials at once");

      const after = await vsc.codeLensesAbove(denseLine, 30_000, (texts) => texts.includes("Sweep"));
      assert.ok(
        after.includes("Sweep") && !after.includes("Stop sweep"),
        `the lens offers Sweep again (${after.join(" | ")})`,
      );
      const done = await shot("sweep-finished");
      const pruned = trials.filter((r) => r.status === "pruned").length;
      t.diagnostic(
        `sweep of 6 trials took ${((Date.now() - started) / 1000).toFixed(1)} s, ${pruned} pruned; at most ${maxOverlap(trials)} at once; screenshots: ${running}, ${done}`,
      );
    }),
  );

  it(
    "shows the sweep's trials grouped in the panel, with its best trial and the metric against each hyperparameter",
    { timeout: 120_000 },
    scenario(async (t) => {
      assert.ok(finished, "the sweep ran");
      await vsc.runCommand("ArchLab: Open Comparison Panel");
      const panel = await vsc.webview("ArchLab: Compare");
      await panel.locator('select[data-control="group-by"]').selectOption("sweep");
      const group = panel.locator(".runs-table tbody tr.group-row", { hasText: `Sweep ${finished.id}` });
      await group.waitFor({ timeout: 30_000 });
      assert.match(await group.innerText(), /6 runs/);

      const view = panel.locator("[data-sweep-view]");
      await view.waitFor({ timeout: 30_000 });
      const summary = await panel.locator("[data-sweep-summary]").innerText();
      assert.match(
        summary,
        /^Dense: asha, 6 trials of up to 3 epochs \(\d completed, \d pruned\), testAccuracy \(max\), completed on local\.$/,
      );
      const best = finished.trials[finished.best!.trial];
      assert.match(
        await panel.locator('[data-sweep-trial="best"]').innerText(),
        new RegExp(`^Best:\\s+trial ${best.trial + 1}, `),
      );
      const cards = await panel
        .locator(".sweep-charts [data-chart-card]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-chart-card")));
      assert.deepEqual(cards.sort(), ["sweep-learningRate", "sweep-units"]);
      for (const run of vsc.runRecords().filter((r) => r.sweep?.id === finished.id && r.status === "pruned")) {
        assert.equal(
          await panel.locator(`.runs-table tbody tr[data-run-id="${run.id}"] td[data-column="status"]`).innerText(),
          `pruned at epoch ${run.epochs.length}`,
        );
      }
      await view.scrollIntoViewIfNeeded();
      const table = await shot("sweep-panel");

      // The best trial's Show run opens its run in the details.
      await panel.locator('[data-sweep-trial="best"] [data-show-trial]').click();
      await panel.locator(".details h2", { hasText: "Dense" }).waitFor({ timeout: 30_000 });
      t.diagnostic(`screenshots: ${table}`);
    }),
  );
});

/** The most runs that were training at the same moment. */
function maxOverlap(runs: RunRecord[]): number {
  const edges = runs.flatMap((r) => [
    { at: Date.parse(r.startedAt), step: 1 },
    { at: Date.parse(r.finishedAt ?? r.startedAt), step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}

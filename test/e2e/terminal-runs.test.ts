// Runs and sweeps started from a terminal (`archlab train`, `archlab sweep` in the workspace) show
// in the window that is open, without a reload, even though the workspace had no .archlab folder
// when the window opened: the first run creates .archlab/runs, the first sweep .archlab/sweeps.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { promisify } from "node:util";
import type { RunRecord } from "../../src/engine/types";
import { ensureBuilt } from "../integration/helpers/build";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

// A dense network on 1,000 images: a run, or a sweep of two one-epoch trials, takes seconds.
const model = `import * as tf from '@tensorflow/tfjs';

export function Dense(hp: Hyperparameters) {
  const units = hp.choice('units', [16, 32]);
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units, activation: 'relu' }), tf.layers.dense({ units: 10 })],
  });
}

export const training = { epochs: 1, limit: 1000, testLimit: 200 };
export const sweep = { Dense: { method: 'grid', epochs: 1, parameters: { learningRate: [0.01] } } };
`;
const denseLine = model.split("\n").findIndex((l) => l.startsWith("export function Dense")) + 1;

/** `archlab ARGS` in `cwd` as a user types it in a terminal, with none of the test runner's Node options. */
async function archlab(cwd: string, ...args: string[]): Promise<string> {
  ensureBuilt();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => key !== "NODE_OPTIONS" && !key.startsWith("NODE_TEST") && !key.startsWith("npm_"),
    ),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(repoRoot, "bin", "archlab.js"), ...args, "--backend", "wasm"],
    { cwd, env, maxBuffer: 16 << 20 },
  );
  return stdout;
}

/** The run records in `dir`, as the CLI wrote them. */
function records(dir: string): RunRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json") && !name.startsWith("."))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as RunRecord);
}

/**
 * Opens the panel on a window without runs, trains Dense with `archlab train ...cliArgs` in the
 * workspace, and waits for the run to show, completed, in the panel and in the lens above Dense.
 */
async function trainFromTerminal(
  vsc: VsCode,
  t: TestContext,
  runsDir: string,
  name: string,
  cliArgs: string[] = [],
): Promise<void> {
  await vsc.waitForActivation();
  await vsc.openFile("dense.model.ts");
  await vsc.codeLensesAbove(denseLine, 60_000, (texts) => texts.some((text) => text.includes("params")));
  await vsc.runCommand("ArchLab: Open Comparison Panel");
  const panel = await vsc.webview("ArchLab: Compare");
  assert.equal(await panel.locator(".runs-table tbody tr[data-run-id]").count(), 0, "no runs yet");

  await archlab(vsc.workspace, "train", "dense.model.ts", ...cliArgs);
  const ended = Date.now();
  const [run] = records(runsDir);
  assert.equal(run?.status, "completed", `the CLI recorded its run in ${runsDir}`);
  const row = panel.locator(`.runs-table tbody tr[data-run-id="${run.id}"]`);
  await row.locator('td[data-column="status"]', { hasText: /^completed$/ }).waitFor({ timeout: 30_000 });
  t.diagnostic(
    `the completed run showed in the panel ${((Date.now() - ended) / 1000).toFixed(1)} s after the CLI ended`,
  );
  const panelShot = await vsc.screenshot(`${name}-panel`);

  const accuracy = `${(run.results!.testAccuracy * 100).toFixed(2)}%`;
  await vsc.page.locator(".tabs-container .tab", { hasText: "dense.model.ts" }).first().click();
  const lenses = await vsc.codeLensesAbove(denseLine, 30_000, (texts) =>
    texts.some((text) => text.startsWith(accuracy)),
  );
  assert.ok(
    lenses.some((text) => text.startsWith(accuracy)),
    `the lens shows the run's accuracy ${accuracy} (${lenses.join(" | ")})`,
  );
  const lensShot = await vsc.screenshot(`${name}-lens`);
  assert.equal(records(runsDir)[0]?.status, "completed", "the window left the record the CLI wrote as it was");
  t.diagnostic(`screenshots: ${path.relative(repoRoot, panelShot)}, ${path.relative(repoRoot, lensShot)}`);
}

describe("runs from a terminal, in .archlab", () => {
  let vsc: VsCode;

  before(
    async () => {
      vsc = await startVsCode({ contents: { "dense.model.ts": model } });
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "shows a run of archlab train in the panel and the lens, though .archlab did not exist",
    { timeout: 180_000 },
    scenario(async (t) => {
      assert.ok(!existsSync(path.join(vsc.workspace, ".archlab")), "the window opened on a workspace without .archlab");
      await trainFromTerminal(vsc, t, path.join(vsc.workspace, ".archlab", "runs"), "terminal-runs");
    }),
  );

  it(
    "shows a sweep of archlab sweep in the panel, though .archlab/sweeps did not exist",
    { timeout: 180_000 },
    scenario(async (t) => {
      assert.ok(!existsSync(path.join(vsc.workspace, ".archlab", "sweeps")), "no sweep yet");
      const panel = await vsc.webview("ArchLab: Compare");
      await archlab(vsc.workspace, "sweep", "dense.model.ts");
      const trials = vsc.runRecords().filter((r) => r.sweep);
      assert.equal(trials.length, 2, "the grid has a trial per units choice");
      for (const trial of trials)
        await panel.locator(`.runs-table tbody tr[data-run-id="${trial.id}"]`).waitFor({ timeout: 30_000 });
      const summary = panel.locator("[data-sweep-summary]");
      await summary.waitFor({ timeout: 30_000 });
      assert.match(await summary.innerText(), /^Dense: grid, 2 trials .*completed/);
      await panel.locator("[data-sweep-view]").scrollIntoViewIfNeeded();
      t.diagnostic(`screenshot: ${path.relative(repoRoot, await vsc.screenshot("terminal-runs-sweep"))}`);
    }),
  );
});

describe("runs from a terminal, in an archlab.runsFolder outside the workspace", () => {
  // Neither the folder nor its parent exists when the window opens.
  const outside = mkdtempSync(path.join(tmpdir(), "archlab-e2e-runs-"));
  const runsDir = path.join(outside, "archive", "runs");
  let vsc: VsCode;

  before(
    async () => {
      vsc = await startVsCode({ contents: { "dense.model.ts": model }, settings: { "archlab.runsFolder": runsDir } });
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await vsc?.stop();
    rmSync(outside, { recursive: true, force: true });
  });

  it(
    "shows a run of archlab train --runs-dir in the panel and the lens",
    { timeout: 180_000 },
    scenario(async (t) => {
      await trainFromTerminal(vsc, t, runsDir, "terminal-runs-outside", ["--runs-dir", runsDir]);
    }),
  );
});

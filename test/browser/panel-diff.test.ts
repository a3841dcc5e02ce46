// Diff of two runs in the panel: the architecture diff of StrongCNN against a copy with one layer
// changed (summaries from `archlab inspect --json`), the headline deltas, and the test images the
// second run fixed and broke, with both predictions and the confusion difference.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { InspectReport } from "../../src/engine/models";
import type { Misclassified, ModelSummary, RunRecord } from "../../src/engine/types";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { launchBrowser, openPanel, type Browser } from "./harness";
import { makeRun, toPanel } from "./fixtures";

const REPO = join(__dirname, "..", "..");
const NOTES = process.env.ARCHLAB_SCREENSHOTS ?? join(REPO, "test-results");

function strongCnnSummaries(): [ModelSummary, ModelSummary] {
  const dir = mkdtempSync(join(tmpdir(), "archlab-diff-"));
  try {
    const source = readFileSync(join(REPO, "examples/mnist.model.ts"), "utf8");
    writeFileSync(
      join(dir, "edited.model.ts"),
      source.replace("      conv(64),\n      conv(64),", "      conv(64),\n      conv(96),"),
    );
    const inspect = (file: string) => {
      const out = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), "inspect", file, "--json"], {
        encoding: "utf8",
      }).stdout;
      return (JSON.parse(out) as InspectReport).models.find((m) => m.name === "StrongCNN")!.summary!;
    };
    return [inspect(join(REPO, "examples/mnist.model.ts")), inspect(join(dir, "edited.model.ts"))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run whose mistakes are exactly `wrong` (index → predicted), on a 100-image test set of 10 per class. */
function withMistakes(
  run: RunRecord,
  summary: ModelSummary,
  wrong: Record<number, number>,
  accuracy: number,
  loss: number,
  seconds: number,
): RunRecord {
  const truth = (index: number) => index % 10;
  const misclassified: Misclassified[] = Object.entries(wrong).map(([i, p]) => [Number(i), truth(Number(i)), p]);
  const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 10 : 0)));
  for (const [, t, p] of misclassified) {
    confusion[t][t]--;
    confusion[t][p]++;
  }
  const results = {
    ...run.results!,
    testAccuracy: accuracy,
    testLoss: loss,
    learningTimeSec: seconds,
    confusion,
    misclassified,
    testExamples: 100,
  };
  return { ...run, summary, results, dataset: { ...run.dataset!, testSize: 100 } };
}

describe("comparison panel: what changed between two runs", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
    mkdirSync(NOTES, { recursive: true });
  });
  after(async () => browser?.close());

  it("shows the changed layer with its deltas, and the images fixed and broken", async () => {
    const [base, edited] = strongCnnSummaries();
    const a = withMistakes(
      makeRun({ model: "StrongCNN", startedAt: "2026-01-01T10:00:00.000Z" }),
      base,
      { 3: 5, 13: 8, 27: 1 },
      0.97,
      0.09,
      400,
    );
    const b = withMistakes(
      makeRun({ model: "StrongCNN", startedAt: "2026-01-01T11:00:00.000Z" }),
      edited,
      { 27: 2, 44: 9 },
      0.98,
      0.07,
      460.5,
    );
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: [toPanel(b), toPanel(a)], warnings: [] });
    await panel.page.click(`tr[data-run-id="${a.id}"] td[data-column="model"]`);
    await panel.page.click(`tr[data-run-id="${b.id}"] td[data-column="model"]`, { modifiers: ["Control"] });
    await panel.settle();
    await panel.page.click('vscode-button[data-action="diffSources"]');
    await panel.settle();
    const posted = await panel.posted();
    assert.deepEqual(
      posted.filter((m) => m.type === "diffSources"),
      [{ type: "diffSources", leftRunId: a.id, rightRunId: b.id }],
      "the text diff of the sources still opens",
    );

    const view = panel.page.locator("[data-run-diff]");
    const delta = (label: string) => view.locator(`[data-delta="${label}"]`).textContent();
    assert.equal(await delta("Test accuracy"), "+1.00 pp");
    assert.equal(await delta("Test loss"), "−0.0200");
    assert.equal(await delta("Learning time"), "+60.5 s");
    assert.equal(
      await delta("Params"),
      `+${(64 * 9 * 32 + 32 + 7 * 7 * 32 * 128).toLocaleString("en-US")}`,
      "the wider convolution and the Dense layer reading its extra outputs",
    );

    const changed = view.locator('tr[data-kind="changed"]');
    const texts = await changed.allInnerTexts();
    assert.match(
      texts[0],
      /Conv2D 14×14×64\s+Conv2D 14×14×96\s+filters 64 → 96, output 14×14×64 → 14×14×96\s+\+18,464\s+\+3\.6 M/,
    );
    assert.match(texts[texts.length - 1], /Dense 128\s+Dense 128\s+input 3136 → 4704\s+\+200,704/);
    assert.equal(await view.locator('tr[data-kind="added"], tr[data-kind="removed"]').count(), 0);

    const request = (await panel.posted())
      .filter((m): m is Extract<WebviewToHost, { type: "testImages" }> => m.type === "testImages")
      .pop()!;
    assert.deepEqual(request.indices, [3, 13, 44], "fixed 3 and 13, broke 44; 27 is wrong in both");
    const images = request.indices.map((index) => ({
      index,
      width: 28,
      height: 28,
      pixels: Array.from({ length: 784 }, (_, i) => ((i + index * 31) * 5) % 256),
    }));
    await panel.send({ type: "testImages", requestId: request.requestId, runId: b.id, images });
    assert.deepEqual(await view.locator('[data-outcome="fixed"] figcaption').allTextContents(), [
      "3: 5 → 3",
      "3: 8 → 3",
    ]);
    assert.deepEqual(await view.locator('[data-outcome="broken"] figcaption').allTextContents(), ["4: 4 → 9"]);
    await view.locator('[data-outcome="broken"] figure').first().click();
    const large = await view.locator("[data-large]").innerText();
    assert.match(large, /Test image #44, true class 4/);
    assert.match(large, /StrongCNN 1\d:00:00 predicted 4 \(right\)/);
    assert.match(large, /predicted 9 \(wrong\)/);
    const diagonal3 = await view.locator("table.confusion-delta tr").nth(4).locator("td").nth(3).textContent();
    assert.equal(diagonal3, "+2", "class 3 gained its two fixed images");
    await view.screenshot({ path: join(NOTES, "run-diff.png") });
    assert.deepEqual(panel.errors, []);
  });
});

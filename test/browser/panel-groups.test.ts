import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import "@tensorflow/tfjs-backend-cpu";
import { inspectModelFile } from "../../src/engine/models";
import { engineTf } from "../../src/engine/tf";
import type { ModelSummary, RunRecord } from "../../src/engine/types";
import { chartData, launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

const example = path.resolve(__dirname, "../../examples/mnist.model.ts");

/** Summaries the engine computes for TinyCNN in edited copies of the example file. */
async function tinyCnnVariants(
  dir: string,
): Promise<Record<"original" | "commented" | "renamed" | "filters", ModelSummary>> {
  const tf = engineTf();
  await tf.setBackend("cpu");
  const source = await readFile(example, "utf8");
  const variants = {
    original: source,
    // A comment-only edit, and layers given names of their own.
    commented: source
      .replace("export function TinyCNN() {", "// Smallest of the four; keep it that way.\nexport function TinyCNN() {")
      .replace(
        "conv(8), pool(), tf.layers.flatten(), tf.layers.dense({ units: 10 })]",
        "conv(8), pool(), tf.layers.flatten({ name: 'flat' }), tf.layers.dense({ units: 10, name: 'logits' })]",
      ),
    // The export renamed: the architecture is the same.
    renamed: source.replace("export function TinyCNN() {", "export function TinyCNNv2() {"),
    // The first convolution gets 6 filters instead of 4: a different architecture.
    filters: source.replace("layers: [conv(4, true), pool(), conv(8)", "layers: [conv(6, true), pool(), conv(8)"),
  };
  const summaries = {} as Record<keyof typeof variants, ModelSummary>;
  for (const [name, text] of Object.entries(variants) as [keyof typeof variants, string][]) {
    if (name !== "original") assert.notEqual(text, source, `the ${name} edit applies`);
    if (name === "commented") assert.match(text, /name: 'logits'/);
    const file = path.join(dir, `${name}.model.ts`);
    await writeFile(file, text);
    const model = (await inspectModelFile(file, tf)).models.find((m) => m.name.startsWith("TinyCNN"))!;
    summaries[name] = model.summary!;
  }
  return summaries;
}

function runOf(summary: ModelSummary, file: string, accuracy: number, extra: Partial<RunRecord> = {}): RunRecord {
  const run = makeRun({ model: summary.name, file, accuracy, params: summary.params.total });
  return { ...run, summary, ...extra };
}

const groupRows = (panel: PanelPage) =>
  panel.page.$$eval(".runs-table tbody tr.group-row", (rows) =>
    rows.map((r) => ({
      label: r.querySelector(".group-label")?.textContent ?? "",
      accuracy: r.querySelector('td[data-column="testAccuracy"]')?.textContent ?? "",
      key: (r as HTMLElement).dataset.groupKey ?? "",
    })),
  );

describe("comparison panel: groups", () => {
  let browser: Browser;
  let dir: string;
  let summaries: Awaited<ReturnType<typeof tinyCnnVariants>>;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "archlab-groups-"));
    summaries = await tinyCnnVariants(dir);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("groups reruns, comment-only edits and renames by fingerprint; a filter change is another architecture", async () => {
    assert.equal(summaries.commented.architectureHash, summaries.original.architectureHash);
    assert.notEqual(summaries.filters.architectureHash, summaries.original.architectureHash);
    const runs = [
      runOf(summaries.original, "original.model.ts", 0.97),
      runOf(summaries.original, "original.model.ts", 0.98),
      runOf(summaries.commented, "commented.model.ts", 0.975),
      runOf(summaries.renamed, "renamed.model.ts", 0.98),
      runOf(summaries.filters, "filters.model.ts", 0.985),
    ];
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.selectOption('select[data-control="group-by"]', "architecture");
    await panel.settle();
    const groups = await groupRows(panel);
    assert.equal(groups.length, 2);
    const same = groups.find(
      (g) => g.label.startsWith("TinyCNN, TinyCNNv2") || g.label.startsWith("TinyCNNv2, TinyCNN"),
    );
    assert.ok(same, `one group holds TinyCNN and its rename: ${JSON.stringify(groups)}`);
    assert.match(same.label, new RegExp(` · ${summaries.original.architectureHash.slice(0, 8)}$`));
    // Mean and sample standard deviation of 97, 98, 97.5 and 98 percent.
    assert.equal(same.accuracy, "97.63% ± 0.48");
    const other = groups.find((g) => g !== same)!;
    assert.equal(other.accuracy, "98.50%");
    assert.match(await panel.page.locator(`tr[data-group-key="${same.key}"]`).innerText(), /4 runs/);
    assert.deepEqual(panel.errors, []);
  });

  it("folds a group, remembers it after a reload, and gives each group one colour in the charts", async () => {
    const runs = [
      runOf(summaries.original, "a.model.ts", 0.97),
      runOf(summaries.original, "a.model.ts", 0.98),
      runOf(summaries.filters, "b.model.ts", 0.985),
    ];
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    await panel.page.selectOption('select[data-control="group-by"]', "architecture");
    await panel.settle();
    // Every run is selected (the latest of each architecture, and the rerun by hand).
    await panel.page.check(".runs-table thead input[type=checkbox]");
    await panel.settle();
    const borders = await panel.page.evaluate(() => {
      const charts = (
        window as unknown as {
          archlabPanel: { charts: Record<string, { data: { datasets: { label: string; borderColor: string }[] } }> };
        }
      ).archlabPanel.charts;
      return charts.accuracy.data.datasets.filter((d) => d.label.endsWith("train")).map((d) => d.borderColor);
    });
    assert.equal(borders.length, 3);
    assert.equal(
      new Set(borders).size,
      2,
      `two runs of one architecture share a colour, the third has another: ${borders.join(",")}`,
    );
    const pareto = (await chartData(panel, "pareto")).map((d) => d.label);
    assert.equal(pareto.length, 3, `the front and one dataset per group: ${pareto.join(",")}`);

    const first = (await groupRows(panel)).find((g) => g.key === `arch:${summaries.original.architectureHash}`)!;
    await panel.page.click(`tr[data-group-key="${first.key}"] .group-label`);
    await panel.settle();
    assert.equal(
      await panel.page.locator(".runs-table tbody tr[data-run-id]").count(),
      1,
      "the folded group hides its runs",
    );
    assert.match((await panel.page.locator(".toolbar .count").textContent()) ?? "", /3 of 3 runs/);
    const saved = await panel.state();
    assert.deepEqual(saved?.folded, [first.key]);
    const reloaded = await openPanel(browser, saved);
    await reloaded.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal(await reloaded.page.locator('select[data-control="group-by"]').inputValue(), "architecture");
    assert.equal(await reloaded.page.locator(".runs-table tbody tr[data-run-id]").count(), 1);
    assert.equal(
      await reloaded.page.locator(`tr[data-group-key="${first.key}"]`).getAttribute("aria-expanded"),
      "false",
    );
  });

  it("groups by file, by dataset and by sweep", async () => {
    const sweep = (id: string, trial: number) =>
      ({ sweep: { id, trial, params: { filters: trial * 4 } } }) as Partial<RunRecord>;
    const fashion = makeRun({ model: "CNN", file: "b.model.ts" });
    fashion.config = { ...fashion.config, dataset: "fashion-mnist" };
    fashion.dataset = { ...fashion.dataset!, name: "fashion-mnist" };
    const runs = [
      { ...makeRun({ model: "Net", file: "a.model.ts" }), ...sweep("s1", 1) },
      { ...makeRun({ model: "Net", file: "a.model.ts" }), ...sweep("s1", 2) },
      { ...makeRun({ model: "Net", file: "a.model.ts" }), ...sweep("s2", 1) },
      fashion,
    ];
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    const labels = async (by: string) => {
      await panel.page.selectOption('select[data-control="group-by"]', by);
      await panel.settle();
      return (await groupRows(panel)).map((g) => g.label).sort();
    };
    assert.deepEqual(await labels("file"), ["a.model.ts", "b.model.ts"]);
    assert.deepEqual(await labels("dataset"), ["fashion-mnist", "mnist"]);
    assert.deepEqual(await labels("sweep"), ["Not in a sweep", "Sweep s1", "Sweep s2"]);
    await panel.page.selectOption('select[data-control="group-by"]', "none");
    await panel.settle();
    assert.equal(await panel.page.locator(".runs-table tbody tr.group-row").count(), 0);
  });
});

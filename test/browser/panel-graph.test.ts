// The architecture graph in a run's details, drawn from real summaries (`archlab inspect --json`
// of the example file and of a residual net): nodes and branches, shading, zoom, export, theme,
// and a click that asks the host for the layer's source line.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { InspectReport } from "../../src/engine/models";
import type { ModelSummary, RunRecord } from "../../src/engine/types";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { makeRun, toPanel } from "./fixtures";

const REPO = join(__dirname, "..", "..");
const NOTES = process.env.ARCHLAB_SCREENSHOTS ?? join(REPO, "test-results");

function summaryOf(file: string, model: string): ModelSummary {
  const result = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), "inspect", join(REPO, file), "--json"], {
    cwd: REPO,
    encoding: "utf8",
  });
  const summary = (JSON.parse(result.stdout) as InspectReport).models.find((m) => m.name === model)?.summary;
  assert.ok(summary, `${model} of ${file} has a summary`);
  return summary;
}

function runOf(summary: ModelSummary): RunRecord {
  return { ...makeRun({ model: summary.name, params: summary.params.total }), summary };
}

async function showDetails(browser: Browser, run: RunRecord): Promise<PanelPage> {
  const panel = await openPanel(browser, {
    version: 1,
    sort: { column: "model", descending: false },
    filters: { text: "", status: "" },
    selected: [run.id],
    detailsRunId: run.id,
  });
  await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
  await panel.settle();
  await panel.page.locator(".arch-graph-canvas .arch-node").first().waitFor();
  return panel;
}

const ofType = <T extends WebviewToHost["type"]>(messages: WebviewToHost[], type: T) =>
  messages.filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);

/** Each node's incoming and outgoing edge counts, by node name. */
async function degrees(panel: PanelPage): Promise<Map<string, { in: number; out: number }>> {
  const edges = await panel.page.$$eval(".arch-graph-canvas .arch-edge", (paths) =>
    paths.map((p) => [(p as SVGElement).dataset.from!, (p as SVGElement).dataset.to!]),
  );
  const result = new Map<string, { in: number; out: number }>();
  const of = (n: string) => result.get(n) ?? (result.set(n, { in: 0, out: 0 }), result.get(n)!);
  for (const [from, to] of edges) {
    of(from).out++;
    of(to).in++;
  }
  return result;
}

const shares = (panel: PanelPage) =>
  panel.page.$$eval(".arch-graph-canvas .arch-node", (nodes) =>
    Object.fromEntries(
      nodes.map((n): [string, number] => [
        (n as SVGElement).dataset.node ?? "",
        Number((n as SVGElement).dataset.share),
      ]),
    ),
  );

describe("comparison panel: architecture graph", () => {
  let browser: Browser;
  let strong: ModelSummary;
  let resnet: ModelSummary;
  before(async () => {
    strong = summaryOf("examples/mnist.model.ts", "StrongCNN");
    resnet = summaryOf("test/fixtures/models/residual.model.ts", "ResNet");
    browser = await launchBrowser();
    mkdirSync(NOTES, { recursive: true });
  });
  after(async () => browser?.close());

  it("draws StrongCNN as a chain of its layers, shaded by their share of params or MACs", async () => {
    const panel = await showDetails(browser, runOf(strong));
    const nodes = await panel.page.locator(".arch-graph-canvas .arch-node").count();
    assert.equal(nodes, strong.layers.length + 1, "one node per layer and one for the input");
    const degree = await degrees(panel);
    assert.ok(
      [...degree.values()].every((d) => d.in <= 1 && d.out <= 1),
      "a Sequential model has no branches",
    );
    const text = await panel.page.locator('.arch-graph-canvas [data-node="dense_1"]').textContent();
    assert.match(text ?? "", /dense_1Dense · 128401,536 params · 0\.4 M MACs/);
    const byParams = await shares(panel);
    assert.ok(
      Math.abs(byParams.dense_1 - 401_536 / 467_818) < 1e-3,
      `dense_1 holds 85.8% of the params (${byParams.dense_1})`,
    );
    await panel.page.locator(".arch-graph-section").screenshot({ path: join(NOTES, "graph-strongcnn.png") });
    await panel.page.selectOption(".arch-graph-weight", "macs");
    const byMacs = await shares(panel);
    assert.ok(byMacs.conv2d_2 > byMacs.dense_1, "by MACs the second convolution outweighs the Dense layer");
    assert.ok(Math.abs(byMacs.conv2d_2 - 7_225_344 / strong.macs) < 1e-3);
    assert.deepEqual(panel.errors, []);
  });

  it("draws the residual additions and the concatenation as real branches", async () => {
    const panel = await showDetails(browser, runOf(resnet));
    const degree = await degrees(panel);
    const adds = resnet.layers.filter((l) => l.type === "Add").map((l) => l.name);
    assert.equal(adds.length, 2);
    for (const add of adds) assert.equal(degree.get(add)?.in, 2, `${add} joins the shortcut and the block`);
    const concat = resnet.layers.find((l) => l.type === "Concatenate")!.name;
    assert.equal(degree.get(concat)?.in, 2);
    const forks = [...degree.entries()].filter(([, d]) => d.out > 1).map(([n]) => n);
    assert.equal(
      forks.length,
      3,
      `the stem and the first add feed a shortcut each, the second add two branches: ${forks.join(", ")}`,
    );
    await panel.page.locator(".arch-graph-section").screenshot({ path: join(NOTES, "graph-resnet.png") });
  });

  it("zooms with the wheel, follows the theme, exports SVG and PNG, opens a layer on click", async () => {
    const run = runOf(resnet);
    const panel = await showDetails(browser, run);
    const group = panel.page.locator(".arch-graph-canvas > g");
    const before = await group.getAttribute("transform");
    await panel.page.locator(".arch-graph-canvas").scrollIntoViewIfNeeded();
    const box = (await panel.page.locator(".arch-graph-canvas").boundingBox())!;
    await panel.page.mouse.move(box.x + box.width / 2, box.y + 60);
    await panel.page.mouse.wheel(0, -400);
    const zoomed = await group.getAttribute("transform");
    const scale = (t: string | null) => Number(/scale\(([\d.]+)\)/.exec(t ?? "")?.[1]);
    assert.ok(scale(zoomed) > scale(before), `zoomed in: ${before} → ${zoomed}`);

    await panel.page.evaluate(() => {
      document.body.style.setProperty("--vscode-foreground", "#123456");
      document.body.classList.add("vscode-light");
    });
    await panel.page.waitForFunction(
      () => document.querySelector(".arch-graph-canvas text")?.getAttribute("fill") === "#123456",
    );

    await panel.page.click('.arch-graph-button:text("Export SVG")');
    await panel.page.click('.arch-graph-button:text("Export PNG")');
    await panel.page.waitForFunction(
      () =>
        (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === "exportGraph")
          .length === 2,
    );
    const [svg, png] = ofType(await panel.posted(), "exportGraph");
    assert.equal(svg.format, "svg");
    assert.equal(svg.name, "ResNet");
    assert.match(svg.data, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg.data, /concatenate_1/);
    assert.doesNotMatch(svg.data, /var\(--/, "colours written in, not theme variables");
    assert.equal(png.format, "png");
    const bytes = Buffer.from(png.data.replace("data:image/png;base64,", ""), "base64");
    assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from("PNG")]);
    assert.ok(bytes.length > 10_000, `a ${bytes.length}-byte PNG is too small to hold the graph`);

    await panel.page.locator('.arch-graph-canvas [data-node="concatenate_1"]').click();
    assert.deepEqual(ofType(await panel.posted(), "openLayer"), [
      { type: "openLayer", runId: run.id, layer: "concatenate_1" },
    ]);
    assert.deepEqual(panel.errors, []);
  });
});

// The drawing pad: strokes become the dataset's 28x28 form, every selected run with a saved model
// is asked for its prediction, and the answers are shown side by side; test images can be sent too.
// What the models see never covers the prediction cards, whatever the panel's width.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FASHION_MNIST_CLASS_NAMES } from "../../src/engine/datasets/fashion-mnist";
import type { RunRecord } from "../../src/engine/types";
import type { PredictionResult } from "../../src/shared/protocol";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { makeRun, studyRuns, toPanel } from "./fixtures";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { applyTheme } from "./themes";

const SHOTS = process.env.ARCHLAB_SCREENSHOTS;

type Predict = Extract<WebviewToHost, { type: "predict" }>;

const predictRequests = async (panel: PanelPage) =>
  (await panel.posted()).filter((m): m is Predict => m.type === "predict");

const withSavedModel = (run: RunRecord): RunRecord => ({
  ...run,
  savedModel: {
    path: `.archlab/models/${run.id}`,
    bytes: 100_000,
    sha256: "a".repeat(64),
    epoch: 5,
    optimizer: "adam",
  },
});

function withModels() {
  return studyRuns().map(withSavedModel);
}

/** A "7": a bar across the top and a slanted stroke down, drawn with the mouse. */
async function drawSeven(panel: PanelPage): Promise<void> {
  const box = (await panel.page.locator("canvas.pad-canvas").boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await panel.page.mouse.move(...at(0.3, 0.25));
  await panel.page.mouse.down();
  for (const [x, y] of [
    [0.5, 0.25],
    [0.7, 0.25],
    [0.6, 0.45],
    [0.5, 0.65],
    [0.45, 0.8],
  ])
    await panel.page.mouse.move(...at(x, y), { steps: 4 });
  await panel.page.mouse.up();
  await panel.settle();
}

function answer(request: Predict, label: number): PredictionResult[] {
  return request.runIds.map((runId, i) => ({
    runId,
    top: [
      { label, probability: 0.9 - i * 0.1 },
      { label: 1, probability: 0.05 + i * 0.05 },
      { label: 2, probability: 0.01 },
    ],
  }));
}

/** Answers every prediction request the pad has sent, until it sends no more. */
async function answerAll(panel: PanelPage, label: number): Promise<void> {
  const answered = new Set<number>();
  for (;;) {
    const waiting = (await predictRequests(panel)).filter((r) => !answered.has(r.requestId));
    if (!waiting.length) return;
    for (const request of waiting) {
      answered.add(request.requestId);
      await panel.send({ type: "predictions", requestId: request.requestId, results: answer(request, label) });
    }
  }
}

/**
 * What overlaps in the pad: its three parts (the pad and its buttons, what the models see, each
 * prediction card) with one another, anything drawn or written outside the part it belongs to (text
 * measured to its last glyph, unless its box clips it), and a bar's label running into its bar.
 */
function padOverlaps(panel: PanelPage): Promise<string[]> {
  return panel.page.evaluate(() => {
    type Box = { left: number; right: number; top: number; bottom: number };
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}${e.getAttribute("data-run-id") ? `[${e.getAttribute("data-run-id")}]` : ""}`;
    const extent = (e: Element): Box => {
      const own = e.getBoundingClientRect();
      if (
        getComputedStyle(e).overflowX !== "visible" ||
        ![...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
      )
        return own;
      const range = document.createRange();
      range.selectNodeContents(e);
      const text = range.getBoundingClientRect();
      return {
        left: Math.min(own.left, text.left),
        right: Math.max(own.right, text.right),
        top: Math.min(own.top, text.top),
        bottom: Math.max(own.bottom, text.bottom),
      };
    };
    const overlap = (a: Box, b: Box) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const inside = (a: Box, b: Box) =>
      a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const union = (boxes: Box[]): Box => ({
      left: Math.min(...boxes.map((b) => b.left)),
      right: Math.max(...boxes.map((b) => b.right)),
      top: Math.min(...boxes.map((b) => b.top)),
      bottom: Math.max(...boxes.map((b) => b.bottom)),
    });
    /** What a part holds that has a box of its own (not a `display: contents` wrapper). */
    const contents = (part: Element) =>
      [...part.querySelectorAll("*")].filter((e) => getComputedStyle(e).display !== "contents");
    /** Everything a part draws: its box and whatever its contents draw. */
    const drawn = (part: Element) => union([extent(part), ...contents(part).map(extent)]);
    const parts = [...document.querySelectorAll(".pad-input, .pad-seen, .pad .prediction")];
    const problems: string[] = [];
    parts.forEach((a, i) =>
      parts.slice(i + 1).forEach((b) => overlap(drawn(a), drawn(b)) && problems.push(`${name(a)} overlaps ${name(b)}`)),
    );
    for (const part of parts) {
      for (const child of contents(part))
        if (!inside(extent(child), part.getBoundingClientRect()))
          problems.push(`${name(child)} reaches out of ${name(part)}`);
    }
    for (const bar of document.querySelectorAll(".pad .prediction-bar")) {
      if (
        extent(bar.querySelector(".bar-label")!).right >
        bar.querySelector(".bar-track")!.getBoundingClientRect().left + 0.5
      )
        problems.push(`the label of ${name(bar)} runs into its bar`);
    }
    return problems;
  });
}

/** Runs on a folder of 64x64 IDX images: the preview is larger than MNIST's. */
function scanRuns(): RunRecord[] {
  return ["ScanNet", "ScanNetWide"].map((model) => {
    const run = withSavedModel(makeRun({ model, accuracy: 0.93 }));
    run.config = { ...run.config, dataset: "datasets/chest_xray_64px_grayscale_idx" };
    run.summary = { ...run.summary!, inputShape: [64, 64, 1], outputShape: [2] };
    run.dataset = {
      ...run.dataset!,
      name: "chest_xray_64px_grayscale_idx",
      imageShape: [64, 64, 1],
      numClasses: 2,
      classNames: ["normal", "pneumonia"],
    };
    return run;
  });
}

function fashionRuns(): RunRecord[] {
  const classNames = [...FASHION_MNIST_CLASS_NAMES];
  return studyRuns().map((run) => {
    const fashion = withSavedModel(run);
    fashion.config = { ...fashion.config, dataset: "fashion-mnist" };
    fashion.dataset = { ...fashion.dataset!, name: "fashion-mnist", classNames };
    return fashion;
  });
}

describe("comparison panel: drawing pad", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it("sends a drawn digit, preprocessed to 28x28 and centred, to every selected model and shows their answers side by side", async () => {
    const panel = await openPanel(browser);
    const runs = withModels();
    await panel.send({ type: "snapshot", runs: runs.map(toPanel), warnings: [] });
    assert.equal(await panel.page.locator(".pad .predictions .prediction").count(), 4);
    await drawSeven(panel);
    const requests = await predictRequests(panel);
    // One request in flight at a time: the strokes drawn meanwhile wait for its answer.
    assert.equal(requests.length, 1);
    const [first] = requests;
    assert.deepEqual([...first.runIds].sort(), runs.map((r) => r.id).sort());
    assert.equal(first.pixels.length, 784);
    assert.ok(first.pixels.every((v) => v >= 0 && v <= 1));
    await panel.send({ type: "predictions", requestId: first.requestId, results: answer(first, 7) });
    const latest = (await predictRequests(panel)).at(-1)!;
    assert.ok(latest.requestId > first.requestId, "the strokes drawn while waiting were sent once the answer came");
    await panel.send({ type: "predictions", requestId: latest.requestId, results: answer(latest, 7) });
    // MNIST's form: the ink inside a 20x20 box, its centre of mass at the middle of 28x28.
    const pixels = latest.pixels;
    let [mass, cx, cy, minX, maxX, minY, maxY] = [0, 0, 0, 28, -1, 28, -1];
    pixels.forEach((v, i) => {
      const [x, y] = [i % 28, Math.floor(i / 28)];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
      if (v > 0.01)
        [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
    });
    assert.ok(
      Math.abs(cx / mass - 14) < 1 && Math.abs(cy / mass - 14) < 1,
      `centre of mass at ${cx / mass}, ${cy / mass}`,
    );
    assert.ok(
      Math.max(maxX - minX, maxY - minY) + 1 <= 21 && maxY - minY + 1 >= 18,
      `ink box ${maxX - minX + 1}x${maxY - minY + 1}`,
    );
    const cards = panel.page.locator(".pad .prediction");
    assert.deepEqual(await cards.locator(".prediction-class").allTextContents(), ["7", "7", "7", "7"]);
    const firstCard = cards.filter({ has: panel.page.locator(".prediction-model", { hasText: "MLP" }) });
    assert.deepEqual(await firstCard.locator(".prediction-bar .bar-label").allTextContents(), ["7", "1", "2"]);
    assert.match((await panel.page.locator(".pad-timing").textContent()) ?? "", /4 models answered in \d+ ms/);
    const preview = await panel.page.locator("canvas.pad-preview").evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) ink += data[i];
      return { width: c.width, ink };
    });
    assert.equal(preview.width, 28);
    assert.ok(preview.ink > 0, "the preprocessed image is shown");
    await panel.page.click('vscode-button[data-action="clearPad"]');
    await panel.settle();
    assert.deepEqual(await cards.locator(".prediction-class").allTextContents(), ["–", "–", "–", "–"]);
    assert.deepEqual(panel.errors, []);
  });

  it("shows a test image by index, and one clicked in the gallery, with every model's prediction of it", async () => {
    const panel = await openPanel(browser);
    const run = makeRun({ model: "CNN", accuracy: 0.98 });
    run.savedModel = { path: `.archlab/models/${run.id}`, bytes: 100_000, sha256: "a".repeat(64), epoch: 5 };
    await panel.send({ type: "snapshot", runs: [toPanel(run)], warnings: [] });
    const pixels = Array.from({ length: 784 }, (_, i) => (i * 13) % 256);
    await panel.page.fill("input.pad-index", "42");
    await panel.page.click('vscode-button[data-action="showTestImage"]');
    await panel.settle();
    const imageRequest = (await panel.posted()).filter((m) => m.type === "testImages").at(-1) as Extract<
      WebviewToHost,
      { type: "testImages" }
    >;
    assert.deepEqual(imageRequest.indices, [42]);
    await panel.send({
      type: "testImages",
      requestId: imageRequest.requestId,
      runId: run.id,
      images: [{ index: 42, width: 28, height: 28, pixels }],
    });
    const byIndex = (await predictRequests(panel)).at(-1)!;
    assert.deepEqual(byIndex.runIds, [run.id]);
    // A test image is already in the dataset's form: sent as it is.
    assert.deepEqual(
      byIndex.pixels,
      pixels.map((v) => Math.fround(v / 255)),
    );
    assert.match((await panel.page.locator(".pad-caption").textContent()) ?? "", /Test image #42/);
    await panel.send({
      type: "predictions",
      requestId: byIndex.requestId,
      results: [{ runId: run.id, error: "CNN takes 32x32x3 images, not 784 values" }],
    });
    assert.equal(
      await panel.page.locator(".pad .prediction .error").textContent(),
      "CNN takes 32x32x3 images, not 784 values",
    );

    await panel.page.click(`tr[data-run-id="${run.id}"] td[data-column="model"]`);
    await panel.settle();
    const galleryRequest = (await panel.posted()).filter((m) => m.type === "testImages").at(-1) as Extract<
      WebviewToHost,
      { type: "testImages" }
    >;
    const [index] = galleryRequest.indices;
    const gallery = galleryRequest.indices.map((i) => ({
      index: i,
      width: 28,
      height: 28,
      pixels: Array.from({ length: 784 }, (_, p) => (p + i) % 256),
    }));
    await panel.send({ type: "testImages", requestId: galleryRequest.requestId, runId: run.id, images: gallery });
    await panel.page.click(`.gallery figure[data-index="${index}"]`);
    await panel.settle();
    const fromGallery = (await predictRequests(panel)).at(-1)!;
    assert.deepEqual(
      fromGallery.pixels,
      gallery[0].pixels.map((v) => Math.fround(v / 255)),
    );
    assert.match(
      (await panel.page.locator(".pad-caption").textContent()) ?? "",
      new RegExp(`Test image #${index}, label \\d`),
    );
    assert.deepEqual(panel.errors, []);
  });

  it("says what to do when no selected run has a saved model", async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: "snapshot", runs: studyRuns().map(toPanel), warnings: [] });
    assert.equal(
      await panel.page.locator(".pad .predictions").textContent(),
      "Select runs with a saved model to see their predictions.",
    );
    await drawSeven(panel);
    assert.equal((await predictRequests(panel)).length, 0);
  });

  // The three parts sit side by side when they fit and wrap when they do not, at any panel width:
  // MNIST's 28x28 preview, a 64x64 one with a caption naming its folder (one long word), and
  // Fashion-MNIST's class names in the cards.
  const scenarios: { name: string; runs: () => RunRecord[]; label: number; missingTestImage?: boolean }[] = [
    { name: "mnist", runs: withModels, label: 7 },
    { name: "scans-64px", runs: scanRuns, label: 0, missingTestImage: true },
    { name: "fashion", runs: fashionRuns, label: 9 },
  ];
  for (const theme of ["light", "dark"] as const) {
    it(`keeps what the models see and the prediction cards apart at 600, 900 and 1400 px (${theme})`, async () => {
      const panel = await openPanel(browser);
      await applyTheme(panel.page, theme);
      const problems: string[] = [];
      for (const scenario of scenarios) {
        await panel.send({ type: "snapshot", runs: scenario.runs().map(toPanel), warnings: [] });
        await panel.page.click('vscode-button[data-action="clearPad"]');
        await panel.page.locator(".pad").scrollIntoViewIfNeeded();
        await drawSeven(panel);
        await answerAll(panel, scenario.label);
        if (scenario.missingTestImage) {
          await panel.page.fill("input.pad-index", "70000");
          await panel.page.click('vscode-button[data-action="showTestImage"]');
          const request = (await panel.posted()).filter((m) => m.type === "testImages").at(-1) as Extract<
            WebviewToHost,
            { type: "testImages" }
          >;
          await panel.send({ type: "testImages", requestId: request.requestId, runId: request.runId, images: [] });
          assert.match(
            (await panel.page.locator(".pad-caption").textContent()) ?? "",
            /not available for chest_xray_64px_grayscale_idx/,
          );
        }
        // Neither hover nor focus: the screenshots show the pad at rest.
        await panel.page.mouse.move(0, 0);
        await panel.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        for (const width of [600, 900, 1400]) {
          await panel.page.setViewportSize({ width, height: 1000 });
          await panel.settle();
          problems.push(...(await padOverlaps(panel)).map((p) => `${scenario.name} at ${width} px: ${p}`));
          if (SHOTS) {
            mkdirSync(SHOTS, { recursive: true });
            await panel.page
              .locator(".pad")
              .screenshot({ path: join(SHOTS, `panel-pad-${scenario.name}-${theme}-${width}.png`) });
          }
        }
        await panel.page.setViewportSize({ width: 1280, height: 1600 });
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(panel.errors, []);
    });
  }
});

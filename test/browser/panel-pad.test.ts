// The drawing pad: strokes become the dataset's 28x28 form, every selected run with a saved model
// is asked for its prediction, and the answers are shown side by side; test images can be sent too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PredictionResult } from '../../src/shared/protocol';
import type { WebviewToHost } from '../../src/shared/webview-protocol';
import { makeRun, studyRuns, toPanel } from './fixtures';
import { launchBrowser, openPanel, type Browser, type PanelPage } from './harness';

type Predict = Extract<WebviewToHost, { type: 'predict' }>;

const predictRequests = async (panel: PanelPage) => (await panel.posted()).filter((m): m is Predict => m.type === 'predict');

function withModels() {
  return studyRuns().map((run) => {
    run.savedModel = { path: `.archlab/models/${run.id}`, bytes: 100_000, sha256: 'a'.repeat(64), epoch: 5, optimizer: 'adam' };
    return run;
  });
}

/** A "7": a bar across the top and a slanted stroke down, drawn with the mouse. */
async function drawSeven(panel: PanelPage): Promise<void> {
  const box = (await panel.page.locator('canvas.pad-canvas').boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await panel.page.mouse.move(...at(0.3, 0.25));
  await panel.page.mouse.down();
  for (const [x, y] of [[0.5, 0.25], [0.7, 0.25], [0.6, 0.45], [0.5, 0.65], [0.45, 0.8]]) await panel.page.mouse.move(...at(x, y), { steps: 4 });
  await panel.page.mouse.up();
  await panel.settle();
}

function answer(request: Predict, label: number): PredictionResult[] {
  return request.runIds.map((runId, i) => ({ runId, top: [{ label, probability: 0.9 - i * 0.1 }, { label: 1, probability: 0.05 + i * 0.05 }, { label: 2, probability: 0.01 }] }));
}

describe('comparison panel: drawing pad', () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  it('sends a drawn digit, preprocessed to 28x28 and centred, to every selected model and shows their answers side by side', async () => {
    const panel = await openPanel(browser);
    const runs = withModels();
    await panel.send({ type: 'snapshot', runs: runs.map(toPanel), warnings: [] });
    assert.equal(await panel.page.locator('.pad .predictions .prediction').count(), 4);
    await drawSeven(panel);
    const requests = await predictRequests(panel);
    // One request in flight at a time: the strokes drawn meanwhile wait for its answer.
    assert.equal(requests.length, 1);
    const [first] = requests;
    assert.deepEqual([...first.runIds].sort(), runs.map((r) => r.id).sort());
    assert.equal(first.pixels.length, 784);
    assert.ok(first.pixels.every((v) => v >= 0 && v <= 1));
    await panel.send({ type: 'predictions', requestId: first.requestId, results: answer(first, 7) });
    const latest = (await predictRequests(panel)).at(-1)!;
    assert.ok(latest.requestId > first.requestId, 'the strokes drawn while waiting were sent once the answer came');
    await panel.send({ type: 'predictions', requestId: latest.requestId, results: answer(latest, 7) });
    // MNIST's form: the ink inside a 20x20 box, its centre of mass at the middle of 28x28.
    const pixels = latest.pixels;
    let [mass, cx, cy, minX, maxX, minY, maxY] = [0, 0, 0, 28, -1, 28, -1];
    pixels.forEach((v, i) => {
      const [x, y] = [i % 28, Math.floor(i / 28)];
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
      if (v > 0.01) [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
    });
    assert.ok(Math.abs(cx / mass - 14) < 1 && Math.abs(cy / mass - 14) < 1, `centre of mass at ${cx / mass}, ${cy / mass}`);
    assert.ok(Math.max(maxX - minX, maxY - minY) + 1 <= 21 && maxY - minY + 1 >= 18, `ink box ${maxX - minX + 1}x${maxY - minY + 1}`);
    const cards = panel.page.locator('.pad .prediction');
    assert.deepEqual(await cards.locator('.prediction-class').allTextContents(), ['7', '7', '7', '7']);
    const firstCard = cards.filter({ has: panel.page.locator('.prediction-model', { hasText: 'MLP' }) });
    assert.deepEqual(await firstCard.locator('.prediction-bar .bar-label').allTextContents(), ['7', '1', '2']);
    assert.match((await panel.page.locator('.pad-timing').textContent()) ?? '', /4 models answered in \d+ ms/);
    const preview = await panel.page.locator('canvas.pad-preview').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) ink += data[i];
      return { width: c.width, ink };
    });
    assert.equal(preview.width, 28);
    assert.ok(preview.ink > 0, 'the preprocessed image is shown');
    await panel.page.click('vscode-button[data-action="clearPad"]');
    await panel.settle();
    assert.deepEqual(await cards.locator('.prediction-class').allTextContents(), ['–', '–', '–', '–']);
    assert.deepEqual(panel.errors, []);
  });

  it('shows a test image by index, and one clicked in the gallery, with every model\'s prediction of it', async () => {
    const panel = await openPanel(browser);
    const run = makeRun({ model: 'CNN', accuracy: 0.98 });
    run.savedModel = { path: `.archlab/models/${run.id}`, bytes: 100_000, sha256: 'a'.repeat(64), epoch: 5 };
    await panel.send({ type: 'snapshot', runs: [toPanel(run)], warnings: [] });
    const pixels = Array.from({ length: 784 }, (_, i) => (i * 13) % 256);
    await panel.page.fill('input.pad-index', '42');
    await panel.page.click('vscode-button[data-action="showTestImage"]');
    await panel.settle();
    const imageRequest = (await panel.posted()).filter((m) => m.type === 'testImages').at(-1) as Extract<WebviewToHost, { type: 'testImages' }>;
    assert.deepEqual(imageRequest.indices, [42]);
    await panel.send({ type: 'testImages', requestId: imageRequest.requestId, runId: run.id, images: [{ index: 42, width: 28, height: 28, pixels }] });
    const byIndex = (await predictRequests(panel)).at(-1)!;
    assert.deepEqual(byIndex.runIds, [run.id]);
    // A test image is already in the dataset's form: sent as it is.
    assert.deepEqual(byIndex.pixels, pixels.map((v) => Math.fround(v / 255)));
    assert.match((await panel.page.locator('.pad-caption').textContent()) ?? '', /Test image #42/);
    await panel.send({ type: 'predictions', requestId: byIndex.requestId, results: [{ runId: run.id, error: 'CNN takes 32x32x3 images, not 784 values' }] });
    assert.equal(await panel.page.locator('.pad .prediction .error').textContent(), 'CNN takes 32x32x3 images, not 784 values');

    await panel.page.click(`tr[data-run-id="${run.id}"] td[data-column="model"]`);
    await panel.settle();
    const galleryRequest = (await panel.posted()).filter((m) => m.type === 'testImages').at(-1) as Extract<WebviewToHost, { type: 'testImages' }>;
    const [index] = galleryRequest.indices;
    const gallery = galleryRequest.indices.map((i) => ({ index: i, width: 28, height: 28, pixels: Array.from({ length: 784 }, (_, p) => (p + i) % 256) }));
    await panel.send({ type: 'testImages', requestId: galleryRequest.requestId, runId: run.id, images: gallery });
    await panel.page.click(`.gallery figure[data-index="${index}"]`);
    await panel.settle();
    const fromGallery = (await predictRequests(panel)).at(-1)!;
    assert.deepEqual(fromGallery.pixels, gallery[0].pixels.map((v) => Math.fround(v / 255)));
    assert.match((await panel.page.locator('.pad-caption').textContent()) ?? '', new RegExp(`Test image #${index}, label \\d`));
    assert.deepEqual(panel.errors, []);
  });

  it('says what to do when no selected run has a saved model', async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: 'snapshot', runs: studyRuns().map(toPanel), warnings: [] });
    assert.equal(await panel.page.locator('.pad .predictions').textContent(), 'Select runs with a saved model to see their predictions.');
    await drawSeven(panel);
    assert.equal((await predictRequests(panel)).length, 0);
  });
});

// Comparison panel at scale: 1,000 runs of 20 epochs each in headless Chromium. Prints the time
// from the snapshot message to its first render, and per live update (epoch upsert, batch progress).
// Run it alone (`node --import tsx bench/panel-bench.ts`) or call runPanelBench() from a bench suite.
import { resolve } from 'node:path';
import { makeRun, toPanel } from '../test/browser/fixtures';
import { launchBrowser, openPanel, type PanelPage } from '../test/browser/harness';
import type { HostToWebview } from '../src/shared/webview-protocol';

const RUNS = 1000;
const EPOCHS = 20;
const UPDATES = 30;

const MODELS = ['MLP', 'CNN', 'TinyCNN', 'StrongCNN', 'WideMLP', 'DeepCNN', 'ResNetish', 'Micro'];

/**
 * Posts a message inside the page and times it until the frame that shows it is done: the panel
 * draws in its next animation frame, and a task queued from that frame runs after its layout and
 * paint. Includes the wait for the frame (up to 16.7 ms at 60 Hz).
 */
function timeMessage(panel: PanelPage, message: HostToWebview): Promise<number> {
  return panel.page.evaluate(
    (m) =>
      new Promise<number>((done) => {
        const start = performance.now();
        window.postMessage(m, '*');
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
      }),
    message,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Prints the figures and returns them as lines. */
export async function runPanelBench(): Promise<string[]> {
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const runs = Array.from({ length: RUNS }, (_, i) =>
    makeRun({
      model: MODELS[i % MODELS.length],
      file: `experiments/set-${i % 25}.model.ts`,
      params: 1_000 + ((i * 7919) % 500_000),
      accuracy: 0.9 + ((i * 31) % 100) / 1100,
      epochs: EPOCHS,
      status: i === 0 ? 'running' : 'completed',
      epochsDone: i === 0 ? 1 : EPOCHS,
    }),
  );
  const snapshot: HostToWebview = { type: 'snapshot', runs: runs.map(toPanel), warnings: [] };
  const browser = await launchBrowser();
  try {
    const panel = await openPanel(browser, {
      version: 2,
      sort: { column: 'testAccuracy', descending: true },
      filters: { text: '', status: '' },
      selected: runs.slice(0, 8).map((r) => r.id),
      selection: 'manual',
      curves: { smoothing: 0.6, split: false, x: 'epoch', logLoss: false },
      detailsRunId: runs[1].id,
    });
    await panel.page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const firstRender = await timeMessage(panel, snapshot);
    const rows = await panel.page.locator('.runs-table tbody tr').count();
    const longest = await panel.page.evaluate(() => (window as unknown as { __longest: number }).__longest);

    const live = runs[0];
    const epochTimes: number[] = [];
    for (let done = 2; done <= Math.min(EPOCHS, UPDATES); done++) {
      const next = { ...makeRun({ model: live.model, params: live.summary!.params.total, epochs: EPOCHS, status: 'running', epochsDone: done }), id: live.id, startedAt: live.startedAt };
      epochTimes.push(await timeMessage(panel, { type: 'upsert', run: toPanel(next) }));
    }
    const batchTimes: number[] = [];
    for (let batch = 1; batch <= UPDATES; batch++) {
      const progress = { runId: live.id, epoch: EPOCHS, batch, batchesPerEpoch: UPDATES, loss: 0.2, acc: 0.95 };
      batchTimes.push(await timeMessage(panel, { type: 'batches', progress: [progress] }));
    }
    const snapshotMb = JSON.stringify(snapshot).length / 1e6;
    report(`panel: ${RUNS} runs x ${EPOCHS} epochs (${snapshotMb.toFixed(1)} MB snapshot), ${rows} table rows in the DOM`);
    report(`panel: first render ${ms(firstRender)} (longest main-thread task ${ms(longest)})`);
    report(`panel: epoch update of a selected running run: median ${ms(median(epochTimes))}, p95 ${ms(p95(epochTimes))}`);
    report(`panel: batch progress update: median ${ms(median(batchTimes))}, p95 ${ms(p95(batchTimes))}`);
    if (panel.errors.length) report(`panel: page errors: ${panel.errors.join(' | ')}`);
  } finally {
    await browser.close();
  }
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  runPanelBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

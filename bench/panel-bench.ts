// Comparison panel at scale: 1,000 runs of 20 epochs each in headless Chromium. Prints the time
// from the snapshot message to its first render, per live update (epoch upsert, batch progress) and
// per keystroke in the filter box. Each figure comes twice: wall time up to the frame that shows it,
// and the renderer main thread's CPU time for it (Chromium's ThreadTime metric), which a loaded
// machine inflates far less than wall time.
// Run it alone (`node --import tsx bench/panel-bench.ts`) or call runPanelBench() from a bench suite.
import { resolve } from "node:path";
import { makeRun, toPanel } from "../test/browser/fixtures";
import type { CDPSession } from "playwright-core";
import { launchBrowser, openPanel, type PanelPage } from "../test/browser/harness";
import type { HostToWebview } from "../src/shared/webview-protocol";

const RUNS = 1000;
const EPOCHS = 20;
const UPDATES = 30;

const MODELS = ["MLP", "CNN", "TinyCNN", "StrongCNN", "WideMLP", "DeepCNN", "ResNetish", "Micro"];

/**
 * Posts a message inside the page and times it until the frame that shows it is done: the panel
 * draws in its next animation frame, and a task queued from that frame runs after its layout and
 * paint. Includes the wait for the frame (up to 16.7 ms at 60 Hz).
 */
async function timeMessage(panel: PanelPage, message: HostToWebview, cdp: CDPSession, cpu: number[]): Promise<number> {
  return (await timeFrames(panel, message, 1, cdp, cpu))[0];
}

/**
 * The time to the end of each of the next `frames` frames after posting the message. The message
 * is handed to the page first, so that what the harness spends passing it in is not timed.
 */
async function timeFrames(
  panel: PanelPage,
  message: HostToWebview,
  frames: number,
  cdp: CDPSession,
  cpu: number[],
): Promise<number[]> {
  await panel.page.evaluate((m) => ((window as unknown as { __message: unknown }).__message = m), message);
  let ends: number[] = [];
  cpu.push(await threadMs(cdp, async () => (ends = await postAndTime(panel, frames))));
  return ends;
}

function postAndTime(panel: PanelPage, frames: number): Promise<number[]> {
  return panel.page.evaluate(
    ({ frames }) =>
      new Promise<number[]>((done) => {
        const m = (window as unknown as { __message: unknown }).__message;
        const start = performance.now();
        const ends: number[] = [];
        const frame = () =>
          setTimeout(() => {
            ends.push(performance.now() - start);
            if (ends.length < frames) requestAnimationFrame(frame);
            else done(ends);
          });
        window.postMessage(m, "*");
        requestAnimationFrame(frame);
      }),
    { frames },
  );
}

/** Main-thread CPU milliseconds the renderer spends on `work`, through the DevTools protocol. */
async function threadMs(cdp: CDPSession, work: () => Promise<unknown>): Promise<number> {
  const read = async () =>
    (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime")?.value ?? NaN;
  const before = await read();
  await work();
  return ((await read()) - before) * 1000;
}

/** Types into the filter box and times it until the frame that shows the filtered table. */
function timeFilter(panel: PanelPage, text: string): Promise<number> {
  return panel.page.evaluate(
    (value) =>
      new Promise<number>((done) => {
        const field = document.querySelector('vscode-textfield[data-filter="text"]') as HTMLElement & { value: string };
        const start = performance.now();
        field.value = value;
        field.dispatchEvent(new Event("input"));
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
      }),
    text,
  );
}

/** The panel's own drawing time per part since the last call, from its "archlab:*" performance measures. */
function drawParts(panel: PanelPage): Promise<Record<string, number>> {
  return panel.page.evaluate(() => {
    const parts: Record<string, number> = {};
    for (const entry of performance.getEntriesByType("measure")) {
      if (!entry.name.startsWith("archlab:")) continue;
      const part = entry.name.slice("archlab:".length);
      parts[part] = (parts[part] ?? 0) + entry.duration;
    }
    performance.clearMeasures();
    return parts;
  });
}

const partsText = (parts: Record<string, number>, runs = 1) =>
  Object.entries(parts)
    .sort((a, b) => b[1] - a[1])
    .map(([part, total]) => `${part} ${(total / runs).toFixed(1)}`)
    .join(", ");

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
      status: i === 0 ? "running" : "completed",
      epochsDone: i === 0 ? 1 : EPOCHS,
    }),
  );
  const snapshot: HostToWebview = { type: "snapshot", runs: runs.map(toPanel), warnings: [] };
  const browser = await launchBrowser();
  try {
    const panel = await openPanel(browser, {
      version: 2,
      sort: { column: "testAccuracy", descending: true },
      filters: { text: "", status: "", starred: false },
      selected: runs.slice(0, 8).map((r) => r.id),
      selection: "manual",
      curves: { smoothing: 0.6, split: false, x: "epoch", logLoss: false },
      detailsRunId: runs[1].id,
    });
    await panel.page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
      }).observe({ type: "longtask", buffered: false });
    });
    const cdp = await panel.page.context().newCDPSession(panel.page);
    await cdp.send("Performance.enable");
    // The panel draws a large snapshot in two frames: the table, then the charts and details.
    const snapshotCpu: number[] = [];
    const [firstRender, fullyDrawn] = await timeFrames(panel, snapshot, 2, cdp, snapshotCpu);
    const firstRenderCpu = snapshotCpu[0];
    const firstParts = await drawParts(panel);
    const rows = await panel.page.locator(".runs-table tbody tr").count();
    const longest = await panel.page.evaluate(() => (window as unknown as { __longest: number }).__longest);

    // What a frame costs with nothing to draw (a message the panel ignores): the floor of the figures below.
    const idleCpu: number[] = [];
    for (let i = 0; i < 10; i++) await timeMessage(panel, { ignored: true } as unknown as HostToWebview, cdp, idleCpu);
    const live = runs[0];
    const epochTimes: number[] = [];
    const epochCpu: number[] = [];
    for (let done = 2; done <= Math.min(EPOCHS, UPDATES); done++) {
      const next = {
        ...makeRun({
          model: live.model,
          params: live.summary!.params.total,
          epochs: EPOCHS,
          status: "running",
          epochsDone: done,
        }),
        id: live.id,
        startedAt: live.startedAt,
      };
      epochTimes.push(await timeMessage(panel, { type: "upsert", run: toPanel(next) }, cdp, epochCpu));
    }
    const epochParts = await drawParts(panel);
    const batchTimes: number[] = [];
    const batchCpu: number[] = [];
    for (let batch = 1; batch <= UPDATES; batch++) {
      const progress = { runId: live.id, epoch: EPOCHS, batch, batchesPerEpoch: UPDATES, loss: 0.2, acc: 0.95 };
      batchTimes.push(await timeMessage(panel, { type: "batches", progress: [progress] }, cdp, batchCpu));
    }
    const batchParts = await drawParts(panel);
    // Typing "set-1" one key at a time, then deleting it: each keystroke refilters the 1,000 runs.
    const filterTimes: number[] = [];
    const filterCpu: number[] = [];
    const typed = "set-1";
    for (const text of [
      ...[...typed].map((_, i) => typed.slice(0, i + 1)),
      ...[...typed].map((_, i) => typed.slice(0, typed.length - i - 1)),
    ]) {
      filterCpu.push(await threadMs(cdp, async () => filterTimes.push(await timeFilter(panel, text))));
    }
    const filterParts = await drawParts(panel);
    const snapshotMb = JSON.stringify(snapshot).length / 1e6;
    report(
      `panel: ${RUNS} runs x ${EPOCHS} epochs (${snapshotMb.toFixed(1)} MB snapshot), ${rows} table rows in the DOM`,
    );
    report(
      `panel: first render (the table) ${ms(firstRender)}, everything drawn ${ms(fullyDrawn)}, main thread ${ms(firstRenderCpu)} (longest main-thread task ${ms(longest)}); drawing: ${partsText(firstParts)} ms`,
    );
    report(`panel: an empty frame (a message the panel ignores): main thread median ${ms(median(idleCpu))}`);
    report(
      `panel: epoch update of a selected running run: median ${ms(median(epochTimes))}, p95 ${ms(p95(epochTimes))}; main thread median ${ms(median(epochCpu))}, p95 ${ms(p95(epochCpu))}; drawing per update: ${partsText(epochParts, epochTimes.length)} ms`,
    );
    report(
      `panel: batch progress update: median ${ms(median(batchTimes))}, p95 ${ms(p95(batchTimes))}; main thread median ${ms(median(batchCpu))}, p95 ${ms(p95(batchCpu))}; drawing per update: ${partsText(batchParts, batchTimes.length)} ms`,
    );
    report(
      `panel: filter keystroke over ${RUNS} runs: median ${ms(median(filterTimes))}, p95 ${ms(p95(filterTimes))}; main thread median ${ms(median(filterCpu))}, p95 ${ms(p95(filterCpu))}; drawing per keystroke: ${partsText(filterParts, filterTimes.length)} ms`,
    );
    if (panel.errors.length) report(`panel: page errors: ${panel.errors.join(" | ")}`);
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

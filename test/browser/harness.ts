// Loads the built webview bundle in headless Chromium, in a page with the panel's real HTML and
// CSP, and a stubbed acquireVsCodeApi that records what the webview posts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { panelHtml } from "../../src/extension/panel/html";
import { CHROMIUM_FLAGS, isolatedEnv } from "../support/chromium";
import type { HostToWebview, PanelState, WebviewToHost } from "../../src/shared/webview-protocol";

const ROOT = resolve(__dirname, "../..");
const ORIGIN = "https://archlab-webview.test";

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const bundle = join(ROOT, "dist/webview.js");
  if (!existsSync(bundle)) throw new Error("dist/webview.js is missing: run `npm run build` first");
  const userDataDir = mkdtempSync(join(tmpdir(), "archlab-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    env: isolatedEnv(userDataDir),
    viewport: { width: 1280, height: 1600 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface PanelPage {
  page: Page;
  /** Posts a host message to the webview, as VS Code's postMessage would. */
  send(message: HostToWebview): Promise<void>;
  /** Everything the webview posted to the host so far. */
  posted(): Promise<WebviewToHost[]>;
  state(): Promise<PanelState | undefined>;
  /** Waits for the webview to draw the latest messages (it renders once per animation frame). */
  settle(): Promise<void>;
  /** Errors the page reported: console errors, uncaught exceptions, CSP violations. */
  errors: string[];
}

/** `savedState` is what getState returns at start: a PanelState, or what an older panel saved. */
export async function openPanel(
  browser: Browser,
  savedState?: PanelState | Record<string, unknown>,
): Promise<PanelPage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/") {
      const html = panelHtml({
        cspSource: ORIGIN,
        nonce: "dGVzdC1ub25jZS0xMjM0",
        scriptUri: `${ORIGIN}/dist/webview.js`,
        styleUri: `${ORIGIN}/media/panel.css`,
      });
      return route.fulfill({ contentType: "text/html", body: html });
    }
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
    const contentType = path.endsWith(".css") ? "text/css" : "text/javascript";
    return route.fulfill({ contentType, body: readFileSync(file) });
  });
  // tsx compiles these tests with esbuild's keepNames, which wraps functions sent to the page in
  // a `__name(...)` helper the page does not have.
  await page.addInitScript({ content: "window.__name = (fn) => fn;" });
  await page.addInitScript((initial) => {
    const w = window as unknown as Record<string, unknown>;
    let state: unknown = initial ?? undefined;
    const posted: unknown[] = [];
    w.__posted = posted;
    w.__state = () => state;
    w.acquireVsCodeApi = () => ({
      postMessage: (message: unknown) => posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => state,
      setState: (next: unknown) => (state = next),
    });
  }, savedState ?? null);
  await page.goto(`${ORIGIN}/`);
  await page
    .waitForFunction(
      () => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === "ready"),
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => {
      throw new Error(`The webview never said ready: ${errors.join(" | ") || "no error reported"}`);
    });
  const settle = () =>
    page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  return {
    page,
    errors,
    settle,
    async send(message) {
      await page.evaluate((m) => window.postMessage(m, "*"), message);
      await settle();
    },
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    state: () => page.evaluate(() => (window as unknown as { __state: () => PanelState | undefined }).__state()),
  };
}

/** Reads a chart's datasets (label and points) through the page. */
export function chartData(panel: PanelPage, name: string): Promise<{ label: string; data: unknown[] }[]> {
  return panel.page.evaluate((chartName) => {
    const charts = (
      window as unknown as {
        archlabPanel: { charts: Record<string, { data: { datasets: { label: string; data: unknown[] }[] } }> };
      }
    ).archlabPanel.charts;
    return charts[chartName].data.datasets.map((d) => ({
      label: d.label,
      data: JSON.parse(JSON.stringify(d.data)) as unknown[],
    }));
  }, name);
}

/** Text of each shown row's cell in a column, top to bottom. */
export function columnText(panel: PanelPage, column: string): Promise<string[]> {
  return panel.page.$$eval(`.runs-table tbody td[data-column="${column}"]`, (cells) =>
    cells.map((c) => c.textContent ?? ""),
  );
}

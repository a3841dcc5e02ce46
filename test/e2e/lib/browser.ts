// Debian's chromium, started by the harness itself in a process group of its own (like code-server),
// so the same cleanup stops it on every way out; Playwright drives it over the DevTools protocol.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_FLAGS } from "../../support/chromium";
import type { RunDirs } from "./codeServer";
import { logTail } from "./codeServer";
import { stopGroup, trackGroup } from "./processes";
import { settleWithin, sleep } from "./wait";

const chromiumArgs = [
  ...CHROMIUM_FLAGS,
  "--headless",
  "--no-default-browser-check",
  "--hide-scrollbars",
  "--window-size=1400,900",
  "--remote-debugging-address=127.0.0.1",
  "--remote-debugging-port=0",
];

export interface RunningBrowser {
  page: Page;
  stop(): Promise<void>;
}

/** Chromium writes the port it picked into its profile folder once DevTools listens. */
async function devToolsEndpoint(profile: string, logFile: string, exited: () => boolean): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`chromium exited before it could be driven:\n${logTail(logFile)}`);
    try {
      const [port, wsPath] = readFileSync(path.join(profile, "DevToolsActivePort"), "utf8").split("\n");
      if (port && wsPath) return `ws://127.0.0.1:${port}${wsPath}`;
    } catch {
      // Not written yet.
    }
    await sleep(100);
  }
  throw new Error(`chromium did not open DevTools within 30 s:\n${logTail(logFile)}`);
}

export async function startBrowser(executable: string, dirs: RunDirs, env: NodeJS.ProcessEnv): Promise<RunningBrowser> {
  const logFile = path.join(dirs.root, "chromium.log");
  const log = openSync(logFile, "a");
  const child = spawn(executable, [...chromiumArgs, `--user-data-dir=${dirs.chromium}`, "about:blank"], {
    detached: true,
    stdio: ["ignore", log, log],
    env,
  });
  closeSync(log);
  trackGroup(child);
  let browser: Browser | undefined;
  try {
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    browser = await chromium.connectOverCDP(await devToolsEndpoint(dirs.chromium, logFile, exited));
    const context = browser.contexts()[0];
    const page = context.pages()[0] ?? (await context.newPage());
    // The window size leaves room for browser UI even headless; screenshots should show 1400x900.
    await page.setViewportSize({ width: 1400, height: 900 });
    const connected = browser;
    return {
      page,
      stop: async () => {
        await settleWithin(connected.close(), 10_000);
        await stopGroup(child);
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await stopGroup(child);
    throw error;
  }
}

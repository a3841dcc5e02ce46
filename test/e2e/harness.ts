// The extension in a real VS Code (code-server, driven by Playwright in Debian's chromium).
// `npm run setup` installs what it needs; without that, startVsCode fails saying so.
//
//   import { after, before, describe, it } from 'node:test';
//   import { scenario, startVsCode, type VsCode } from './harness';
//
//   describe('comparing runs', () => {
//     let vsc: VsCode;
//     before(async () => {
//       vsc = await startVsCode({
//         files: { 'mnist.model.ts': 'examples/mnist.model.ts' }, // workspace path <- repository path
//         settings: { 'archlab.epochs': 1 },
//       });
//     }, { timeout: 120_000 });
//     after(() => vsc?.stop());
//
//     it('trains TinyCNN from its lens', { timeout: 60_000 }, scenario(async () => {
//       await vsc.openFile('mnist.model.ts');
//       await vsc.clickCodeLensAbove(31, 'Train', 30_000); // line 31: export function TinyCNN
//       await vsc.waitForFile('.archlab/runs/*.json', 30_000);
//       await vsc.runCommand('ArchLab: Open Comparison Panel');
//       assert.match(await vsc.webviewText('ArchLab: Compare'), /TinyCNN/);
//     }));
//   });
//
// The UI (lib/workbench.ts): openFile, runCommand, pickQuickItem, paletteCommands, codeLens,
// clickCodeLens, clickCodeLensAbove, codeLensTexts, codeLensesAbove, revealLine, explorerContextMenu,
// waitForNotification, notifications, webview (a FrameLocator), webviewText. Here: workspace, waitForFile, waitForActivation, hostLog,
// outputChannel, screenshot, stop, and `scenario`, which leaves a screenshot and the logs in
// test-results/ when a scenario fails. `vsc.page` is Playwright's page for anything else.
// One code-server per test file, started in `before`; the file's scenarios share it in order.
// ARCHLAB_E2E_KEEP=1 keeps the run folder (in $TMPDIR); ARCHLAB_E2E_VSIX installs a ready .vsix.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import type { RunRecord } from "../../src/engine/types";
import { startBrowser, type RunningBrowser } from "./lib/browser";
import { logTail, runDirs, runEnv, startCodeServer, type CodeServer, type RunDirs } from "./lib/codeServer";
import { findTools, installExtension, packageExtension, repoRoot } from "./lib/install";
import { removeAtExit } from "./lib/processes";
import { sleep } from "./lib/wait";
import { Workbench } from "./lib/workbench";

export interface StartOptions {
  /** A folder under test/e2e/fixtures copied as the workspace. */
  fixture?: string;
  /** More workspace files, copied from the repository: workspace path -> repository path. */
  files?: Record<string, string>;
  /** More workspace files, given by their text: workspace path -> contents. */
  contents?: Record<string, string>;
  /** User settings on top of the harness's own (e.g. `archlab.*`). */
  settings?: Record<string, unknown>;
  /** false to see VS Code's workspace trust prompts (default: the workspace is trusted). */
  trustWorkspace?: boolean;
}

export const EXTENSION_ID = "archlab.archlab";
const resultsDir = path.join(repoRoot, "test-results");

// Nothing may cover the editor: no welcome page, chat, secondary side bar or update prompts.
const baseSettings = {
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "workbench.tips.enabled": false,
};

function prepareWorkspace(dirs: RunDirs, options: StartOptions): void {
  mkdirSync(dirs.workspace, { recursive: true });
  if (options.fixture) cpSync(path.join(__dirname, "fixtures", options.fixture), dirs.workspace, { recursive: true });
  for (const [dest, source] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(dirs.workspace, dest)), { recursive: true });
    cpSync(path.join(repoRoot, source), path.join(dirs.workspace, dest));
  }
  for (const [dest, text] of Object.entries(options.contents ?? {})) {
    mkdirSync(path.dirname(path.join(dirs.workspace, dest)), { recursive: true });
    writeFileSync(path.join(dirs.workspace, dest), text);
  }
  const settingsFile = path.join(dirs.userData, "User", "settings.json");
  mkdirSync(path.dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...options.settings }, null, 2));
}

function filesUnder(root: string): string[] {
  try {
    return (readdirSync(root, { recursive: true }) as string[]).map((file) => file.split(path.sep).join("/"));
  } catch {
    return [];
  }
}

export class VsCode extends Workbench {
  private stopped = false;

  constructor(
    private readonly browser: RunningBrowser,
    private readonly server: CodeServer,
    readonly dirs: RunDirs,
  ) {
    super(browser.page);
  }

  /** The workspace folder VS Code has open. */
  get workspace(): string {
    return this.dirs.workspace;
  }

  /** Waits for a workspace file matching `pattern` (a relative path or glob); returns its absolute path. */
  async waitForFile(pattern: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const isGlob = /[*?[{]/.test(pattern);
    for (;;) {
      const match = filesUnder(this.dirs.workspace).find((file) =>
        isGlob ? path.matchesGlob(file, pattern) : file === pattern,
      );
      if (match) return path.join(this.dirs.workspace, match);
      if (Date.now() > deadline) throw new Error(`No workspace file matches ${pattern} after ${timeoutMs / 1000} s.`);
      await sleep(200);
    }
  }

  /** The run records in the workspace's store (written atomically, so every file is whole). */
  runRecords(): RunRecord[] {
    const dir = path.join(this.dirs.workspace, ".archlab", "runs");
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".json") && !n.startsWith("."));
    } catch {
      return [];
    }
    return names.map((n) => JSON.parse(readFileSync(path.join(dir, n), "utf8")) as RunRecord);
  }

  /** The extension host's log (activations, extension errors). */
  hostLog(): string {
    return this.logFiles((file) => /exthost\d*\/(remote)?exthost\.log$/.test(file));
  }

  /** What the extension wrote to its output channel `name` (a plain or a log output channel). */
  outputChannel(name: string): string {
    return this.logFiles((file) => file.endsWith(`/${name}.log`) || file.endsWith(`-${name}.log`));
  }

  private logFiles(select: (file: string) => boolean): string {
    const logs = path.join(this.dirs.userData, "logs");
    return filesUnder(logs)
      .filter(select)
      .map((file) => readFileSync(path.join(logs, file), "utf8"))
      .join("\n");
  }

  /** Resolves once VS Code has activated the extension; fails with the host's message if activation failed. */
  async waitForActivation(extensionId = EXTENSION_ID, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = this.hostLog();
      const failure = log.split("\n").find((line) => line.includes(`Activating extension '${extensionId}' failed`));
      if (failure) throw new Error(`The extension failed to activate: ${failure}`);
      if (log.includes(`ExtensionService#_doActivateExtension ${extensionId}`)) return;
      if (Date.now() > deadline) throw new Error(`${extensionId} was not activated within ${timeoutMs / 1000} s.`);
      await sleep(250);
    }
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, "-")}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Saves a screenshot and the logs to test-results/ (done by `scenario` on a failure). */
  async keepEvidence(name: string): Promise<void> {
    const file = await this.screenshot(name);
    const logs = path.join(this.dirs.userData, "logs");
    cpSync(logs, file.replace(/\.png$/, "-logs"), { recursive: true });
    writeFileSync(file.replace(/\.png$/, "-code-server.log"), logTail(this.dirs.codeServerLog, 500));
  }

  /** Stops the browser and code-server's whole process group and removes the run folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (current === this) current = undefined;
    await this.browser.stop();
    await this.server.stop();
    if (!process.env.ARCHLAB_E2E_KEEP) rmSync(this.dirs.root, { recursive: true, force: true });
  }
}

let current: VsCode | undefined;
// The runner starts one process per test file, with the file as its script.
const testFile = path.basename(process.argv[1] ?? "e2e", ".ts").replace(/\.test$/, "");

/** Wraps a scenario so a failure leaves a screenshot and the logs of the running VS Code in test-results/. */
export function scenario(body: (t: TestContext) => Promise<void>): (t: TestContext) => Promise<void> {
  return async (t) => {
    try {
      await body(t);
    } catch (error) {
      await current?.keepEvidence(`${testFile}-${t.name}`).catch(() => undefined);
      // A menu or quick pick left open would derail the next scenario.
      await current?.page.keyboard.press("Escape").catch(() => undefined);
      throw error;
    }
  };
}

/** Packages and installs the extension, starts code-server and chromium, and opens the workspace. */
export async function startVsCode(options: StartOptions = {}): Promise<VsCode> {
  const tools = findTools();
  const dirs = runDirs(mkdtempSync(path.join(tmpdir(), "archlab-e2e-")));
  if (!process.env.ARCHLAB_E2E_KEEP) removeAtExit(dirs.root);
  let server: CodeServer | undefined;
  let browser: RunningBrowser | undefined;
  try {
    const env = runEnv(tools, dirs);
    prepareWorkspace(dirs, options);
    installExtension(tools, packageExtension(dirs.root), dirs, env);
    server = await startCodeServer(tools, dirs, env, { trustWorkspace: options.trustWorkspace ?? true });
    browser = await startBrowser(tools.chromium, dirs, env);
    browser.page.setDefaultTimeout(15_000);
    const vsc = new VsCode(browser, server, dirs);
    // The workbench's first load on a machine busy with other jobs can take longer than a click may.
    await vsc.page.goto(`${server.url}/?folder=${encodeURIComponent(dirs.workspace)}`, { timeout: 90_000 });
    await vsc.waitUntilReady();
    current = vsc;
    return vsc;
  } catch (error) {
    await browser?.stop();
    await server?.stop();
    if (!process.env.ARCHLAB_E2E_KEEP) rmSync(dirs.root, { recursive: true, force: true });
    throw error;
  }
}

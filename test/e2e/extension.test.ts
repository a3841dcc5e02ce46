// Training from VS Code as a user does it: the Explorer's context menu, a CodeLens, Stop, and a
// broken model file, asserted through what the window shows and the run records written.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunRecord } from "../../src/engine/types";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

// Two small architectures of the study on a few hundred images: each run takes seconds.
const header = `import * as tf from '@tensorflow/tfjs';

`;
const mlp = `export function MLP() {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}
`;
const tinyCnn = `export function TinyCNN() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
}
`;
const quick = `export const training = { epochs: 1, limit: 600, testLimit: 300 };\n`;
// Long enough to be stopped by hand.
const slow = `export const training = { epochs: 500, limit: 6000, testLimit: 200 };\n`;

// Not an architecture: a deliberate type error, which TypeScript reports only when it knows tfjs's types.
const typed = `${header}export const notAString: string = tf.sequential();\n`;

const files = {
  "typed.model.ts": typed,
  "tiny.model.ts": header + mlp + "\n" + tinyCnn + "\n" + quick,
  "slow.model.ts": header + tinyCnn + "\n" + slow,
  "broken.model.ts": header + mlp + "\n" + quick,
};

const lineOf = (file: string, text: string) =>
  files[file as keyof typeof files].split("\n").findIndex((l) => l.includes(text)) + 1;

/** The .vsix with its runtime packages (tfjs, esbuild, MNIST), unless the run provides one. */
function packagedWithDependencies(): string {
  if (process.env.ARCHLAB_E2E_VSIX) return process.env.ARCHLAB_E2E_VSIX;
  const out = path.join(mkdtempSync(path.join(tmpdir(), "archlab-vsix-")), "archlab.vsix");
  execFileSync(process.execPath, ["esbuild.config.mjs", "--production"], { cwd: repoRoot, stdio: "ignore" });
  const vsce = path.join(repoRoot, "node_modules", ".bin", "vsce");
  execFileSync(
    vsce,
    ["package", "--no-rewrite-relative-links", "--allow-missing-repository", "--skip-license", "--out", out],
    {
      cwd: repoRoot,
      stdio: "ignore",
    },
  );
  return out;
}

describe("training from VS Code", () => {
  let vsc: VsCode;

  const records = (): RunRecord[] => vsc.runRecords();

  const waitForRecords = async (
    what: string,
    done: (all: RunRecord[]) => boolean,
    timeoutMs: number,
  ): Promise<RunRecord[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = records();
      if (done(all)) return all;
      if (Date.now() > deadline) {
        throw new Error(
          `${what}: not within ${timeoutMs / 1000} s. Records: ${JSON.stringify(all.map((r) => [r.model, r.file, r.status, r.error?.message]))}`,
        );
      }
      await vsc.page.waitForTimeout(500);
    }
  };

  // A LogOutputChannel writes to logs/<session>/exthostN/<extension id>/<name>.log.
  const outputLog = (name: string): string => {
    const logs = path.join(vsc.dirs.userData, "logs");
    const found = (readdirSync(logs, { recursive: true }) as string[]).filter((f) =>
      f.endsWith(`${path.sep}${name}.log`),
    );
    return found.map((f) => readFileSync(path.join(logs, f), "utf8")).join("\n");
  };

  before(
    async () => {
      process.env.ARCHLAB_E2E_VSIX = packagedWithDependencies();
      vsc = await startVsCode({
        files: { "mnist.model.ts": "examples/mnist.model.ts" },
        contents: files,
        // The default backend: training runs on the fused engine, from the packaged extension's native/.
        settings: { "archlab.backend": "auto", "archlab.quickRunSize": 300 },
      });
      await vsc.page.locator(".explorer-folders-view .monaco-list-row", { hasText: "tiny.model.ts" }).first().waitFor();
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "trains every model of a file from the Explorer context menu",
    { timeout: 180_000 },
    scenario(async (t) => {
      await vsc.waitForActivation();
      await vsc.page
        .locator(".explorer-folders-view .monaco-list-row", { hasText: "tiny.model.ts" })
        .first()
        .click({ button: "right" });
      const menu = vsc.page.locator(".monaco-menu");
      await menu.locator(".action-label", { hasText: "Quick Run" }).waitFor();
      await vsc.screenshot("extension-explorer-context-menu");
      await menu.locator(".action-label", { hasText: /^Train All Models in File$/ }).click();
      const done = await waitForRecords(
        "MLP and TinyCNN of tiny.model.ts completed",
        (all) =>
          ["MLP", "TinyCNN"].every((m) =>
            all.some((r) => r.model === m && r.file.endsWith("tiny.model.ts") && r.status === "completed"),
          ),
        150_000,
      );
      assert.ok(
        done.every((r) => r.config.limit === 600 && r.config.epochs === 1),
        "the file's quick training settings were used",
      );
      assert.ok(
        done.every((r) => r.backend.engine === "wasm-fused"),
        `trained on the fused engine (${done.map((r) => JSON.stringify(r.backend)).join(", ")})`,
      );

      await vsc.openFile("tiny.model.ts");
      const lenses = await vsc.codeLensesAbove(lineOf("tiny.model.ts", "export function TinyCNN"), 45_000, (texts) =>
        texts.some((text) => /^\d+\.\d\d% · \d+\.\d s$/.test(text)),
      );
      assert.ok(
        lenses.some((text) => /^\d+\.\d\d% · \d+\.\d s$/.test(text)),
        `the TinyCNN lens shows its result (lenses: ${lenses.join(" | ")})`,
      );
      assert.ok(
        lenses.some((text) => /^4,266 params · [\d.]+ [KM] MACs$/.test(text)),
        `the TinyCNN lens shows its size (lenses: ${lenses.join(" | ")})`,
      );
      await vsc.screenshot("extension-codelens-after-training");
      // The log is flushed by now; activate() itself is what this measures (no tfjs in the host).
      const activation = /Activated in ([\d.]+) ms/.exec(outputLog("ArchLab"));
      assert.ok(activation, "the ArchLab log says how long activation took");
      t.diagnostic(`activation: ${activation[1]} ms`);
    }),
  );

  it(
    "trains one architecture from its Train lens",
    { timeout: 120_000 },
    scenario(async () => {
      const before = records().filter((r) => r.model === "MLP" && r.file.endsWith("tiny.model.ts")).length;
      await vsc.openFile("tiny.model.ts");
      await vsc.codeLensesAbove(lineOf("tiny.model.ts", "export function MLP"), 30_000, (texts) =>
        texts.includes("Train"),
      );
      await vsc.clickCodeLens("Train", 0);
      await waitForRecords(
        "a second MLP run completed",
        (all) =>
          all.filter((r) => r.model === "MLP" && r.file.endsWith("tiny.model.ts") && r.status === "completed").length >
          before,
        90_000,
      );
    }),
  );

  it(
    "quick-runs an architecture of the example file: one epoch on a few images",
    { timeout: 120_000 },
    scenario(async () => {
      const source = readFileSync(path.join(vsc.workspace, "mnist.model.ts"), "utf8").split("\n");
      const line = source.findIndex((l) => l.startsWith("export function MLP(")) + 1;
      await vsc.openFile("mnist.model.ts");
      await vsc.codeLensesAbove(line, 45_000, (texts) => texts.includes("Quick run"));
      await vsc.clickCodeLens("Quick run", 0);
      const [quick] = (
        await waitForRecords(
          "a quick MLP run of mnist.model.ts completed",
          (all) => all.some((r) => r.file.endsWith("mnist.model.ts") && r.status === "completed"),
          90_000,
        )
      ).filter((r) => r.file.endsWith("mnist.model.ts"));
      assert.equal(quick.model, "MLP");
      assert.deepEqual([quick.config.epochs, quick.config.limit, quick.config.testLimit], [1, 300, 300]);
      const lenses = await vsc.codeLensesAbove(line, 30_000, (texts) => texts.some((x) => /^\d+\.\d\d% · /.test(x)));
      assert.ok(
        lenses.includes("25,450 params · 25.4 K MACs"),
        `the MLP lens shows its size (lenses: ${lenses.join(" | ")})`,
      );
    }),
  );

  it(
    "stops a run from its Stop lens",
    { timeout: 120_000 },
    scenario(async () => {
      await vsc.openFile("slow.model.ts");
      const line = lineOf("slow.model.ts", "export function TinyCNN");
      await vsc.codeLensesAbove(line, 30_000, (texts) => texts.includes("Train"));
      await vsc.clickCodeLens("Train", 0);
      const shown = await vsc.codeLensesAbove(
        line,
        60_000,
        (texts) => texts.includes("Stop") && texts.some((x) => /epoch \d+\/500/.test(x)),
      );
      assert.ok(shown.includes("Stop"), `a Stop lens while training (lenses: ${shown.join(" | ")})`);
      await vsc.screenshot("extension-codelens-training");
      await waitForRecords(
        "the slow run has finished an epoch",
        (all) => all.some((r) => r.file.endsWith("slow.model.ts") && r.epochs.length > 0),
        60_000,
      );
      await vsc.clickCodeLens("Stop", 0);
      const [stopped] = (
        await waitForRecords(
          "the slow run cancelled",
          (all) => all.some((r) => r.file.endsWith("slow.model.ts") && r.status === "cancelled"),
          60_000,
        )
      ).filter((r) => r.file.endsWith("slow.model.ts"));
      assert.ok(stopped.epochs.length < 500, "stopped before the end");
      const after = await vsc.codeLensesAbove(line, 30_000, (texts) => texts.includes("last run cancelled"));
      assert.ok(
        after.includes("last run cancelled"),
        `the lens says the run was cancelled (lenses: ${after.join(" | ")})`,
      );
    }),
  );

  it(
    "records a run as interrupted when the window reloads mid-run",
    { timeout: 150_000 },
    scenario(async () => {
      const slowRuns = () => records().filter((r) => r.file.endsWith("slow.model.ts"));
      const earlier = new Set(slowRuns().map((r) => r.id));
      await vsc.openFile("slow.model.ts");
      const line = lineOf("slow.model.ts", "export function TinyCNN");
      await vsc.codeLensesAbove(line, 30_000, (texts) => texts.includes("Train"));
      await vsc.clickCodeLens("Train", 0);
      await waitForRecords(
        "a new slow run trains",
        () => slowRuns().some((r) => !earlier.has(r.id) && r.status === "running"),
        60_000,
      );
      await vsc.runCommand("Developer: Reload Window");
      await vsc.waitUntilReady();
      const [interrupted] = (
        await waitForRecords(
          "the run interrupted",
          () => slowRuns().some((r) => !earlier.has(r.id) && r.status === "interrupted"),
          60_000,
        )
      ).filter((r) => !earlier.has(r.id) && r.file.endsWith("slow.model.ts"));
      assert.match(interrupted.error?.message ?? "", /closed or reloaded/);
      const after = await vsc.codeLensesAbove(line, 30_000, (texts) => texts.includes("last run interrupted"));
      assert.ok(
        after.includes("last run interrupted"),
        `the lens says the run was interrupted (lenses: ${after.join(" | ")})`,
      );
    }),
  );

  it(
    "gives model files the types of TensorFlow.js without node_modules of their own",
    { timeout: 120_000 },
    scenario(async () => {
      await vsc.openFile("typed.model.ts");
      await vsc.page.keyboard.press("Control+Shift+M");
      const rows = vsc.page.locator(".markers-panel .monaco-list-row");
      await rows.filter({ hasText: "not assignable to type 'string'" }).first().waitFor({ timeout: 60_000 });
      const texts = await rows.allInnerTexts();
      assert.ok(!texts.some((t) => t.includes("Cannot find module")), `no missing tfjs module: ${texts.join(" | ")}`);
      await vsc.screenshot("extension-typescript-types");
      await vsc.page.keyboard.press("Control+Shift+M");
    }),
  );

  it(
    "shows a broken model file in the Problems panel and in its lens",
    { timeout: 120_000 },
    scenario(async () => {
      await vsc.openFile("broken.model.ts");
      await vsc.codeLensesAbove(lineOf("broken.model.ts", "export function MLP"), 30_000, (texts) =>
        texts.includes("Train"),
      );
      // A missing closing bracket on line 8, saved from outside the editor.
      const broken = files["broken.model.ts"].replace(
        "tf.layers.dense({ units: 10 }),\n    ],",
        "tf.layers.dense({ units: 10 }),\n    ",
      );
      writeFileSync(path.join(vsc.workspace, "broken.model.ts"), broken);
      const errorLine = broken.split("\n").findIndex((l) => l.startsWith("  });")) + 1;
      const lens = await vsc.codeLensesAbove(errorLine, 45_000, (texts) =>
        texts.some((x) => x.startsWith("Model file error")),
      );
      assert.ok(
        lens.some((x) => /^Model file error: .*broken\.model\.ts:\d+/.test(x)),
        `the lens says what failed (lenses: ${lens.join(" | ")})`,
      );
      await vsc.page.keyboard.press("Control+Shift+M");
      const problems = vsc.page.locator(".markers-panel .monaco-list-row", { hasText: "ArchLab" });
      await problems.first().waitFor({ timeout: 30_000 });
      const text = await problems.first().innerText();
      assert.match(text, new RegExp(`\\[Ln ${errorLine}, Col \\d+\\]`), `the problem is on line ${errorLine}: ${text}`);
      await vsc.screenshot("extension-problems");
    }),
  );
});

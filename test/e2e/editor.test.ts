// The architecture in the editor as a user sees it: inlay hints at each layer's line, a hover with
// its details, hints that follow unsaved edits and a setting that hides them, and shape errors in
// the Problems panel at the layer that broke.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

const example = readFileSync(path.join(repoRoot, "examples/mnist.model.ts"), "utf8");
const shapeErrors = readFileSync(path.join(repoRoot, "test/fixtures/models/shape-errors.model.ts"), "utf8");

const lineOf = (text: string, what: string, after = ""): number => {
  const lines = text.split("\n");
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= from && l.includes(what)) + 1;
};

describe("architectures in the editor", () => {
  let vsc: VsCode;

  before(
    async () => {
      vsc = await startVsCode({
        files: {
          "mnist.model.ts": "examples/mnist.model.ts",
          "shapes.model.ts": "test/fixtures/models/shape-errors.model.ts",
        },
        settings: { "files.autoSave": "off" },
      });
      await vsc.waitForActivation();
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "shows each layer's output shape and params at its line, at the helper's call site",
    { timeout: 120_000 },
    scenario(async () => {
      await vsc.openFile("mnist.model.ts");
      const second = lineOf(example, "conv(32),", "function StrongCNN");
      const text = await vsc.waitForLineText(second, (t) => t.includes("params"), 60_000);
      assert.match(text, /conv\(32\),\s*→ 28×28×32 · 9,248 params · 7\.2 M MACs/);
      const dense = lineOf(example, "units: 128", "function StrongCNN");
      assert.match(await vsc.lineText(dense), /activation: 'relu' \}\),\s*→ 128 · 401,536 params$/);
      const helper = lineOf(example, "return tf.layers.conv2d({");
      assert.doesNotMatch(await vsc.lineText(helper), /params/, "nothing inside the helper itself");
      const tiny = lineOf(example, "layers: [conv(4, true)");
      // Six calls on one line share VS Code's 43 characters of hints: their output shapes.
      assert.match(
        await vsc.lineText(tiny),
        /\[conv\(4, true\)\s*28×28×4, pool\(\)\s*14×14×4, conv\(8\)\s*14×14×8, pool\(\)\s*7×7×8, tf\.layers\.flatten\(\)\s*392, tf\.layers\.dense\(\{ units: 10 \}\)\s*10\],/,
      );
      await vsc.revealLine(lineOf(example, "function StrongCNN") + 8);
      await vsc.screenshot("editor-inlay-hints");
    }),
  );

  it(
    "hovers a layer line with its type, shapes, params, MACs and receptive field",
    { timeout: 60_000 },
    scenario(async () => {
      const pool = lineOf(example, "pool(),", "conv(64),");
      await vsc.goTo(pool, 8);
      await vsc.page.keyboard.press("Control+K");
      await vsc.page.keyboard.press("Control+I");
      const hover = vsc.page.locator(".monaco-hover:visible", { hasText: "receptive field so far" }).first();
      await hover.waitFor({ timeout: 15_000 });
      const text = await hover.innerText();
      assert.match(text, /MaxPooling2D/);
      assert.match(text, /14×14×64 → 7×7×64/);
      assert.match(text, /receptive field so far: 16×16 px, stride 4×4/);
      assert.match(text, /made by pool\(\)/);
      await vsc.screenshot("editor-hover");
      await vsc.page.keyboard.press("Escape");
    }),
  );

  it(
    "updates the hints as the architecture is edited, before it is saved",
    { timeout: 90_000 },
    scenario(async () => {
      const dense = lineOf(example, "units: 128", "function StrongCNN");
      const column = example.split("\n")[dense - 1].indexOf("128") + 1;
      await vsc.goTo(dense, column);
      for (let i = 0; i < 3; i++) await vsc.page.keyboard.press("Shift+ArrowRight");
      await vsc.page.keyboard.type("64");
      const text = await vsc.waitForLineText(dense, (t) => t.includes("→ 64 "), 45_000);
      assert.match(text, /units: 64, activation: 'relu' \}\),\s*→ 64 · 200,768 params$/);
      const last = lineOf(example, "units: 10 }", "rate: 0.5");
      assert.match(await vsc.lineText(last), /→ 10 · 650 params/, "the next Dense sees 64 inputs");
      assert.match(
        (await vsc.page.locator(".tabs-container .tab.active").getAttribute("class")) ?? "",
        /dirty/,
        "the file is still unsaved",
      );
    }),
  );

  it(
    "hides the hints when archlab.inlayHints is off",
    { timeout: 60_000 },
    scenario(async () => {
      const second = lineOf(example, "conv(32),", "function StrongCNN");
      const settings = path.join(vsc.workspace, ".vscode", "settings.json");
      mkdirSync(path.dirname(settings), { recursive: true });
      writeFileSync(settings, JSON.stringify({ "archlab.inlayHints": false }));
      const off = await vsc.waitForLineText(second, (t) => !t.includes("params"), 20_000);
      assert.equal(off.trim(), "conv(32),");
      writeFileSync(settings, JSON.stringify({ "archlab.inlayHints": true }));
      await vsc.waitForLineText(second, (t) => t.includes("9,248 params"), 20_000);
    }),
  );

  it(
    "shows the architecture under the cursor as a graph, and a click on a layer opens its line",
    { timeout: 90_000 },
    scenario(async () => {
      await vsc.openFile("mnist.model.ts");
      await vsc.goTo(lineOf(example, "conv(64),", "function StrongCNN"), 8);
      await vsc.runCommand("ArchLab: Show Architecture Graph");
      const graph = await vsc.webview("Graph: StrongCNN");
      const node = graph.locator('.arch-graph-canvas [data-node="conv2d_3"]');
      await node.waitFor({ timeout: 45_000 });
      assert.equal(await graph.locator(".arch-graph-canvas .arch-node").count(), 13, "twelve layers and the input");
      assert.match((await node.textContent()) ?? "", /Conv2D · 14×14×64/);
      await vsc.screenshot("editor-architecture-graph");
      await graph.locator('.arch-graph-canvas [data-node="dense_1"]').click();
      await vsc.page.locator(".tabs-container .tab.active", { hasText: "mnist.model.ts" }).first().waitFor();
      const status = vsc.page.locator(".statusbar-item", { hasText: /^Ln \d+, Col \d+/ }).first();
      await status.waitFor();
      assert.match(
        (await status.innerText()) ?? "",
        new RegExp(`Ln ${lineOf(example, "units: 128", "function StrongCNN")},`),
        "the cursor is on the Dense layer",
      );
    }),
  );

  it(
    "reports shape errors in the Problems panel at the layer that broke",
    { timeout: 120_000 },
    scenario(async () => {
      await vsc.openFile("shapes.model.ts");
      await vsc.page.keyboard.press("Control+Shift+M");
      const rows = vsc.page.locator(".markers-panel .monaco-list-row");
      const expected: [string, RegExp][] = [
        [
          "tf.layers.dense({ units: 10 }), // Dense after",
          /NoFlatten: Dense gets a 26×26×4 input .* add tf\.layers\.flatten\(\) before it/,
        ],
        [
          "tf.layers.conv2d({ filters: 4, kernelSize: 5 })",
          /BigKernel: Conv2D: its 5×5 kernel does not fit its 3×3 input/,
        ],
        [
          "tf.layers.concatenate()",
          /BadConcat: Concatenate needs inputs that match except along the concatenation axis, got 28×28×4 and 14×14×4/,
        ],
        [
          "tf.layers.conv2d({ filters: 4, kernelSize: 3 }), // a 1-D",
          /WrongUnits: Conv2D needs a 3-D input per example, got 32 \(1-D\)/,
        ],
      ];
      for (const [code, message] of expected) {
        const row = rows.filter({ hasText: message }).first();
        await row.waitFor({ timeout: 60_000 });
        const text = await row.innerText();
        const line = lineOf(shapeErrors, code);
        assert.match(text, new RegExp(`\\[Ln ${line}, Col \\d+\\]`), `${code} is on line ${line}: ${text}`);
        assert.doesNotMatch(
          text,
          /failed to build|shapes\.model\.ts:\d+/,
          "the message says what broke, not where again",
        );
      }
      await vsc.goTo(lineOf(shapeErrors, "tf.layers.concatenate()"), 30);
      await vsc.page.locator(".monaco-editor .squiggly-error").first().waitFor();
      await vsc.screenshot("editor-shape-error");
    }),
  );
});

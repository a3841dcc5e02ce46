// The extension in a real VS Code: it activates for a workspace with a model file, its commands are
// in the palette, and the example model file gets a CodeLens per architecture.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "./lib/install";
import { scenario, startVsCode, type VsCode } from "./harness";

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  contributes: { commands: ContributedCommand[]; menus?: { commandPalette?: { command: string; when: string }[] } };
};
const commands: ContributedCommand[] = manifest.contributes.commands;
const paletteWhen = new Map<string, string>(
  (manifest.contributes.menus?.commandPalette ?? []).map((entry) => [entry.command, entry.when]),
);
const paletteTitle = (c: ContributedCommand) => (c.category ? `${c.category}: ${c.title}` : c.title);

const modelFile = "examples/mnist.model.ts";

/** The example's architectures: exported functions, with the parameter count their doc comment states. */
function architectures(source: string): { name: string; line: number; params?: string }[] {
  const lines = source.split("\n");
  return lines.flatMap((text, index) => {
    const match = /^export function (\w+)\(\)/.exec(text);
    if (!match) return [];
    const params = /([\d,]+) params/.exec(lines[index - 1] ?? "")?.[1];
    return [{ name: match[1], line: index + 1, params }];
  });
}

describe("activation", () => {
  let vsc: VsCode;

  before(
    async () => {
      vsc = await startVsCode({ files: { [modelFile]: modelFile, "examples/tfjs.d.ts": "examples/tfjs.d.ts" } });
    },
    { timeout: 120_000 },
  );

  after(() => vsc?.stop());

  it(
    "activates in a workspace with a model file",
    { timeout: 60_000 },
    scenario(async () => {
      await vsc.waitForActivation();
    }),
  );

  it(
    "lists its commands in the command palette",
    { timeout: 30_000 },
    scenario(async () => {
      const expected = commands
        .filter((c) => c.category === "ArchLab" && !paletteWhen.has(c.command))
        .map(paletteTitle);
      assert.ok(expected.length > 0, "package.json contributes ArchLab commands");
      const shown = await vsc.paletteCommands("ArchLab:");
      for (const title of expected)
        assert.ok(shown.includes(title), `${title} is in the palette (shown: ${shown.join(", ")})`);
    }),
  );

  it(
    "shows Train, Quick run and the size above each architecture of the example",
    { timeout: 60_000 },
    scenario(async () => {
      const found = architectures(readFileSync(path.join(vsc.workspace, modelFile), "utf8"));
      assert.deepEqual(
        found.map((a) => a.name),
        ["MLP", "TinyCNN", "CNN", "StrongCNN"],
      );
      await vsc.openFile("mnist.model.ts");
      for (const { name, line, params } of found) {
        const lenses = await vsc.codeLensesAbove(line, 45_000, (texts) => texts.some((t) => /params/.test(t)));
        assert.ok(lenses.includes("Train"), `${name} has a Train lens (lenses: ${lenses.join(" | ")})`);
        assert.ok(lenses.includes("Quick run"), `${name} has a Quick run lens (lenses: ${lenses.join(" | ")})`);
        const size = lenses.find((t) => /params/.test(t));
        assert.ok(size?.includes(`${params} params`), `${name} shows ${params} params (lenses: ${lenses.join(" | ")})`);
      }
    }),
  );

  it(
    "offers the model-file commands once a model file is open",
    { timeout: 30_000 },
    scenario(async () => {
      const conditional = commands.filter((c) => paletteWhen.has(c.command)).map(paletteTitle);
      const shown = await vsc.paletteCommands("ArchLab:");
      for (const title of conditional)
        assert.ok(shown.includes(title), `${title} is in the palette (shown: ${shown.join(", ")})`);
    }),
  );
});

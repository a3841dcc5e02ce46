// Model files are code: in a workspace the user has not trusted, ArchLab neither inspects nor
// trains them, and says why where the user looks (the CodeLens).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { scenario, startVsCode, type VsCode } from "./harness";

describe("an untrusted workspace", () => {
  let vsc: VsCode;

  before(
    async () => {
      vsc = await startVsCode({
        files: { "mnist.model.ts": "examples/mnist.model.ts" },
        trustWorkspace: false,
        // Restricted Mode without the startup dialog, as after answering "No, I don't trust the authors".
        settings: { "security.workspace.trust.startupPrompt": "never" },
      });
    },
    { timeout: 240_000 },
  );

  after(() => vsc?.stop());

  it(
    "explains instead of inspecting or training",
    { timeout: 90_000 },
    scenario(async () => {
      await vsc.waitForActivation();
      await vsc.openFile("mnist.model.ts");
      const lenses = await vsc.codeLensesAbove(1, 45_000, (texts) => texts.some((t) => t.includes("trust")));
      assert.ok(
        lenses.includes("ArchLab: trust this workspace to inspect and train its models"),
        `the lens explains why nothing runs (lenses: ${lenses.join(" | ")})`,
      );
      const all = await vsc.codeLensTexts();
      assert.ok(
        !all.some((t) => /params|^Train$/.test(t)),
        `no architecture was inspected (lenses: ${all.join(" | ")})`,
      );
      assert.equal(existsSync(path.join(vsc.workspace, ".archlab", "runs")), false, "nothing was trained");
    }),
  );
});

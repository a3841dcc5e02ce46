// Tests that run the bundles (the CLI, the trainer child) build them first when the sources are newer.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "../../..");

function newestMtime(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    }),
  );
}

export function ensureBuilt(): void {
  const bundle = join(REPO, "dist/cli.js");
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestMtime(join(REPO, "src"))) {
    const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
}

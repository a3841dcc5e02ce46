// What the harness needs before it can start anything: the tools `test/e2e/setup` installed, the
// extension packaged as a .vsix, and that .vsix installed into a fresh extensions folder.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../../..");

export interface Tools {
  node: string;
  codeServerEntry: string;
  chromium: string;
}

export function cacheDir(): string {
  return process.env.ARCHLAB_E2E_CACHE || path.join(homedir(), ".cache", "archlab-e2e");
}

/** The tools recorded by `test/e2e/setup`, or a message saying how to get them. */
export function findTools(): Tools {
  const readyFile = path.join(cacheDir(), "ready.json");
  const missing = (what: string) =>
    new Error(`End-to-end tests need ${what}: run \`npm run setup\` (it installs them into ${cacheDir()}).`);
  if (!existsSync(readyFile)) throw missing("Node 24, code-server and chromium");
  const tools = JSON.parse(readFileSync(readyFile, "utf8")) as Partial<Tools>;
  for (const [key, what] of [
    ["node", "Node 24"],
    ["codeServerEntry", "code-server"],
    ["chromium", "chromium"],
  ] as const) {
    const file = tools[key];
    if (!file || !existsSync(file)) throw missing(what);
  }
  return tools as Tools;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string }): void {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
  throw new Error(`${options.what} failed (${result.error?.message ?? `exit code ${result.status}`}):\n${output}`);
}

/** Packages the extension with the project's own `npm run package` into `dest`. */
function packageInto(dest: string): void {
  run("npm", ["run", "--silent", "package"], { cwd: repoRoot, what: "Packaging the extension (npm run package)" });
  copyFileSync(path.join(repoRoot, "archlab.vsix"), dest);
}

const modifiedAt = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** Built after everything it holds that a build or an edit of the manifest changes. */
function isFresh(vsix: string): boolean {
  const built = modifiedAt(vsix);
  if (built === undefined) return false;
  const dist = path.join(repoRoot, "dist");
  const inputs = [path.join(repoRoot, "package.json"), path.join(repoRoot, ".vscodeignore")];
  for (const file of existsSync(dist) ? readdirSync(dist) : []) inputs.push(path.join(dist, file));
  return inputs.every((file) => (modifiedAt(file) ?? 0) < built);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the packages of test runs that have ended. */
function pruneEndedRuns(folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(folder)) {
    const runner = Number(/^runner-(\d+)\.vsix$/.exec(name)?.[1]);
    if (!runner || !isRunning(runner)) rmSync(path.join(folder, name), { force: true });
  }
}

/**
 * The extension as a .vsix, copied into `destDir` so a packaging running in parallel in the same
 * tree cannot swap it under a running test. Every e2e file of one `npm test` shares the test
 * runner as parent, so they package once between them. `ARCHLAB_E2E_VSIX` names a ready .vsix.
 */
export function packageExtension(destDir: string): string {
  const dest = path.join(destDir, "archlab.vsix");
  const prebuilt = process.env.ARCHLAB_E2E_VSIX;
  if (prebuilt) {
    copyFileSync(path.resolve(prebuilt), dest);
    return dest;
  }
  const shared = path.join(cacheDir(), "vsix", `runner-${process.ppid}.vsix`);
  if (!isFresh(shared)) {
    pruneEndedRuns(path.dirname(shared));
    packageInto(dest);
    copyFileSync(dest, shared);
  } else {
    copyFileSync(shared, dest);
  }
  return dest;
}

export function installExtension(
  tools: Tools,
  vsix: string,
  dirs: { userData: string; extensions: string },
  env: NodeJS.ProcessEnv,
): void {
  run(
    tools.node,
    [
      tools.codeServerEntry,
      "--user-data-dir",
      dirs.userData,
      "--extensions-dir",
      dirs.extensions,
      "--install-extension",
      vsix,
    ],
    { env, what: `Installing ${path.basename(vsix)} into code-server` },
  );
}

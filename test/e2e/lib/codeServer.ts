// code-server on 127.0.0.1, in a process group of its own, with every folder it writes inside the
// run's folder (TMPDIR and XDG_* included), so nothing lands in the user's home or VS Code.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { Tools } from "./install";
import { stopGroup, trackGroup } from "./processes";
import { sleep } from "./wait";

export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  chromium: string;
  workspace: string;
  tmp: string;
  codeServerLog: string;
}

export function runDirs(root: string): RunDirs {
  const dirs: RunDirs = {
    root,
    userData: path.join(root, "user"),
    extensions: path.join(root, "extensions"),
    chromium: path.join(root, "chromium"),
    workspace: path.join(root, "workspace"),
    tmp: path.join(root, "tmp"),
    codeServerLog: path.join(root, "code-server.log"),
  };
  for (const dir of [dirs.userData, dirs.extensions, dirs.chromium, dirs.tmp]) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** The environment of everything the run starts: its own temp and XDG folders, Node 24 first on PATH. */
export function runEnv(tools: Tools, dirs: RunDirs): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The test runner's own settings must not leak into code-server's Node or the extension's children.
    if (key === "NODE_OPTIONS" || key.startsWith("NODE_TEST") || key.startsWith("npm_")) continue;
    env[key] = value;
  }
  const xdg = (name: string) => path.join(dirs.root, "xdg", name);
  for (const name of ["config", "data", "cache", "state"]) mkdirSync(xdg(name), { recursive: true });
  return {
    ...env,
    PATH: `${path.dirname(tools.node)}${path.delimiter}${process.env.PATH ?? ""}`,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: xdg("config"),
    XDG_DATA_HOME: xdg("data"),
    XDG_CACHE_HOME: xdg("cache"),
    XDG_STATE_HOME: xdg("state"),
    XDG_RUNTIME_DIR: dirs.tmp,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("No free port.")),
      );
    });
  });
}

export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no output)";
  }
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before serving:\n${logTail(logFile)}`,
      );
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s:\n${logTail(logFile)}`);
}

export interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

export async function startCodeServer(
  tools: Tools,
  dirs: RunDirs,
  env: NodeJS.ProcessEnv,
  options: { trustWorkspace: boolean },
): Promise<CodeServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    tools.codeServerEntry,
    "--auth",
    "none",
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--user-data-dir",
    dirs.userData,
    "--extensions-dir",
    dirs.extensions,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    ...(options.trustWorkspace ? ["--disable-workspace-trust"] : []),
  ];
  const log = openSync(dirs.codeServerLog, "a");
  // detached: its own session and process group, so stopping it takes the extension host along.
  const child = spawn(tools.node, args, { detached: true, stdio: ["ignore", log, log], env, cwd: dirs.root });
  closeSync(log);
  trackGroup(child);
  try {
    await waitForHealth(url, child, dirs.codeServerLog, 60_000);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  return { url, stop: () => stopGroup(child) };
}

// Every process group the harness starts is stopped, and its run folder removed, whatever way the
// test process ends: after a test, on a failure, on Ctrl+C. Killing only code-server's main pid
// would leave its extension host and file watchers running, hence whole groups.
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { settleWithin } from "./wait";

const groups = new Set<number>();
const folders = new Set<string>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function cleanUpNow(): void {
  for (const pgid of groups) killGroup(pgid, "SIGKILL");
  groups.clear();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", cleanUpNow);
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(code);
    });
  }
}

/** Removes `folder` when the process ends, if it is still there (e.g. after Ctrl+C). */
export function removeAtExit(folder: string): void {
  installExitHooks();
  folders.add(folder);
}

/** Tracks a child started with `detached: true` (its own session, so its pid is its group id). */
export function trackGroup(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error("The process did not start.");
  installExitHooks();
  groups.add(child.pid);
  return child.pid;
}

/** Asks the group to stop, then kills whatever is left of it after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined || !groups.has(pgid)) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(pgid, "SIGTERM");
  await settleWithin(exited, graceMs);
  killGroup(pgid, "SIGKILL");
  groups.delete(pgid);
}

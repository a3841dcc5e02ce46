// Who is running a record: the host, pid and start time of the process that writes it while it
// runs, and a heartbeat. A reader that finds a `running` record whose owner is gone (killed with
// SIGKILL, crashed, out of disk space before it could end the record) can say it was interrupted.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { isAlive } from "../processes";
import type { RunOwner } from "../types";

/** How often a running record is rewritten with a new heartbeat. */
export const HEARTBEAT_MS = 15_000;
/** An owner on another host is taken as gone after this long without a heartbeat. */
export const STALE_HEARTBEAT_MS = 4 * HEARTBEAT_MS;
// Start times read from /proc and from process.uptime() agree to within a clock tick or so.
const START_TOLERANCE_MS = 2_000;

const thisProcessStartedAt = new Date(Date.now() - process.uptime() * 1000).toISOString();

export function currentOwner(now = new Date()): RunOwner {
  return { host: hostname(), pid: process.pid, processStartedAt: thisProcessStartedAt, heartbeatAt: now.toISOString() };
}

/** Why the owner of a running record no longer runs it, or undefined when it may still. */
export function ownerGone(owner: RunOwner | undefined, now = Date.now()): string | undefined {
  if (!owner) return undefined;
  const where = `pid ${owner.pid} on ${owner.host}`;
  if (owner.host !== hostname()) {
    const silent = now - Date.parse(owner.heartbeatAt);
    return silent > STALE_HEARTBEAT_MS
      ? `the process running it (${where}) has not written it for ${Math.round(silent / 1000)} s`
      : undefined;
  }
  if (owner.pid === process.pid)
    return owner.processStartedAt === thisProcessStartedAt ? undefined : `the process running it (${where}) has ended`;
  if (!isAlive(owner.pid)) return `the process running it (${where}) has ended`;
  const started = processStartTime(owner.pid);
  if (started !== undefined && Math.abs(started - Date.parse(owner.processStartedAt)) > START_TOLERANCE_MS) {
    return `the process running it (${where}) has ended (its pid now belongs to another process)`;
  }
  return undefined;
}

let bootTimeMs: number | undefined;

/** Start time (ms since the epoch) of a process, on Linux; undefined where /proc cannot tell. */
function processStartTime(pid: number): number | undefined {
  try {
    bootTimeMs ??= Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))![1]) * 1000;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // starttime (field 22 of the whole line) in clock ticks since boot; Linux's USER_HZ is 100.
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? bootTimeMs + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

// Reaching the queue's Redis: the address as given (redis://, or rediss:// for TLS; a password in
// the URL), shown without its password, and checked before a sweep relies on it.
import { Redis } from "ioredis";

/** BullMQ's queue of trials; agents and controllers meet on it. */
export const QUEUE_NAME = "archlab-trials";
const CHECK_TIMEOUT_MS = 3_000;

export function checkQueueUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`the queue address must be a URL such as redis://127.0.0.1:6379, got "${url}"`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error(`the queue address must start with redis:// (or rediss:// for TLS), got "${url}"`);
  }
  return parsed;
}

/** The address with its password masked, for logs and records. */
export function shownQueueUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid address)";
  }
}

/** A connection as BullMQ needs it: commands wait for a reconnect rather than fail. */
export function connect(url: string, name: string): Redis {
  checkQueueUrl(url);
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: name });
}

/** Resolves when Redis answers at `url`; rejects with a message that says where and why not. */
export async function checkReachable(url: string): Promise<void> {
  checkQueueUrl(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND...) says more than the client's "Connection is closed".
  let socketError: NodeJS.ErrnoException | undefined;
  probe.on("error", (err: NodeJS.ErrnoException) => (socketError ??= err));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const cause = socketError ?? (err as NodeJS.ErrnoException);
    const reason = cause.code ?? cause.message;
    throw new Error(`cannot reach the queue's Redis at ${shownQueueUrl(url)} (${reason})`, { cause: err });
  } finally {
    probe.disconnect();
  }
}

/** Where the controller puts ASHA's decision for a trial's rung; the agent waits on it. */
export function decisionKey(runId: string, epoch: number): string {
  return `archlab:decision:${runId}:${epoch}`;
}

/** Set by the controller to stop a trial an agent is running. */
export function stopKey(runId: string): string {
  return `archlab:stop:${runId}`;
}

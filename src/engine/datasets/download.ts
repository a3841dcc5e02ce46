// Downloads a gzip file, decompresses it on the fly and keeps it only when the decompressed bytes
// have the expected size and sha256: a temp file is renamed into place, so a cache never holds a
// partial or altered file, even when two processes download at once.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { isAlive } from "../processes";
import { DatasetError } from "./errors";

export interface VerifiedDownload {
  url: string;
  dest: string;
  /** How messages name the download, e.g. "train-images-idx3-ubyte.gz from http://mirror/". */
  label: string;
  expectedSize: number;
  sha256: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** How long the mirror may stay silent, before its answer and between two chunks (default 30 s). */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;
export const DOWNLOAD_TIMEOUT_MS = 30_000;
// A .part file of a process that is gone (killed mid-download) is never finished: removed on the
// next download of the same file. One that old is stale whoever holds its pid now.
const STALE_PART_MS = 24 * 3600 * 1000;

function formatBytes(bytes: number): string {
  return bytes < MiB ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

function progressReporter(req: VerifiedDownload, total: number | undefined, onChunk: () => void): Transform {
  let received = 0;
  let reportedTenth = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onChunk();
      received += chunk.length;
      const tenth = total ? Math.floor((10 * received) / total) : Math.floor(received / (5 * MiB));
      if (tenth > reportedTenth) {
        reportedTenth = tenth;
        req.onProgress?.(
          `Downloading ${req.label}: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ""}`,
        );
      }
      callback(null, chunk);
    },
  });
}

function sizeAndHash(req: VerifiedDownload): { stream: Transform; digest: () => { size: number; sha256: string } } {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > req.expectedSize) {
        callback(
          new DatasetError(
            `${req.label} is larger than expected (over ${req.expectedSize} bytes once decompressed); nothing was cached`,
          ),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, digest: () => ({ size, sha256: hash.digest("hex") }) };
}

function explain(err: unknown, req: VerifiedDownload, stalled: boolean): DatasetError {
  if (req.signal?.aborted) return new DatasetError(`Download of ${req.label} cancelled`);
  if (stalled) {
    const seconds = (req.timeoutMs ?? DOWNLOAD_TIMEOUT_MS) / 1000;
    return new DatasetError(
      `Cannot download ${req.label}: the mirror sent nothing for ${seconds} s (it accepted the connection but does not answer); nothing was cached`,
    );
  }
  if (err instanceof DatasetError) return err;
  const e = err as NodeJS.ErrnoException & { cause?: Error };
  if (e.code?.startsWith("Z_") || /gzip|header check|unexpected end of file/i.test(e.message)) {
    return new DatasetError(`${req.label} is not a valid gzip file (${e.message}); nothing was cached`, { cause: err });
  }
  const detail = e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
  return new DatasetError(`Cannot download ${req.label}: ${detail}`, { cause: err });
}

export async function downloadVerified(req: VerifiedDownload): Promise<void> {
  const temp = `${req.dest}.${process.pid}-${randomBytes(4).toString("hex")}.part`;
  await mkdir(dirname(req.dest), { recursive: true }).catch((err: Error) => {
    throw new DatasetError(`Cannot create the dataset cache folder ${dirname(req.dest)}: ${err.message}`, {
      cause: err,
    });
  });
  await removeStaleParts(req.dest);
  // A mirror that accepts the connection and then says nothing must not hang the run: a silence
  // longer than the timeout, before the answer or between two chunks, aborts the download.
  const stall = new AbortController();
  const timeoutMs = req.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  let timer = setTimeout(() => stall.abort(), timeoutMs);
  const heard = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), timeoutMs);
  };
  const signal = req.signal ? AbortSignal.any([req.signal, stall.signal]) : stall.signal;
  try {
    req.onProgress?.(`Downloading ${req.label}...`);
    const response = await fetch(req.url, { signal });
    heard();
    if (!response.ok || !response.body) {
      throw new DatasetError(`Cannot download ${req.label}: HTTP ${response.status} ${response.statusText}`);
    }
    const total = Number(response.headers.get("content-length")) || undefined;
    const check = sizeAndHash(req);
    await pipeline(
      Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
      progressReporter(req, total, heard),
      createGunzip(),
      check.stream,
      createWriteStream(temp),
      { signal },
    );
    const { size, sha256 } = check.digest();
    if (size !== req.expectedSize) {
      throw new DatasetError(
        `${req.label} has ${size} bytes once decompressed, expected ${req.expectedSize}; nothing was cached`,
      );
    }
    if (sha256 !== req.sha256) {
      throw new DatasetError(
        `${req.label} failed its checksum (sha256 ${sha256}, expected ${req.sha256}); nothing was cached`,
      );
    }
    await rename(temp, req.dest);
    req.onProgress?.(`Downloaded ${req.label} (checksum verified)`);
  } catch (err) {
    await rm(temp, { force: true });
    throw explain(err, req, stall.signal.aborted);
  } finally {
    clearTimeout(timer);
  }
}

/** Removes `.part` files of `dest` left by processes that are gone. */
async function removeStaleParts(dest: string): Promise<void> {
  const prefix = `${basename(dest)}.`;
  const names = await readdir(dirname(dest)).catch(() => [] as string[]);
  for (const name of names) {
    const match = /^(\d+)-[0-9a-f]+\.part$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !match) continue;
    const path = join(dirname(dest), name);
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (!isAlive(Number(match[1])) || age > STALE_PART_MS) await rm(path, { force: true });
  }
}

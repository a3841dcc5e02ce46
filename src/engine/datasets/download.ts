// Downloads a gzip file, decompresses it on the fly and keeps it only when the decompressed bytes
// have the expected size and sha256: a temp file is renamed into place, so a cache never holds a
// partial or altered file, even when two processes download at once.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { DatasetError } from './errors';

export interface VerifiedDownload {
  url: string;
  dest: string;
  /** How messages name the download, e.g. "train-images-idx3-ubyte.gz from http://mirror/". */
  label: string;
  expectedSize: number;
  sha256: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

const MiB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes < MiB ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

function progressReporter(req: VerifiedDownload, total: number | undefined): Transform {
  let received = 0;
  let reportedTenth = -1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      const tenth = total ? Math.floor((10 * received) / total) : Math.floor(received / (5 * MiB));
      if (tenth > reportedTenth) {
        reportedTenth = tenth;
        req.onProgress?.(`Downloading ${req.label}: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''}`);
      }
      callback(null, chunk);
    },
  });
}

function sizeAndHash(req: VerifiedDownload): { stream: Transform; digest: () => { size: number; sha256: string } } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > req.expectedSize) {
        callback(new DatasetError(`${req.label} is larger than expected (over ${req.expectedSize} bytes once decompressed); nothing was cached`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, digest: () => ({ size, sha256: hash.digest('hex') }) };
}

function explain(err: unknown, req: VerifiedDownload): DatasetError {
  if (req.signal?.aborted) return new DatasetError(`Download of ${req.label} cancelled`);
  if (err instanceof DatasetError) return err;
  const e = err as NodeJS.ErrnoException & { cause?: Error };
  if (e.code?.startsWith('Z_') || /gzip|header check|unexpected end of file/i.test(e.message)) {
    return new DatasetError(`${req.label} is not a valid gzip file (${e.message}); nothing was cached`, { cause: err });
  }
  const detail = e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
  return new DatasetError(`Cannot download ${req.label}: ${detail}`, { cause: err });
}

export async function downloadVerified(req: VerifiedDownload): Promise<void> {
  const temp = `${req.dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  await mkdir(dirname(req.dest), { recursive: true }).catch((err: Error) => {
    throw new DatasetError(`Cannot create the dataset cache folder ${dirname(req.dest)}: ${err.message}`, { cause: err });
  });
  try {
    const response = await fetch(req.url, { signal: req.signal });
    if (!response.ok || !response.body) {
      throw new DatasetError(`Cannot download ${req.label}: HTTP ${response.status} ${response.statusText}`);
    }
    const total = Number(response.headers.get('content-length')) || undefined;
    const check = sizeAndHash(req);
    await pipeline(
      Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
      progressReporter(req, total),
      createGunzip(),
      check.stream,
      createWriteStream(temp),
      { signal: req.signal },
    );
    const { size, sha256 } = check.digest();
    if (size !== req.expectedSize) {
      throw new DatasetError(`${req.label} has ${size} bytes once decompressed, expected ${req.expectedSize}; nothing was cached`);
    }
    if (sha256 !== req.sha256) {
      throw new DatasetError(`${req.label} failed its checksum (sha256 ${sha256}, expected ${req.sha256}); nothing was cached`);
    }
    await rename(temp, req.dest);
    req.onProgress?.(`Downloaded ${req.label} (checksum verified)`);
  } catch (err) {
    await rm(temp, { force: true });
    throw explain(err, req);
  }
}

// IDX files (https://yann.lecun.com/exdb/mnist/): a big-endian header (0, 0, type, dimension count,
// one uint32 per dimension) followed by the data. Only unsigned bytes (type 0x08) occur in practice.
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { DatasetError } from "./errors";

const gunzipAsync = promisify(gunzip);
const UNSIGNED_BYTE = 0x08;

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count*height*width pixels, 0..255. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads an IDX file, raw or gzip-compressed (told by its magic bytes, whatever its name). */
export async function readIdxBytes(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DatasetError(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (isGzip(bytes)) return gunzipBytes(bytes, file);
  if (file.endsWith(".gz")) throw new DatasetError(`${file} is not a gzip file (its name ends in .gz)`);
  return bytes;
}

export async function gunzipBytes(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes);
  } catch (err) {
    throw new DatasetError(`${file} is not a valid gzip file: ${(err as Error).message}`, { cause: err });
  }
}

/** Validates the header and the size; returns the dimensions and the data after the header. */
export function parseIdx(bytes: Uint8Array, file: string): { dims: number[]; data: Uint8Array } {
  if (bytes.length < 4) throw new DatasetError(`${file} is not an IDX file: only ${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || bytes[3] < 1 || bytes[3] > 4) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new DatasetError(`${file} is not an IDX file of unsigned bytes: magic number 0x${magic}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = 4 + 4 * bytes[3];
  if (bytes.length < headerSize) throw new DatasetError(`${file} is truncated: its IDX header is incomplete`);
  const dims = Array.from({ length: bytes[3] }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = headerSize + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expected) {
    throw new DatasetError(
      `${file} is truncated: ${bytes.length} bytes, expected ${expected} for shape [${dims.join(",")}]`,
    );
  }
  if (bytes.length > expected) {
    throw new DatasetError(
      `${file} has ${bytes.length - expected} unexpected bytes after the data of shape [${dims.join(",")}]`,
    );
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, expected - headerSize) };
}

export function parseImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, data } = parseIdx(bytes, file);
  if (dims.length !== 3) {
    throw new DatasetError(
      `${file} should hold images (3 dimensions: count, rows, columns) but has shape [${dims.join(",")}]`,
    );
  }
  const [count, height, width] = dims;
  return { count, height, width, pixels: data };
}

/** Labels must be below numClasses when it is given. */
export function parseLabels(bytes: Uint8Array, file: string, numClasses?: number): IdxLabels {
  const { dims, data } = parseIdx(bytes, file);
  if (dims.length !== 1)
    throw new DatasetError(`${file} should hold labels (1 dimension) but has shape [${dims.join(",")}]`);
  if (numClasses !== undefined) {
    const bad = data.findIndex((label) => label >= numClasses);
    if (bad >= 0) {
      throw new DatasetError(
        `${file}: label ${data[bad]} at index ${bad} is out of range (${numClasses} classes: 0..${numClasses - 1})`,
      );
    }
  }
  return { count: dims[0], labels: data };
}

export function checkSameCount(images: IdxImages, labels: IdxLabels, imagesFile: string, labelsFile: string): void {
  if (images.count !== labels.count) {
    throw new DatasetError(`${imagesFile} holds ${images.count} images but ${labelsFile} holds ${labels.count} labels`);
  }
}

/** Encodes an IDX file of unsigned bytes: used to write fixtures and custom datasets. */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

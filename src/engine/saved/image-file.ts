// Reading a picture for `archlab predict`: PNG (8-bit, any colour type, not interlaced) and PGM
// (P2/P5). Decoded here with node:zlib rather than with an image library because this is all
// predict needs, and the CLI then adds no dependency to the extension's bundle.
import { readFile } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import type { GreyImage } from "../../shared/preprocess";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image as greys in [0,1] (0 = black); transparent pixels count as white paper. */
export async function readImageFile(path: string): Promise<GreyImage> {
  const bytes = await readFile(path);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return decodePng(bytes, path);
  if (bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32)) return decodePgm(bytes, path);
  throw new Error(`${path} is neither a PNG nor a PGM image`);
}

function decodePng(bytes: Buffer, path: string): GreyImage {
  let offset = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  let palette: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === "IHDR") {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8],
        colour: body[9],
        interlace: body[12],
      };
    } else if (type === "PLTE") palette = body;
    else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
  }
  if (!header || !data.length) throw new Error(`${path}: not a complete PNG file`);
  const { width, height, depth, colour, interlace } = header;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (depth !== 8 || interlace !== 0 || !channels) {
    throw new Error(
      `${path}: only 8-bit, non-interlaced PNGs can be read (this one has ${depth}-bit samples${interlace ? ", interlaced" : ""}); save it as such or as PGM`,
    );
  }
  const raw = unfilter(inflateSync(Buffer.concat(data)), width, height, channels);
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = raw.subarray(i * channels, (i + 1) * channels);
    let grey: number;
    let alpha = 1;
    if (colour === 0) grey = p[0] / 255;
    else if (colour === 4) [grey, alpha] = [p[0] / 255, p[1] / 255];
    else if (colour === 3)
      grey = luminance(palette?.[p[0] * 3] ?? 0, palette?.[p[0] * 3 + 1] ?? 0, palette?.[p[0] * 3 + 2] ?? 0);
    else [grey, alpha] = [luminance(p[0], p[1], p[2]), colour === 6 ? p[3] / 255 : 1];
    pixels[i] = grey * alpha + (1 - alpha);
  }
  return { width, height, pixels };
}

function luminance(r: number, g: number, b: number): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/** PNG's per-row filters (none, sub, up, average, Paeth), undone. */
function unfilter(data: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)];
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[at + x - bpp] : 0;
      const b = y > 0 ? out[at - stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[at - stride + x - bpp] : 0;
      const predicted =
        filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      out[at + x] = (row[x] + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function decodePgm(bytes: Buffer, path: string): GreyImage {
  const binary = bytes[1] === 0x35;
  const tokens: string[] = [];
  let offset = 2;
  // Header: width, height, maxval, with # comments; P5's samples start after one whitespace byte.
  while (tokens.length < 3 && offset < bytes.length) {
    const ch = String.fromCharCode(bytes[offset]);
    if (ch === "#") while (offset < bytes.length && bytes[offset] !== 0x0a) offset++;
    else if (/\s/.test(ch)) offset++;
    else {
      let token = "";
      while (offset < bytes.length && !/\s/.test(String.fromCharCode(bytes[offset])))
        token += String.fromCharCode(bytes[offset++]);
      tokens.push(token);
    }
  }
  const [width, height, max] = tokens.map(Number);
  if (!(width > 0 && height > 0 && max > 0 && max < 65536)) throw new Error(`${path}: not a valid PGM header`);
  const count = width * height;
  let samples: number[];
  if (binary) {
    const start = offset + 1;
    const wide = max > 255;
    if (bytes.length < start + count * (wide ? 2 : 1))
      throw new Error(`${path}: the PGM file is shorter than its ${width}x${height} pixels`);
    samples = Array.from({ length: count }, (_, i) => (wide ? bytes.readUInt16BE(start + 2 * i) : bytes[start + i]));
  } else {
    samples = bytes
      .toString("latin1", offset)
      .replace(/#[^\n]*/g, "")
      .trim()
      .split(/\s+/)
      .map(Number)
      .slice(0, count);
    if (samples.length < count) throw new Error(`${path}: the PGM file is shorter than its ${width}x${height} pixels`);
  }
  return { width, height, pixels: Float32Array.from(samples, (v) => v / max) };
}

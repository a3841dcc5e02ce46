// Fashion-MNIST: downloaded once from a mirror into a cache folder (decompressed, checksum-verified),
// or read from a folder the user already has (e.g. Debian's dataset-fashion-mnist package).
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { DatasetError, throwIfCancelled } from "./errors";
import { downloadVerified } from "./download";
import { IDX_FILES, loadFolderTestImage, loadIdxFolder, type IdxRole } from "./folder";
import type { Dataset, DatasetOptions, RawImage } from "./types";

export const FASHION_MNIST_CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

export const DEFAULT_FASHION_MNIST_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
export const FASHION_MNIST_MIRROR_ENV = "ARCHLAB_FASHION_MNIST_MIRROR";

// Checksums of the decompressed files: the upstream .gz files and repackaged ones (Debian's
// recompressed copies) differ as archives but hold the same bytes.
export const FASHION_MNIST_FILES: Record<IdxRole, { size: number; sha256: string }> = {
  trainImages: { size: 47040016, sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888" },
  trainLabels: { size: 60008, sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9" },
  testImages: { size: 7840016, sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b" },
  testLabels: { size: 10008, sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34" },
};

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "archlab", "datasets");
}

export function fashionMnistMirror(opts: DatasetOptions): string {
  const mirror = opts.fashionMnistMirror || process.env[FASHION_MNIST_MIRROR_ENV] || DEFAULT_FASHION_MNIST_MIRROR;
  const base = mirror.endsWith("/") ? mirror : `${mirror}/`;
  if (!URL.canParse(base)) throw new DatasetError(`Invalid Fashion-MNIST mirror URL: ${mirror}`);
  return base;
}

export function fashionMnistCacheFolder(opts: DatasetOptions): string {
  return join(opts.cacheDir ?? defaultCacheDir(), "fashion-mnist");
}

/** Downloads the files of these roles that the cache lacks; returns the cache folder. */
async function ensureCached(roles: IdxRole[], opts: DatasetOptions): Promise<string> {
  const folder = fashionMnistCacheFolder(opts);
  const mirror = fashionMnistMirror(opts);
  for (const role of roles) {
    const dest = join(folder, IDX_FILES[role]);
    if (existsSync(dest)) continue;
    throwIfCancelled(opts.signal, "Loading fashion-mnist");
    const gz = `${IDX_FILES[role]}.gz`;
    await downloadVerified({
      url: new URL(gz, mirror).href,
      dest,
      label: `${gz} from ${mirror}`,
      expectedSize: FASHION_MNIST_FILES[role].size,
      sha256: FASHION_MNIST_FILES[role].sha256,
      signal: opts.signal,
      onProgress: opts.onProgress,
      timeoutMs: opts.downloadTimeoutMs,
    });
  }
  return folder;
}

// Small files first: a broken mirror is found out before the 26 MB download.
const DOWNLOAD_ORDER: IdxRole[] = ["trainLabels", "testLabels", "testImages", "trainImages"];

export async function loadFashionMnist(opts: DatasetOptions): Promise<Dataset> {
  const folder = opts.fashionMnistDir ?? (await ensureCached(DOWNLOAD_ORDER, opts));
  opts.onProgress?.(`Reading fashion-mnist from ${folder}`);
  return loadIdxFolder(folder, { name: "fashion-mnist", classNames: FASHION_MNIST_CLASS_NAMES, signal: opts.signal });
}

export async function loadFashionMnistTestImage(index: number, opts: DatasetOptions): Promise<RawImage> {
  const folder = opts.fashionMnistDir ?? (await ensureCached(["testImages"], opts));
  return loadFolderTestImage(folder, index);
}

import type { DatasetInfo } from "../types";

export interface Split {
  /** N*H*W*C pixels, normalized to [0,1]. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Loaded datasets are shared between callers of the same spec: treat the arrays as read-only. */
export interface Dataset {
  info: DatasetInfo;
  train: Split;
  test: Split;
}

export interface DatasetOptions {
  /** Where downloads are kept; default $XDG_CACHE_HOME/archlab/datasets or ~/.cache/archlab/datasets. */
  cacheDir?: string;
  /** A folder holding Fashion-MNIST's four IDX files (raw or .gz): no download. */
  fashionMnistDir?: string;
  /** Base URL of a Fashion-MNIST mirror; default from ARCHLAB_FASHION_MNIST_MIRROR, else the public one. */
  fashionMnistMirror?: string;
  /** How long a mirror may stay silent before a download fails (default 30 s). */
  downloadTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** One test image as stored in the dataset: row-major, 0..255, one channel. */
export interface RawImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

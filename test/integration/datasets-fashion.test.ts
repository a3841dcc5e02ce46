import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  clearDatasetCache,
  DatasetError,
  FASHION_MNIST_CLASS_NAMES,
  loadDataset,
  loadTestImage,
} from "../../src/engine/datasets";
import { startMirror, type Mirror } from "../fixtures/datasets/mirror";
import { removeTempDirs, tempDir } from "../fixtures/datasets/idx-folder";

// Debian's dataset-fashion-mnist package (installed by .ci/run).
const DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";
const skip = existsSync(join(DEBIAN_FOLDER, "t10k-images-idx3-ubyte.gz")) ? false : `${DEBIAN_FOLDER} is not installed`;

function histogram(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function cachedFiles(cacheDir: string): string[] {
  const folder = join(cacheDir, "fashion-mnist");
  return existsSync(folder) ? readdirSync(folder) : [];
}

function datasetError(...patterns: RegExp[]) {
  return (err: unknown) => err instanceof DatasetError && patterns.every((p) => p.test(err.message));
}

describe("fashion-mnist", { skip }, () => {
  let mirror: Mirror;
  before(async () => {
    mirror = await startMirror(DEBIAN_FOLDER);
  });
  after(async () => {
    await mirror.close();
    removeTempDirs();
  });

  it("downloads from the mirror on first use, then loads from the cache without a request", async () => {
    const cacheDir = tempDir();
    const progress: string[] = [];
    const first = await loadDataset("fashion-mnist", {
      cacheDir,
      fashionMnistMirror: mirror.url,
      onProgress: (m) => progress.push(m),
    });
    assert.deepEqual(mirror.requests.sort(), [
      "t10k-images-idx3-ubyte.gz",
      "t10k-labels-idx1-ubyte.gz",
      "train-images-idx3-ubyte.gz",
      "train-labels-idx1-ubyte.gz",
    ]);
    assert.ok(
      progress.some((m) => m.startsWith(`Downloading train-images-idx3-ubyte.gz from ${mirror.url}`)),
      progress.join("\n"),
    );
    assert.deepEqual(first.info, {
      name: "fashion-mnist",
      imageShape: [28, 28, 1],
      numClasses: 10,
      classNames: FASHION_MNIST_CLASS_NAMES,
      trainSize: 60000,
      testSize: 10000,
    });
    assert.deepEqual(histogram(first.train.labels), new Array(10).fill(6000));
    assert.deepEqual(cachedFiles(cacheDir).sort(), [
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
    ]);

    clearDatasetCache();
    mirror.requests.length = 0;
    const second = await loadDataset("fashion-mnist", { cacheDir, fashionMnistMirror: mirror.url });
    assert.deepEqual(mirror.requests, []);
    assert.notEqual(second, first);
    assert.deepEqual(second.test.labels, first.test.labels);
    assert.deepEqual(second.train.images.subarray(0, 784 * 10), first.train.images.subarray(0, 784 * 10));
  });

  it("deletes a corrupt download and names the file and the mirror", async () => {
    const cacheDir = tempDir();
    const broken = await startMirror(DEBIAN_FOLDER, (_name, bytes) => bytes.subarray(0, bytes.length >> 1));
    try {
      await assert.rejects(
        loadDataset("fashion-mnist", { cacheDir, fashionMnistMirror: broken.url }),
        datasetError(/-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/ is not a valid gzip file/, /nothing was cached/),
      );
    } finally {
      await broken.close();
    }
    assert.deepEqual(cachedFiles(cacheDir), []);
  });

  it("rejects altered content by its checksum and caches nothing", async () => {
    const cacheDir = tempDir();
    const altered = await startMirror(DEBIAN_FOLDER, (_name, bytes) => {
      const content = gunzipSync(bytes);
      content[content.length - 1] ^= 0xff;
      return gzipSync(content, { level: 1 });
    });
    try {
      await assert.rejects(
        loadDataset("fashion-mnist", { cacheDir, fashionMnistMirror: altered.url }),
        datasetError(
          /train-labels-idx1-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/ failed its checksum/,
          /nothing was cached/,
        ),
      );
    } finally {
      await altered.close();
    }
    assert.deepEqual(cachedFiles(cacheDir), []);
  });

  it("rejects a file of the wrong size and caches nothing", async () => {
    const cacheDir = tempDir();
    const shortened = await startMirror(DEBIAN_FOLDER, (_name, bytes) => gzipSync(gunzipSync(bytes).subarray(0, 1000)));
    try {
      await assert.rejects(
        loadDataset("fashion-mnist", { cacheDir, fashionMnistMirror: shortened.url }),
        datasetError(
          /train-labels-idx1-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/ has 1000 bytes once decompressed, expected 60008/,
        ),
      );
    } finally {
      await shortened.close();
    }
    assert.deepEqual(cachedFiles(cacheDir), []);
  });

  it("stops a download when cancelled and caches nothing", async () => {
    const cacheDir = tempDir();
    const controller = new AbortController();
    const onProgress = (message: string) => {
      if (message.startsWith("Downloading t10k-images")) controller.abort();
    };
    await assert.rejects(
      loadDataset("fashion-mnist", { cacheDir, fashionMnistMirror: mirror.url, signal: controller.signal, onProgress }),
      datasetError(/Download of t10k-images-idx3-ubyte\.gz .* cancelled/),
    );
    assert.deepEqual(cachedFiles(cacheDir).sort(), ["t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte"]);
  });

  it("says which file the mirror does not have", async () => {
    await assert.rejects(
      loadTestImage("fashion-mnist", 0, { cacheDir: tempDir(), fashionMnistMirror: `${mirror.url}missing/` }),
      datasetError(/Cannot download t10k-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/missing\/: HTTP 404/),
    );
  });

  it("says when the mirror cannot be reached", async () => {
    const gone = await startMirror(DEBIAN_FOLDER);
    await gone.close();
    await assert.rejects(
      loadTestImage("fashion-mnist", 0, { cacheDir: tempDir(), fashionMnistMirror: gone.url }),
      datasetError(
        /Cannot download t10k-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/: fetch failed: .*ECONNREFUSED/,
      ),
    );
  });

  it("gives up on a mirror that accepts the connection and never answers, and says so", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const progress: string[] = [];
    const started = Date.now();
    try {
      await assert.rejects(
        loadTestImage("fashion-mnist", 0, {
          cacheDir: tempDir(),
          fashionMnistMirror: `http://127.0.0.1:${port}/`,
          downloadTimeoutMs: 500,
          onProgress: (m) => progress.push(m),
        }),
        datasetError(
          /Cannot download t10k-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/: the mirror sent nothing for 0\.5 s \(it accepted the connection but does not answer\); nothing was cached/,
        ),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual(
      progress,
      [`Downloading t10k-images-idx3-ubyte.gz from http://127.0.0.1:${port}/...`],
      "the user sees what it waits for",
    );
  });

  it("removes .part files that a killed download left behind", async () => {
    const cacheDir = tempDir();
    const folder = join(cacheDir, "fashion-mnist");
    mkdirSync(folder, { recursive: true });
    // A pid above Linux's maximum: its process is gone.
    const stale = "t10k-images-idx3-ubyte.4194321-0badcafe.part";
    const live = `t10k-images-idx3-ubyte.${process.pid}-0badcafe.part`;
    writeFileSync(join(folder, stale), "half a download");
    writeFileSync(join(folder, live), "a download going on in this process");
    await loadTestImage("fashion-mnist", 0, { cacheDir, fashionMnistMirror: mirror.url });
    assert.deepEqual(cachedFiles(cacheDir).sort(), ["t10k-images-idx3-ubyte", live]);
  });

  it("takes the mirror from ARCHLAB_FASHION_MNIST_MIRROR and fetches only the test images for one image", async () => {
    const cacheDir = tempDir();
    mirror.requests.length = 0;
    process.env.ARCHLAB_FASHION_MNIST_MIRROR = mirror.url;
    try {
      const image = await loadTestImage("fashion-mnist", 0, { cacheDir });
      assert.deepEqual([image.width, image.height, image.pixels.length], [28, 28, 784]);
      assert.ok(
        image.pixels.some((p) => p > 200),
        "the first test image (an ankle boot) is not blank",
      );
    } finally {
      delete process.env.ARCHLAB_FASHION_MNIST_MIRROR;
    }
    assert.deepEqual(mirror.requests, ["t10k-images-idx3-ubyte.gz"]);
  });

  it("reads a local folder of the four .gz files without downloading", async () => {
    mirror.requests.length = 0;
    const dataset = await loadDataset("fashion-mnist", {
      fashionMnistDir: DEBIAN_FOLDER,
      fashionMnistMirror: mirror.url,
    });
    assert.deepEqual([dataset.train.count, dataset.test.count], [60000, 10000]);
    assert.deepEqual(histogram(dataset.test.labels), new Array(10).fill(1000));
    assert.equal(dataset.test.labels[0], FASHION_MNIST_CLASS_NAMES.indexOf("Ankle boot"));
    assert.deepEqual(mirror.requests, []);
  });
});

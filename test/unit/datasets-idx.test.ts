import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { DatasetError } from "../../src/engine/datasets";
import { encodeIdx, parseImages, parseLabels, readIdxBytes } from "../../src/engine/datasets/idx";
import { removeTempDirs, tempDir } from "../fixtures/datasets/idx-folder";

const images = encodeIdx(
  [2, 3, 4],
  Uint8Array.from({ length: 24 }, (_, i) => i * 10),
);
const labels = encodeIdx([5], Uint8Array.from([0, 1, 2, 1, 0]));

function rejectsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof DatasetError && pattern.test(err.message));
}

describe("IDX reader", () => {
  after(removeTempDirs);

  it("reads images: count, rows, columns and pixels in order", () => {
    const parsed = parseImages(images, "imgs");
    assert.deepEqual([parsed.count, parsed.height, parsed.width], [2, 3, 4]);
    assert.equal(parsed.pixels.length, 24);
    assert.equal(parsed.pixels[23], 230);
  });

  it("reads labels and checks them against the number of classes", () => {
    assert.deepEqual([...parseLabels(labels, "lbls", 3).labels], [0, 1, 2, 1, 0]);
    rejectsWith(() => parseLabels(labels, "lbls", 2), /lbls: label 2 at index 2 is out of range \(2 classes: 0\.\.1\)/);
  });

  it("rejects a wrong magic number, naming the file", () => {
    const bad = Uint8Array.from(images);
    bad[2] = 0x0d;
    rejectsWith(
      () => parseImages(bad, "/data/x-images"),
      /\/data\/x-images is not an IDX file of unsigned bytes: magic number 0x00000d03/,
    );
  });

  it("rejects labels given as images and images given as labels", () => {
    rejectsWith(() => parseImages(labels, "lbls"), /lbls should hold images .* shape \[5\]/);
    rejectsWith(() => parseLabels(images, "imgs"), /imgs should hold labels .* shape \[2,3,4\]/);
  });

  it("rejects truncated files and extra bytes", () => {
    rejectsWith(
      () => parseImages(images.subarray(0, images.length - 1), "imgs"),
      /imgs is truncated: 39 bytes, expected 40/,
    );
    rejectsWith(() => parseImages(images.subarray(0, 10), "imgs"), /imgs is truncated: its IDX header is incomplete/);
    rejectsWith(() => parseImages(new Uint8Array(0), "imgs"), /imgs is not an IDX file/);
    const longer = new Uint8Array(images.length + 3);
    longer.set(images);
    rejectsWith(() => parseImages(longer, "imgs"), /imgs has 3 unexpected bytes/);
  });

  it("reads gzip files whatever their name, and rejects a broken gzip", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.gz"), gzipSync(images));
    writeFileSync(join(dir, "a-no-extension"), gzipSync(images));
    writeFileSync(join(dir, "raw"), images);
    for (const name of ["a.gz", "a-no-extension", "raw"]) {
      assert.deepEqual(new Uint8Array(await readIdxBytes(join(dir, name))), images, name);
    }
    const broken = gzipSync(images).subarray(0, 20);
    writeFileSync(join(dir, "broken.gz"), broken);
    await assert.rejects(readIdxBytes(join(dir, "broken.gz")), /broken\.gz is not a valid gzip file/);
    writeFileSync(join(dir, "plain.gz"), images);
    await assert.rejects(readIdxBytes(join(dir, "plain.gz")), /plain\.gz is not a gzip file/);
    await assert.rejects(
      readIdxBytes(join(dir, "missing")),
      (err: unknown) => err instanceof DatasetError && /Cannot read .*missing/.test(err.message),
    );
  });
});

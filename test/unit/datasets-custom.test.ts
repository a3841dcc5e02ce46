import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DatasetError, loadDataset, loadTestImage } from "../../src/engine/datasets";
import { encodeIdx } from "../../src/engine/datasets/idx";
import { pixelOf, removeTempDirs, tempDir, writeIdxFolder, type FolderSpec } from "../fixtures/datasets/idx-folder";

const threeClasses: FolderSpec = {
  train: { height: 8, width: 6, labels: [0, 1, 2, 2, 1, 0, 1] },
  test: { height: 8, width: 6, labels: [2, 0, 1] },
};

function isDatasetError(pattern: RegExp) {
  return (err: unknown) => err instanceof DatasetError && pattern.test(err.message);
}

describe("custom IDX folder", () => {
  after(removeTempDirs);

  it("loads 8x6 images with 3 classes named by their labels", async () => {
    const dir = writeIdxFolder(join(tempDir(), "shapes"), threeClasses);
    const dataset = await loadDataset(dir);
    assert.deepEqual(dataset.info, {
      name: "shapes",
      imageShape: [8, 6, 1],
      numClasses: 3,
      classNames: ["0", "1", "2"],
      trainSize: 7,
      testSize: 3,
    });
    assert.equal(dataset.train.images.length, 7 * 8 * 6);
    assert.deepEqual([...dataset.test.labels], [2, 0, 1]);
    assert.equal(dataset.train.images[3 * 48 + 5], Math.fround(pixelOf(3, 2) / 255));
  });

  it("takes class names from classes.txt and reads gzip files", async () => {
    const dir = writeIdxFolder(tempDir(), {
      ...threeClasses,
      gzip: true,
      classes: ["circle", "square", "triangle", "star"],
    });
    const dataset = await loadDataset(dir);
    assert.equal(dataset.info.numClasses, 4);
    assert.deepEqual(dataset.info.classNames, ["circle", "square", "triangle", "star"]);
    assert.equal(dataset.train.count, 7);
  });

  it("rejects labels beyond classes.txt", async () => {
    const dir = writeIdxFolder(tempDir(), { ...threeClasses, classes: ["circle", "square"] });
    await assert.rejects(
      loadDataset(dir),
      isDatasetError(/train-labels-idx1-ubyte: label 2 at index 2 is out of range \(2 classes/),
    );
  });

  it("without classes.txt, a stray label is named with where it is, not taken for 201 classes", async () => {
    const dir = writeIdxFolder(tempDir(), { ...threeClasses, test: { height: 8, width: 6, labels: [2, 200, 1] } });
    await assert.rejects(
      loadDataset(dir),
      isDatasetError(
        /^label 200 \(once, first at index 1 of .*t10k-labels-idx1-ubyte\): labels 0 to 2 are used, 3 to 199 never\. Without classes\.txt the classes are 0 to the largest label \(201 here\): fix the stray labels, or list the class names in classes\.txt$/,
      ),
    );
    const sparse = writeIdxFolder(tempDir(), { ...threeClasses, test: { height: 8, width: 6, labels: [2, 4, 1] } });
    assert.equal((await loadDataset(sparse)).info.numClasses, 5, "a class unused in a small folder is no mistake");
  });

  it("rejects a folder whose image and label counts differ", async () => {
    const dir = writeIdxFolder(tempDir(), threeClasses);
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx([2], Uint8Array.from([0, 1])));
    await assert.rejects(
      loadDataset(dir),
      isDatasetError(/t10k-images-idx3-ubyte holds 3 images but .*t10k-labels-idx1-ubyte holds 2 labels/),
    );
  });

  it("rejects train and test images of different sizes", async () => {
    const dir = writeIdxFolder(tempDir(), { ...threeClasses, test: { height: 6, width: 8, labels: [0] } });
    await assert.rejects(loadDataset(dir), isDatasetError(/has 8x6 images but .* has 6x8/));
  });

  it("lists the expected files when some are missing", async () => {
    const dir = writeIdxFolder(tempDir(), threeClasses);
    rmSync(join(dir, "t10k-labels-idx1-ubyte"));
    rmSync(join(dir, "train-images-idx3-ubyte"));
    await assert.rejects(
      loadDataset(dir),
      isDatasetError(
        /missing train-images-idx3-ubyte, t10k-labels-idx1-ubyte\. A dataset folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte \(each may end in \.gz\)/,
      ),
    );
  });

  it("says what a dataset spec can be when the folder does not exist", async () => {
    await assert.rejects(
      loadDataset(join(tempDir(), "nowhere")),
      isDatasetError(/Unknown dataset .*expected mnist, fashion-mnist or a folder of IDX files/),
    );
  });

  it("gives one raw test image without reading the training set", async () => {
    const dir = writeIdxFolder(tempDir(), threeClasses);
    rmSync(join(dir, "train-images-idx3-ubyte"));
    const image = await loadTestImage(dir, 2);
    assert.deepEqual([image.width, image.height, image.pixels.length], [6, 8, 48]);
    assert.ok(image.pixels.every((p) => p === pixelOf(2, 1)));
    await assert.rejects(loadTestImage(dir, 3), isDatasetError(/Test image 3 does not exist .* holds 3 images/));
  });

  it("reads a test image again after its file is rewritten", async () => {
    const dir = writeIdxFolder(tempDir(), threeClasses);
    assert.equal((await loadTestImage(dir, 0)).pixels[0], pixelOf(0, 2));
    writeIdxFolder(dir, { ...threeClasses, test: { height: 8, width: 6, labels: [1, 1, 1, 1] } });
    assert.equal((await loadTestImage(dir, 3)).pixels[0], pixelOf(3, 1));
  });
});

// archlab export and archlab predict on a model trained on MNIST, as a user runs them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { deflateSync, crc32 } from "node:zlib";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadDataset } from "../../src/engine/datasets";
import type { RunRecord } from "../../src/engine/types";
import type { PredictJson } from "../../src/cli/models";
import type { TrainJson } from "../../src/cli/train";
import type { LoadedExport } from "../fixtures/scripts/load-exported";
import { readJson } from "../support/records";
import { ensureBuilt, REPO } from "./helpers/build";

const BIN = join(REPO, "bin/archlab.js");
const EXAMPLE = join(REPO, "examples/mnist.model.ts");

let cwd: string;
let record: RunRecord;

function archlab(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(async () => {
  ensureBuilt();
  cwd = await mkdtemp(join(tmpdir(), "archlab-models-cli-"));
  // A short training, so that some of the 10,000 test images are misclassified.
  const { code, stdout, stderr } = archlab(
    "train",
    EXAMPLE,
    "--model",
    "TinyCNN",
    "--limit",
    "2000",
    "--epochs",
    "1",
    "--keep-models",
    "all",
    "--json",
  );
  assert.equal(code, 0, stderr);
  const { id } = (JSON.parse(stdout) as TrainJson).runs[0];
  record = await readJson<RunRecord>(join(cwd, ".archlab", "runs", `${id}.json`));
});
after(() => rm(cwd, { recursive: true, force: true }));

test("an exported model, loaded by stock tf.loadLayersModel in a fresh process, reproduces the run: same accuracy, same mistakes", async () => {
  const { code, stdout, stderr } = archlab("export", record.id, "exported");
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Exported TinyCNN .* model\.json, weights\.bin, README\.md/);
  const readme = await readFile(join(cwd, "exported", "README.md"), "utf8");
  assert.match(readme, /shape `\[batch, 28, 28, 1\]`/);
  assert.match(readme, /centred by its centre of mass/);
  assert.match(
    readme,
    new RegExp(`Test accuracy: ${(record.results!.testAccuracy * 100).toFixed(2)}% on 10000 test images`),
  );
  const fresh = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO, "test/fixtures/scripts/load-exported.ts"),
      join(cwd, "exported"),
      record.backend.name,
    ],
    {
      cwd: REPO,
      encoding: "utf8",
    },
  );
  assert.equal(fresh.status, 0, fresh.stderr);
  const result = JSON.parse(fresh.stdout) as LoadedExport;
  assert.equal(result.backend, record.backend.name);
  assert.ok(record.results!.misclassified.length > 50);
  assert.equal(result.accuracy, record.results!.testAccuracy);
  assert.deepEqual(result.misclassified, record.results!.misclassified);
});

test("export refuses a folder that already holds a model, and names a run that does not exist", () => {
  const again = archlab("export", record.id, "exported");
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds model\.json.*export into an empty folder/);
  const missing = archlab("export", "no-such-run", "x");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No run "no-such-run"/);
});

test("predict on test images by index gives the predictions the run recorded", () => {
  const [index, label, predicted] = record.results!.misclassified[0];
  const wrong = archlab("predict", "tinycnn", String(index), "--json");
  assert.equal(wrong.code, 0, wrong.stderr);
  const result = JSON.parse(wrong.stdout) as PredictJson;
  assert.equal(result.label, label);
  assert.equal(result.prediction, predicted);
  assert.equal(result.top.length, 3);
  const right = archlab("predict", record.id, "0");
  assert.equal(right.code, 0, right.stderr);
  assert.match(right.stdout, /prediction: 7 \(label: 7, correct\)/);
  assert.match(right.stdout, /^ {2}7 +\d+\.\d\d%/m);
});

/** An 8-bit grey PNG, as image editors write it (one IDAT, filter 0 on every row). */
function png(width: number, height: number, grey: (x: number, y: number) => number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0);
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = grey(x, y);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("predict reads a PNG or PGM picture, dark ink on light paper at any size, and classifies it as the test image it shows", async () => {
  const { test: split } = await loadDataset("mnist");
  const ink = (i: number, x: number, y: number) => split.images[i * 784 + Math.floor(y / 5) * 28 + Math.floor(x / 5)];
  const confident = [0, 1, 2, 3, 4].find((i) => !record.results!.misclassified.some(([m]) => m === i))!;
  await writeFile(
    join(cwd, "digit.png"),
    png(140, 140, (x, y) => Math.round(255 * (1 - ink(confident, x, y)))),
  );
  const pgmPixels = Buffer.from(
    Array.from({ length: 28 * 28 }, (_, p) => Math.round(255 * split.images[confident * 784 + p])),
  );
  await writeFile(join(cwd, "digit.pgm"), Buffer.concat([Buffer.from("P5\n# a test digit\n28 28\n255\n"), pgmPixels]));
  const expected = (JSON.parse(archlab("predict", record.id, String(confident), "--json").stdout) as PredictJson)
    .prediction;
  assert.equal(expected, split.labels[confident]);
  for (const file of ["digit.png", "digit.pgm"]) {
    const { code, stdout, stderr } = archlab("predict", record.id, file, "--json");
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as PredictJson).prediction, expected, file);
  }
  await writeFile(join(cwd, "not-an-image.png"), "hello");
  const bad = archlab("predict", record.id, "not-an-image.png");
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /neither a PNG nor a PGM image/);
});

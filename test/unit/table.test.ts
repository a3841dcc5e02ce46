// The study's results table in the three formats users copy it in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { resultsTable } from "../../src/engine/runs/table";
import type { RunRecord } from "../../src/engine/types";
import { modelSummary, runRecord, runResults } from "../support/records";

function run(model: string, params: number, accuracy: number, loss: number, seconds: number): RunRecord {
  return runRecord({
    id: `20261125-040000-000-${model.toLowerCase()}-0000`,
    model,
    file: "examples/mnist.model.ts",
    backend: { name: "wasm", version: "4.22.0", threads: 2 },
    epochs: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, loss: 0.1, acc: 0.9, seconds: 1 })),
    summary: modelSummary(model, params),
    results: runResults(accuracy, loss, seconds),
  });
}

const study = [run("MLP", 25450, 0.9596, 0.1372, 12.34), run("StrongCNN", 467818, 0.9909, 0.0281, 845.06)];
const failed: RunRecord = {
  ...run("Broken", 0, 0, 0, 0),
  status: "failed",
  summary: undefined,
  results: undefined,
  epochs: [],
};

test("text: aligned columns with thousands separators, percentages and seconds", () => {
  const lines = resultsTable([...study, failed], "text")
    .trimEnd()
    .split("\n");
  assert.deepEqual(lines, [
    "Model       Params  Test accuracy  Loss  Learning time  Backend",
    "---------  -------  -------------  ----  -------------  ---------------------",
    "MLP         25,450         95.96%  0.14         12.3 s  tfjs-wasm (2 threads)",
    "StrongCNN  467,818         99.09%  0.03        845.1 s  tfjs-wasm (2 threads)",
    "Broken           -         failed     -              -  tfjs-wasm (2 threads)",
  ]);
});

test("markdown: a table with right-aligned number columns", () => {
  const lines = resultsTable(study, "markdown").trimEnd().split("\n");
  assert.equal(lines[0], "| Model | Params | Test accuracy | Loss | Learning time | Backend |");
  assert.equal(lines[1], "| --- | ---: | ---: | ---: | ---: | --- |");
  assert.equal(lines[3], "| StrongCNN | 467,818 | 99.09% | 0.03 | 845.1 s | tfjs-wasm (2 threads) |");
});

test("csv: plain numbers plus file, status, epochs, start and run id", () => {
  const lines = resultsTable([study[0], { ...failed, model: 'Needs, "quotes"' }], "csv")
    .trimEnd()
    .split("\n");
  assert.equal(
    lines[0],
    "Model,Params,Test accuracy (%),Loss,Learning time (s),Backend,File,Status,Epochs,Started,Run id,Name,Starred,Note,Continued from,From epoch",
  );
  assert.equal(
    lines[1],
    "MLP,25450,95.96,0.1372,12.34,tfjs-wasm (2 threads),examples/mnist.model.ts,completed,5,2026-11-25T04:00:00.000Z,20261125-040000-000-mlp-0000,,,,,",
  );
  assert.match(lines[2], /^"Needs, ""quotes""",,,,,tfjs-wasm \(2 threads\),examples\/mnist.model.ts,failed,0,/);
});

test("a run's name, star and note are in every format", () => {
  const named: RunRecord = {
    ...study[1],
    annotations: { name: "baseline", starred: true, note: "Dropout 0.25.\nKeep." },
  };
  const markdown = resultsTable([study[0], named], "markdown").trimEnd().split("\n");
  assert.equal(markdown[0], "| Model | Params | Test accuracy | Loss | Learning time | Backend | Note |");
  assert.equal(markdown[2], "| MLP | 25,450 | 95.96% | 0.14 | 12.3 s | tfjs-wasm (2 threads) |  |");
  assert.equal(
    markdown[3],
    "| ★ baseline (StrongCNN) | 467,818 | 99.09% | 0.03 | 845.1 s | tfjs-wasm (2 threads) | Dropout 0.25. / Keep. |",
  );
  const text = resultsTable([named], "text").split("\n");
  assert.match(text[0], /^Model\s+Params.*Backend\s+Note$/);
  assert.match(text[2], /^★ baseline \(StrongCNN\)\s+467,818 .* Dropout 0\.25\. \/ Keep\.$/);
  const csv = resultsTable([named], "csv").trimEnd();
  assert.match(csv, /^StrongCNN,467818,.*,baseline,yes,"Dropout 0\.25\.\nKeep\.",,$/m);
  assert.equal(
    resultsTable(study, "markdown").split("\n")[0].includes("Note"),
    false,
    "no Note column when no run has a note",
  );
});

test("a continued run names the run it went on from and the epoch, in every format", () => {
  const parent = study[0];
  const continued: RunRecord = {
    ...run("MLP", 25450, 0.9712, 0.0951, 4.1),
    id: "20261125-050000-000-mlp-7c1e",
    parent: { id: parent.id, epochs: 5 },
  };
  const text = resultsTable([parent, continued], "text").split("\n");
  assert.match(text[2], /^MLP\s+25,450\s+95\.96%/);
  assert.match(text[3], /^MLP \(continued from …0000 at epoch 5\)\s+25,450\s+97\.12%/);
  const csv = resultsTable([continued], "csv").trimEnd().split("\n");
  assert.match(csv[1], /,20261125-040000-000-mlp-0000,5$/);
});

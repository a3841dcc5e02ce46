// What the lenses above architectures say, from symbols, the file's inspection and its runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelSummary, RunRecord } from "../../src/engine/types";
import { modelSummary, runRecord, runResults } from "../support/records";
import type { InspectReport } from "../../src/engine/models";
import {
  computeLenses,
  describeResult,
  formatMacs,
  type ArchitectureState,
  type LensInput,
} from "../../src/extension/codelens/lenses";
import { Commands } from "../../src/extension/constants";

const FILE = "/w/mnist.model.ts";

function summary(name: string, params: number, macs: number, hash: string): ModelSummary {
  return modelSummary(name, params, { macs, architectureHash: hash });
}

const report: InspectReport = {
  file: FILE,
  sha256: "abc",
  models: [
    { name: "MLP", summary: summary("MLP", 25_450, 25_408, "h-mlp") },
    { name: "TinyCNN", summary: summary("TinyCNN", 4_266, 427_000, "h-tiny") },
    { name: "Broken", error: { message: "Negative dimension size\nat line 2" } },
  ],
  skipped: [{ name: "helper", reason: "takes arguments" }],
};

const symbols = [
  { name: "conv", line: 5 },
  { name: "MLP", line: 19 },
  { name: "TinyCNN", line: 30 },
  { name: "Broken", line: 40 },
];

function run(
  model: string,
  accuracy: number,
  seconds: number,
  hash: string,
  status: RunRecord["status"] = "completed",
): RunRecord {
  return runRecord({
    id: `r-${model}`,
    model,
    backend: { name: "wasm", version: "4.22.0" },
    status,
    summary: summary(model, 0, 0, hash),
    results: status === "completed" ? runResults(accuracy, 0.06, seconds) : undefined,
    error: status === "failed" ? { message: "The trainer process was killed (SIGKILL).", exitCode: 137 } : undefined,
  });
}

function lenses(states: Record<string, ArchitectureState> = {}, extra: Partial<LensInput> = {}) {
  return computeLenses({ file: FILE, symbols, report, state: (m) => states[m] ?? {}, ...extra });
}

const titlesAt = (all: ReturnType<typeof lenses>, line: number) =>
  all.filter((l) => l.line === line).map((l) => l.title);

test("an untrained architecture offers Train, Quick run and its size", () => {
  const all = lenses();
  assert.deepEqual(titlesAt(all, 30), ["$(play) Train", "Quick run", "4,266 params · 0.4 M MACs"]);
  const train = all.find((l) => l.line === 30 && l.command === Commands.trainModel);
  assert.deepEqual(train?.args, [{ file: FILE, model: "TinyCNN" }]);
  assert.deepEqual(titlesAt(all, 5), [], "helpers that are not architectures get no lens");
});

test("a trained architecture shows its latest result, and `changed` once its topology differs", () => {
  const same = lenses({ TinyCNN: { latest: run("TinyCNN", 0.9796, 12.34, "h-tiny") } });
  assert.equal(titlesAt(same, 30)[3], "97.96% · 12.3 s");
  const edited = lenses({ TinyCNN: { latest: run("TinyCNN", 0.9796, 12.34, "h-old") } });
  assert.equal(titlesAt(edited, 30)[3], "97.96% · 12.3 s · changed");
});

test("while training, the lens offers Stop and shows the progress", () => {
  const progress = { model: "MLP", epoch: 2, epochs: 5, batch: 100, batchesPerEpoch: 938, elapsedMs: 60_000 };
  const all = lenses({
    MLP: { latest: run("MLP", 0.95, 3, "h-mlp"), training: { runId: "r9", progress, queued: false } },
  });
  const titles = titlesAt(all, 19);
  assert.equal(titles[0], "$(debug-stop) Stop");
  assert.match(titles[1], /^MLP · epoch 2\/5 · batch 100\/938 · ETA /);
  assert.ok(!titles.some((t) => t.includes("Train")));
  assert.ok(!titles.some((t) => t.includes("95.00%")), "the old result is hidden while a new run trains");
  assert.deepEqual(all.find((l) => l.command === Commands.stopRun)?.args, ["r9"]);
  const queued = lenses({ MLP: { training: { queued: true } } });
  assert.deepEqual(titlesAt(queued, 19).slice(0, 2), ["$(debug-stop) Stop", "queued"]);
});

test("an architecture that fails to build says why", () => {
  const titles = titlesAt(lenses(), 40);
  assert.equal(titles.at(-1), "$(error) Negative dimension size");
});

test("a file that cannot be loaded gets one lens at the error line", () => {
  const all = lenses(
    {},
    { report: undefined, fileError: { message: 'mnist.model.ts:12:3: Expected ")" but found "}"', line: 12 } },
  );
  assert.deepEqual(all, [
    { line: 11, title: '$(error) Model file error: mnist.model.ts:12:3: Expected ")" but found "}"' },
  ]);
});

test("failed, cancelled and interrupted runs say so", () => {
  assert.equal(
    describeResult(run("MLP", 0, 0, "h", "failed"), "h"),
    "last run failed: The trainer process was killed (SIGKILL).",
  );
  assert.equal(describeResult(run("MLP", 0, 0, "h", "interrupted"), "h"), "last run interrupted");
  assert.equal(describeResult(undefined, "h"), undefined);
});

test("MACs read in K, M or G", () => {
  assert.equal(formatMacs(25_408), "25.4 K");
  assert.equal(formatMacs(427_000), "0.4 M");
  assert.equal(formatMacs(12_300_000), "12.3 M");
  assert.equal(formatMacs(2_500_000_000), "2.5 G");
});

test("an architecture that takes hp with a sweep spec gets a Sweep lens; while it sweeps, Stop sweep", () => {
  const swept: InspectReport = {
    ...report,
    models: [
      {
        name: "Net",
        summary: summary("Net", 4_266, 427_000, "h-net"),
        hyperparameters: { filters: 4 },
        sweepable: true,
      },
      {
        name: "Fixed",
        summary: summary("Fixed", 25_450, 25_408, "h-fixed"),
        hyperparameters: { filters: 4 },
        sweepable: false,
      },
    ],
  };
  const at = [
    { name: "Net", line: 3 },
    { name: "Fixed", line: 20 },
  ];
  const idle = computeLenses({ file: FILE, symbols: at, report: swept, state: () => ({}) });
  const sweepLenses = idle.filter((l) => l.command === Commands.sweepModel);
  assert.deepEqual(sweepLenses, [
    { line: 3, title: "$(beaker) Sweep", command: Commands.sweepModel, args: [{ file: FILE, model: "Net" }] },
  ]);

  const sweeping = computeLenses({
    file: FILE,
    symbols: at,
    report: swept,
    state: (model): ArchitectureState =>
      model === "Net" ? { sweep: { trials: 6 }, latest: run("Net", 0.9, 3, "h-net") } : {},
  });
  const net = sweeping.filter((l) => l.line === 3).map((l) => l.title);
  assert.deepEqual(net, ["$(debug-stop) Stop sweep", "sweep of 6 trials running", "4,266 params · 0.4 M MACs"]);
  assert.deepEqual(sweeping.find((l) => l.title.includes("Stop sweep"))?.args, [{ file: FILE, model: "Net" }]);
  assert.equal(sweeping.find((l) => l.title.includes("Stop sweep"))?.command, Commands.stopSweep);
});

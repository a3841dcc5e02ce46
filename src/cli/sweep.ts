// `archlab sweep`: plans a sweep over an architecture's search space (or resumes one), runs its
// trials in child processes or through a queue, and prints the trials sorted by the metric with
// the Pareto answer.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ChildTrialRunner } from "../engine/sweep/child-runner";
import { runSweep, type TrialRunner } from "../engine/sweep/controller";
import { planSweep } from "../engine/sweep/plan";
import { queueRunnerOrFallback } from "../engine/sweep/queue/choose";
import { paretoSummary, sweepTable } from "../engine/sweep/report";
import { SweepStore } from "../engine/sweep/store";
import type { SweepRecord } from "../engine/sweep/types";
import type { BackendPreference } from "../engine/types";
import { trainingOverrides } from "./options";
import { EXIT, shownPath, UsageError } from "./output";
import { cliStore, repairOrphanedRuns } from "./runs-folder";
import { SweepProgress } from "./sweep-progress";

/** What `archlab sweep --json` prints. */
export interface SweepJson {
  sweepsDir: string;
  runsDir: string;
  sweep: SweepRecord;
}

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export interface SweepOptions {
  model?: string[];
  method?: string;
  trials?: number;
  epochs?: number;
  parallel?: number;
  queue?: string;
  fallback: boolean;
  resume?: string;
  json?: boolean;
  dataset?: string;
  fashionMnistDir?: string;
  backend: BackendPreference;
  threads?: number;
  limit?: number;
  testLimit?: number;
  seed?: number;
  runsDir?: string;
}

export async function sweepCommand(file: string | undefined, options: SweepOptions): Promise<number> {
  const root = process.cwd();
  const runs = cliStore(options.runsDir);
  const sweeps = new SweepStore(root);
  if (options.model && options.model.length > 1)
    throw new UsageError("a sweep explores one architecture: give one --model");
  let sweep: SweepRecord;
  if (options.resume) {
    sweep = await sweeps.get(options.resume).catch((err: Error) => {
      throw new UsageError(err.message);
    });
    file = file ?? resolve(root, sweep.file);
  } else {
    if (!file) throw new UsageError("give the model file to sweep, or --resume ID");
    if (!existsSync(file)) throw new UsageError(`no such model file: ${file}`);
    const planned = await planSweep(
      {
        file,
        model: options.model?.[0],
        method: options.method,
        trials: options.trials,
        epochs: options.epochs,
        overrides: trainingOverrides({
          dataset: options.dataset,
          limit: options.limit,
          testLimit: options.testLimit,
          seed: options.seed,
        }),
        storeRoot: root,
      },
      (model) => sweeps.newId(model),
      "local",
    );
    sweep = planned.record;
  }
  if (!existsSync(file)) throw new UsageError(`no such model file: ${file}`);
  const env = {
    backend: options.backend,
    threads: options.threads,
    storeRoot: runs.root,
    runsDir: runs.runsDir,
    datasetOptions: { fashionMnistDir: options.fashionMnistDir },
  };
  const progress = new SweepProgress(sweep, Boolean(process.stderr.isTTY) && !options.json);
  await repairOrphanedRuns(runs, (line) => progress.line(line));
  const local = () =>
    new ChildTrialRunner({ trainerPath: join(__dirname, "trainer.js"), concurrency: options.parallel ?? 1, env });
  let runner: TrialRunner = local();
  if (options.queue) {
    runner = await queueRunnerOrFallback(options.queue, {
      sweep,
      file: resolve(file),
      runs,
      fallback: options.fallback,
      parallel: options.parallel,
      local,
      unreachable: (err) =>
        progress.line(`archlab: ${err.message}. Running the trials here instead (--no-fallback to stop instead).`),
    });
  }
  sweep.ranOn = runner instanceof ChildTrialRunner ? "local" : sweep.ranOn;
  const { spec } = sweep;
  progress.line(
    `Sweep ${sweep.id}: ${sweep.model}, ${spec.method}, ${sweep.trials.length} trials of up to ${spec.epochs} epochs, ` +
      `${spec.metric} (${spec.goal}), ${runner.concurrency} at a time on ${sweep.ranOn}`,
  );

  const controller = new AbortController();
  const onInterrupt = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progress.stop();
      process.exit(EXIT.cancelled);
    }
    progress.line(
      `${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping the running trials (again to quit at once); resume with archlab sweep --resume ${sweep.id}`,
    );
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onInterrupt);
  try {
    await runSweep(sweep, {
      sweeps,
      runs,
      runner,
      file: resolve(file),
      signal: controller.signal,
      stoppedAs: () => "interrupted",
      listener: {
        trialStarted: (trial) => progress.started(trial),
        trialEvent: (trial, event) => progress.event(trial, event),
        trialEnded: (trial) => progress.ended(trial),
      },
    });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onInterrupt);
    progress.stop();
    await runner.close();
  }

  if (options.json) {
    const json: SweepJson = { sweepsDir: sweeps.dir, runsDir: runs.runsDir, sweep };
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
  } else {
    process.stdout.write("\n" + sweepTable(sweep) + "\n" + paretoSummary(sweep));
    process.stdout.write(
      `\nSweep record: ${shownPath(join(sweeps.dir, sweep.id + ".json"))}; run records: ${shownPath(runs.runsDir)}\n`,
    );
    if (sweep.status !== "completed") process.stdout.write(`Resume with: archlab sweep --resume ${sweep.id}\n`);
  }
  if (sweep.status !== "completed") return EXIT.cancelled;
  return sweep.trials.some((t) => t.status === "completed") ? EXIT.ok : EXIT.failed;
}

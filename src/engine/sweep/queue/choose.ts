// A sweep pointed at a queue: trials through BullMQ when its Redis answers; otherwise the reason,
// and (when the caller allows it) the same trials run here. The CLI and the extension share it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { RunStore } from "../../runs/store";
import type { TrialRunner } from "../controller";
import type { SweepRecord } from "../types";
import { checkReachable, shownQueueUrl } from "./connection";
import { QueueTrialRunner } from "./runner";

export interface QueueChoice {
  sweep: SweepRecord;
  file: string;
  runs: RunStore;
  /** Run the trials here when Redis cannot be reached; otherwise the reason is thrown. */
  fallback: boolean;
  /** Trials on the queue at once; all of them when absent. */
  parallel?: number;
  local(): TrialRunner;
  /** Told why the queue cannot be used, before the trials fall back to `local`. */
  unreachable(error: Error): void;
}

export async function queueRunnerOrFallback(url: string, choice: QueueChoice): Promise<TrialRunner> {
  try {
    await checkReachable(url);
  } catch (err) {
    if (!choice.fallback) throw err;
    choice.unreachable(err as Error);
    return choice.local();
  }
  const text = await readFile(choice.file, "utf8");
  choice.sweep.ranOn = shownQueueUrl(url);
  return new QueueTrialRunner({
    url,
    runs: choice.runs,
    source: { text, sha256: createHash("sha256").update(text).digest("hex") },
    file: choice.sweep.file,
    concurrency: choice.parallel ?? choice.sweep.trials.length,
  });
}

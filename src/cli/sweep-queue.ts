// `archlab sweep --queue URL`: trials through BullMQ when Redis answers; otherwise a clear message
// and, unless --no-fallback, the same trials run here.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RunStore } from '../engine/runs/store';
import type { TrialRunner } from '../engine/sweep/controller';
import { checkReachable, shownQueueUrl } from '../engine/sweep/queue/connection';
import { QueueTrialRunner } from '../engine/sweep/queue/runner';
import type { SweepRecord } from '../engine/sweep/types';

export interface QueueChoice {
  sweep: SweepRecord;
  file: string;
  runs: RunStore;
  fallback: boolean;
  /** Trials on the queue at once; all of them when absent. */
  parallel?: number;
  local(): TrialRunner;
  say(text: string): void;
}

export async function queueRunnerOrFallback(url: string, choice: QueueChoice): Promise<TrialRunner> {
  try {
    await checkReachable(url);
  } catch (err) {
    if (!choice.fallback) throw err;
    choice.say(`archlab: ${(err as Error).message}. Running the trials here instead (--no-fallback to stop instead).`);
    return choice.local();
  }
  const text = await readFile(choice.file, 'utf8');
  choice.sweep.ranOn = shownQueueUrl(url);
  return new QueueTrialRunner({
    url,
    runs: choice.runs,
    source: { text, sha256: createHash('sha256').update(text).digest('hex') },
    file: choice.sweep.file,
    concurrency: choice.parallel ?? choice.sweep.trials.length,
  });
}

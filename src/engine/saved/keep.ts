// The archlab.keepModels policy, applied when a run ends: which runs of the same architecture
// (by the fingerprint the panel groups by) keep their trained model.
import { rm } from "node:fs/promises";
import type { RunStore } from "../runs/store";
import type { KeepModels, RunRecord } from "../types";

/**
 * Drops the saved models the policy does not keep: the finished run's own (in the record, which the
 * caller saves) and those of earlier runs of its architecture (their records are updated). Runs
 * still going are left alone: they are decided when they end.
 */
export async function applyKeepPolicy(store: RunStore, record: RunRecord, keep: KeepModels): Promise<void> {
  if (!record.savedModel) return;
  if (keep === "none" || record.status === "failed") {
    await dropOwn(store, record);
    return;
  }
  if (keep === "all") return;
  const key = architectureKey(record);
  const { records } = await store.list();
  const others = records.filter(
    (r) => r.id !== record.id && r.savedModel && r.status !== "running" && architectureKey(r) === key,
  );
  const keeper = [record, ...others].reduce((a, b) => (prefer(keep, b, a) ? b : a));
  for (const other of others) if (other !== keeper) await store.deleteSavedModel(other.id);
  if (keeper !== record) await dropOwn(store, record);
}

function architectureKey(record: RunRecord): string {
  return record.summary?.architectureHash ?? `${record.file}#${record.model}`;
}

/** Whether `a` should be kept rather than `b`; ties go to the newer run. */
function prefer(keep: "best" | "latest", a: RunRecord, b: RunRecord): boolean {
  if (keep === "best") {
    const [sa, sb] = [score(a), score(b)];
    if (sa !== sb) return sa > sb;
  }
  return a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.id > b.id);
}

/** Test accuracy, else (a cancelled run) its last validation accuracy. */
function score(record: RunRecord): number {
  return record.results?.testAccuracy ?? record.epochs.at(-1)?.valAcc ?? -Infinity;
}

async function dropOwn(store: RunStore, record: RunRecord): Promise<void> {
  await rm(store.modelDir(record.id), { recursive: true, force: true });
  delete record.savedModel;
}

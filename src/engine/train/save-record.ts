// Writing a run's record without losing the run: a record that cannot be written (a full disk, a
// folder without write permission) is reported and the run goes on, its results kept in memory
// for the caller to print. A record that cannot be finished is removed rather than left `running`.
import { StoreWriteError } from "../runs/write-error";
import type { RunRecord } from "../types";
import type { RunContext } from "./run-model";

export async function saveRecord(ctx: RunContext, record: RunRecord): Promise<void> {
  try {
    await ctx.store.save(record);
  } catch (err) {
    if (!(err instanceof StoreWriteError)) throw err;
    if (record.status !== "running") await ctx.store.delete(record.id).catch(() => undefined);
    ctx.onStoreError?.(err, record);
  }
}

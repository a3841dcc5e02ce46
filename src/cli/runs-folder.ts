// The CLI's runs folder: checked before anything runs, and repaired of runs whose process died.
import { statSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { closeOrphanedRuns } from "../engine/runs/interrupted";
import { RunStore } from "../engine/runs/store";
import { UsageError } from "./output";

/** The store for `--runs-dir` (default <cwd>/.archlab/runs); a path that cannot be a folder is a usage error. */
export function cliStore(runsDir: string | undefined): RunStore {
  if (runsDir !== undefined && runsDir.trim() === "")
    throw new UsageError("--runs-dir needs a folder, not an empty string");
  const store = new RunStore(process.cwd(), runsDir === undefined ? undefined : resolve(runsDir));
  for (let dir = store.runsDir; ; dir = resolve(dir, "..")) {
    const stat = statOrNothing(dir);
    if (stat && !stat.isDirectory()) {
      throw new UsageError(
        `the runs folder ${store.runsDir} cannot be made: ${dir} is a file (remove it, or choose another folder with --runs-dir)`,
      );
    }
    if (stat || dir === resolve(dir, "..")) return store;
  }
}

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    // Under a file: what is in the way is found further up.
    if ((err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw err;
  }
}

/** Marks runs left `running` by a process that is gone as interrupted, and says so. */
export async function repairOrphanedRuns(store: RunStore, say: (line: string) => void): Promise<void> {
  const { records } = await store.list();
  for (const record of await closeOrphanedRuns(store, records)) {
    say(`Marked run ${record.id} (${record.model}) as interrupted: ${record.error?.message}`);
  }
}

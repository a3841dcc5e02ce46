// Watches the records of a folder that may not exist yet: `.archlab/runs` before the first run, a
// runs folder set elsewhere, `.archlab/sweeps` before the first sweep. A watcher of a missing folder
// cannot be relied on: some VS Code versions never start it once the folder appears, others poll
// for it every 5 s and miss what was written meanwhile, and outside the workspace nothing else
// reports those files. So the nearest folder that exists is watched for the next one down, and
// the records already in the folder are read when it appears. No `vscode` import: the watcher is
// injected, so tests need no VS Code.
import { existsSync } from "node:fs";
import { basename, dirname, relative, sep } from "node:path";

/**
 * VS Code starts a watcher asynchronously (in a remote window, after a round trip to the server):
 * records written in that time, such as the last one of a short run, are read by a second look.
 */
export const WATCHER_START_MS = 2000;

export interface Disposable {
  dispose(): void;
}

/**
 * Calls `listener` with the path of every file or folder directly in `base` whose name matches the
 * glob `pattern` when it is created, changed or deleted (vscodeWatch is VS Code's).
 */
export type Watch = (base: string, pattern: string, listener: (path: string) => void) => Disposable;

export interface FolderEvents {
  /** A record (`*.json`) in the folder was created, changed or deleted. */
  record(path: string): void;
  /**
   * The folder exists now but did not when last looked at: records may be in it already. Called
   * again WATCHER_START_MS later, for records written before the folder's watcher started.
   */
  appeared(): void;
}

export function watchFolder(folder: string, watch: Watch, events: FolderEvents): Disposable {
  let watchers: Disposable[] = [];
  let armedFor: string | undefined;
  let present = existsSync(folder);
  let disposed = false;
  let lookAgain: NodeJS.Timeout | undefined;

  const arm = (): void => {
    if (disposed) return;
    const base = nearestExisting(folder);
    if (base === armedFor) return;
    armedFor = base;
    for (const watcher of watchers) watcher.dispose();
    clearTimeout(lookAgain);
    if (base === folder) {
      // The parent too, so that a folder deleted and made again (rm -rf .archlab) is followed.
      watchers = [
        watch(folder, "*.json", (path) => events.record(path)),
        watch(dirname(folder), basename(folder), arm),
      ];
    } else {
      watchers = [watch(base, relative(base, folder).split(sep)[0], arm)];
    }
    const appeared = base === folder && !present;
    present = base === folder;
    if (!appeared) return;
    events.appeared();
    lookAgain = setTimeout(() => events.appeared(), WATCHER_START_MS);
  };

  arm();
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(lookAgain);
      for (const watcher of watchers) watcher.dispose();
    },
  };
}

/** `folder` or the closest of its ancestors that exists. */
function nearestExisting(folder: string): string {
  let path = folder;
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  return path;
}

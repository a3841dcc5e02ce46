// One promise per key, shared by every caller while it is pending or fulfilled. A rejected one is
// forgotten, so that the next call tries again (a dataset that failed to download, a backend that
// failed to start) instead of failing for the rest of the process.
export function sharedPromise<T>(cache: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = start();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

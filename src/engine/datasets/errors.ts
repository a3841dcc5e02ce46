/** A dataset that cannot be found, read, downloaded or trusted. The message names the file. */
export class DatasetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatasetError";
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new DatasetError(`${what} cancelled`);
}

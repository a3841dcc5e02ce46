// A run record that could not be written: which file, why, and what the user can do about it.

const CAUSES: Record<string, { cause: string; advice: string }> = {
  ENOSPC: { cause: "the disk is full", advice: "free some disk space" },
  EDQUOT: { cause: "the disk quota is exceeded", advice: "free some space in your quota" },
  EACCES: { cause: "permission denied", advice: "check the folder's permissions" },
  EPERM: { cause: "operation not permitted", advice: "check the folder's permissions" },
  EROFS: { cause: "the file system is read-only", advice: "use a writable folder" },
  ENOTDIR: { cause: "a part of the path is a file, not a folder", advice: "remove that file or use another folder" },
  EEXIST: { cause: "a file is in the way of the folder", advice: "remove that file or use another folder" },
};

export class StoreWriteError extends Error {
  readonly code: string | undefined;
  private readonly problem: string;
  private readonly advice: string;

  constructor(
    readonly path: string,
    err: unknown,
    what: "record" | "folder",
  ) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    const known = code ? CAUSES[code] : undefined;
    const cause = known ? `${known.cause} (${code})` : err instanceof Error ? err.message : String(err);
    const advice = known?.advice ?? "check the folder";
    const problem = `Could not write the run ${what === "record" ? "record" : "records folder"} ${path}: ${cause}.`;
    super(`${problem} To keep records, ${advice}.`);
    this.name = "StoreWriteError";
    this.code = code;
    this.problem = problem;
    this.advice = advice;
  }

  /** The message with the caller's own way out, e.g. "choose another folder with --runs-dir". */
  withAlternative(alternative: string): string {
    return `${this.problem} To keep records, ${this.advice}, or ${alternative}.`;
  }
}

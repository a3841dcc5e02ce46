// How the CLI reports: results and JSON on stdout, messages and errors on stderr, one line each.
import { isAbsolute, relative } from "node:path";
import type { RunError } from "../engine/types";

/** A problem with the command line itself: exit code 2. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export function printError(message: string): void {
  process.stderr.write(`archlab: ${message}\n`);
}

/** Model-file errors already start with file:line:column, the form editors and terminals link. */
export function errorLine(error: RunError, model?: string): string {
  if (error.file) return error.message;
  return model ? `archlab: ${model}: ${error.message}` : `archlab: ${error.message}`;
}

/** A path as the user would type it from the working directory. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** Exits once everything written to stdout has been handed to the OS (large JSON on a pipe). */
export function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

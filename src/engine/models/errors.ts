import * as path from "node:path";
import type { RunError } from "../types";

/**
 * A problem in a model file. `line` and `column` are 1-based, as editors and compilers print them;
 * the message already starts with `file:line:column` so it can be shown as is.
 */
export class ModelFileError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;

  constructor(reason: string, file: string, line?: number, column?: number) {
    super(`${displayLocation(file, line, column)}: ${reason}`);
    this.name = "ModelFileError";
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

function displayLocation(file: string, line?: number, column?: number): string {
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
  if (line === undefined) return shown;
  return column === undefined ? `${shown}:${line}` : `${shown}:${line}:${column}`;
}

/** The error as a run record stores it, keeping the source location when there is one. */
export function toRunError(err: unknown): RunError {
  if (err instanceof ModelFileError) {
    return { message: err.message, file: err.file, line: err.line, column: err.column };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

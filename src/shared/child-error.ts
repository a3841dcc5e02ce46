import { constants } from "node:os";
import type { RunError } from "../engine/types";

/** A trainer child failed: it crashed, was killed, or reported that its request failed. */
export class ChildProcessError extends Error {
  constructor(
    message: string,
    readonly stderr = "",
    readonly exitCode: number | null = null,
    readonly location?: { file: string; line?: number; column?: number },
  ) {
    super(message);
    this.name = "ChildProcessError";
  }

  static fromRunError(error: RunError): ChildProcessError {
    const location = error.file ? { file: error.file, line: error.line, column: error.column } : undefined;
    return new ChildProcessError(error.message, error.stderr, error.exitCode ?? null, location);
  }

  toRunError(): RunError {
    return { message: this.message, stderr: this.stderr || undefined, exitCode: this.exitCode, ...this.location };
  }
}

/** Shells report a signal death as 128 + the signal number; users recognise 137 for SIGKILL. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number | null {
  return code ?? (signal ? 128 + constants.signals[signal] : null);
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `The trainer process was killed (${signal}).`;
  return `The trainer process exited unexpectedly with code ${code}.`;
}

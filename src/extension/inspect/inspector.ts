// Inspections of model files (params, MACs, layers, errors), each done in a child process and
// cached by the file's content hash, so lenses refresh when a file is saved and never otherwise.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { InspectReport } from "../../engine/models";
import { ChildProcessError } from "../../shared/child-error";

export interface Inspection {
  sha256: string;
  report?: InspectReport;
  error?: ChildProcessError;
}

/** Inspects `file` as it is on disk, or as `content` when given (an editor's unsaved text). */
export type InspectRunner = (
  file: string,
  content?: string,
) => Promise<{ report?: InspectReport; error?: ChildProcessError }>;

export class Inspector {
  private readonly latest = new Map<string, Inspection>();
  private readonly pending = new Map<string, { sha256: string; promise: Promise<Inspection> }>();

  constructor(private readonly run: InspectRunner) {}

  /** The last finished inspection of `file`, possibly of an older content. */
  cached(file: string): Inspection | undefined {
    return this.latest.get(file);
  }

  /**
   * Inspects the file as it is on disk, or as `text` (an editor's, saved or not), unless that
   * content was already inspected. A newer request for the file supersedes one in flight.
   */
  async inspect(file: string, text?: string): Promise<Inspection> {
    let content: Buffer | string;
    try {
      content = text ?? (await readFile(file));
    } catch (err) {
      return { sha256: "", error: new ChildProcessError(`Cannot read ${file}: ${(err as Error).message}`) };
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    const known = this.latest.get(file);
    if (known?.sha256 === sha256) return known;
    const inFlight = this.pending.get(file);
    if (inFlight?.sha256 === sha256) return inFlight.promise;
    const promise = this.run(file, text).then((outcome) => {
      const inspection: Inspection = { sha256, ...outcome };
      if (this.pending.get(file)?.promise === promise) {
        this.pending.delete(file);
        this.latest.set(file, inspection);
      }
      return inspection;
    });
    this.pending.set(file, { sha256, promise });
    return promise;
  }

  /** Inspections are kept for display until redone, but none counts as current any more. */
  forgetAll(): void {
    for (const [file, inspection] of this.latest) this.latest.set(file, { ...inspection, sha256: "" });
    this.pending.clear();
  }
}

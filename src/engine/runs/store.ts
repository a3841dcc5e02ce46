// The run store: one versioned JSON record per run in <root>/.archlab/runs. The extension's panel,
// the trainer child and the CLI all read and write runs through this class.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RUN_SCHEMA_VERSION, type RunAnnotations, type RunRecord } from "../types";
import { currentOwner, HEARTBEAT_MS } from "./owner";
import { StoreWriteError } from "./write-error";
import { annotationsProblem, checkRecord, mergeAnnotations } from "./validate";

const RECORD_EXT = ".json";
// Temp files start with a dot so that a write interrupted before its rename is never listed.
const TEMP_PREFIX = ".tmp-";
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class RunStore {
  readonly runsDir: string;
  /** The last write of each record: writes of one record happen in the order they were asked for. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();
  /** Trained models, one folder per run: kept out of git, unlike the records (see saved/save.ts). */
  readonly modelsDir: string;

  constructor(
    readonly root: string,
    runsDir?: string,
  ) {
    this.runsDir = runsDir ?? join(root, ".archlab", "runs");
    // Always the workspace's own .archlab: a runs folder elsewhere holds records only. Run ids are
    // unique, so stores with different runs folders can share it.
    this.modelsDir = join(root, ".archlab", "models");
  }

  /** The folder of a run's trained model (which may not exist). */
  modelDir(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`Invalid run id "${id}"`);
    return join(this.modelsDir, id);
  }

  /** A sortable, filesystem-safe id, e.g. "20261125-041200-123-tinycnn-3f9a" (UTC time). */
  newRunId(model: string, now = new Date()): string {
    return sortableId(model, now, { millis: true });
  }

  /**
   * Writes the record atomically: a reader sees the old record or the new one, never a torn file.
   * A `running` record gets this process as its owner (stamped on `record`) and, until a save with
   * another status, a heartbeat: it is rewritten every HEARTBEAT_MS so readers can tell it is alive.
   * A record without `annotations` (a trainer's, saved every epoch) keeps those of the record on
   * disk, so a run named or starred while it trains stays so. Fails with a StoreWriteError that
   * names the file.
   */
  async save(record: RunRecord): Promise<void> {
    clearInterval(this.heartbeats.get(record.id));
    this.heartbeats.delete(record.id);
    if (record.status === "running") {
      record.owner = currentOwner();
      const beat = setInterval(() => {
        record.owner = currentOwner();
        // A missed beat is no loss: the next one, or the run's own next save, tries again.
        this.enqueue(record).catch(() => undefined);
      }, HEARTBEAT_MS);
      beat.unref();
      this.heartbeats.set(record.id, beat);
    }
    return this.enqueue(record);
  }

  private async enqueue(record: RunRecord): Promise<void> {
    // The record as it is now: the caller goes on changing it while earlier writes finish.
    const snapshot = JSON.parse(JSON.stringify(record)) as RunRecord;
    const id = record.id;
    const write = (this.writes.get(id) ?? Promise.resolve()).catch(() => undefined).then(() => this.write(snapshot));
    this.writes.set(id, write);
    const forget = () => {
      if (this.writes.get(id) === write) this.writes.delete(id);
    };
    write.then(forget, forget);
    return write;
  }

  private async write(record: RunRecord): Promise<void> {
    const { id } = record;
    const target = this.pathOf(id);
    const kept = record.annotations === undefined ? (await this.get(id))?.annotations : undefined;
    const text = JSON.stringify(
      { ...record, ...(kept && { annotations: kept }), schemaVersion: RUN_SCHEMA_VERSION },
      null,
      1,
    );
    try {
      await mkdir(this.runsDir, { recursive: true });
    } catch (err) {
      throw new StoreWriteError(this.runsDir, err, "folder");
    }
    const temp = join(this.runsDir, `${TEMP_PREFIX}${id}-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      await writeFile(temp, text, "utf8");
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new StoreWriteError(target, err, "record");
    }
  }

  /** Every readable record, newest first; unreadable ones are reported in `warnings`, never thrown. */
  async list(): Promise<{ records: RunRecord[]; warnings: string[] }> {
    let names: string[];
    try {
      names = await readdir(this.runsDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { records: [], warnings: [] };
      if (code === "ENOTDIR")
        throw new Error(`The runs folder ${this.runsDir} is a file, not a folder`, { cause: err });
      throw err;
    }
    const records: RunRecord[] = [];
    const warnings: string[] = [];
    for (const name of names) {
      if (!name.endsWith(RECORD_EXT) || name.startsWith(".")) continue;
      const result = await this.read(join(this.runsDir, name));
      if (typeof result === "string") warnings.push(`Skipped run record ${name}: ${result}`);
      else records.push(result);
    }
    records.sort(newestFirst);
    return { records, warnings };
  }

  /** The record, or undefined when it does not exist or cannot be read. */
  async get(id: string): Promise<RunRecord | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    const result = await this.read(this.pathOf(id));
    return typeof result === "string" ? undefined : result;
  }

  /** Changes a run's name, note or star and saves it; undefined when there is no such record. */
  async annotate(id: string, change: RunAnnotations): Promise<RunRecord | undefined> {
    const problem = annotationsProblem(change);
    if (problem) throw new Error(`Cannot annotate run ${id}: ${problem}`);
    const record = await this.get(id);
    if (!record) return undefined;
    const annotated = { ...record, annotations: mergeAnnotations(record.annotations, change) };
    await this.save(annotated);
    return annotated;
  }

  /** Deletes the record and its trained model. */
  async delete(id: string): Promise<void> {
    clearInterval(this.heartbeats.get(id));
    this.heartbeats.delete(id);
    await this.writes.get(id)?.catch(() => undefined);
    await rm(this.pathOf(id), { force: true });
    await rm(this.modelDir(id), { recursive: true, force: true });
  }

  /** Deletes a run's trained model and says so in its record; the record itself stays. */
  async deleteSavedModel(id: string): Promise<RunRecord | undefined> {
    await rm(this.modelDir(id), { recursive: true, force: true });
    const record = await this.get(id);
    if (record?.savedModel) {
      delete record.savedModel;
      await this.save(record);
    }
    return record;
  }

  private pathOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`Invalid run id "${id}"`);
    return join(this.runsDir, id + RECORD_EXT);
  }

  /** The record, or why it was not usable. */
  private async read(path: string): Promise<RunRecord | string> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === "ENOENT" ? "not found" : `cannot be read (${code ?? String(err)})`;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return `not valid JSON (${(err as Error).message})`;
    }
    return checkRecord(data);
  }
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * A sortable, filesystem-safe id of a model's run or sweep: the UTC time (to the millisecond with
 * `millis`), the model's name as a slug, `tag` if any, and four random hex digits, e.g.
 * "20261125-041200-123-tinycnn-3f9a" or "20261125-041200-tinycnn-sweep-3f9a".
 */
export function sortableId(model: string, now: Date, { millis = false, tag = "" } = {}): string {
  const iso = now.toISOString(); // 2026-11-25T04:12:00.123Z
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  const slug =
    model
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "model";
  return [millis ? `${stamp}-${iso.slice(20, 23)}` : stamp, slug, tag, randomBytes(2).toString("hex")]
    .filter(Boolean)
    .join("-");
}

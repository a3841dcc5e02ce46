// Sweep records: one versioned JSON file per sweep in <root>/.archlab/sweeps, written atomically,
// beside the run records of its trials.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sortableId } from "../runs/store";
import { SWEEP_SCHEMA_VERSION, type SweepRecord } from "./types";

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class SweepStore {
  readonly dir: string;
  // Trials end side by side: writes of one sweep go one after another, so the last one wins.
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly root: string) {
    this.dir = join(root, ".archlab", "sweeps");
  }

  newId(model: string, now = new Date()): string {
    return sortableId(model, now, { tag: "sweep" });
  }

  save(record: SweepRecord): Promise<void> {
    const text = JSON.stringify({ ...record, schemaVersion: SWEEP_SCHEMA_VERSION }, null, 1);
    const write = this.writes.then(async () => {
      await mkdir(this.dir, { recursive: true });
      const temp = join(this.dir, `.tmp-${record.id}-${process.pid}-${randomBytes(4).toString("hex")}`);
      try {
        await writeFile(temp, text, "utf8");
        await rename(temp, this.pathOf(record.id));
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** The record; throws with the reason when it is missing or unusable. */
  async get(id: string): Promise<SweepRecord> {
    if (!SAFE_ID.test(id)) throw new Error(`invalid sweep id "${id}"`);
    let text: string;
    try {
      text = await readFile(this.pathOf(id), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        throw new Error(`no sweep ${id} in ${this.dir}`, { cause: err });
      throw err;
    }
    const checked = checkSweepRecord(JSON.parse(text));
    if (typeof checked === "string") throw new Error(`sweep ${id}: ${checked}`);
    return checked;
  }

  /** Every readable sweep, newest first. */
  async list(): Promise<SweepRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const records: SweepRecord[] = [];
    for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith("."))) {
      try {
        records.push(await this.get(name.slice(0, -5)));
      } catch {
        // An unreadable sweep is left out; its trials' run records still show.
      }
    }
    return records.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

export function checkSweepRecord(data: unknown): SweepRecord | string {
  if (typeof data !== "object" || data === null) return "not a sweep record";
  const record = data as Partial<SweepRecord>;
  if (record.schemaVersion !== SWEEP_SCHEMA_VERSION) {
    return `unknown schema version ${JSON.stringify(record.schemaVersion)} (this ArchLab reads version ${SWEEP_SCHEMA_VERSION})`;
  }
  if (
    typeof record.id !== "string" ||
    typeof record.model !== "string" ||
    !Array.isArray(record.trials) ||
    !record.spec
  ) {
    return "missing id, model, spec or trials";
  }
  return record as SweepRecord;
}

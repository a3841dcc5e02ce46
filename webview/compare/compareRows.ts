// The side-by-side table of two to four runs: one row per fact (config, architecture, results),
// one column per run, and which rows differ between them.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { sweepOf } from "../groups/grouping";
import { epochsText } from "../table/columns";
import { formatBackend, formatInt, formatLoss, formatPercent, formatSeconds, formatStarted } from "../format";

/** More columns would not fit beside each other in a panel. */
export const MAX_COMPARED = 4;

export type CompareSection = "Run" | "Training" | "Architecture" | "Results";

export interface CompareRow {
  section: CompareSection;
  label: string;
  /** One cell per run, '' where the run has no value. */
  cells: string[];
  /** Whether the runs do not all show the same text. */
  differs: boolean;
  /** Columns holding the best value of a result row (several on a tie); empty for other rows. */
  best: number[];
}

type Goal = "max" | "min";

interface Fact {
  section: CompareSection;
  label: string;
  text(run: PanelRun): string;
  /** For results: the number compared, and whether higher or lower is better. */
  value?: (run: PanelRun) => number | undefined;
  goal?: Goal;
}

const orBlank = <T>(value: T | undefined, format: (v: T) => string): string =>
  value === undefined ? "" : format(value);

const validationText = (run: PanelRun): string => {
  const v = run.config.validation;
  return typeof v === "object" ? `${v.split * 100}% of training set` : v;
};

const lastEpoch = (run: PanelRun) => run.epochs[run.epochs.length - 1];

const FACTS: Fact[] = [
  { section: "Run", label: "Name", text: (r) => r.annotations?.name ?? "" },
  { section: "Run", label: "Starred", text: (r) => (r.annotations?.starred ? "★" : "") },
  { section: "Run", label: "Note", text: (r) => r.annotations?.note ?? "" },
  { section: "Run", label: "Model", text: (r) => r.model },
  { section: "Run", label: "File", text: (r) => r.file },
  { section: "Run", label: "Status", text: (r) => r.status },
  { section: "Run", label: "Started", text: (r) => formatStarted(r.startedAt) },
  { section: "Run", label: "Source", text: (r) => r.source.sha256.slice(0, 12) },
  { section: "Training", label: "Dataset", text: (r) => r.dataset?.name ?? r.config.dataset },
  { section: "Training", label: "Epochs", text: epochsText },
  { section: "Training", label: "Batch size", text: (r) => String(r.config.batchSize) },
  { section: "Training", label: "Learning rate", text: (r) => String(r.config.learningRate) },
  { section: "Training", label: "Optimizer", text: (r) => r.config.optimizer },
  { section: "Training", label: "Validation", text: validationText },
  { section: "Training", label: "Seed", text: (r) => String(r.config.seed) },
  {
    section: "Training",
    label: "Training images",
    text: (r) => orBlank(r.config.limit ?? r.dataset?.trainSize, formatInt),
  },
  {
    section: "Training",
    label: "Test images",
    text: (r) => orBlank(r.config.testLimit ?? r.dataset?.testSize, formatInt),
  },
  { section: "Training", label: "Backend", text: formatBackend },
  {
    section: "Architecture",
    label: "Params",
    text: (r) => orBlank(r.summary?.params.total, formatInt),
    value: (r) => r.summary?.params.total,
    goal: "min",
  },
  {
    section: "Architecture",
    label: "MACs per image",
    text: (r) => orBlank(r.summary?.macs, formatInt),
    value: (r) => r.summary?.macs,
    goal: "min",
  },
  { section: "Architecture", label: "Layers", text: (r) => orBlank(r.summary?.layers.length, String) },
  {
    section: "Architecture",
    label: "Layer types",
    text: (r) => r.summary?.layers.map((l) => l.type).join(" → ") ?? "",
  },
  { section: "Architecture", label: "Fingerprint", text: (r) => r.summary?.architectureHash.slice(0, 12) ?? "" },
  {
    section: "Results",
    label: "Test accuracy",
    text: (r) => orBlank(r.results?.testAccuracy, formatPercent),
    value: (r) => r.results?.testAccuracy,
    goal: "max",
  },
  {
    section: "Results",
    label: "Test loss",
    text: (r) => orBlank(r.results?.testLoss, formatLoss),
    value: (r) => r.results?.testLoss,
    goal: "min",
  },
  {
    section: "Results",
    label: "Final train loss",
    text: (r) => orBlank(lastEpoch(r)?.loss, formatLoss),
    value: (r) => lastEpoch(r)?.loss,
    goal: "min",
  },
  {
    section: "Results",
    label: "Final train accuracy",
    text: (r) => orBlank(lastEpoch(r)?.acc, formatPercent),
    value: (r) => lastEpoch(r)?.acc,
    goal: "max",
  },
  {
    section: "Results",
    label: "Learning time",
    text: (r) => orBlank(r.results?.learningTimeSec, formatSeconds),
    value: (r) => r.results?.learningTimeSec,
    goal: "min",
  },
  {
    section: "Results",
    label: "Total time",
    text: (r) => orBlank(r.results?.totalTimeSec, formatSeconds),
    value: (r) => r.results?.totalTimeSec,
    goal: "min",
  },
];

/** A sweep trial's hyperparameters, one row each, for any name one of the runs has. */
function sweepFacts(runs: readonly PanelRun[]): Fact[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of Object.keys(sweepParams(run))) names.add(name);
  return [...names].sort().map((name) => ({
    section: "Training" as const,
    label: `hp ${name}`,
    text: (r: PanelRun) => orBlank(sweepParams(r)[name], String),
  }));
}

function sweepParams(run: PanelRun): Record<string, unknown> {
  if (!sweepOf(run)) return {};
  const params = (run.sweep as { params?: unknown } | undefined)?.params;
  return params && typeof params === "object" ? (params as Record<string, unknown>) : {};
}

function bestColumns(runs: readonly PanelRun[], fact: Fact): number[] {
  if (!fact.value || !fact.goal) return [];
  const values = runs.map((r) => fact.value!(r));
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  // A best value means something only when at least two runs have one and they are not all equal.
  if (finite.length < 2 || finite.every((v) => v === finite[0])) return [];
  const best = fact.goal === "max" ? Math.max(...finite) : Math.min(...finite);
  return values.flatMap((v, i) => (v === best ? [i] : []));
}

export function compareRows(runs: readonly PanelRun[]): CompareRow[] {
  const at = FACTS.findIndex((f) => f.section === "Architecture");
  const facts = [...FACTS.slice(0, at), ...sweepFacts(runs), ...FACTS.slice(at)];
  return facts.map((fact) => {
    const cells = runs.map((run) => fact.text(run));
    return {
      section: fact.section,
      label: fact.label,
      cells,
      differs: cells.some((c) => c !== cells[0]),
      best: bestColumns(runs, fact),
    };
  });
}

// The panel's saved view state: defaults, and reading what an older panel saved.
import type { CurveOptions, PanelState } from "../src/shared/webview-protocol";
import { MAX_COMPARED } from "./compare/compareRows";
import { GROUP_BYS, type GroupBy } from "./groups/grouping";
import { restoreBrushes } from "./parallel/axes";

export const DEFAULT_CURVES: CurveOptions = { smoothing: 0, split: false, x: "epoch", logLoss: false };

export const DEFAULT_STATE: PanelState = {
  version: 2,
  sort: { column: "started", descending: true },
  filters: { text: "", status: "", starred: false },
  selected: [],
  selection: "auto",
  curves: DEFAULT_CURVES,
  groupBy: "none",
  folded: [],
  compare: [],
  compareDiffOnly: true,
  brushes: {},
};

type Saved = Partial<Omit<PanelState, "version">> & { version?: unknown };

/** The saved state made whole; version 1 (before curve options) keeps its sort, filters and selection. */
export function restoreState(saved: unknown): PanelState {
  const fresh = structuredClone(DEFAULT_STATE);
  if (!saved || typeof saved !== "object") return fresh;
  const s = saved as Saved;
  if (s.version !== 1 && s.version !== 2) return fresh;
  const selected = Array.isArray(s.selected) ? s.selected.filter((id) => typeof id === "string") : [];
  // A version-1 panel had no automatic selection: what it saved was picked by hand.
  const selection =
    s.version === 2 && s.selection === "auto" ? "auto" : s.version === 2 || selected.length ? "manual" : "auto";
  return {
    ...fresh,
    sort: isSort(s.sort) ? s.sort : fresh.sort,
    filters: {
      ...fresh.filters,
      ...pickStrings(s.filters, ["text", "status"]),
      starred: (s.filters as { starred?: unknown } | undefined)?.starred === true,
    },
    selected,
    selection,
    detailsRunId: typeof s.detailsRunId === "string" ? s.detailsRunId : undefined,
    curves: restoreCurves(s.curves),
    groupBy: GROUP_BYS.includes(s.groupBy as GroupBy) ? (s.groupBy as GroupBy) : fresh.groupBy,
    folded: Array.isArray(s.folded) ? s.folded.filter((key) => typeof key === "string") : [],
    compare: Array.isArray(s.compare) ? s.compare.filter((id) => typeof id === "string").slice(0, MAX_COMPARED) : [],
    compareDiffOnly: typeof s.compareDiffOnly === "boolean" ? s.compareDiffOnly : fresh.compareDiffOnly,
    brushes: restoreBrushes(s.brushes),
  };
}

function restoreCurves(saved: unknown): CurveOptions {
  const c = (saved && typeof saved === "object" ? saved : {}) as Partial<Record<keyof CurveOptions, unknown>>;
  const smoothing =
    typeof c.smoothing === "number" && c.smoothing >= 0 && c.smoothing < 1 ? c.smoothing : DEFAULT_CURVES.smoothing;
  return {
    smoothing,
    split: typeof c.split === "boolean" ? c.split : DEFAULT_CURVES.split,
    x: c.x === "time" ? "time" : "epoch",
    logLoss: typeof c.logLoss === "boolean" ? c.logLoss : DEFAULT_CURVES.logLoss,
  };
}

function isSort(v: unknown): v is PanelState["sort"] {
  return (
    !!v &&
    typeof v === "object" &&
    typeof (v as PanelState["sort"]).column === "string" &&
    typeof (v as PanelState["sort"]).descending === "boolean"
  );
}

function pickStrings<K extends string>(v: unknown, keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  if (!v || typeof v !== "object") return out;
  for (const key of keys) {
    const value = (v as Record<string, unknown>)[key];
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

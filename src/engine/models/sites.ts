// Call sites in model files: the stack frames of a model bundle, captured when a layer is created,
// and mapped back to the user's source through the bundle's inline source map.
import { readFileSync } from "node:fs";
import type { SourceMap } from "node:module";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { LayerLocation, SourceLocation } from "../types";
import { callExtent } from "./call-extent";

/** The filename a bundle runs under: no real file has it, so its frames stand out from tfjs's. */
export const BUNDLE_PREFIX = "archlab-model:";

/** What maps one bundle's generated positions back to its sources. */
export interface BundleSources {
  sourceMap: SourceMap | undefined;
  baseDir: string;
  /** Source texts by absolute path; files not given are read from disk when first needed. */
  texts: Map<string, string>;
}

interface RawFrame {
  line: number;
  column: number;
  function?: string;
}

/** A call site as captured: cheap to take; resolved to a LayerLocation only when asked. */
export interface Site {
  frames: RawFrame[];
  sources: BundleSources;
}

const bundles = new Map<string, BundleSources>();

// An inspection child runs a bundle per edit; the oldest maps go, so its memory stays bounded.
const KEPT_BUNDLES = 32;

export function registerBundle(bundleName: string, sources: BundleSources): void {
  bundles.set(bundleName, sources);
  for (const name of bundles.keys()) {
    if (bundles.size <= KEPT_BUNDLES) break;
    bundles.delete(name);
  }
}

const FRAME = /^\s*at (?:(.+?) \()?archlab-model:(.*):(\d+):(\d+)\)?\s*$/;
// Deep enough for helpers calling helpers; the default of 10 stops inside tfjs for nested models.
const STACK_DEPTH = 60;

/** The bundle frames of the current stack, innermost first; undefined when no bundle called. */
export function captureSite(below: (...args: never[]) => unknown): Site | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = limit;
  return siteOfStack(holder.stack);
}

export function siteOfStack(stack: string | undefined): Site | undefined {
  let sources: BundleSources | undefined;
  const frames: RawFrame[] = [];
  for (const text of (stack ?? "").split("\n")) {
    const match = FRAME.exec(text);
    if (!match) continue;
    const bundle = bundles.get(`${BUNDLE_PREFIX}${match[2]}`);
    if (!bundle || (sources && bundle !== sources)) continue;
    sources = bundle;
    frames.push({
      function: match[1]?.replace(/^(async |new )/, ""),
      line: Number(match[3]),
      column: Number(match[4]),
    });
  }
  return sources && frames.length ? { frames, sources } : undefined;
}

const resolved = new WeakMap<Site, LayerLocation | null>();

/**
 * The outermost call of the user's code: in an architecture, the line that makes the layer, or
 * calls the helper that makes it. With the call's extent, so editors can point past its end.
 */
export function locateSite(site: Site): LayerLocation | undefined {
  const known = resolved.get(site);
  if (known !== undefined) return known ?? undefined;
  const mapped = site.frames
    .map((frame) => ({ frame, at: original(site.sources, frame) }))
    .filter((m): m is { frame: RawFrame; at: SourceLocation } => m.at !== undefined);
  const location = mapped.length ? toLayerLocation(site.sources, mapped) : undefined;
  resolved.set(site, location ?? null);
  return location;
}

function toLayerLocation(sources: BundleSources, mapped: { frame: RawFrame; at: SourceLocation }[]): LayerLocation {
  const outer = mapped[mapped.length - 1].at;
  const text = sourceText(sources, outer.file);
  const extent = text === undefined ? undefined : callExtent(text, outer);
  const location: LayerLocation = extent
    ? { file: outer.file, ...extent.start, endLine: extent.end.line, endColumn: extent.end.column }
    : { ...outer, endLine: outer.line, endColumn: outer.column };
  if (mapped.length > 1) {
    const inner = mapped[0].at;
    // The helper is the function the outermost call went into: the next frame in.
    const helper = mapped[mapped.length - 2].frame.function;
    const innerText = sourceText(sources, inner.file);
    const innerStart = innerText === undefined ? undefined : callExtent(innerText, inner)?.start;
    location.via = { ...inner, ...innerStart, ...(helper ? { function: helper } : {}) };
  }
  return location;
}

/**
 * A source map's `sources` entry as a plain path. Entries are URLs relative to the map (esbuild
 * writes `mod%C3%A8le.model.ts` for modèle.model.ts), so they are resolved and decoded as URLs.
 */
export function sourcePath(baseDir: string, source: string): string {
  return fileURLToPath(new URL(source, pathToFileURL(path.join(baseDir, path.sep))));
}

function original(sources: BundleSources, frame: RawFrame): SourceLocation | undefined {
  const entry = sources.sourceMap?.findEntry(frame.line - 1, frame.column - 1);
  if (!entry || !("originalSource" in entry)) return undefined;
  return {
    file: sourcePath(sources.baseDir, entry.originalSource),
    line: entry.originalLine + 1,
    column: entry.originalColumn + 1,
  };
}

function sourceText(sources: BundleSources, file: string): string | undefined {
  if (!sources.texts.has(file)) {
    try {
      sources.texts.set(file, readFileSync(file, "utf8"));
    } catch {
      return undefined;
    }
  }
  return sources.texts.get(file);
}

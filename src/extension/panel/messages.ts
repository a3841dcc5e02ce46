// Runtime checks of what the webview posts: the webview is a page, so its messages are untrusted
// input until they have the shape the protocol promises.
import { annotationsProblem } from "../../engine/runs/validate";
import type { RunAnnotations } from "../../engine/types";
import type { GraphFormat, TableFormat, WebviewToHost } from "../../shared/webview-protocol";

const MAX_IDS = 10_000;
const MAX_IMAGES_PER_REQUEST = 256;
const MAX_PNG_CHARS = 50_000_000;
const MAX_SVG_CHARS = 20_000_000;
const MAX_PREDICT_RUNS = 32;
const MAX_PIXELS = 256 * 256 * 3;
const PNG_PREFIX = "data:image/png;base64,";

type Fields = Record<string, unknown>;

const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 512;
const isIdList = (v: unknown, max: number): v is string[] => Array.isArray(v) && v.length <= max && v.every(isId);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
// A Record over the union: a format added to the protocol does not type-check until it is listed here.
const TABLE_FORMATS: Record<TableFormat, true> = { markdown: true, csv: true };
const isFormat = (v: unknown): v is TableFormat => typeof v === "string" && Object.hasOwn(TABLE_FORMATS, v);

/** Returns the message when it is a well-formed WebviewToHost, otherwise undefined. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const m = raw as Fields;
  switch (m.type) {
    case "ready":
      return { type: "ready" };
    case "stop":
    case "rerun":
    case "openSource":
    case "exportModel":
    case "continueTraining":
    case "deleteSavedModel":
      return isId(m.runId) ? { type: m.type, runId: m.runId } : undefined;
    case "delete":
      return isIdList(m.runIds, MAX_IDS) && m.runIds.length > 0 ? { type: "delete", runIds: m.runIds } : undefined;
    case "resumeSweep":
      return isId(m.sweepId) ? { type: "resumeSweep", sweepId: m.sweepId } : undefined;
    case "annotate":
      return isId(m.runId) && isAnnotationChange(m.annotations)
        ? { type: "annotate", runId: m.runId, annotations: pickAnnotations(m.annotations) }
        : undefined;
    case "diffSources":
      return isId(m.leftRunId) && isId(m.rightRunId) && m.leftRunId !== m.rightRunId
        ? { type: "diffSources", leftRunId: m.leftRunId, rightRunId: m.rightRunId }
        : undefined;
    case "exportTable":
      return isFormat(m.format) && isIdList(m.runIds, MAX_IDS)
        ? { type: "exportTable", format: m.format, runIds: m.runIds }
        : undefined;
    case "exportChart":
      return isChartName(m.chart) && isPngDataUrl(m.pngDataUrl)
        ? { type: "exportChart", chart: m.chart, pngDataUrl: m.pngDataUrl }
        : undefined;
    case "exportGraph":
      return isChartName(m.name) && isGraphData(m.format, m.data)
        ? { type: "exportGraph", name: m.name, format: m.format, data: m.data as string }
        : undefined;
    case "openLayer":
      return isId(m.runId) && isId(m.layer) ? { type: "openLayer", runId: m.runId, layer: m.layer } : undefined;
    case "testImages":
      return isIndex(m.requestId) &&
        isId(m.runId) &&
        Array.isArray(m.indices) &&
        m.indices.length <= MAX_IMAGES_PER_REQUEST &&
        m.indices.every(isIndex)
        ? { type: "testImages", requestId: m.requestId, runId: m.runId, indices: m.indices }
        : undefined;
    case "predict":
      return isIndex(m.requestId) && isIdList(m.runIds, MAX_PREDICT_RUNS) && isPixels(m.pixels)
        ? { type: "predict", requestId: m.requestId, runIds: m.runIds, pixels: m.pixels }
        : undefined;
    default:
      return undefined;
  }
}

function isAnnotationChange(v: unknown): v is RunAnnotations {
  if (annotationsProblem(v) !== undefined) return false;
  const { name, note, starred } = v as RunAnnotations;
  return name !== undefined || note !== undefined || starred !== undefined;
}

function pickAnnotations({ name, note, starred }: RunAnnotations): RunAnnotations {
  return {
    ...(name !== undefined && { name }),
    ...(note !== undefined && { note }),
    ...(starred !== undefined && { starred }),
  };
}

function isPixels(v: unknown): v is number[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= MAX_PIXELS &&
    v.every((x) => typeof x === "number" && x >= 0 && x <= 1)
  );
}

export function isChartName(v: unknown): v is string {
  return typeof v === "string" && /^[a-z0-9-]{1,40}$/i.test(v);
}

export function isGraphData(format: unknown, data: unknown): format is GraphFormat {
  if (format === "png") return isPngDataUrl(data);
  return format === "svg" && typeof data === "string" && data.length <= MAX_SVG_CHARS && data.startsWith("<svg");
}

function isPngDataUrl(v: unknown): v is string {
  return (
    typeof v === "string" &&
    v.startsWith(PNG_PREFIX) &&
    v.length <= MAX_PNG_CHARS &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(v.slice(PNG_PREFIX.length))
  );
}

/** Decodes a validated PNG data URL; undefined when the bytes are not a PNG. */
export function decodePngDataUrl(dataUrl: string): Uint8Array | undefined {
  const bytes = Buffer.from(dataUrl.slice(PNG_PREFIX.length), "base64");
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return signature.every((b, i) => bytes[i] === b) ? new Uint8Array(bytes) : undefined;
}

// Runs a model bundle in this process and maps errors thrown by user code back to the user's
// files through the bundle's inline source map.
import { createRequire, isBuiltin, SourceMap, type SourceMapPayload } from "node:module";
import * as vm from "node:vm";
import type { Tf } from "../tf";
import { TF_MODULE_ID, type ModelBundle } from "./bundle";
import { ModelFileError } from "./errors";
import { failureOf, instrumentTf, siteOfLayer } from "./instrument";
import { readableBuildError, type FailedLayer } from "./shape-errors";
import { BUNDLE_PREFIX, locateSite, registerBundle, sourcePath } from "./sites";

export interface ExecutedModule {
  exports: unknown;
  /** Turns an error thrown by the module's code into a ModelFileError at the user's source line. */
  locate(err: unknown, prefix: string): ModelFileError;
}

let bundleCount = 0;

const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** `source` is the entry file's text the bundle was made from (it may differ from the disk's). */
export function executeBundle(bundle: ModelBundle, file: string, tf: Tf, source?: string): ExecutedModule {
  // A filename no real file has, so stack frames of the bundle are told apart from tfjs frames;
  // numbered, so two bundles of one file (the disk's and an editor's unsaved text) keep their maps.
  const bundleName = `${BUNDLE_PREFIX}${file}#${++bundleCount}`;
  const sourceMap = readSourceMap(bundle.code);
  registerBundle(bundleName, {
    sourceMap,
    baseDir: bundle.baseDir,
    texts: new Map(source === undefined ? [] : [[file, source]]),
  });
  const locate = (err: unknown, prefix: string): ModelFileError => {
    const message = err instanceof Error ? err.message : String(err);
    const failure = failureOf(err);
    const site = failure?.layer ? siteOfLayer(failure.layer) : undefined;
    const layerAt = (site ?? failure?.site) && locateSite((site ?? failure!.site)!);
    if (layerAt) {
      const layer = failure?.layer;
      const readable = readableBuildError(message, {
        type: layer?.getClassName(),
        config: layer?.getConfig() as FailedLayer["config"],
        inputShapes: failure?.inputShapes,
      });
      return new ModelFileError(`${prefix}${readable}`, layerAt.file, layerAt.line, layerAt.column);
    }
    const reason = `${prefix}${message}`;
    const frame = firstBundleFrame(err, bundleName);
    const entry = frame && sourceMap?.findEntry(frame.line - 1, frame.column - 1);
    if (entry && "originalSource" in entry) {
      const original = sourcePath(bundle.baseDir, entry.originalSource);
      return new ModelFileError(reason, original, entry.originalLine + 1, entry.originalColumn + 1);
    }
    return new ModelFileError(reason, file);
  };

  const layersTf = instrumentTf(tf);
  const nodeRequire = createRequire(file);
  const requireForModel = (id: string): unknown => {
    if (id === TF_MODULE_ID) return layersTf;
    if (isBuiltin(id)) return nodeRequire(id);
    throw new Error(`cannot require "${id}" from a model file`);
  };
  const module = { exports: {} as unknown };
  try {
    const run = vm.compileFunction(bundle.code, ["module", "exports", "require"], { filename: bundleName }) as (
      module: { exports: unknown },
      exports: unknown,
      require: (id: string) => unknown,
    ) => void;
    run(module, module.exports, requireForModel);
  } catch (err) {
    throw locate(err, "the model file failed to load: ");
  }
  return { exports: module.exports, locate };
}

function readSourceMap(code: string): SourceMap | undefined {
  const match = SOURCE_MAP_COMMENT.exec(code);
  if (!match) return undefined;
  return new SourceMap(JSON.parse(Buffer.from(match[1], "base64").toString("utf8")) as SourceMapPayload);
}

function firstBundleFrame(err: unknown, bundleName: string): { line: number; column: number } | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  for (const text of stack.split("\n")) {
    const at = text.lastIndexOf(`${bundleName}:`);
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(text.slice(at + bundleName.length));
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

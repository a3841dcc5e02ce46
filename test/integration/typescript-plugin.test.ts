// The TypeScript server plugin, in a real TypeScript language service: a model file in a folder
// without node_modules gets TensorFlow.js's types instead of "Cannot find module".
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import ts from "typescript";

const REPO = join(import.meta.dirname, "../..");
const PLUGIN = join(REPO, "node_modules/archlab-typescript-plugin");
const CANNOT_FIND_MODULE = 2307;

let dir: string;

before(() => {
  if (
    !existsSync(join(PLUGIN, "index.js")) ||
    statSync(join(PLUGIN, "index.js")).mtimeMs < statSync(join(REPO, "src/typescript-plugin/index.ts")).mtimeMs
  ) {
    const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  dir = mkdtempSync(join(tmpdir(), "archlab-ts-plugin-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A language service over one file, set up as VS Code's tsserver is: the plugin wraps the host after creation. */
function languageService(file: string, source: string, withPlugin: boolean, moduleResolution: ts.ModuleResolutionKind) {
  writeFileSync(file, source);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution,
    strict: true,
    skipLibCheck: true,
    types: [],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) =>
      ts.sys.fileExists(name) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(name) ?? "") : undefined,
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (path) => ts.sys.fileExists(path),
    readFile: (path, encoding) => ts.sys.readFile(path, encoding),
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    directoryExists: (path) => ts.sys.directoryExists(path),
    getDirectories: (path) => ts.sys.getDirectories(path),
    resolveModuleNameLiterals: (literals, containingFile, _redirected, opts) =>
      literals.map((l) => ts.resolveModuleName(l.text, containingFile, opts, ts.sys)),
  };
  const service = ts.createLanguageService(host);
  if (!withPlugin) return service;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin's CommonJS bundle, as TypeScript's server loads it
  const init = require(PLUGIN) as (modules: { typescript: typeof ts }) => { create(info: unknown): ts.LanguageService };
  return init({ typescript: ts }).create({
    languageServiceHost: host,
    languageService: service,
    project: {},
    config: {},
  });
}

const codes = (service: ts.LanguageService, file: string) =>
  service.getSemanticDiagnostics(file).map((d) => `${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);

for (const [mode, kind] of [
  ["bundler", ts.ModuleResolutionKind.Bundler],
  ["node10", ts.ModuleResolutionKind.Node10],
] as const) {
  test(`the example model file type-checks without node_modules of its own (${mode} resolution)`, () => {
    const file = join(dir, `mnist-${mode}.model.ts`);
    const source = readFileSync(join(REPO, "examples/mnist.model.ts"), "utf8");
    const without = codes(languageService(file, source, false, kind), file);
    assert.ok(
      without.some((c) => c.startsWith(`${CANNOT_FIND_MODULE} `)),
      `expected the missing module without the plugin: ${without.join(" | ")}`,
    );
    assert.deepEqual(codes(languageService(file, source, true, kind), file), []);
  });
}

test("tfjs types reach the editor: layers, chained tensor methods, and type errors", () => {
  const file = join(dir, "typed.model.ts");
  const source = [
    "import * as tf from '@tensorflow/tfjs-node';",
    "import { layers } from '@tensorflow/tfjs-layers';",
    "export const dense = layers.dense({ units: 10 });",
    "export const total = tf.ones([2, 2]).square().sum();",
    "export const wrong: string = tf.sequential();",
  ].join("\n");
  const service = languageService(file, source, true, ts.ModuleResolutionKind.Bundler);
  const problems = codes(service, file);
  assert.equal(problems.length, 1, problems.join(" | "));
  assert.match(problems[0], /Sequential.*not assignable to type 'string'/);
  const info = service.getQuickInfoAtPosition(file, source.indexOf("dense(") + 1);
  assert.match(ts.displayPartsToString(info?.displayParts), /Dense/);
});

test("the Hyperparameters type comes with the shipped types: a sweep model file type-checks and hp calls are typed", () => {
  const file = join(dir, "sweep.model.ts");
  const source = readFileSync(join(REPO, "examples/sweep.model.ts"), "utf8");
  assert.deepEqual(codes(languageService(file, source, true, ts.ModuleResolutionKind.Bundler), file), []);
  const wrong = join(dir, "wrong-hp.model.ts");
  const bad = [
    "import * as tf from '@tensorflow/tfjs';",
    "import type { Hyperparameters as Hp } from '@tensorflow/tfjs';",
    "export function Net(hp: Hp) { const n: string = hp.int('units', 1, 4); return tf.sequential(); }",
    "export function Other(hp: Hyperparameters) { return hp.choice('act', ['relu', 'tanh']) === 'relu'; }",
  ].join("\n");
  const problems = codes(languageService(wrong, bad, true, ts.ModuleResolutionKind.Bundler), wrong);
  assert.equal(problems.length, 1, problems.join(" | "));
  assert.match(problems[0], /'number' is not assignable to type 'string'/);
});

test("other missing modules stay missing", () => {
  const file = join(dir, "other.model.ts");
  const source = "import pad from 'left-pad';\nexport const padded = pad;\n";
  const problems = codes(languageService(file, source, true, ts.ModuleResolutionKind.Bundler), file);
  assert.ok(
    problems.some((c) => c.startsWith(`${CANNOT_FIND_MODULE} `)),
    problems.join(" | "),
  );
});

// What the editor shows at each layer's call, from `archlab inspect --json` of real model files:
// one hint per call in the architecture (a helper's call site, a loop once with its count), and
// hovers with shapes, params, MACs and the receptive field.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { InspectReport } from "../../src/engine/models";
import { layerSites, siteAt, type LayerSite } from "../../src/extension/editor/layerSites";
import { hintLabel, hoverMarkdown, lineHintLabels } from "../../src/extension/editor/layerText";
import { ensureBuilt, REPO } from "./helpers/build";

const EXAMPLE = join(REPO, "examples/mnist.model.ts");
const LOOPS = join(REPO, "test/fixtures/models/loops.model.ts");
const RESIDUAL = join(REPO, "test/fixtures/models/residual.model.ts");

function inspect(file: string): InspectReport {
  const result = spawnSync(process.execPath, [join(REPO, "bin/archlab.js"), "inspect", file, "--json"], {
    cwd: REPO,
    encoding: "utf8",
  });
  return JSON.parse(result.stdout) as InspectReport;
}

const lineOf = (file: string, text: string, after = ""): number => {
  const lines = readFileSync(file, "utf8").split("\n");
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= from && l.includes(text));
  assert.ok(i >= 0, `no line with ${text}`);
  return i + 1;
};

const sitesOf = (sites: LayerSite[], model: string) => sites.filter((s) => s.model === model);

before(() => ensureBuilt());

describe("hints of the example file", () => {
  let sites: LayerSite[];
  before(() => {
    sites = layerSites(inspect(EXAMPLE), EXAMPLE);
  });

  it("puts StrongCNN's hints on its own lines, the helper's layers at the call of conv()", () => {
    const strong = sitesOf(sites, "StrongCNN");
    assert.equal(strong.length, 12, "one hint per layer line");
    const first = strong[0];
    assert.equal(first.location.line, lineOf(EXAMPLE, "conv(32, true)", "function StrongCNN"));
    assert.equal(hintLabel(first), "→ 28×28×32 · 320 params", "1.2% of the MACs: not shown");
    const second = strong[1];
    assert.equal(hintLabel(second), "→ 28×28×32 · 9,248 params · 7.2 M MACs");
    const flatten = strong.find((s) => s.layers[0].type === "Flatten");
    assert.equal(flatten && hintLabel(flatten), "→ 3136", "no params: none said");
    const dense = strong.find((s) => s.layers[0].type === "Dense");
    assert.equal(
      dense && hintLabel(dense),
      "→ 128 · 401,536 params",
      "a Dense layer's MACs are its weights: not repeated",
    );
    assert.ok(
      !sites.some((s) => s.location.line === lineOf(EXAMPLE, "return tf.layers.conv2d({")),
      "nothing inside the helper",
    );
  });

  it("gives TinyCNN's one-line list one hint per call, in order along the line", () => {
    const tiny = sitesOf(sites, "TinyCNN");
    const line = lineOf(EXAMPLE, "layers: [conv(4, true)");
    assert.ok(tiny.every((s) => s.location.line === line));
    assert.deepEqual(
      tiny.map((s) => s.location.endColumn),
      [...tiny.map((s) => s.location.endColumn)].sort((a, b) => a - b),
    );
    assert.deepEqual(
      tiny.slice(0, 2).map((s) => hintLabel(s)),
      ["→ 28×28×4 · 40 params · 28.2 K MACs", "→ 14×14×4"],
    );
    // VS Code cuts a line's hints at 43 characters: six calls share them.
    const shared = lineHintLabels(tiny, 43);
    assert.deepEqual(shared, ["28×28×4", "14×14×4", "14×14×8", "7×7×8", "392", "10"]);
  });

  it("hovers with type, shapes, params, MACs and the receptive field so far", () => {
    const strong = sitesOf(sites, "StrongCNN");
    const secondPool = strong.filter((s) => s.layers[0].type === "MaxPooling2D")[1];
    const md = hoverMarkdown(secondPool);
    assert.match(md, /\*\*MaxPooling2D\*\*/);
    assert.match(md, /made by `pool\(\)`/);
    assert.match(md, /14×14×64 → \*\*7×7×64\*\*/);
    assert.match(md, /receptive field so far: 16×16 px, stride 4×4/);
    const conv = hoverMarkdown(strong[1]);
    assert.match(conv, /params: 9,248 \(9,248 trainable\)/);
    assert.match(conv, /MACs: 7\.2 M \(38\.7% of the model\)/);
    assert.match(conv, /filters 32, kernelSize 3×3, strides 1×1, padding same, activation relu$/m);
    const l = strong[1].location;
    assert.equal(siteAt(sites, l.line, l.column + 2), strong[1]);
  });
});

describe("hints of helpers and loops", () => {
  let sites: LayerSite[];
  before(() => {
    sites = layerSites(inspect(LOOPS), LOOPS);
  });

  it("shows a loop of a three-layer helper once, with its count and each iteration", () => {
    const site = sitesOf(sites, "Looped").find((s) => s.location.line === lineOf(LOOPS, "...convBnRelu("));
    assert.ok(site);
    assert.equal(site.iterations, 3);
    assert.equal(hintLabel(site), "×3 → 28×28×8, 14×14×16, 7×7×32 · 3 layers · 6,056 params · 0.5 M MACs");
    assert.deepEqual(
      lineHintLabels([site], 43),
      ["×3 → 7×7×32 · 6,056 params"],
      "within the line cap, the last shape and the params",
    );
    const md = hoverMarkdown(site);
    assert.match(md, /3 iterations/);
    assert.match(md, /`batch_normalization_2` \| BatchNormalization \| 14×14×16 → 14×14×16 \| 64 \|/);
    assert.match(md, /`re_lu_1` \| ReLU \| 28×28×8 → 28×28×8 \| 0 \| 0 \| 3×3 px, stride 1×1 \|/);
    assert.match(md, /6,056 params \(5,944 trainable, 112 not\)/);
  });

  it("shows a loop over values once, with the shapes it made", () => {
    const site = sitesOf(sites, "Repeated").find((s) => s.location.line === lineOf(LOOPS, "for (const units"));
    assert.ok(site);
    assert.equal(hintLabel(site), "×3 → 64, 32, 16 · 52,848 params");
  });
});

describe("hints of a functional residual net", () => {
  it("gives the layers inside the residual helper to its two call sites", () => {
    const sites = sitesOf(layerSites(inspect(RESIDUAL), RESIDUAL), "ResNet");
    const calls = sites.filter((s) => s.location.via?.function === "residual");
    assert.deepEqual(
      calls.map((s) => s.location.line),
      [lineOf(RESIDUAL, "x = residual(x, 16)"), lineOf(RESIDUAL, "x = residual(x, 16)") + 1],
    );
    assert.ok(
      calls.every((s) => hintLabel(s) === "→ 28×28×16 · 3 layers · 4,640 params · 3.6 M MACs"),
      calls.map(hintLabel).join(" | "),
    );
    const concat = sites.find((s) => s.layers[0].type === "Concatenate");
    assert.ok(concat);
    assert.match(hoverMarkdown(concat), /28×28×8 \+ 28×28×8 → \*\*28×28×16\*\*/);
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { initBackend } from "../../src/engine/backend";

const folders: string[] = [];
after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder holding a stand-in @tensorflow/tfjs-node whose entry point runs `body`. */
function workspaceWithTfjsNode(version: string, body: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "archlab-backend-"));
  folders.push(root);
  const pkg = path.join(root, "node_modules", "@tensorflow", "tfjs-node");
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({ name: "@tensorflow/tfjs-node", version, main: "index.js" }),
  );
  fs.writeFileSync(path.join(pkg, "index.js"), body);
  return root;
}

describe("backend selection", () => {
  it("auto falls back to wasm here and says why tfjs-node was not used", async () => {
    const { tf, backend } = await initBackend("auto");
    assert.equal(backend.name, "wasm");
    assert.equal(backend.version, "4.22.0");
    assert.equal(backend.threads, 1);
    assert.match(backend.fallbackReason ?? "", /tfjs-node/);
    assert.equal(tf.getBackend(), "wasm");
    assert.deepEqual(Array.from(tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).dataSync()), [4, 6]);
  });

  it("forcing tensorflow without tfjs-node explains how to get it", async () => {
    await assert.rejects(
      initBackend("tensorflow"),
      /tensorflow backend is unavailable.*npm install @tensorflow\/tfjs-node/s,
    );
  });

  it("a tfjs-node whose native binding fails to load is reported with its error", async () => {
    const workspace = workspaceWithTfjsNode(
      "4.22.0",
      "throw new Error('libtensorflow.so.2: cannot open shared object file');",
    );
    await assert.rejects(
      initBackend("tensorflow", { searchPaths: [workspace] }),
      /failed to load.*libtensorflow\.so\.2/s,
    );
    const { backend } = await initBackend("auto", { searchPaths: [workspace] });
    assert.equal(backend.name, "wasm");
    assert.match(backend.fallbackReason ?? "", /libtensorflow\.so\.2/);
  });

  it("tfjs-node found in a workspace folder is used, with its own namespace and version", async () => {
    const core = require.resolve("@tensorflow/tfjs-core");
    const workspace = workspaceWithTfjsNode(
      "9.8.7",
      `module.exports = { ...require(${JSON.stringify(core)}), fromWorkspace: true };`,
    );
    const { tf, backend } = await initBackend("auto", { searchPaths: [workspace] });
    assert.deepEqual(backend, { name: "tensorflow", version: "9.8.7" });
    assert.equal((tf as unknown as { fromWorkspace?: boolean }).fromWorkspace, true);
  });

  it("cpu can be forced", async () => {
    const { tf, backend } = await initBackend("cpu");
    assert.equal(backend.name, "cpu");
    assert.equal(backend.fallbackReason, undefined);
    assert.equal(tf.getBackend(), "cpu");
  });
});

// The host half of the panel that needs no VS Code: message validation, the CSP shell, batching.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchCoalescer } from "../../src/extension/panel/batchCoalescer";
import { contentSecurityPolicy, createNonce, panelHtml } from "../../src/extension/panel/html";
import { decodePngDataUrl, parseWebviewMessage } from "../../src/extension/panel/messages";
import type { BatchProgress } from "../../src/engine/types";
import { paretoFront } from "../../webview/pareto";

const PNG_1x1 =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

describe("webview messages are validated before the host acts", () => {
  it("accepts every well-formed request", () => {
    const good = [
      { type: "ready" },
      { type: "stop", runId: "r1" },
      { type: "rerun", runId: "r1" },
      { type: "openSource", runId: "r1" },
      { type: "exportModel", runId: "r1" },
      { type: "continueTraining", runId: "r1" },
      { type: "deleteSavedModel", runId: "r1" },
      { type: "predict", requestId: 3, runIds: ["r1", "r2"], pixels: [0, 0.5, 1] },
      { type: "delete", runIds: ["r1", "r2"] },
      { type: "annotate", runId: "r1", annotations: { name: "baseline", note: "lr 3e-3", starred: true } },
      { type: "annotate", runId: "r1", annotations: { name: "" } },
      { type: "diffSources", leftRunId: "r1", rightRunId: "r2" },
      { type: "exportTable", format: "csv", runIds: [] },
      { type: "exportChart", chart: "test-loss", pngDataUrl: PNG_1x1 },
      { type: "testImages", requestId: 3, runId: "r1", indices: [0, 17] },
      { type: "resumeSweep", sweepId: "20260101-000000-net-sweep-aaaa" },
    ];
    for (const message of good) assert.deepEqual(parseWebviewMessage(message), message);
  });

  it("drops extra fields and rejects malformed or unknown messages", () => {
    assert.deepEqual(parseWebviewMessage({ type: "stop", runId: "r1", evil: true }), { type: "stop", runId: "r1" });
    const bad: unknown[] = [
      null,
      "ready",
      [{ type: "ready" }],
      { type: "launch" },
      { type: "stop" },
      { type: "stop", runId: 42 },
      { type: "stop", runId: "" },
      { type: "resumeSweep" },
      { type: "resumeSweep", sweepId: 7 },
      { type: "delete", runIds: [] },
      { type: "delete", runIds: ["r1", 7] },
      { type: "annotate", runId: "r1", annotations: {} },
      { type: "annotate", runId: "r1", annotations: { starred: "yes" } },
      { type: "annotate", runId: "r1", annotations: { name: "x".repeat(201) } },
      { type: "annotate", runId: "r1" },
      { type: "diffSources", leftRunId: "r1", rightRunId: "r1" },
      { type: "exportTable", format: "html", runIds: [] },
      { type: "exportChart", chart: "../../etc/passwd", pngDataUrl: PNG_1x1 },
      { type: "exportChart", chart: "loss", pngDataUrl: "data:text/html;base64,PHNjcmlwdD4=" },
      { type: "predict", requestId: 1, runIds: ["r1"], pixels: [0.5, 2] },
      { type: "predict", requestId: 1, runIds: ["r1"], pixels: [] },
      { type: "predict", requestId: 1, runIds: ["r1"], pixels: ["0.5"] },
      { type: "testImages", requestId: 1, runId: "r1", indices: [-1] },
      { type: "testImages", requestId: 1, runId: "r1", indices: [1.5] },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });

  it("decodes only real PNG bytes", () => {
    assert.deepEqual([...decodePngDataUrl(PNG_1x1)!.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(decodePngDataUrl("data:image/png;base64,aGVsbG8="), undefined);
  });
});

describe("panel HTML", () => {
  it("locks the page down: no default sources, nonce-only scripts, assets from the webview origin", () => {
    const csp = contentSecurityPolicy("https://webview.test", "abc");
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = panelHtml({
      cspSource: "https://webview.test",
      nonce: "abc",
      scriptUri: 'https://webview.test/w.js?a="b"',
      styleUri: "https://webview.test/p.css",
    });
    assert.match(html, /<script nonce="abc" src="https:\/\/webview.test\/w.js\?a=&quot;b&quot;"><\/script>/);
    assert.notEqual(createNonce(), createNonce());
  });
});

describe("batch progress", () => {
  it("keeps only the latest progress per run between flushes", () => {
    const flushed: BatchProgress[][] = [];
    const coalescer = new BatchCoalescer((progress) => flushed.push(progress), 60_000);
    const batch = (runId: string, n: number): BatchProgress => ({
      runId,
      epoch: 1,
      batch: n,
      batchesPerEpoch: 100,
      loss: 1,
      acc: 0.5,
    });
    for (let n = 1; n <= 50; n++) coalescer.push(batch("a", n));
    coalescer.push(batch("b", 3));
    coalescer.push(batch("c", 9));
    coalescer.forget("c");
    coalescer.flushNow();
    coalescer.flushNow();
    coalescer.dispose();
    assert.deepEqual(flushed, [[batch("a", 50), batch("b", 3)]]);
  });
});

describe("Pareto front", () => {
  it("keeps, from the smallest model up, each run more accurate than every smaller one", () => {
    const points = [
      { name: "StrongCNN", params: 467_818, accuracy: 0.9909 },
      { name: "MLP", params: 25_450, accuracy: 0.9596 },
      { name: "TinyCNN", params: 4_266, accuracy: 0.9796 },
      { name: "CNN", params: 26_698, accuracy: 0.9822 },
      { name: "TinyTwin", params: 4_266, accuracy: 0.97 },
      { name: "Huge", params: 2_000_000, accuracy: 0.9909 },
    ];
    assert.deepEqual(
      paretoFront(points).map((p) => p.name),
      ["TinyCNN", "CNN", "StrongCNN"],
    );
    assert.deepEqual(paretoFront([]), []);
  });
});

// Table order and filtering, without a browser (pure functions of the webview).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { filterRuns, sortRuns } from "../../webview/table/sortFilter";
import { makeRun, studyRuns, toPanel } from "./fixtures";

describe("runs table order", () => {
  const runs = () =>
    [
      ...studyRuns(),
      makeRun({ model: "Live", status: "running", epochsDone: 1 }),
      makeRun({ model: "Broken", status: "failed" }),
    ].map(toPanel);

  it("puts runs without a value last, whichever the direction", () => {
    const ascending = sortRuns(runs(), "testAccuracy", false).map((r) => r.model);
    const descending = sortRuns(runs(), "testAccuracy", true).map((r) => r.model);
    assert.deepEqual(ascending.slice(0, 4), ["MLP", "TinyCNN", "CNN", "StrongCNN"]);
    assert.deepEqual(descending.slice(0, 4), ["StrongCNN", "CNN", "TinyCNN", "MLP"]);
    assert.deepEqual(new Set(ascending.slice(4)), new Set(["Live", "Broken"]));
    assert.deepEqual(new Set(descending.slice(4)), new Set(["Live", "Broken"]));
  });

  it("sorts names case-insensitively and falls back to start time for an unknown column", () => {
    const named = [makeRun({ model: "beta" }), makeRun({ model: "Alpha" }), makeRun({ model: "gamma" })].map(toPanel);
    assert.deepEqual(
      sortRuns([...named], "model", false).map((r) => r.model),
      ["Alpha", "beta", "gamma"],
    );
    assert.deepEqual(
      sortRuns([...named], "no-such-column", true).map((r) => r.model),
      ["gamma", "Alpha", "beta"],
    );
  });

  it("filters on model or file text, case-insensitive, and on status", () => {
    const all = [...runs(), toPanel(makeRun({ model: "Other", file: "lab/CNN-variants.model.ts" }))];
    assert.deepEqual(
      filterRuns(all, { text: "  cnn ", status: "", starred: false }).map((r) => r.model),
      ["CNN", "TinyCNN", "StrongCNN", "Other"],
    );
    assert.deepEqual(
      filterRuns(all, { text: "", status: "running", starred: false }).map((r) => r.model),
      ["Live"],
    );
    assert.deepEqual(filterRuns(all, { text: "cnn", status: "failed", starred: false }), []);
  });
});

// Accessibility as VS Code expects of a webview: every control reachable by keyboard with its focus
// visible, and text legible in light, dark and high contrast themes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { textColorOn } from "../../webview/details/confusion";
import { contrastRatio } from "../../webview/theme";
import type { WebviewToHost } from "../../src/shared/webview-protocol";
import { launchBrowser, openPanel, type Browser, type PanelPage } from "./harness";
import { studyRuns, toPanel } from "./fixtures";
import { applyTheme, type ThemeKind } from "./themes";

/** A name for the focused element: its data-* hook, or its tag. */
const focusedName = (panel: PanelPage) =>
  panel.page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return { name: "", outline: "", custom: false };
    const hook = [...active.attributes].find((a) => a.name.startsWith("data-") && a.name !== "data-vscode-theme-kind");
    const name =
      active.tagName === "TR"
        ? "row"
        : active.tagName === "CANVAS"
          ? `canvas.${active.className}`
          : hook
            ? `${hook.name}=${hook.value}`
            : active.tagName.toLowerCase() + (active.className ? `.${active.className}` : "");
    const style = getComputedStyle(active);
    const outline =
      style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0
        ? "none"
        : `${style.outlineStyle} ${style.outlineColor}`;
    return { name, outline, custom: active.tagName.includes("-") };
  });

/** Text of the page's own elements whose colour contrasts too little with what is behind them. */
const illegible = (panel: PanelPage, minimum: number) =>
  panel.page.evaluate((min) => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (top: number[], under: number[]) => {
      const a = top[3] ?? 1;
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a));
    };
    /** The opaque colour behind an element: its ancestors' backgrounds laid over each other. */
    const behind = (node: Element | null): number[] => {
      const layers: number[][] = [];
      for (let el = node; el; el = el.parentElement) {
        const bg = parse(getComputedStyle(el).backgroundColor);
        if (bg.length >= 3 && (bg[3] ?? 1) > 0) layers.push(bg);
        if ((bg[3] ?? 0) === 1 && bg.length === 3) break;
      }
      return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255]);
    };
    const bad: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const el = text.parentElement!;
      if (!text.textContent?.trim() || el.closest(".sr-only, [hidden], option, canvas")) continue;
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height) continue;
      const back = behind(el);
      const color = over(parse(getComputedStyle(el).color), back);
      const [hi, lo] = [lum(color), lum(back)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < min)
        bad.push(
          `${ratio.toFixed(2)} "${text.textContent.trim().slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className})`,
        );
    }
    return [...new Set(bad)];
  }, minimum);

describe("comparison panel: accessibility", () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());

  const openStudy = async (extra: Record<string, unknown> = {}) => {
    const runs = studyRuns().map(toPanel);
    const panel = await openPanel(browser, {
      version: 2,
      selection: "manual",
      selected: [runs[1].id, runs[2].id],
      detailsRunId: runs[1].id,
      compare: [runs[1].id, runs[2].id],
      ...extra,
    });
    await panel.send({ type: "snapshot", runs, warnings: [] });
    return { panel, runs };
  };

  it("reaches every control with Tab, each showing where the focus is", async () => {
    const { panel } = await openStudy();
    const seen = new Map<string, string>();
    await panel.page.locator('vscode-textfield[data-filter="text"]').focus();
    for (let i = 0; i < 120; i++) {
      const now = await focusedName(panel);
      if (now.name && !seen.has(now.name)) seen.set(now.name, now.custom ? "custom" : now.outline);
      await panel.page.keyboard.press("Tab");
    }
    const expected = [
      "data-filter=text",
      "data-filter=status",
      "data-control=starred-only",
      "data-control=group-by",
      "data-action=selectLatest",
      "data-action=compare",
      "data-action=exportCsv",
      "data-column=star",
      "data-column=started",
      "row",
      "data-control=diff-only",
      "data-compare-close=",
      "data-export-chart=compare-accuracy",
      "data-export-chart=parallel",
      "data-range=learningRate-min",
      "data-range=learningTime-max",
      "data-control=smoothing",
      "data-control=split",
      "data-control=x-axis",
      "data-control=log-loss",
      "data-export-chart=learning-time",
      "data-annotation=name",
      "data-annotation=starred",
      "data-annotation=note",
      "canvas.confusion",
    ];
    const missing = expected.filter((name) => !seen.has(name));
    assert.deepEqual(missing, [], `reached: ${[...seen.keys()].join(", ")}`);
    // The toolkit's elements draw their focus ring inside their shadow DOM; the panel's own elements outline themselves.
    const unmarked = [...seen].filter(([, outline]) => outline === "none").map(([name]) => name);
    assert.deepEqual(unmarked, [], "every focused element of the panel shows an outline");
    assert.deepEqual(panel.errors, []);
  });

  it("opens a confusion cell's images and selects a group from the keyboard", async () => {
    const { panel, runs } = await openStudy({ groupBy: "architecture", compare: [] });
    const canvas = panel.page.locator(".details canvas.confusion");
    await canvas.focus();
    await panel.page.keyboard.press("ArrowRight");
    assert.match((await canvas.getAttribute("aria-label")) ?? "", /^True 0, predicted 1: \d+ images\.$/);
    await panel.page.keyboard.press("Enter");
    await panel.settle();
    assert.match(
      (await panel.page.locator(".details h4", { hasText: "True 0, predicted 1" }).textContent()) ?? "",
      /^True 0, predicted 1 \(\d+\)$/,
    );
    const requests = (await panel.posted()).filter(
      (m): m is Extract<WebviewToHost, { type: "testImages" }> => m.type === "testImages",
    );
    assert.equal(requests.at(-1)?.runId, runs[1].id);
    // A group's row: Ctrl+Enter selects its runs.
    const mlpGroup = panel.page.locator(".runs-table tr.group-row", { hasText: "MLP" });
    await mlpGroup.focus();
    await panel.page.keyboard.press("Control+Enter");
    await panel.settle();
    assert.ok((await panel.state())?.selected.includes(runs[0].id), "the MLP run is selected");
    assert.deepEqual(panel.errors, []);
  });

  for (const [theme, minimum] of [
    ["high-contrast", 7],
    ["light", 4.5],
    ["dark", 4.5],
  ] as [ThemeKind, number][]) {
    it(`keeps every text legible in the ${theme} theme (contrast ${minimum}:1 or more)`, async () => {
      const { panel } = await openStudy({ brushes: { learningRate: [1e-4, 1e-2] } });
      await applyTheme(panel.page, theme);
      await panel.settle();
      assert.deepEqual(await illegible(panel, minimum), []);
      assert.deepEqual(panel.errors, []);
    });
  }

  it("writes confusion counts in black or white, whichever reads on the cell", () => {
    for (const background of ["#000000", "#1f1f1f", "#ffffff"]) {
      for (const color of ["#3794ff", "#1a85ff", "#f14c4c", "#e51400"]) {
        for (const alpha of [0.04, 0.2, 0.4, 0.6, 0.8, 1]) {
          const hex = Math.round(alpha * 255)
            .toString(16)
            .padStart(2, "0");
          const fill = `${color}${hex}`;
          const text = textColorOn(fill, background);
          const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
          const under = [1, 3, 5].map((i) => parseInt(background.slice(i, i + 2), 16));
          const mixed = `rgb(${[r, g, b].map((v, i) => Math.round(v * alpha + under[i] * (1 - alpha))).join(",")})`;
          assert.ok(
            contrastRatio(text, mixed) >= 4.5,
            `${text} on ${fill} over ${background}: ${contrastRatio(text, mixed).toFixed(2)}`,
          );
        }
      }
    }
  });
});

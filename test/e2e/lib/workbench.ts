// What a user does in the VS Code window, as Playwright steps on code-server's workbench.
import type { FrameLocator, Locator, Page } from "playwright-core";

const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);

// VS Code puts a `|` between the lenses of one line; codicons (`$(play) Train`) render as no text.
const lensTexts = (texts: string[]) => texts.map((text) => text.trim()).filter((text) => text !== "" && text !== "|");

export class Workbench {
  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 60_000 });
  }

  private quickInput(): Locator {
    return this.page.locator(".quick-input-widget");
  }

  private quickInputRows(): Locator {
    return this.quickInput().locator(".quick-input-list .monaco-list-row");
  }

  // A quick input opened while a menu is still closing loses focus and closes at once: try again.
  private async openQuickInput(shortcut: string, text: string): Promise<void> {
    const input = this.quickInput().locator("input");
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(shortcut);
      try {
        await input.fill(text, { timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), as a user would. `name` may be a relative path. */
  async openFile(name: string): Promise<void> {
    await this.openQuickInput("Control+P", name);
    const base = name.split("/").pop() ?? name;
    await this.quickInputRows().filter({ hasText: base }).first().waitFor();
    await this.page.keyboard.press("Enter");
    await this.page.locator(".tabs-container .tab.active", { hasText: base }).waitFor();
    await this.page.locator(".monaco-editor .view-lines").first().waitFor();
  }

  /** Runs a command from the command palette by its title as shown there (e.g. `ArchLab: Open Comparison Panel`). */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput("F1", `>${title}`);
    await this.quickInputRows()
      .filter({ has: this.page.locator(".label-name", { hasText: exactly(title) }) })
      .first()
      .click();
  }

  /** Picks the entry labelled `label` in the quick pick a command opened (e.g. which architecture). */
  async pickQuickItem(label: string): Promise<void> {
    await this.quickInputRows()
      .filter({ has: this.page.locator(".label-name", { hasText: exactly(label) }) })
      .first()
      .click();
  }

  /** The command palette's entries matching `filter`, as shown once the list has settled; closes the palette. */
  async paletteCommands(filter: string): Promise<string[]> {
    await this.openQuickInput("F1", `>${filter}`);
    const labels = this.quickInputRows().locator(".label-name");
    await labels.first().waitFor();
    let shown = await labels.allInnerTexts();
    for (let settled = false; !settled;) {
      await this.page.waitForTimeout(200);
      const again = await labels.allInnerTexts();
      settled = again.join("\n") === shown.join("\n");
      shown = again;
    }
    await this.page.keyboard.press("Escape");
    return shown.map((label) => label.trim());
  }

  /** A CodeLens of the active editor whose text is exactly `text`. */
  codeLens(text: string): Locator {
    return this.page.locator(".monaco-editor .codelens-decoration > :is(a, span)", { hasText: exactly(text) });
  }

  async clickCodeLens(text: string, nth = 0): Promise<void> {
    await this.codeLens(text).nth(nth).click();
  }

  /** Every CodeLens currently rendered, one text per lens. */
  async codeLensTexts(): Promise<string[]> {
    return lensTexts(await this.page.locator(".monaco-editor .codelens-decoration > :is(a, span)").allInnerTexts());
  }

  /** Scrolls the active editor so 1-based `line` is in view (Ctrl+G). */
  async revealLine(line: number): Promise<void> {
    await this.openQuickInput("Control+G", `:${line}`);
    await this.page.keyboard.press("Enter");
    await this.lineNumber(line).waitFor();
  }

  private lineNumber(line: number): Locator {
    return this.page
      .locator(".monaco-editor .margin-view-overlays .line-numbers", { hasText: exactly(String(line)) })
      .first();
  }

  /**
   * The CodeLens texts shown right above 1-based `line` of the active editor, after scrolling it into
   * view. Waits up to `timeoutMs` for lenses that satisfy `until` (default: any lens at all), since
   * the extension computes them in the background; returns what is shown by then.
   */
  async codeLensesAbove(
    line: number,
    timeoutMs = 15_000,
    until = (texts: string[]) => texts.length > 0,
  ): Promise<string[]> {
    await this.revealLine(line);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await this.lensesBetween(line);
      if (until(texts) || Date.now() > deadline) return texts;
      await this.page.waitForTimeout(250);
    }
  }

  /** Clicks the CodeLens `text` right above 1-based `line`, waiting up to `timeoutMs` for it to show. */
  async clickCodeLensAbove(line: number, text: string, timeoutMs = 15_000): Promise<void> {
    const texts = await this.codeLensesAbove(line, timeoutMs, (shown) => shown.includes(text));
    if (!texts.includes(text)) throw new Error(`No "${text}" lens above line ${line} (lenses: ${texts.join(" | ")}).`);
    for (const decoration of await this.decorationsAbove(line)) {
      const lens = decoration.locator(":scope > :is(a, span)", { hasText: exactly(text) });
      if ((await lens.count()) > 0) return lens.first().click();
    }
  }

  private async decorationsAbove(line: number): Promise<Locator[]> {
    const below = await this.lineNumber(line).boundingBox();
    if (!below) return [];
    const above = line > 1 ? await this.lineNumber(line - 1).boundingBox() : null;
    const top = above ? above.y + above.height / 2 : Number.NEGATIVE_INFINITY;
    const found: Locator[] = [];
    for (const decoration of await this.page.locator(".monaco-editor .codelens-decoration").all()) {
      const box = await decoration.boundingBox();
      if (box && box.y >= top && box.y < below.y) found.push(decoration);
    }
    return found;
  }

  private async lensesBetween(line: number): Promise<string[]> {
    const texts: string[] = [];
    for (const decoration of await this.decorationsAbove(line)) {
      texts.push(...lensTexts(await decoration.locator(":scope > :is(a, span)").allInnerTexts()));
    }
    return texts;
  }

  private explorerRow(name: string): Locator {
    return this.page.locator(".explorer-folders-view .monaco-list-row", {
      has: this.page.locator(".label-name", { hasText: exactly(name) }),
    });
  }

  /** Right-clicks a file in the Explorer (`path` relative to the workspace; folders are expanded) and picks `entry`. */
  async explorerContextMenu(filePath: string, entry: string): Promise<void> {
    const parts = filePath.split("/");
    for (const folder of parts.slice(0, -1)) {
      const row = this.explorerRow(folder).first();
      if ((await row.getAttribute("aria-expanded")) === "false") await row.click();
    }
    await this.explorerRow(parts[parts.length - 1])
      .first()
      .click({ button: "right" });
    const menu = this.page.locator(".monaco-menu");
    const item = menu.locator(".action-item", { has: this.page.locator(".action-label", { hasText: exactly(entry) }) });
    // A menu ignores a click that comes right after it opened; the item then stays focused, and Enter picks it.
    await item.click();
    if (
      !(await menu.waitFor({ state: "hidden", timeout: 1_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await item.hover();
      await this.page.keyboard.press("Enter");
      await menu.waitFor({ state: "hidden" });
    }
  }

  /** Waits for a notification toast containing `text`; returns its whole message. */
  async waitForNotification(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const toast = this.page.locator(".notifications-toasts .notification-list-item-message", { hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast.innerText();
  }

  /** Texts of the notification toasts shown right now. */
  async notifications(): Promise<string[]> {
    return this.page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  }

  /**
   * The document of the webview panel titled `title` (two iframes deep in code-server). Brings its
   * tab to the front first, since hidden webviews keep their frames but are not visible.
   */
  async webview(title: string): Promise<FrameLocator> {
    const tab = this.page.locator(".tabs-container .tab", {
      has: this.page.locator(".label-name", { hasText: exactly(title) }),
    });
    await tab.first().click();
    const frame = this.page.locator("iframe.webview.ready").filter({ visible: true }).first();
    await frame.waitFor();
    return frame.contentFrame().frameLocator("iframe#active-frame");
  }

  async webviewText(title: string): Promise<string> {
    return (await this.webview(title)).locator("body").innerText();
  }

  /** The text the active editor shows on 1-based `line`, inlay hints included, after scrolling it into view. */
  async lineText(line: number): Promise<string> {
    await this.revealLine(line);
    // One look at the page, so a lens or hint arriving in between cannot shift the rows measured.
    const text = await this.page.evaluate((wanted) => {
      const editor =
        document.querySelector(".editor-group-container.active .monaco-editor") ??
        document.querySelector(".monaco-editor");
      const number = [...(editor?.querySelectorAll(".margin-view-overlays .line-numbers") ?? [])].find(
        (n) => n.textContent?.trim() === wanted,
      );
      if (!number) return "";
      const top = number.getBoundingClientRect().top;
      const row = [...(editor?.querySelectorAll(".view-lines .view-line") ?? [])].find(
        (r) => Math.abs(r.getBoundingClientRect().top - top) < 2,
      );
      return (row as HTMLElement | undefined)?.innerText ?? "";
    }, String(line));
    return text.replace(/\u00a0/g, " ");
  }

  /** Waits until 1-based `line` of the active editor shows text that satisfies `until`; returns it. */
  async waitForLineText(line: number, until: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.lineText(line);
      if (until(text)) return text;
      if (Date.now() > deadline) throw new Error(`Line ${line} shows "${text}" after ${timeoutMs / 1000} s.`);
      await this.page.waitForTimeout(300);
    }
  }

  /** Puts the cursor at 1-based `line`:`column` of the active editor (Ctrl+G). */
  async goTo(line: number, column: number): Promise<void> {
    await this.openQuickInput("Control+G", `:${line}:${column}`);
    await this.page.keyboard.press("Enter");
  }
}

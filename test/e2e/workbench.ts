import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { REPO } from "../workspace";

export const ARTIFACTS = path.join(REPO, "test-artifacts", "e2e");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The VS Code workbench in Debian's chromium, driven as a user drives it: clicks and keys. */
export class Workbench {
  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly consoleLines: string[],
  ) {}

  static async open(chromiumPath: string, url: string, profileDir: string): Promise<Workbench> {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on("console", (message) => consoleLines.push(message.text()));
    await page.goto(url);
    await page.waitForSelector(".monaco-workbench .part.editor", { timeout: 60_000 });
    return new Workbench(context, page, consoleLines);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Saves a screenshot for a failed scenario and returns its path (for the error message). */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    fs.writeFileSync(file.replace(/\.png$/, ".console.txt"), this.consoleLines.join("\n"));
    return file;
  }

  private explorerRow(name: string): Locator {
    return this.page.locator(".explorer-folders-view .monaco-list-row", { has: this.page.locator(".label-name", { hasText: new RegExp(`^${name.replace(/\./g, "\\.")}$`) }) });
  }

  /** Opens `a/b/c.ts` through the Explorer: expands each folder, double-clicks the file. */
  async openFile(relativePath: string): Promise<void> {
    const parts = relativePath.split("/");
    for (const folder of parts.slice(0, -1)) {
      const row = this.explorerRow(folder);
      if ((await row.getAttribute("aria-expanded")) !== "true") await row.click();
    }
    await this.explorerRow(parts.at(-1)!).dblclick();
    await this.page.locator(".tab.active", { hasText: parts.at(-1)! }).waitFor({ timeout: 20_000 });
    await this.page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
  }

  /** The Problems panel's rows as text ("message  source(code)  [Ln l, Col c]"). */
  async problems(): Promise<string[]> {
    const panel = this.page.locator(".markers-panel");
    if (!(await panel.isVisible())) await this.page.keyboard.press("Control+Shift+M");
    await panel.waitFor();
    return this.page.locator(".markers-panel .monaco-list-row .marker-message-details, .markers-panel .monaco-list-row").allInnerTexts();
  }

  /** Waits until some Problems row matches. */
  async waitForProblem(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await this.problems();
      const row = rows.find((text) => pattern.test(text.replace(/\s+/g, " ")));
      if (row) return row.replace(/\s+/g, " ");
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no problem matching ${pattern} within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
  }

  async waitForNoProblem(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = (await this.problems()).map((text) => text.replace(/\s+/g, " "));
      if (!rows.some((text) => pattern.test(text))) return;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`a problem matching ${pattern} is still shown after ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
  }

  /** F1, the command's title, Enter: as a user runs a command. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.press("Enter");
  }

  /** Puts the cursor on the problem row's location (click in the Problems panel), then Ctrl+. and the action. */
  async quickFix(problem: RegExp, actionTitle: string): Promise<void> {
    await this.page.locator(".markers-panel .monaco-list-row", { hasText: problem }).first().click();
    await this.page.keyboard.press("Enter"); // reveal in the editor, cursor on the problem
    await this.page.waitForTimeout(300);
    const action = this.page.locator(".action-widget .monaco-list-row", { hasText: actionTitle });
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.page.keyboard.press("Control+Period");
      try {
        await action.first().waitFor({ timeout: 4000 });
        break;
      } catch {
        await this.page.keyboard.press("Escape"); // the first Ctrl+. sometimes opens nothing: retry
      }
    }
    await action.first().click();
  }

  async notification(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.page.locator(".notifications-toasts .notification-list-item-message", { hasText: pattern });
    await toast.first().waitFor({ timeout: timeoutMs });
    return toast.first().innerText();
  }

  /** The language status hover of the active editor's language (the `{}` item in the status bar). */
  async languageStatus(): Promise<string> {
    const item = this.page.locator('[id="status.languageStatus"]');
    await item.waitFor({ timeout: 20_000 });
    await item.hover();
    const hover = this.page.locator(".monaco-hover, .context-view .hover-contents").filter({ hasText: "TornWrite" });
    await hover.first().waitFor({ timeout: 10_000 });
    return (await hover.first().innerText()).replace(/\s+/g, " ");
  }
}

// Stands in for a VS Code executable so that @vscode/test-electron's runTests() can drive code-server:
// takes Electron-style arguments (--extensionDevelopmentPath=…, --extensionTestsPath=…, a folder), starts
// code-server with the smoke-test driver, opens the workbench in chromium with the same run as payload,
// relays the extension host's console, and exits with the tests' exit code.
import * as path from "node:path";
import { chromium } from "playwright-core";
import { ensureCodeServer } from "./editorHost";
import { startCodeServer } from "./codeServer";

function argument(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const inline = args.find((arg) => arg.startsWith(prefix));
  if (inline) return inline.slice(prefix.length);
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const extensionDevelopmentPath = argument(args, "extensionDevelopmentPath");
  const extensionTestsPath = argument(args, "extensionTestsPath");
  const folder = args.find((arg, index) => !arg.startsWith("-") && !args[index - 1]?.match(/^--(extensionDevelopmentPath|extensionTestsPath|user-data-dir|extensions-dir)$/));
  if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
    console.error("usage: codeServerLauncher --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> <folder>");
    return 2;
  }
  const host = await ensureCodeServer();
  const server = await startCodeServer(host, { workspace: path.resolve(folder), extraArgs: ["--vscode-option", "enable-smoke-test-driver"] });
  const context = await chromium.launchPersistentContext(path.join(server.dir, "browser"), {
    executablePath: host.chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const exited = new Promise<number>((resolve) => void page.exposeFunction("codeAutomationExit", (code: number) => resolve(code)));
    page.on("console", (message) => {
      const text = message.text();
      // The extension host's output (the tests' reporter) arrives on the page console, among the workbench's.
      const plain = text.replace(/%c/g, "").replace(/color: [^ ]+ ?/g, "");
      if (process.env["TORNWRITE_LAUNCHER_DEBUG"] || /✔|\d+ passing|\d+ failing|\d+ pending|^\s*(INFO|ERR)?\s*\d+\) |AssertionError|extension test/.test(plain)) console.log(plain);
    });
    const authority = new URL(server.url).host;
    const remote = (file: string) => `vscode-remote://${authority}${path.resolve(file)}`;
    const payload = JSON.stringify([
      ["extensionDevelopmentPath", remote(extensionDevelopmentPath)],
      ["extensionTestsPath", remote(extensionTestsPath)],
      ["skipWelcome", "true"],
    ]);
    await page.goto(`${server.url}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(124), 10 * 60_000).unref());
    return await Promise.race([exited, timeout]);
  } finally {
    await context.close();
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);

// `npm run test:vscode`: the extension tests in a real VS Code through @vscode/test-electron, on a machine
// that can download VS Code (or with TORNWRITE_VSCODE_EXECUTABLE pointing at an installed one). The same
// suite runs here inside code-server: test/e2e/extensionHost.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { runTests } from "@vscode/test-electron";

const REPO = path.resolve(__dirname, "../../..");

async function main(): Promise<void> {
  const parent = path.join(REPO, ".cache", "work");
  fs.mkdirSync(parent, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(parent, "vscode-suite-"));
  fs.cpSync(path.join(REPO, "test", "fixtures", "demo-workspace"), workspace, { recursive: true });
  try {
    const executable = process.env["TORNWRITE_VSCODE_EXECUTABLE"];
    await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, "out", "test", "vscode", "suite", "index.js"),
      launchArgs: [workspace, "--disable-extensions"],
      ...(executable ? { vscodeExecutablePath: executable } : {}),
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

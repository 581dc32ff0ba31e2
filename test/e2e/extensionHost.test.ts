import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runTests } from "@vscode/test-electron";
import { REPO, copyFixture } from "../workspace";
import { ensureCodeServer } from "./editorHost";

/**
 * The in-extension-host suite (test/vscode/suite, what `npm run test:vscode` runs under a downloaded VS
 * Code) run here with @vscode/test-electron's own runTests(), its "VS Code executable" being a launcher
 * that runs the same extension tests inside code-server's real Node extension host.
 */
describe("extension tests inside the real extension host (@vscode/test-electron → code-server)", () => {
  let workspace: { dir: string; cleanup: () => void };
  let launcher: string;

  before(async () => {
    await ensureCodeServer();
    workspace = copyFixture();
    launcher = path.join(REPO, ".cache", "e2e", "code-server-as-vscode.sh");
    fs.mkdirSync(path.dirname(launcher), { recursive: true });
    fs.writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO, "out", "test", "e2e", "codeServerLauncher.js")}" "$@"\n`, { mode: 0o755 });
  });
  after(() => workspace?.cleanup());

  it("runs test/vscode/suite and every test passes", async () => {
    const exitCode = await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, "out", "test", "vscode", "suite", "index.js"),
      launchArgs: [workspace.dir],
    }).catch((error: unknown) => {
      throw new Error(`the extension tests failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    assert.equal(exitCode, 0);
    assert.match(fs.readFileSync(path.join(workspace.dir, "src", "mediaStore.ts"), "utf8"), /withFileLock/, "the suite really ran against this workspace");
  });
});

// The extension-tests entry point (`extensionTestsPath`): runs inside VS Code's extension host, under
// @vscode/test-electron on a machine that can download VS Code (`npm run test:vscode`) or under
// code-server here (test/e2e/extensionHost.test.ts).
import * as path from "node:path";
import Mocha from "mocha";

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "tdd", timeout: 60_000, color: false });
  mocha.addFile(path.join(__dirname, "extension.vsc-test.js"));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension test${failures === 1 ? "" : "s"} failed`);
}

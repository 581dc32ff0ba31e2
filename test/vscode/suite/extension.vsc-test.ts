/// <reference types="mocha" />
// Runs in VS Code's extension host against the real extension and its language server: the API a
// user's editor calls (diagnostics, code actions, commands, settings), without a UI in between.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";

const EXTENSION_ID = "tornwrite.tornwrite";

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the tests need the demo workspace open");
  return vscode.Uri.joinPath(folder.uri, relative);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function tornwriteDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === "tornwrite");
}

/** Code actions right after opening can be cancelled by the editor: ask again. */
async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, range, kind)) ?? [];
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

suite("TornWrite in the extension host", () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  test("contributes its commands", async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ["tornwrite.restartServer", "tornwrite.showOutput", "tornwrite.fixAll", "tornwrite.runStressCheck", "tornwrite.cleanStaleTemps"]) {
      assert.ok(commands.includes(command), command);
    }
  });

  test("publishes the seed bug's diagnostic with its rule id and docs link", async () => {
    const uri = workspaceFile("src/transcription.ts");
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await until("diagnostics", () => {
      const found = tornwriteDiagnostics(uri);
      return found.length >= 2 ? found : undefined;
    });
    const first = diagnostics.find((diagnostic) => diagnostic.range.start.line === 11);
    assert.ok(first, JSON.stringify(diagnostics.map((d) => d.range.start.line)));
    assert.equal(typeof first.code === "object" ? first.code.value : first.code, "non-atomic-write");
    assert.equal(first.severity, vscode.DiagnosticSeverity.Warning);
  });

  test("the preferred quick fix rewrites the call, imports and vendors the runtime", async () => {
    const uri = workspaceFile("src/transcription.ts");
    const diagnostic = tornwriteDiagnostics(uri).find((each) => each.range.start.line === 11);
    assert.ok(diagnostic);
    const actions = await codeActions(uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes("Disable non-atomic-write for this line"), titles.join(", "));
    const preferred = actions.find((action) => action.isPreferred && action.edit);
    assert.ok(preferred?.edit, titles.join(", "));
    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    if (preferred.command) await vscode.commands.executeCommand(preferred.command.command, ...(preferred.command.arguments ?? []));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(), /await atomicWriteFile\(sidecarPath, transcript, "utf8"\)/);
    assert.match(document.getText(), /import \{ atomicWriteFile \} from "\.\/lib\/tornwrite-runtime\.js";/);
    await vscode.workspace.fs.stat(workspaceFile("src/lib/tornwrite-runtime.ts"));
    await document.save();
    await until("the fixed finding to go", () => (tornwriteDiagnostics(uri).some((each) => each.range.start.line === 11 && each.message.includes("sidecarPath")) ? undefined : true));
  });

  test("TornWrite: Fix All Problems in This File", async () => {
    const uri = workspaceFile("src/mediaStore.ts");
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await until("mediaStore diagnostics", () => (tornwriteDiagnostics(uri).length > 0 ? true : undefined));
    await vscode.commands.executeCommand("tornwrite.fixAll");
    const text = await until("the fix-all edit", () => (editor.document.getText().includes("atomicWriteFile(mediaPath") ? editor.document.getText() : undefined));
    assert.match(text, /await withFileLock\(mediaFilePath\(projectId\), async \(\) => \{/);
    await editor.document.save();
  });

  test("settings apply live: a rule turned off disappears, and comes back", async () => {
    const uri = workspaceFile("src/transcription.ts");
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await until("the remaining finding", () => (tornwriteDiagnostics(uri).some((each) => each.message.includes("description.txt")) ? true : undefined));
    const configuration = vscode.workspace.getConfiguration("tornwrite");
    await configuration.update("rules", { "non-atomic-write": "off" }, vscode.ConfigurationTarget.Workspace);
    try {
      await until("non-atomic-write to be off", () => (tornwriteDiagnostics(uri).some((each) => each.message.includes("description.txt")) ? undefined : true));
    } finally {
      await configuration.update("rules", undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until("non-atomic-write to be back", () => (tornwriteDiagnostics(uri).some((each) => each.message.includes("description.txt")) ? true : undefined));
  });
});

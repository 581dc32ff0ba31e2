import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { CodeActionRequest, ExecuteCommandRequest, type CodeAction, type Diagnostic } from "vscode-languageserver-protocol";
import { TestClient } from "./lspClient";
import { applyWorkspaceEdit } from "./applyEdit";
import { copyFixture, typeCheck, uriToPath } from "../workspace";
import { FIND_STALE_FILES, PREPARE_STALE_FILE_REMOVAL, type FindStaleFilesResult, type PrepareRemovalResult } from "../../server/src/lsp/cleanupProtocol";

describe("language server over stdio (built bundle)", () => {
  let client: TestClient;
  let workspace: { dir: string; cleanup: () => void };
  const uriOf = (relative: string) => pathToFileURL(path.join(workspace.dir, relative)).toString();

  before(async () => {
    workspace = copyFixture();
    client = new TestClient({ debounceMs: 0 });
    const result = await client.initialize(workspace.dir);
    assert.equal(result.serverInfo?.name, "tornwrite");
  });

  after(async () => {
    await client.stop();
    workspace.cleanup();
  });

  async function codeActions(uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], ...(only ? { only } : {}) },
    });
    return (actions ?? []) as CodeAction[];
  }

  it("publishes diagnostics, applies the quick fix (vendoring the runtime) and the diagnostic disappears", async () => {
    const uri = uriOf("src/transcription.ts");
    let text = fs.readFileSync(uriToPath(uri), "utf8");
    await client.open(uri, "typescript", text, 1);
    const first = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
    assert.equal(first.diagnostics.length, 2);
    assert.ok(first.diagnostics.every((d) => d.code === "non-atomic-write"));
    const diagnostic = first.diagnostics[0]!;
    assert.equal(diagnostic.source, "tornwrite");
    assert.equal(diagnostic.code, "non-atomic-write");
    assert.equal(diagnostic.range.start.line, 11);
    assert.ok(diagnostic.codeDescription?.href.endsWith("/non-atomic-write.md"));
    assert.ok(fs.existsSync(uriToPath(diagnostic.codeDescription!.href)), "docs link points at a shipped file");

    const actions = await codeActions(uri, diagnostic);
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred?.edit, `actions: ${actions.map((a) => a.title).join(", ")}`);
    assert.equal(preferred.title, "Write atomically with atomicWriteFile");
    assert.ok(actions.some((action) => action.title === "Disable non-atomic-write for this line"));
    assert.ok(actions.some((action) => action.title === "Show documentation for non-atomic-write"));

    text = applyWorkspaceEdit(preferred.edit, new Map([[uri, text]])).get(uri)!;
    assert.match(text, /import \{ atomicWriteFile \} from "\.\/lib\/tornwrite-runtime\.js";/);
    // src/lib does not exist yet, and clients differ on creating parent folders: the server writes the
    // runtime itself in the command that follows the edit, as an editor runs it.
    assert.deepEqual(preferred.command?.command, "tornwrite.createRuntimeFiles");
    assert.ok(!fs.existsSync(path.join(workspace.dir, "src/lib/tornwrite-runtime.ts")));
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: preferred.command.command, arguments: preferred.command.arguments ?? [] });
    assert.ok(fs.existsSync(path.join(workspace.dir, "src/lib/tornwrite-runtime.ts")), "runtime vendored");
    await client.replaceText(uri, 2, text);
    const second = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 2);
    assert.equal(second.diagnostics.length, 1, "the fixed call is no longer reported");
    assert.notEqual(second.diagnostics[0]?.range.start.line, 12);

    // The runtime exists now: fix-all only imports it.
    const fixAll = await codeActions(uri, second.diagnostics[0]!, ["source.fixAll.tornwrite"]);
    assert.equal(fixAll.length, 1);
    assert.equal(fixAll[0]?.kind, "source.fixAll.tornwrite");
    const creates = (fixAll[0]?.edit?.documentChanges ?? []).filter((change) => "kind" in change);
    assert.deepEqual(creates, []);
    text = applyWorkspaceEdit(fixAll[0]!.edit!, new Map([[uri, text]])).get(uri)!;
    await client.replaceText(uri, 3, text);
    const third = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 3);
    assert.deepEqual(third.diagnostics, []);

    fs.writeFileSync(uriToPath(uri), text);
    const checked = typeCheck(workspace.dir);
    assert.equal(checked.status, 0, checked.output);
  });

  it("fix-all covers a whole file, and disable-for-this-line silences one finding", async () => {
    const uri = uriOf("src/conversationStore.ts");
    const original = fs.readFileSync(uriToPath(uri), "utf8");
    await client.open(uri, "typescript", original, 1);
    const published = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
    const nonAtomic = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === "non-atomic-write");
    assert.equal(nonAtomic(published.diagnostics).length, 2);
    assert.equal(published.diagnostics.filter((d) => d.code === "unlocked-read-modify-write").length, 2);

    const disable = (await codeActions(uri, nonAtomic(published.diagnostics)[1]!)).find((a) => a.title === "Disable non-atomic-write for this line");
    const disabled = applyWorkspaceEdit(disable!.edit!, new Map([[uri, original]])).get(uri)!;
    assert.match(disabled, /\n {4}\/\/ tornwrite-disable-next-line non-atomic-write\n {4}await fs\.writeFile\(configPath/);
    await client.replaceText(uri, 2, disabled);
    const afterDisable = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 2);
    assert.equal(nonAtomic(afterDisable.diagnostics).length, 1);

    await client.replaceText(uri, 3, original);
    const again = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 3);
    const fixAll = await codeActions(uri, again.diagnostics[0]!, ["source.fixAll"]);
    const fixed = applyWorkspaceEdit(fixAll[0]!.edit!, new Map([[uri, original]])).get(uri)!;
    assert.equal((fixed.match(/await atomicWriteFile\(/g) ?? []).length, 2);
    assert.equal((fixed.match(/await withFileLock\(/g) ?? []).length, 2, "both read-modify-write cycles locked");
    assert.equal((fixed.match(/import \{ atomicWriteFile, withFileLock \}/g) ?? []).length, 1, "one shared import");
  });

  it("shows a rule's documentation through window/showDocument", async () => {
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: "tornwrite.showDocumentation", arguments: ["non-atomic-write"] });
    const shown = client.shownDocuments.at(-1);
    assert.ok(shown?.uri.endsWith("/docs/non-atomic-write.md"));
  });

  it("survives garbage, binary, broken and huge documents, and keeps serving", async () => {
    const bad = [
      { name: "binary.ts", text: "import fs from 'fs';\u0000\u0001\uFFFD\u0007".repeat(2000) },
      { name: "broken.ts", text: "import * as fs from 'fs';\nfs.writeFileSync('settings.json', d);\nexport function ( {{{ ]]] `${" },
      { name: "huge.ts", text: `import * as fs from "fs";\n${"fs.writeFileSync(statePath, d);\n".repeat(250_000)}` },
      { name: "garbage.js", text: Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join("") + "require('fs')" },
    ];
    for (const [index, document] of bad.entries()) {
      const uri = uriOf(`src/${document.name}`);
      await client.open(uri, document.name.endsWith(".js") ? "javascript" : "typescript", document.text, 1);
      await client.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
      assert.ok(client.alive, `server died on document ${index}`);
    }
    const broken = client.diagnostics.find((p) => p.uri.endsWith("broken.ts"));
    assert.equal(broken?.diagnostics.filter((d) => d.code === "non-atomic-write").length, 1, "code before a syntax error is still analysed");

    const uri = uriOf("src/specs/review.ts");
    await client.open(uri, "typescript", fs.readFileSync(uriToPath(uri), "utf8"), 1);
    const stillWorking = await client.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
    assert.deepEqual(stillWorking.diagnostics.map((d) => d.code).sort(), ["non-atomic-write", "unlocked-read-modify-write"]);
  });

  it("respects tornwrite.enable and per-rule settings", async () => {
    const settingsClient = new TestClient({ debounceMs: 0, rules: { "non-atomic-write": "error" } });
    try {
      await settingsClient.initialize(workspace.dir);
      const uri = uriOf("src/specs/review.ts");
      await settingsClient.open(uri, "typescript", fs.readFileSync(uriToPath(uri), "utf8"), 1);
      const published = await settingsClient.waitForDiagnostics((p) => p.uri === uri);
      assert.equal(published.diagnostics.find((d) => d.code === "non-atomic-write")?.severity, 1, "error severity");
    } finally {
      await settingsClient.stop();
    }
    const disabledClient = new TestClient({ enable: false });
    try {
      await disabledClient.initialize(workspace.dir);
      const uri = uriOf("src/specs/review.ts");
      await disabledClient.open(uri, "typescript", fs.readFileSync(uriToPath(uri), "utf8"), 1);
      const published = await disabledClient.waitForDiagnostics((p) => p.uri === uri);
      assert.deepEqual(published.diagnostics, []);
    } finally {
      await disabledClient.stop();
    }
  });

  it("reads .tornwrite.json: severities and ignore globs apply, unknown rule ids are reported", async () => {
    fs.writeFileSync(
      path.join(workspace.dir, ".tornwrite.json"),
      JSON.stringify({ rules: { "unlocked-read-modify-write": "off", "not-a-rule": "error" }, ignore: ["src/legacy/**"] }),
    );
    const configured = new TestClient({ debounceMs: 0 });
    try {
      await configured.initialize(workspace.dir);
      const store = uriOf("src/conversationStore.ts");
      await configured.open(store, "typescript", fs.readFileSync(uriToPath(store), "utf8"), 1);
      const published = await configured.waitForDiagnostics((p) => p.uri === store);
      assert.ok(published.diagnostics.length > 0);
      assert.ok(!published.diagnostics.some((d) => d.code === "unlocked-read-modify-write"), "turned off by the file");
      const legacy = uriOf("src/legacy/settings.cjs");
      await configured.open(legacy, "javascript", fs.readFileSync(uriToPath(legacy), "utf8"), 1);
      assert.deepEqual((await configured.waitForDiagnostics((p) => p.uri === legacy)).diagnostics, [], "ignored by the file");
      assert.ok(configured.messages.some((message) => message.includes("unknown rule 'not-a-rule'")), configured.messages.join("; "));
    } finally {
      await configured.stop();
      fs.rmSync(path.join(workspace.dir, ".tornwrite.json"));
    }
  });

  it("finds stale temps for the cleanup command and re-checks them before removal (custom requests)", async () => {
    const old = new Date(Date.now() - 3600_000);
    const leftover = path.join(workspace.dir, "data", "media.json.tmp.1768391376101");
    const foreignLock = path.join(workspace.dir, "data", "media.json.lock");
    fs.mkdirSync(path.dirname(leftover), { recursive: true });
    fs.writeFileSync(leftover, "{");
    fs.writeFileSync(path.join(workspace.dir, "data", "media.json"), "{}");
    fs.mkdirSync(foreignLock); // proper-lockfile style, holder gone
    for (const file of [leftover, foreignLock]) fs.utimesSync(file, old, old);
    const scan = (await client.connection.sendRequest(FIND_STALE_FILES, { folder: workspace.dir, minAgeMinutes: 10 })) as FindStaleFilesResult;
    assert.deepEqual(scan.candidates.map((c) => c.relativePath), ["data/media.json.lock", "data/media.json.tmp.1768391376101"]);
    assert.match(scan.candidates[1]!.site ?? "", /^src\/mediaStore\.ts:\d+$/);
    const plan = (await client.connection.sendRequest(PREPARE_STALE_FILE_REMOVAL, { folder: workspace.dir, minAgeMinutes: 10, candidates: scan.candidates })) as PrepareRemovalResult;
    assert.deepEqual(plan.toTrash.map((c) => c.relativePath), ["data/media.json.tmp.1768391376101"], "temps are left to the editor's trash");
    assert.deepEqual(plan.removed, ["data/media.json.lock"], "the stale lock is broken by the server");
    assert.ok(fs.existsSync(leftover) && !fs.existsSync(foreignLock));
    fs.rmSync(path.join(workspace.dir, "data"), { recursive: true });
  });

  it("creates the runtime inside the workspace edit when its folder exists (undoable in the editor)", async () => {
    const other = copyFixture();
    fs.mkdirSync(path.join(other.dir, "src", "lib"));
    const second = new TestClient({ debounceMs: 0 });
    try {
      await second.initialize(other.dir);
      const uri = pathToFileURL(path.join(other.dir, "src/transcription.ts")).toString();
      const text = fs.readFileSync(uriToPath(uri), "utf8");
      await second.open(uri, "typescript", text, 1);
      const published = await second.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
      const actions = (await second.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: published.diagnostics[0]!.range,
        context: { diagnostics: [published.diagnostics[0]!] },
      })) as CodeAction[];
      const preferred = actions.find((action) => action.isPreferred)!;
      assert.equal(preferred.command, undefined);
      const creates = (preferred.edit?.documentChanges ?? []).filter((change) => "kind" in change && change.kind === "create");
      assert.equal(creates.length, 1);
      applyWorkspaceEdit(preferred.edit!, new Map([[uri, text]]));
      assert.ok(fs.existsSync(path.join(other.dir, "src/lib/tornwrite-runtime.ts")));
    } finally {
      await second.stop();
      other.cleanup();
    }
  });
});

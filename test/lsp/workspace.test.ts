import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { TestClient } from "./lspClient";
import { REPO, copyFixture } from "../workspace";

/** A language server over stdio on a copy of a fixture, started before the suite's tests and stopped after them. */
function serverOn(fixture: string) {
  let client: TestClient | undefined;
  let workspace: { dir: string; cleanup: () => void } | undefined;
  before(async () => {
    workspace = copyFixture(path.join(REPO, "test", "fixtures", fixture));
    client = new TestClient({ debounceMs: 0 });
    await client.initialize(workspace.dir);
  });
  after(async () => {
    await client?.stop();
    workspace?.cleanup();
  });
  const ws = {
    get client(): TestClient {
      return client!;
    },
    get dir(): string {
      return workspace!.dir;
    },
    uriOf: (relative: string) => pathToFileURL(path.join(ws.dir, relative)).toString(),
    read: (relative: string) => fs.readFileSync(path.join(ws.dir, relative), "utf8"),
  };
  return ws;
}

describe("language server: workspace-wide checks (built bundle over stdio)", () => {
  const ws = serverOn("cross-file-workspace");
  const { uriOf, read } = ws;

  it("an opened file gets the inversion with the other file as related information, and the wrapper's call", async () => {
    const uri = uriOf("src/accounts.ts");
    await ws.client.open(uri, "typescript", read("src/accounts.ts"), 1);
    // The first publish is syntax-only; the workspace scan on open publishes again with the cross-file findings.
    const published = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.diagnostics.length === 2);
    const [inversion, wrapper] = published.diagnostics;
    assert.equal(inversion?.code, "lock-order-inversion");
    assert.equal(inversion?.range.start.line, 6);
    assert.deepEqual(inversion?.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uriOf("src/jobs/nightly.ts"), 6]]);
    assert.equal(wrapper?.code, "non-atomic-write");
    assert.match(String(wrapper!.message), /^saveJson \(\.\/jsonStore\.ts:5\) replaces ACCOUNTS_FILE in place/);
    assert.deepEqual(wrapper?.relatedInformation?.map((r) => r.location.uri), [uriOf("src/jsonStore.ts")]);
  });

  it("follows edits: typing the same order clears the inversion at once; saving the other file updates this one", async () => {
    const uri = uriOf("src/accounts.ts");
    const swapped = read("src/accounts.ts").replace("withFileLock(ACCOUNTS_FILE", "withFileLock(TMP").replace("withFileLock(LEDGER_FILE", "withFileLock(ACCOUNTS_FILE").replace("withFileLock(TMP", "withFileLock(LEDGER_FILE");
    await ws.client.replaceText(uri, 2, swapped);
    const typed = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.version === 2);
    assert.deepEqual(typed.diagnostics.map((d) => d.code), ["non-atomic-write"], "ledger then accounts, as nightly.ts does");

    // nightly.ts changes on disk and is saved in the editor: accounts.ts (still open) is checked against the new order.
    const nightly = uriOf("src/jobs/nightly.ts");
    const reordered = read("src/jobs/nightly.ts").replace("paths.LEDGER_FILE, async () => {\n    await withFileLock(paths.ACCOUNTS_FILE", "paths.ACCOUNTS_FILE, async () => {\n    await withFileLock(paths.LEDGER_FILE");
    assert.notEqual(reordered, read("src/jobs/nightly.ts"));
    fs.writeFileSync(path.join(ws.dir, "src/jobs/nightly.ts"), reordered);
    await ws.client.open(nightly, "typescript", reordered, 1);
    await ws.client.save(nightly);
    const after = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.version === 2 && p.diagnostics.some((d) => d.code === "lock-order-inversion"));
    assert.match(String(after.diagnostics.find((d) => d.code === "lock-order-inversion")!.message), /ACCOUNTS_FILE is locked while LEDGER_FILE is held, and \.\/jobs\/nightly\.ts:7/);
  });

  it("fixing the wrapper and saving it clears the call's finding in the open caller", async () => {
    const uri = uriOf("src/accounts.ts");
    const store = uriOf("src/jsonStore.ts");
    const fixed = read("src/jsonStore.ts").replace('import * as fs from "node:fs";', 'import { atomicWriteFileSync } from "./lib/tornwrite-runtime";').replace("fs.writeFileSync(", "atomicWriteFileSync(");
    fs.writeFileSync(path.join(ws.dir, "src/jsonStore.ts"), fixed);
    await ws.client.open(store, "typescript", fixed, 1);
    await ws.client.save(store);
    const after = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.version === 2 && p.diagnostics.length > 0 && !p.diagnostics.some((d) => d.code === "non-atomic-write"));
    assert.deepEqual(after.diagnostics.map((d) => d.code), ["lock-order-inversion"]);
  });
});

describe("language server: a read-modify-write through another module's helpers (built bundle over stdio)", () => {
  const ws = serverOn("cross-module-cycle");
  const { uriOf, read } = ws;

  it("the opened caller gets the cycle at its write-back, with both helpers as related information; taking a lock around it clears it", async () => {
    const uri = uriOf("src/server.ts");
    await ws.client.open(uri, "typescript", read("src/server.ts"), 1);
    const published = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.diagnostics.some((d) => d.code === "unlocked-read-modify-write"));
    const cycle = published.diagnostics.find((d) => d.code === "unlocked-read-modify-write")!;
    assert.equal(cycle.range.start.line, 8);
    assert.deepEqual(cycle.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uriOf("src/settingsStore.ts"), 7], [uriOf("src/settingsStore.ts"), 16]]);
    const locked = read("src/server.ts")
      .replace('import { createServer } from "node:http";', 'import { createServer } from "node:http";\ndeclare function withFileLock<T>(p: string, fn: () => Promise<T>): Promise<T>;')
      .replace("    const settings = await readSettings();", '    await withFileLock("settings", async () => {\n    const settings = await readSettings();')
      .replace("    await writeSettings(settings);", "    await writeSettings(settings);\n    });");
    await ws.client.replaceText(uri, 2, locked);
    const after = await ws.client.waitForDiagnostics((p) => p.uri === uri && p.version === 2);
    assert.deepEqual(after.diagnostics.map((d) => d.code), []);
  });
});

// eslint-plugin-tornwrite as a user gets it: the packed tarball installed offline into a project outside this
// repository beside ESLint, typescript-eslint and TypeScript, then `npx eslint`, `npx eslint --fix` and `tsc`.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import type { ESLint } from "eslint";
import { allRules } from "../../server/src/rules";
import type { Severity } from "../../server/src/engine/types";
import { DEMO_WORKSPACE, REPO, withoutNpmVariables } from "../workspace";
import { installOffline } from "./offlineProject";
import { TestClient } from "../lsp/lspClient";
import type { Diagnostic } from "vscode-languageserver-protocol";

const CLI = path.join(REPO, "dist", "cli.js");
const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const CONFIG = `import tornwrite from "eslint-plugin-tornwrite";
import tsParser from "@typescript-eslint/parser";

export default [
  { files: ["**/*.ts"], languageOptions: { parser: tsParser } },
  tornwrite.configs.all,
];
`;

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: withoutNpmVariables(), maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Findings per rule id in ESLint's JSON output (plugin rules only; the prefix dropped). */
function eslintCounts(results: ESLint.LintResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of results.flatMap((result) => result.messages)) {
    assert.ok(message.ruleId?.startsWith("tornwrite/"), `only the plugin reports: ${JSON.stringify(message)}`);
    const id = message.ruleId!.slice("tornwrite/".length);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** `tornwrite check --format json` per rule, without what ESLint leaves out (findings below their rule's level). */
function cliCounts(folder: string): Record<string, number> {
  const check = run(process.execPath, [CLI, "check", "--format", "json", folder], REPO);
  const report = JSON.parse(check.stdout) as { files: { findings: { ruleId: string; severity: Severity }[] }[] };
  const counts: Record<string, number> = {};
  for (const finding of report.files.flatMap((file) => file.findings)) {
    const rule = allRules.find((each) => each.id === finding.ruleId)!;
    if (RANK[finding.severity] < RANK[rule.defaultSeverity]) continue;
    counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
  }
  return counts;
}

describe("eslint-plugin-tornwrite: packed, installed offline, run with npx eslint", () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "tornwrite-eslint-"));
  const project = path.join(parent, "project");
  let tarball = "";

  before(() => {
    const pack = run("npm", ["pack", path.join(REPO, "dist", "eslint-plugin-tornwrite"), "--pack-destination", parent, "--json"], parent);
    assert.equal(pack.status, 0, pack.stderr);
    tarball = path.join(parent, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    fs.cpSync(DEMO_WORKSPACE, project, { recursive: true });
    fs.writeFileSync(path.join(project, "eslint.config.mjs"), CONFIG);
    installOffline(project, ["eslint", "@typescript-eslint/parser", "typescript", "@types/node"], tarball);
  });
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("the tarball holds the bundle, its types, the runtime, the docs and the vendoring bin, and no sources", () => {
    const listing = run("tar", ["-tzf", tarball], parent).stdout.split("\n").filter(Boolean).sort();
    for (const required of ["package/index.js", "package/index.d.ts", "package/package.json", "package/README.md", "package/bin/tornwrite-runtime.js", "package/runtime/tornwrite-runtime.ts", "package/runtime/tornwrite-runtime.mjs", "package/runtime/tornwrite-runtime.cjs", "package/docs/non-atomic-write.md"]) {
      assert.ok(listing.includes(required), `${required} in ${listing.join(", ")}`);
    }
    assert.ok(!listing.some((entry) => /\.map$|\/src\/|node_modules/.test(entry)), listing.join(", "));
    assert.equal(listing.filter((entry) => entry.startsWith("package/docs/")).length, allRules.length);
  });

  it("npx eslint finds the demo's problems: per rule, the same as tornwrite check; JSON output with fixes and suggestions", () => {
    const lint = run("npx", ["--no", "--", "eslint", "--format", "json", "."], project);
    assert.equal(lint.status, 1, lint.stderr);
    const results = JSON.parse(lint.stdout) as ESLint.LintResult[];
    assert.deepEqual(eslintCounts(results), cliCounts(DEMO_WORKSPACE));
    const messages = results.flatMap((result) => result.messages.map((message) => ({ ...message, file: path.relative(project, result.filePath) })));
    const write = messages.find((message) => message.ruleId === "tornwrite/non-atomic-write" && message.file === path.join("src", "transcription.ts"));
    assert.ok(write, JSON.stringify(messages.map((message) => [message.file, message.ruleId])));
    assert.deepEqual([write.line, write.column, write.severity], [12, 11, 1]);
    assert.match(write.message, /fs\.writeFile replaces sidecarPath in place/);
    // No runtime in the project yet: the fix is a suggestion that says which file to add.
    assert.equal(write.fix, undefined);
    assert.match(write.suggestions?.[0]?.desc ?? "", /npx tornwrite-runtime src\/lib\/tornwrite-runtime\.ts/);
    const swap = messages.find((message) => message.ruleId === "tornwrite/lock-release-order");
    assert.equal(swap, undefined, "the fragile-but-safe shape (information in the editor) is not an ESLint error");
  });

  it("inside vscode-eslint's language server: the plugin's diagnostics, its suggestion, disable and docs actions", async () => {
    const server = path.join(REPO, "node_modules", "vscode-langservers-extracted", "bin", "vscode-eslint-language-server");
    const rootUri = pathToFileURL(project).toString();
    // What vscode-eslint's client sends for a workspace with a flat config (nvim-lspconfig sends the same).
    const settings = {
      validate: "on", packageManager: "npm", useESLintClass: false, useFlatConfig: true, experimental: { useFlatConfig: false },
      codeActionOnSave: { enable: false, mode: "all" }, format: false, quiet: false, onIgnoredFiles: "off", options: {}, rulesCustomizations: [],
      run: "onType", problems: { shortenToSingleLine: false }, nodePath: null, workspaceFolder: { uri: rootUri, name: "project" },
      codeAction: { disableRuleComment: { enable: true, location: "separateLine", commentStyle: "line" }, showDocumentation: { enable: true } },
    };
    const client = new TestClient(settings, { args: [server, "--stdio"], cwd: project });
    client.connection.onRequest("eslint/confirmESLintExecution", () => 4);
    client.connection.onRequest("eslint/openDoc", () => ({}));
    client.connection.onRequest("eslint/probeFailed", () => ({}));
    client.connection.onRequest("eslint/noLibrary", () => ({}));
    client.connection.onNotification("eslint/status", () => undefined);
    try {
      await client.initialize(project);
      const file = path.join(project, "src", "transcription.ts");
      const uri = pathToFileURL(file).toString();
      await client.open(uri, "typescript", fs.readFileSync(file, "utf8"));
      // vscode-eslint's server answers pull diagnostics (LSP 3.17), as VS Code asks for them.
      const report = (await client.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as { kind: string; items: Diagnostic[] };
      assert.equal(report.kind, "full");
      const diagnostics = report.items;
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.code, diagnostic.range.start.line]), [["eslint", "tornwrite/non-atomic-write", 11], ["eslint", "tornwrite/non-atomic-write", 20]]);
      assert.match(String(diagnostics[0]!.message), /fs\.writeFile replaces sidecarPath in place/);
      assert.equal(diagnostics[0]!.codeDescription?.href, pathToFileURL(path.join(project, "node_modules", "eslint-plugin-tornwrite", "docs", "non-atomic-write.md")).toString());
      const actions = (await client.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics: [diagnostics[0]] } })) as { title: string; command?: { command: string; arguments?: unknown[] } }[];
      const titles = actions.map((action) => action.title);
      const suggestion = actions.find((action) => /^Write atomically with atomicWriteFile; .*npx tornwrite-runtime src\/lib\/tornwrite-runtime\.ts/.test(action.title));
      assert.ok(suggestion?.command, titles.join(" | "));
      // The action is a command: the server answers it with a workspace edit for the client to apply.
      const applied: { edit: { changes?: Record<string, { newText: string }[]>; documentChanges?: { edits: { newText: string }[] }[] } }[] = [];
      client.connection.onRequest("workspace/applyEdit", (params: (typeof applied)[number]) => {
        applied.push(params);
        return { applied: true };
      });
      await client.connection.sendRequest("workspace/executeCommand", { command: suggestion.command.command, arguments: suggestion.command.arguments });
      const edits = applied.flatMap(({ edit }) => [...Object.values(edit.changes ?? {}).flat(), ...(edit.documentChanges ?? []).flatMap((change) => change.edits)]);
      assert.ok(edits.some((edit) => /atomicWriteFile\(sidecarPath, transcript, "utf8"\)/.test(edit.newText)), JSON.stringify(applied));
      assert.ok(titles.includes("Disable tornwrite/non-atomic-write for this line"), titles.join(" | "));
      assert.ok(titles.includes("Show documentation for tornwrite/non-atomic-write"), titles.join(" | "));
    } finally {
      await client.stop();
    }
  });

  it("npx eslint --fix before the runtime exists applies only what needs no new file, and tsc stays clean", () => {
    const before = fs.readFileSync(path.join(project, "src", "transcription.ts"), "utf8");
    run("npx", ["--no", "--", "eslint", "--fix", "."], project);
    assert.equal(fs.readFileSync(path.join(project, "src", "transcription.ts"), "utf8"), before);
    const tsc = run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "."], project);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it("after the npx tornwrite-runtime commands the suggestions name, npx eslint --fix fixes what tornwrite fix fixes, and tsc --noEmit is clean", () => {
    const lint = JSON.parse(run("npx", ["--no", "--", "eslint", "--format", "json", "."], project).stdout) as ESLint.LintResult[];
    const runtimeFiles = new Set(lint.flatMap((result) => result.messages.flatMap((message) => (message.suggestions ?? []).map((suggestion) => /npx tornwrite-runtime (\S+)`/.exec(suggestion.desc)?.[1]))));
    // The TypeScript files need the .ts runtime; the CommonJS settings.cjs needs a CommonJS build beside it.
    assert.deepEqual([...runtimeFiles].sort(), ["src/lib/tornwrite-runtime.cjs", "src/lib/tornwrite-runtime.ts"]);
    for (const file of runtimeFiles) {
      const vendor = run("npx", ["--no", "--", "tornwrite-runtime", file!], project);
      assert.equal(vendor.status, 0, vendor.stderr);
    }
    assert.equal(run("npx", ["--no", "--", "tornwrite-runtime", "src/lib/tornwrite-runtime.ts"], project).status, 1, "never overwrites");
    run("npx", ["--no", "--", "eslint", "--fix", "."], project);
    const tsc = run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "."], project);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    assert.match(fs.readFileSync(path.join(project, "src", "transcription.ts"), "utf8"), /await atomicWriteFile\(sidecarPath, transcript, "utf8"\)/);
    // The CLI's fix on another copy of the demo leaves the same findings per rule.
    const cliCopy = path.join(parent, "cli-copy");
    fs.cpSync(DEMO_WORKSPACE, cliCopy, { recursive: true });
    assert.equal(run(process.execPath, [CLI, "fix", cliCopy], REPO).status, 0);
    const after = JSON.parse(run("npx", ["--no", "--", "eslint", "--format", "json", "."], project).stdout) as ESLint.LintResult[];
    assert.deepEqual(eslintCounts(after), cliCounts(cliCopy));
    const secondFix = run("npx", ["--no", "--", "eslint", "--fix-dry-run", "--format", "json", "."], project);
    assert.ok((JSON.parse(secondFix.stdout) as ESLint.LintResult[]).every((result) => result.output === undefined), "a second --fix changes nothing");
  });
});

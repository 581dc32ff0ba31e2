// eslint-plugin-tornwrite (the built bundle) through ESLint's Node API: configs and metadata, fixes versus
// suggestions by where the runtime is, settings, both kinds of disable comments, the checks across files, and
// reuse of typescript-eslint's parse.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { ESLint, Linter } from "eslint";
import type { Rule } from "eslint";
import { allRules } from "../../server/src/rules";
import { reusableTree } from "../../server/src/eslint/sharedParse";
import { ts } from "../../server/src/engine/ts";
import { REPO, copyFixture } from "../workspace";

type Plugin = ESLint.Plugin & { meta: { name: string; version: string }; rules: Record<string, Rule.RuleModule>; configs: Record<string, Linter.Config> };
const plugin = require(path.join(REPO, "dist", "eslint-plugin-tornwrite")) as Plugin;
const typescriptParser = require("@typescript-eslint/parser") as Linter.Parser & { parseForESLint(code: string, options: object): { ast: unknown; services: unknown } };
const version = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

const WRITE = `import * as fs from "node:fs";\nexport function save(file: string, data: string) {\n  fs.writeFileSync(file, data);\n}\n`;

/** A project folder (package.json, tsconfig) inside the repo's ignored .cache, with `files` written into it. */
function project(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(REPO, ".cache", "work", "eslint-plugin-"));
  for (const [name, text] of Object.entries({ "package.json": '{ "name": "p", "private": true }', "tsconfig.json": '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }', ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function lintIn(dir: string, file: string, code: string, settings: Record<string, unknown> = {}, rules: Linter.RulesRecord = { "tornwrite/non-atomic-write": "warn" }): { messages: Linter.LintMessage[]; fixed: string } {
  const linter = new Linter({ configType: "flat", cwd: dir });
  const config: Linter.Config[] = [{ files: ["**/*.{ts,js,cjs,mjs}"], plugins: { tornwrite: plugin }, rules, languageOptions: { parser: typescriptParser }, settings }];
  const filename = path.join(dir, file);
  return { messages: linter.verify(code, config, { filename }), fixed: linter.verifyAndFix(code, config, { filename }).output };
}

describe("eslint-plugin-tornwrite: configs and rule metadata", () => {
  fs.mkdirSync(path.join(REPO, ".cache", "work"), { recursive: true });

  it("names itself, and has one rule per TornWrite rule with docs, messages, schema and type", () => {
    assert.deepEqual(plugin.meta, { name: "eslint-plugin-tornwrite", version });
    assert.deepEqual(Object.keys(plugin.rules).sort(), allRules.map((rule) => rule.id).sort());
    for (const rule of allRules) {
      const meta = plugin.rules[rule.id]!.meta!;
      assert.equal(meta.type, "problem");
      assert.deepEqual(meta.schema, []);
      assert.equal(meta.docs?.description, rule.shortDescription);
      assert.ok(fs.existsSync(fileURLToPath(meta.docs!.url!)), meta.docs!.url);
      assert.equal(meta.fixable, rule.fixable ? "code" : undefined, rule.id);
    }
  });

  it("recommended, strict and all: flat configs that register the plugin under 'tornwrite'", () => {
    for (const [name, config] of Object.entries(plugin.configs)) {
      assert.equal(config.name, `tornwrite/${name}`);
      assert.equal(config.plugins?.["tornwrite"], plugin);
      assert.equal(Object.keys(config.rules ?? {}).length, allRules.length);
    }
    const level = (config: string, rule: string) => plugin.configs[config]!.rules![`tornwrite/${rule}`];
    assert.deepEqual([level("recommended", "parse-failure-overwrite"), level("recommended", "non-atomic-write"), level("recommended", "rename-without-fsync"), level("recommended", "missing-parent-dir")], ["error", "warn", "warn", "off"]);
    assert.ok(allRules.every((rule) => level("strict", rule.id) === "error"));
    assert.ok(allRules.every((rule) => level("all", rule.id) !== "off"));
  });
});

describe("eslint-plugin-tornwrite: fixes and suggestions", () => {
  it("without a runtime in the project the fix is a suggestion naming the file to add; --fix changes nothing", () => {
    const { dir, cleanup } = project({});
    try {
      const { messages, fixed } = lintIn(dir, "src/store.ts", WRITE);
      assert.equal(messages.length, 1);
      const [message] = messages;
      assert.equal(message!.fix, undefined);
      assert.match(message!.suggestions![0]!.desc, /Write atomically with atomicWriteFileSync; .*npx tornwrite-runtime src\/lib\/tornwrite-runtime\.ts/);
      assert.equal(fixed, WRITE);
      const suggestion = message!.suggestions![0]!.fix;
      const applied = WRITE.slice(0, suggestion.range[0]) + suggestion.text + WRITE.slice(suggestion.range[1]);
      assert.match(applied, /import \{ atomicWriteFileSync \} from "\.\/lib\/tornwrite-runtime\.js";/);
      assert.match(applied, /atomicWriteFileSync\(file, data\)/);
    } finally {
      cleanup();
    }
  });

  it("with the runtime vendored (its path from .tornwrite.json) the fix is an ESLint fix; settings.tornwrite.runtimeImport wins", () => {
    const { dir, cleanup } = project({ ".tornwrite.json": '{ "runtimePath": "lib/persist.ts" }', "lib/persist.ts": fs.readFileSync(path.join(REPO, "runtime", "src", "tornwrite-runtime.ts"), "utf8") });
    try {
      const vendored = lintIn(dir, "src/store.ts", WRITE);
      assert.equal(vendored.messages[0]!.suggestions, undefined);
      assert.match(vendored.fixed, /import \{ atomicWriteFileSync \} from "\.\.\/lib\/persist\.js";\n/);
      const packaged = lintIn(dir, "src/store.ts", WRITE, { tornwrite: { runtimeImport: "@acme/tornwrite-runtime" } });
      assert.match(packaged.fixed, /import \{ atomicWriteFileSync \} from "@acme\/tornwrite-runtime";\n/);
    } finally {
      cleanup();
    }
  });

  it("ESLint's disable comments and TornWrite's own both silence a finding", () => {
    const { dir, cleanup } = project({});
    try {
      const line = "  fs.writeFileSync(file, data);";
      for (const comment of ["// eslint-disable-next-line tornwrite/non-atomic-write", "// tornwrite-disable-next-line non-atomic-write"]) {
        assert.deepEqual(lintIn(dir, "src/store.ts", WRITE.replace(line, `  ${comment}\n${line}`)).messages, [], comment);
      }
      const unknown = lintIn(dir, "src/store.ts", `// tornwrite-disable-next-line no-such-rule\n${WRITE}`, {}, { "tornwrite/invalid-directive": "error" });
      assert.match(unknown.messages[0]!.message, /no-such-rule/);
    } finally {
      cleanup();
    }
  });
});

describe("eslint-plugin-tornwrite: checks across files", () => {
  it("ESLint's CLI reports both lock orders and the imported in-place writer, as tornwrite check does; crossFile: false turns them off", async () => {
    const { dir, cleanup } = copyFixture(path.join(REPO, "test", "fixtures", "cross-file-workspace"));
    try {
      const counts = async (settings: Record<string, unknown>) => {
        const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: typescriptParser }, settings }, plugin.configs["all"]!] });
        const results = await eslint.lintFiles(["src"]);
        return results.flatMap((result) => result.messages.map((message) => `${path.relative(dir, result.filePath)} ${message.line} ${message.ruleId}`)).sort();
      };
      const check = JSON.parse(spawnSync(process.execPath, [path.join(REPO, "dist", "cli.js"), "check", "--format", "json", dir], { encoding: "utf8" }).stdout) as { files: { file: string; findings: { ruleId: string; line: number }[] }[] };
      const expected = check.files.flatMap((file) => file.findings.map((finding) => `${path.normalize(file.file)} ${finding.line} tornwrite/${finding.ruleId}`)).sort();
      assert.ok(expected.some((entry) => entry.endsWith("lock-order-inversion")), JSON.stringify(expected));
      assert.deepEqual(await counts({}), expected);
      assert.deepEqual(await counts({ tornwrite: { crossFile: false } }), expected.filter((entry) => entry.startsWith(path.join("src", "jsonStore.ts"))));
    } finally {
      cleanup();
    }
  });

  it("ESLint's CLI reports a read-modify-write through another module's helpers, as tornwrite check does", async () => {
    const { dir, cleanup } = copyFixture(path.join(REPO, "test", "fixtures", "cross-module-cycle"));
    try {
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: typescriptParser } }, plugin.configs["all"]!] });
      const linted = (await eslint.lintFiles(["src"])).flatMap((result) => result.messages.map((message) => `${path.relative(dir, result.filePath)} ${message.line} ${message.ruleId}`)).sort();
      const check = JSON.parse(spawnSync(process.execPath, [path.join(REPO, "dist", "cli.js"), "check", "--format", "json", dir], { encoding: "utf8" }).stdout) as { files: { file: string; findings: { ruleId: string; line: number }[] }[] };
      const expected = check.files.flatMap((file) => file.findings.map((finding) => `${path.normalize(file.file)} ${finding.line} tornwrite/${finding.ruleId}`)).sort();
      assert.ok(expected.includes(`${path.join("src", "server.ts")} 9 tornwrite/unlocked-read-modify-write`), JSON.stringify(expected));
      assert.deepEqual(linted, expected);
    } finally {
      cleanup();
    }
  });
});

describe("eslint-plugin-tornwrite: typescript-eslint's parse", () => {
  it("is reused as the engine's tree when both use the same TypeScript, for the same text only", () => {
    const code = "import * as fs from 'fs';\nfs.writeFileSync('a.json', '{}');\n";
    const parsed = typescriptParser.parseForESLint(code, { filePath: path.join(REPO, "x.ts"), range: true, loc: true });
    const tree = reusableTree(parsed.services, parsed.ast, code);
    assert.equal((require("typescript") as typeof ts).version, ts.version, "this repository's typescript-eslint runs the engine's TypeScript");
    assert.ok(tree && ts.isSourceFile(tree) && tree.statements.length === 2);
    assert.equal(reusableTree(parsed.services, parsed.ast, `${code}\n`), undefined);
    assert.equal(reusableTree(undefined, parsed.ast, code), undefined, "espree has no TypeScript tree");
  });
});

import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type * as sarif from "sarif";
import { DEMO_WORKSPACE, REPO, copyFixture, scratchProject, typeCheck } from "./workspace";
import { allRules } from "../server/src/rules";

const allRuleIds = () => allRules.map((rule) => rule.id);

const CLI = path.join(REPO, "dist", "cli.js");

function run(args: string[], cwd = REPO) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("tornwrite CLI", () => {
  it("check reports findings with exit 1, grouped by file, 1-based positions", () => {
    const result = run(["check", DEMO_WORKSPACE]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^src\/transcription\.ts\n {2}12:11 +warning +fs\.writeFile replaces sidecarPath in place/m);
    assert.match(result.stdout, /\d+ problems \(\d+ error, \d+ warning, \d+ information, \d+ hint\) in \d+ of \d+ files\./);
    for (const rule of ["parse-failure-overwrite", "unlocked-read-modify-write", "colliding-temp-name", "temp-not-cleaned", "rename-without-fsync", "lock-release-order", "check-then-act", "concurrent-same-file-write", "process-local-lock"]) {
      assert.match(result.stdout, new RegExp(`  ${rule}$`, "m"), `the demo's seed bugs include ${rule}`);
    }
    assert.equal(result.stderr, "", "no progress bar when stderr is not a terminal");
  });

  it("check exits 0 on clean code and 2 on usage errors", () => {
    const clean = run(["check", path.join(REPO, "runtime", "src")]);
    assert.equal(clean.status, 0, clean.stdout);
    assert.match(clean.stdout, /No problems found in 1 file\./);
    for (const args of [["check", "--format", "xml"], ["frobnicate"], ["check", "--rule", "nope=error"], ["check", "/no/such/dir"], []]) {
      const result = run(args);
      assert.equal(result.status, 2, `args ${args.join(" ")}`);
      assert.match(result.stderr, /^tornwrite: |Usage:/);
    }
  });

  it("--format json is machine-readable with relative paths", () => {
    const result = run(["check", "--format", "json", DEMO_WORKSPACE]);
    const report = JSON.parse(result.stdout) as { files: { file: string; findings: { ruleId: string; line: number; fixable: boolean }[] }[]; filesChecked: number };
    const transcription = report.files.find((file) => file.file === "src/transcription.ts");
    assert.deepEqual(transcription?.findings.map((f) => [f.ruleId, f.line, f.fixable]), [["non-atomic-write", 12, true], ["non-atomic-write", 21, true]]);
    assert.equal(report.filesChecked, 6);
  });

  it("--format sarif writes SARIF 2.1.0 with rule metadata and 1-based regions", () => {
    const result = run(["check", "--format", "sarif", DEMO_WORKSPACE]);
    const log = JSON.parse(result.stdout) as sarif.Log;
    assert.equal(log.version, "2.1.0");
    const run0 = log.runs[0]!;
    const rule = run0.tool.driver.rules?.find((r) => r.id === "non-atomic-write");
    assert.ok(rule?.shortDescription?.text && rule.helpUri && rule.help?.text);
    const first = run0.results?.find((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === "src/transcription.ts");
    assert.deepEqual(first?.locations?.[0]?.physicalLocation?.region, { startLine: 12, startColumn: 11, endLine: 12, endColumn: 23 });
    assert.equal(first?.level, "warning");
    assert.equal(run0.tool.driver.rules?.[first!.ruleIndex!]?.id, first?.ruleId);
  });

  it("--rule overrides severities and turns rules off", () => {
    const off = run(["check", "--format", "json", "--rule", "non-atomic-write=off", DEMO_WORKSPACE]);
    assert.doesNotMatch(off.stdout, /"ruleId": "non-atomic-write"/);
    const allOff = run(["check", ...allRuleIds().flatMap((id) => ["--rule", `${id}=off`]), DEMO_WORKSPACE]);
    assert.equal(allOff.status, 0, allOff.stdout);
    const error = run(["check", "--format", "json", "--rule", "non-atomic-write=error", DEMO_WORKSPACE]);
    assert.match(error.stdout, /"severity": "error"/);
  });

  it("skips node_modules and .gitignored files", () => {
    const { dir, cleanup } = copyFixture();
    try {
      const bad = `import * as fs from "fs";\nfs.writeFileSync("x", "y");\n`;
      fs.mkdirSync(path.join(dir, "node_modules/pkg"), { recursive: true });
      fs.writeFileSync(path.join(dir, "node_modules/pkg/index.ts"), bad);
      fs.mkdirSync(path.join(dir, "generated"));
      fs.writeFileSync(path.join(dir, "generated/out.ts"), bad);
      fs.writeFileSync(path.join(dir, ".gitignore"), "generated/\n");
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string }[] };
      assert.ok(!report.files.some((file) => file.file.startsWith("node_modules") || file.file.startsWith("generated")));
    } finally {
      cleanup();
    }
  });

  it("fix applies every preferred fix, vendors the runtime once, and the result type-checks clean", () => {
    const { dir, cleanup } = copyFixture();
    try {
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stdout, /created .*src\/lib\/tornwrite-runtime\.ts/);
      assert.match(fixed.stdout, /created .*src\/lib\/tornwrite-runtime\.cjs/);
      // What is left has no mechanical fix (check-then-act, process-local-lock, a sync read-modify-write...).
      const after = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string; fixable: boolean }[] }[] };
      const leftFixable = after.files.flatMap((file) => file.findings.filter((finding) => finding.fixable).map((finding) => `${file.file}: ${finding.ruleId}`));
      assert.deepEqual(leftFixable, []);
      assert.ok(!after.files.some((file) => file.file.startsWith("src/lib/")), "the vendored runtime is clean");
      const checked = typeCheck(dir);
      assert.equal(checked.status, 0, checked.output);
      const settings = fs.readFileSync(path.join(dir, "src/legacy/settings.cjs"), "utf8");
      assert.match(settings, /require\("\.\.\/lib\/tornwrite-runtime\.cjs"\)/);
      // The vendored CommonJS runtime loads and exports the API.
      const loaded = spawnSync(process.execPath, ["-e", `const r = require(${JSON.stringify(path.join(dir, "src/lib/tornwrite-runtime.cjs"))}); process.stdout.write(typeof r.atomicWriteFile)`], { encoding: "utf8" });
      assert.equal(loaded.stdout, "function");
      assert.equal(run(["fix", dir]).stdout.trim(), "0 files changed.", "a second fix changes nothing");
    } finally {
      cleanup();
    }
  });
});

describe("tornwrite fix: where the runtime goes and how it is imported (issue 17)", () => {
  it("fix <src folder> and fix <one file> vendor into the folder of the nearest package.json, not below what was given", () => {
    for (const target of ["src", "src/mediaStore.ts"]) {
      const { dir, cleanup } = copyFixture();
      try {
        const fixed = run(["fix", path.join(dir, target)]);
        assert.equal(fixed.status, 0, fixed.stderr);
        assert.ok(fs.existsSync(path.join(dir, "src", "lib", "tornwrite-runtime.ts")), `${target}: ${fixed.stdout}`);
        assert.ok(!fs.existsSync(path.join(dir, "src", "src")), `${target}: nothing vendored under src/src`);
        assert.match(fs.readFileSync(path.join(dir, "src", "mediaStore.ts"), "utf8"), /from "\.\/lib\/tornwrite-runtime\.js"/);
        const checked = typeCheck(dir);
        assert.equal(checked.status, 0, checked.output);
      } finally {
        cleanup();
      }
    }
  });

  it("in a monorepo, each package gets the runtime inside the source folder it ships, and type-checks (fix study, pi-extensions)", () => {
    const { dir, write, cleanup } = scratchProject("monorepo");
    try {
      write("package.json", JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }));
      for (const name of ["alpha", "beta"]) {
        write(`packages/${name}/package.json`, JSON.stringify({ name, type: "module", files: ["extensions/"] }));
        write(`packages/${name}/tsconfig.json`, JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, types: ["node"], typeRoots: [path.join(REPO, "node_modules", "@types")], skipLibCheck: true }, include: ["extensions"] }));
        write(`packages/${name}/extensions/store.ts`, `import { writeFileSync } from "node:fs";\nexport function save(file: string, data: unknown): void {\n  writeFileSync(file, JSON.stringify(data));\n}\n`);
      }
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      for (const name of ["alpha", "beta"]) {
        const runtime = path.join(dir, "packages", name, "extensions", "lib", "tornwrite-runtime.ts");
        assert.ok(fs.existsSync(runtime), `${name}: ${fixed.stdout}`);
        assert.match(fs.readFileSync(path.join(dir, "packages", name, "extensions", "store.ts"), "utf8"), /from "\.\/lib\/tornwrite-runtime\.js"/);
        const checked = typeCheck(path.join(dir, "packages", name));
        assert.equal(checked.status, 0, checked.output);
      }
      assert.ok(!fs.existsSync(path.join(dir, "src")) && !fs.existsSync(path.join(dir, "packages", "alpha", "src")), "nothing vendored outside what the packages ship");
    } finally {
      cleanup();
    }
  });

  it("a project on a TypeScript older than the runtime needs gets a clear refusal and no edit, not an artefact error (fix study, artsy-cli)", () => {
    const { dir, cleanup } = scratchProject("old-ts");
    try {
      fs.mkdirSync(path.join(dir, "src"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "old" }));
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", target: "es2017", strict: true }, include: ["src"] }));
      const source = `import * as fs from "fs";\nexport function save(file: string, data: string) {\n  fs.writeFileSync(file, data);\n}\n`;
      fs.writeFileSync(path.join(dir, "src", "config.ts"), source);
      // The project's own TypeScript: an old version's manifest over this repo's lib files.
      const typescriptDir = path.join(dir, "node_modules", "typescript");
      fs.mkdirSync(typescriptDir, { recursive: true });
      fs.cpSync(path.join(REPO, "node_modules", "typescript", "lib"), path.join(typescriptDir, "lib"), { recursive: true, filter: (file) => !/\.js$/.test(file) });
      fs.writeFileSync(path.join(typescriptDir, "package.json"), JSON.stringify({ name: "typescript", version: "3.5.3" }));
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stderr, /refused \S*src\/config\.ts: the vendored runtime needs TypeScript 4\.5 or later and this project has 3\.5\.3/);
      assert.equal(fs.readFileSync(path.join(dir, "src", "config.ts"), "utf8"), source);
      assert.ok(!fs.existsSync(path.join(dir, "src", "lib")), "nothing vendored");
    } finally {
      cleanup();
    }
  });

  it("a project whose own files cannot see Node's types gets the type check skipped, said so, and its fix (fix study, kintai-backend)", () => {
    const { dir, cleanup } = scratchProject("no-node-types");
    try {
      fs.mkdirSync(path.join(dir, "src"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "untyped", type: "module" }));
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "node", target: "ES2020", strict: true, types: [], typeRoots: [] }, include: ["src"] }));
      fs.writeFileSync(path.join(dir, "src", "store.ts"), `import * as fs from "fs";\nexport function save(file: string, data: string) {\n  fs.writeFileSync(file, data);\n}\n`);
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stderr, /type check skipped for \S*tsconfig\.json: the project does not type-check as it is: no Node\.js types \(TS2307 Cannot find module 'fs'/);
      assert.doesNotMatch(fixed.stderr, /refused/);
      assert.match(fs.readFileSync(path.join(dir, "src", "store.ts"), "utf8"), /atomicWriteFileSync\(file, data\)/);
    } finally {
      cleanup();
    }
  });

  it("fix says when the project's tests replace the fs module, which the runtime does not go through (fix study, bmalph)", () => {
    const { dir, cleanup } = copyFixture();
    try {
      fs.mkdirSync(path.join(dir, "tests"), { recursive: true });
      fs.writeFileSync(path.join(dir, "tests", "store.test.ts"), `import { vi } from "vitest";\nvi.mock("node:fs/promises");\n`);
      fs.writeFileSync(path.join(dir, "tests", "plain.test.ts"), `import { it } from "node:test";\nit("adds", () => {});\n`);
      // The test named after a source file (transcription.ts ↔ transcription.test.ts) mocks fs: that file's fix is refused.
      fs.writeFileSync(path.join(dir, "tests", "transcription.test.ts"), `import { vi } from "vitest";\nvi.mock("fs");\n`);
      const original = fs.readFileSync(path.join(dir, "src", "transcription.ts"), "utf8");
      const fixed = run(["fix", "--no-typecheck", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stderr, /refused \S*src\/transcription\.ts: its test \S*tests\/transcription\.test\.ts replaces the fs module/);
      assert.equal(fs.readFileSync(path.join(dir, "src", "transcription.ts"), "utf8"), original);
      assert.match(fixed.stderr, /note: 2 test files replace the fs module \(\S*tests\/store\.test\.ts, \S*tests\/transcription\.test\.ts\): the runtime calls node:fs itself/);
      const again = run(["fix", "--no-typecheck", dir]);
      assert.doesNotMatch(again.stderr, /note:/, "nothing changed, nothing to say");
    } finally {
      cleanup();
    }
  });

  it("the runtime import is written as the file writes its other relative imports (.js in an ESM package on node10 resolution; fix study, kintai-backend)", () => {
    const { dir, cleanup } = scratchProject("js-ext");
    try {
      fs.mkdirSync(path.join(dir, "src", "routes"), { recursive: true });
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "esm-node10", type: "module" }));
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "node", target: "ES2020", strict: true, types: ["node"], typeRoots: [path.join(REPO, "node_modules", "@types")], skipLibCheck: true }, include: ["src"] }));
      fs.writeFileSync(path.join(dir, "src", "util.ts"), "export const FILE = 'employees.json';\n");
      fs.writeFileSync(path.join(dir, "src", "routes", "employees.ts"), `import * as fs from "fs";\nimport { FILE } from "../util.js";\nexport function save(list: string[]) {\n  fs.writeFileSync(FILE, JSON.stringify(list));\n}\n`);
      // A file with no relative imports of its own follows the files beside it.
      fs.writeFileSync(path.join(dir, "src", "routes", "audit.ts"), `import * as fs from "fs";\nexport function saveAudit(line: string) {\n  fs.writeFileSync("audit.json", JSON.stringify([line]));\n}\n`);
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fs.readFileSync(path.join(dir, "src", "routes", "employees.ts"), "utf8"), /from "\.\.\/lib\/tornwrite-runtime\.js"/);
      assert.match(fs.readFileSync(path.join(dir, "src", "routes", "audit.ts"), "utf8"), /from "\.\.\/lib\/tornwrite-runtime\.js"/);
      const checked = typeCheck(dir);
      assert.equal(checked.status, 0, checked.output);
    } finally {
      cleanup();
    }
  });

  it("a NodeNext TypeScript project whose runtime was vendored as .mjs for a script gets a .ts twin and a single .js extension", () => {
    const { dir, cleanup } = copyFixture();
    try {
      fs.mkdirSync(path.join(dir, "src", "lib"), { recursive: true });
      fs.copyFileSync(path.join(REPO, "dist", "runtime", "tornwrite-runtime.mjs"), path.join(dir, "src", "lib", "tornwrite-runtime.mjs"));
      const fixed = run(["fix", dir]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.ok(fs.existsSync(path.join(dir, "src", "lib", "tornwrite-runtime.ts")), "no allowJs: a .ts twin beside the .mjs");
      const media = fs.readFileSync(path.join(dir, "src", "mediaStore.ts"), "utf8");
      assert.match(media, /from "\.\/lib\/tornwrite-runtime\.js"/);
      assert.doesNotMatch(media, /\.js\.js"/);
      const checked = typeCheck(dir);
      assert.equal(checked.status, 0, checked.output);
    } finally {
      cleanup();
    }
  });

  it("refuses, with the reason and no edit, a fix that would add a type error under the project's tsconfig (a URL path)", () => {
    const { dir, cleanup } = copyFixture();
    try {
      const file = path.join(dir, "src", "urlState.ts");
      const original = `import * as fs from "node:fs";\nimport { pathToFileURL } from "node:url";\n\nconst STATE = pathToFileURL("state.json");\n\nexport function saveState(state: object): void {\n  fs.writeFileSync(STATE, JSON.stringify(state));\n}\n`;
      fs.writeFileSync(file, original);
      const fixed = run(["fix", file]);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stderr, /refused .*urlState\.ts: the fix would add a type error: TS2345/);
      assert.equal(fs.readFileSync(file, "utf8"), original, "left unchanged");
      assert.ok(!fs.existsSync(path.join(dir, "src", "lib", "tornwrite-runtime.ts")), "no runtime vendored for a refused fix");
      assert.match(fixed.stdout, /0 files changed, 1 refused/);
      const unguarded = run(["fix", "--no-typecheck", file]);
      assert.equal(unguarded.status, 0, unguarded.stderr);
      assert.notEqual(fs.readFileSync(file, "utf8"), original, "--no-typecheck applies it");
      assert.notEqual(typeCheck(dir).status, 0, "and the project no longer type-checks: what the guard prevents");
    } finally {
      cleanup();
    }
  });

  it("a file with its own atomicWriteFileSync imports the runtime's under an alias: no duplicate identifier, no self-call", () => {
    const { dir, cleanup } = copyFixture();
    try {
      const own = path.join(dir, "src", "own.ts");
      fs.writeFileSync(
        own,
        `import * as fs from "node:fs";\n\nexport function atomicWriteFileSync(target: string, data: string): void {\n  const tmp = \`\${target}.tmp\`;\n  fs.writeFileSync(tmp, data);\n  fs.renameSync(tmp, target);\n}\n\nexport function saveState(file: string, state: object): void {\n  fs.writeFileSync(file, JSON.stringify(state));\n}\n`,
      );
      const fixed = run(["fix", own]);
      assert.equal(fixed.status, 0, fixed.stderr);
      const text = fs.readFileSync(own, "utf8");
      assert.match(text, /import \{ atomicWriteFileSync as tornwriteAtomicWriteFileSync \} from "\.\/lib\/tornwrite-runtime\.js";/);
      assert.match(text, /export function atomicWriteFileSync\(/, "the file's own function stays");
      assert.doesNotMatch(text.slice(text.indexOf("{", text.indexOf("export function atomicWriteFileSync")), text.indexOf("export function saveState")), /[^.\w]atomicWriteFileSync\(/, "its body does not call itself");
      const checked = typeCheck(dir);
      assert.equal(checked.status, 0, checked.output);
    } finally {
      cleanup();
    }
  });
});

describe("program facts from package.json", () => {
  it("a command-line tool's package (bin and an argument parser) runs its modules once per command: an async read-modify-write of its own file is not a lost update there; elsewhere it is (scale study, seed 51)", () => {
    const history = `import fs from "node:fs/promises";\nconst HISTORY_PATH = "data/history.json";\nexport async function insertHistory(entry: unknown) {\n  const h = JSON.parse(await fs.readFile(HISTORY_PATH, "utf-8"));\n  h.history.push(entry);\n  await fs.writeFile(HISTORY_PATH, JSON.stringify(h));\n}\n`;
    const rmwIn = (manifest: object) => {
      const { dir, write, cleanup } = scratchProject("program-facts");
      try {
        write("package.json", JSON.stringify(manifest));
        write("src/history.ts", history);
        const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { findings: { ruleId: string }[] }[] };
        return report.files.flatMap((file) => file.findings).filter((finding) => finding.ruleId === "unlocked-read-modify-write").length;
      } finally {
        cleanup();
      }
    };
    assert.equal(rmwIn({ name: "b64", bin: { b64: "./index.js" }, dependencies: { yargs: "^17.0.0" } }), 0);
    assert.equal(rmwIn({ name: "devnotes", bin: { devnotes: "./bin/run" }, dependencies: { "@oclif/command": "^1" } }), 0, "oclif v1's package (scale study, seed 63)");
    assert.equal(rmwIn({ name: "b64-lib", dependencies: { yargs: "^17.0.0" } }), 1, "no bin: a library another program may call concurrently");
    assert.equal(rmwIn({ name: "b64-server", bin: { b64: "./index.js" }, dependencies: { yargs: "^17.0.0", express: "^4.0.0" } }), 1, "a bin that also serves requests");
  });
});

describe(".tornwrite.json", () => {
  it("sets rule severities and ignore globs; unknown rule ids are reported, not ignored", () => {
    const { dir, cleanup } = copyFixture();
    try {
      fs.writeFileSync(
        path.join(dir, ".tornwrite.json"),
        JSON.stringify({ rules: { "non-atomic-write": "error", "check-then-act": "off", "no-such-rule": "warning" }, ignore: ["src/legacy/**"] }),
      );
      const result = run(["check", "--format", "json", dir]);
      const report = JSON.parse(result.stdout) as { files: { file: string; findings: { ruleId: string; severity: string }[] }[] };
      const findings = report.files.flatMap((file) => file.findings.map((finding) => ({ ...finding, file: file.file })));
      assert.ok(findings.some((finding) => finding.ruleId === "non-atomic-write" && finding.severity === "error"));
      assert.ok(!findings.some((finding) => finding.ruleId === "check-then-act"));
      assert.ok(!findings.some((finding) => finding.file.startsWith("src/legacy/")));
      assert.match(result.stderr, /unknown rule 'no-such-rule'/);
      // The command line wins over the file.
      const cli = JSON.parse(run(["check", "--format", "json", "--rule", "non-atomic-write=hint", dir]).stdout) as typeof report;
      assert.ok(cli.files.flatMap((file) => file.findings).some((finding) => finding.ruleId === "non-atomic-write" && finding.severity === "hint"));
    } finally {
      cleanup();
    }
  });
  it("the built-in defaults hold from every package folder around a file, not only the nearest (scale study: e2e/ and scripts/agent-evals/ have package.json files of their own)", () => {
    const { dir, write, cleanup } = scratchProject("nested-scripts");
    try {
      const store = `import * as fs from "node:fs";\nexport function saveSettings(settingsPath: string, data: object) {\n  fs.writeFileSync(settingsPath, JSON.stringify(data));\n}\n`;
      // `start:emoji` runs a download that `build` runs too, through `yarn start:emoji` (scale study, seed 70); a
      // deploy that builds and then starts the server still starts the program.
      write("package.json", JSON.stringify({ name: "root", scripts: { bundle: "node esbuild.js --minify", "docs:generate": "node --experimental-strip-types generateDocs.ts", start: "node src/server.js", setCurrentVersion: "node setCurrentVersion", "start:emoji": "node download-emoji-sheet.js", "start:watch": "node src/watch.js", build: "yarn start:emoji && yarn bundle", deploy: "npm run build && npm start", "test:store": "tsx src/checks/test-store.ts", "test:bot": "node src/bot.js debug" } }));
      write("download-emoji-sheet.js", store.replace(": string", "").replace(": object", ""));
      // Tests beside the code that the test scripts run, and a `test-*` module beside them; a test runner's own
      // `test-run.ts` elsewhere is code (scale study, seed 71), and so is the program a test script runs (seed 66).
      write("src/checks/test-store.ts", store);
      write("src/checks/test-sqlite.ts", store);
      write("src/runner/test-run.ts", store);
      write("src/bot.js", store.replace(": string", "").replace(": object", ""));
      write("src/watch.js", store.replace(": string", "").replace(": object", ""));
      write("src/store.ts", store);
      write("esbuild.js", store);
      write("generateDocs.ts", store);
      write("src/server.js", store.replace(": string", "").replace(": object", ""));
      write("scripts/agent-evals/package.json", JSON.stringify({ name: "evals" }));
      write("scripts/agent-evals/src/runner.ts", store);
      write("e2e/package.json", JSON.stringify({ name: "e2e" }));
      write("e2e/global-setup.ts", store);
      write("src/test-helpers/cli.ts", store);
      // A testing/ folder of test tooling (scale study, seed 47: quasar's ui/testing/specs/).
      write("ui/testing/specs/testFile.js", store.replace(": string", "").replace(": object", ""));
      write("evals/test-helper.ts", store);
      // Cypress's and Playwright's own folders and spec names are end-to-end tests (scale study, seed 28).
      write("cypress/utils/config.js", store.replace(": string", "").replace(": object", ""));
      write("playwright/fixtures.ts", store);
      write("src/login.cy.ts", store);
      write("integration-tests/_helpers/prereqs.ts", store);
      write("src/masking.eval.ts", store);
      // Angular's and Go-style test names (scale study, seed 30).
      write("src/update/cli_spec.ts", store);
      write("src/update/resolver_test.ts", store);
      // And hyphenated ones (scale study, seed 73: a bot's `bots/keeper/e2e-test.ts`).
      write("bots/keeper/e2e-test.ts", store);
      write("Makefile.js", store);
      // End-to-end helper packages by their name, test doubles by theirs, a package's build tasks (scale study, seed 32).
      write("packages/amplify-e2e-core/package.json", JSON.stringify({ name: "amplify-e2e-core" }));
      write("packages/amplify-e2e-core/src/utils/api.ts", store);
      write("packages/core/package-manager/src/MockPackageInstaller.js", store.replace(": string", "").replace(": object", ""));
      write("tasks/post-build.ts", store);
      // Build tools and vendored code (scale study, seed 33).
      write("bin/build-tools/lib/build-linux.ts", store);
      write("third-party/download-content-shell/utils.ts", store);
      write("src/vendor/lib.ts", store);
      write("src/tasks/store.ts", store);
      write("packages/tools/package.json", JSON.stringify({ name: "tools" }));
      write("packages/tools/update-readme.ts", store);
      // Spec helpers and test folders named with a prefix (`src/__specs__/`, `test-tap/`), and `npm init`
      // scaffolders (`packages/create-app/`) (scale study, seed 34).
      write("src/__specs__/utils/fsHelpers.ts", store);
      write("test-tap/integration/snapshots.ts", store);
      write("packages/create-app/package.json", JSON.stringify({ name: "create-slidev" }));
      write("packages/create-app/index.ts", store);
      write("src/created/store.ts", store);
      // Build code in a nested build/ folder (scale study, seed 36).
      write("modules/asset/lib/build/internals.ts", store);
      // A build tools module beside the build script (`bin/build-tools.js`, scale study, seed 38).
      write("bin/build-tools.js", store.replace(": string", "").replace(": object", ""));
      // A script npm runs by its name without the extension, a camel-case test file (not `latest.ts`), and a
      // Docker image's build step (scale study, seed 39).
      write("setCurrentVersion.js", store.replace(": string", "").replace(": object", ""));
      write("src/utility/externalSortTest.js", store.replace(": string", "").replace(": object", ""));
      write("src/latest.ts", store);
      write("docker/windowsservercore/editConfig.js", store.replace(": string", "").replace(": object", ""));
      // Maintainers' generators in a maintenance folder, release scripts in the root releases/ folder, and an
      // app module named releases deeper down (scale study, seed 40).
      write("packages/cc/maintenance/generateCCExports.ts", store);
      write("releases/translations/merge-translations.js", store.replace(": string", "").replace(": object", ""));
      write("src/releases/store.ts", store);
      // A developer script in a dev-scripts/ folder (scale study, seed 41).
      write("dev-scripts/clear-pro-config.js", store.replace(": string", "").replace(": object", ""));
      // React Native's Detox end-to-end folder and a build-setup/ folder of build code (scale study, seed 45).
      write("detox/utils/report.js", store.replace(": string", "").replace(": object", ""));
      write("build-setup/skip-server.ts", store);
      // A package's root docs/ site and its build scripts, and an app module named docs deeper down (scale study, seeds 48 and 51).
      write("docs/post_build.mjs", store.replace(": string", "").replace(": object", ""));
      // A root doc/ with an annotated copy of the program, and an app module named doc deeper down (scale study, seed 62).
      write("doc/commented/src/fileIO.js", store.replace(": string", "").replace(": object", ""));
      write("src/doc/store.ts", store);
      // A test runner's config named .conf (scale study, seed 52).
      write("karma.conf.js", store.replace(": string", "").replace(": object", ""));
      write("src/docs/store.ts", store);
      // A bundler or compiler plugin, by its package name or its module's name, writes its build's output; an app's
      // plugins/ folder is still code (scale study, seed 53).
      write("packages/extractor/package.json", JSON.stringify({ name: "@hh.ru/babel-plugin-static-value-extractor" }));
      write("packages/extractor/src/index.js", store.replace(": string", "").replace(": object", ""));
      write("src/core/build/vite-plugin-ssr-assets.ts", store);
      write("src/plugins/store.ts", store);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const files = report.files.filter((file) => file.findings.some((finding) => finding.ruleId === "non-atomic-write")).map((file) => file.file);
      // What `npm start` runs is the program; what the one-off scripts run (bundle, docs:generate) are scripts.
      assert.deepEqual(files.sort(), ["src/bot.js", "src/created/store.ts", "src/doc/store.ts", "src/docs/store.ts", "src/latest.ts", "src/plugins/store.ts", "src/releases/store.ts", "src/runner/test-run.ts", "src/server.js", "src/store.ts", "src/tasks/store.ts", "src/watch.js"]);
    } finally {
      cleanup();
    }
  });
  it("an init command's folder or module is one interactive run: its races and new files are not reported, its in-place rewrites are (scale study, seeds 16, 32 and 46)", () => {
    const { dir, write, cleanup } = scratchProject("init-command");
    try {
      const patch = `import * as fs from "node:fs";\nexport function addIgnore(gitIgnorePath: string) {\n  if (fs.existsSync(gitIgnorePath)) {\n    const text = fs.readFileSync(gitIgnorePath, "utf8");\n    fs.writeFileSync(gitIgnorePath, text + "\\n.amplify");\n  }\n}\n`;
      write("package.json", JSON.stringify({ name: "cli" }));
      write("src/commands/init/editTemplate.ts", patch);
      write("src/commands/upgrade.ts", patch);
      // A module named init (seed 46: `src/devfile/init.ts`), and an init step's record of a new component.
      write("src/devfile/init.ts", patch);
      const record = `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport async function writeInitState(projectPath: string, state: object) {\n  await fs.promises.writeFile(path.join(projectPath, ".odo", "initstate.json"), JSON.stringify(state));\n}\n`;
      write("src/devfile/state/init.ts", record);
      write("src/devfile/state/record.ts", record);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const rules = (file: string) => (report.files.find((each) => each.file === file)?.findings ?? []).map((finding) => finding.ruleId).sort();
      assert.deepEqual(rules("src/commands/init/editTemplate.ts"), ["non-atomic-write"]);
      assert.deepEqual(rules("src/commands/upgrade.ts"), ["check-then-act", "non-atomic-write"]);
      assert.deepEqual(rules("src/devfile/init.ts"), ["non-atomic-write"]);
      assert.deepEqual(rules("src/devfile/state/init.ts"), []);
      assert.deepEqual(rules("src/devfile/state/record.ts"), ["non-atomic-write"]);
    } finally {
      cleanup();
    }
  });
  it("a script's resume state reset after a failed parse and its predictable temp name are not reported; a scaffolder's are (scale study, seeds 36, 38 and 42)", () => {
    const { dir, write, cleanup } = scratchProject("script-state");
    try {
      const store = `import * as fs from "node:fs";\nimport * as os from "node:os";\nimport * as path from "node:path";\nconst file = path.join(os.homedir(), ".tool", "state.json");\nfunction readAll(): Record<string, unknown> {\n  try {\n    return JSON.parse(fs.readFileSync(file, "utf8"));\n  } catch {\n    return {};\n  }\n}\nexport function set(key: string, value: unknown) {\n  const data = readAll();\n  data[key] = value;\n  fs.writeFileSync(file, JSON.stringify(data));\n}\n`;
      write("package.json", JSON.stringify({ name: "tool" }));
      write("scripts/publish-release.ts", store);
      write("packages/create-tool/package.json", JSON.stringify({ name: "create-tool" }));
      write("packages/create-tool/src/store.ts", store);
      // A predictable temp name in a maintainers' script folder is not reported: six of the seven found there were
      // self-tests, release notes and packaging folders on a developer's machine or a CI runner (seeds 38, 42);
      // seed 36's cryptpad build in /tmp is the price. A scaffolder users install keeps the rule.
      const scratch = `import * as fs from "node:fs";\nimport * as os from "node:os";\nimport * as path from "node:path";\nexport function writeTemp(data: string) {\n  const file = path.join(os.tmpdir(), \`tool-test-\${process.pid}.json\`);\n  fs.writeFileSync(file, data);\n  return file;\n}\n`;
      write("scripts/self-test.ts", scratch);
      write("packages/create-tool/src/scratch.ts", scratch);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const rules = (file: string) => (report.files.find((each) => each.file === file)?.findings ?? []).map((finding) => finding.ruleId).sort();
      assert.deepEqual(rules("scripts/publish-release.ts"), []);
      assert.deepEqual(rules("packages/create-tool/src/store.ts"), ["parse-failure-overwrite"]);
      assert.deepEqual(rules("scripts/self-test.ts"), []);
      assert.deepEqual(rules("packages/create-tool/src/scratch.ts"), ["insecure-temp-file"]);
    } finally {
      cleanup();
    }
  });
  it("a package named create-<x> is an npm init scaffolder wherever it is checked out (scale study, seed 43: create-vue)", () => {
    const { dir, write, cleanup } = scratchProject("scaffolder-package");
    try {
      const patch = `import * as fs from "node:fs";\nexport function appendIgnore(gitIgnorePath: string, extra: string) {\n  if (fs.existsSync(gitIgnorePath)) {\n    fs.writeFileSync(gitIgnorePath, fs.readFileSync(gitIgnorePath, "utf8") + extra);\n  }\n}\n`;
      write("package.json", JSON.stringify({ name: "create-thing", bin: { "create-thing": "index.js" } }));
      write("utils/renderTemplate.ts", patch);
      write("packages/starter/package.json", JSON.stringify({ name: "@scope/create-starter" }));
      write("packages/starter/src/render.ts", patch);
      write("packages/lib/package.json", JSON.stringify({ name: "created-things" }));
      write("packages/lib/src/render.ts", patch);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const rules = (file: string) => (report.files.find((each) => each.file === file)?.findings ?? []).map((finding) => finding.ruleId).sort();
      assert.deepEqual(rules("utils/renderTemplate.ts"), []);
      assert.deepEqual(rules("packages/starter/src/render.ts"), []);
      assert.deepEqual(rules("packages/lib/src/render.ts"), ["non-atomic-write"]);
    } finally {
      cleanup();
    }
  });
  it("a backup copy kept beside its module is not checked; a module named for making backups is (scale study, seed 62)", () => {
    const { dir, write, cleanup } = scratchProject("copies-beside");
    try {
      const store = `const fs = require("fs");\nexports.saveSettings = (settingsPath, data) => fs.writeFileSync(settingsPath, JSON.stringify(data));\n`;
      write("package.json", JSON.stringify({ name: "app" }));
      write("src/memory-extension.ts", store);
      write("src/memory-extension-backup.ts", store);
      write("src/store.old.js", store);
      write("src/store.js", store);
      write("src/auto-backup.js", store);
      write("src/notes copy.js", store);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const files = report.files.filter((file) => file.findings.some((finding) => finding.ruleId === "non-atomic-write")).map((file) => file.file).sort();
      assert.deepEqual(files, ["src/auto-backup.js", "src/memory-extension.ts", "src/notes copy.js", "src/store.js"]);
    } finally {
      cleanup();
    }
  });
  it("a compiled copy committed beside its TypeScript source is not checked; an output-named folder with no source twin is (scale study, seed 64)", () => {
    const { dir, write, cleanup } = scratchProject("compiled-copies");
    try {
      const store = `const fs = require("fs");\nexports.saveSettings = (settingsPath, data) => fs.writeFileSync(settingsPath, JSON.stringify(data));\n`;
      write("package.json", JSON.stringify({ name: "bot", main: "out/storage.js" }));
      write("src/storage.ts", store);
      write("out/storage.js", store);
      write("src/db/index.ts", store);
      write("lib/db/index.js", store);
      write("lib/helpers.js", store);
      // tsc with no outDir: the compiled twin sits beside its source (scale study, seed 77); a .js beside a .d.ts only is code.
      write("web/routes/config.routes.ts", store);
      write("web/routes/config.routes.js", store);
      write("web/routes/data.js", store);
      write("web/routes/data.d.ts", "export declare function saveSettings(p: string, d: unknown): void;\n");
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const files = report.files.filter((file) => file.findings.some((finding) => finding.ruleId === "non-atomic-write")).map((file) => file.file).sort();
      assert.deepEqual(files, ["lib/helpers.js", "src/db/index.ts", "src/storage.ts", "web/routes/config.routes.ts", "web/routes/data.js"]);
    } finally {
      cleanup();
    }
  });
  it("bin/ and utils/ of a private monorepo root hold the maintainers' scripts; a published package's bin/ is its CLI (scale study, seeds 29-30)", () => {
    const { dir, write, cleanup } = scratchProject("monorepo-bin");
    try {
      const store = `const fs = require("fs");\nexports.saveSettings = (settingsPath, data) => fs.writeFileSync(settingsPath, JSON.stringify(data));\n`;
      write("package.json", JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"], scripts: { start: "node server.js" } }));
      write("bin/create-test-app.js", store);
      write("utils/pack.js", store);
      // Loose scripts in the root (scale study, seed 70: `apply-mcp-fixes.mjs` beside `packages/`); the file its
      // start script runs is the root's own program.
      write("apply-mcp-fixes.mjs", store.replace("const fs = require(\"fs\");", "import fs from \"fs\";").replace("exports.saveSettings =", "export const saveSettings ="));
      write("server.js", store);
      // Dead code kept in a root archive folder (seed 70: `archived/credit-optimizer-mcp/`), and an app's own archive feature.
      write("archived/old-mcp/package.json", JSON.stringify({ name: "old-mcp" }));
      write("archived/old-mcp/src/database.js", store);
      write("packages/cli/package.json", JSON.stringify({ name: "the-cli", bin: { "the-cli": "bin/cli.js" } }));
      write("packages/cli/bin/cli.js", store);
      write("packages/cli/src/archive/store.js", store);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const files = report.files.filter((file) => file.findings.some((finding) => finding.ruleId === "non-atomic-write")).map((file) => file.file).sort();
      assert.deepEqual(files, ["packages/cli/bin/cli.js", "packages/cli/src/archive/store.js", "server.js"]);
    } finally {
      cleanup();
    }
  });
  it("a VS Code extension's root utils/ beside the folder its main starts from holds maintainers' scripts; one whose main is in utils/ ships it (scale study, seed 49: playwright-vscode)", () => {
    const { dir, write, cleanup } = scratchProject("extension-utils");
    try {
      const store = `const fs = require("fs");\nexports.saveSettings = (settingsPath, data) => fs.writeFileSync(settingsPath, JSON.stringify(data));\n`;
      write("tooling/package.json", JSON.stringify({ name: "ext", publisher: "me", engines: { vscode: "^1.90.0" }, main: "./out/extension.js" }));
      write("tooling/utils/roll-locally.js", store);
      write("shipped/package.json", JSON.stringify({ name: "ext2", publisher: "me", engines: { vscode: "^1.90.0" }, main: "./utils/extension.js" }));
      write("shipped/utils/store.js", store);
      write("library/package.json", JSON.stringify({ name: "lib", main: "./out/index.js" }));
      write("library/utils/store.js", store);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const files = report.files.filter((file) => file.findings.some((finding) => finding.ruleId === "non-atomic-write")).map((file) => file.file).sort();
      assert.deepEqual(files, ["library/utils/store.js", "shipped/utils/store.js"]);
    } finally {
      cleanup();
    }
  });
  it("a script's fixed temp name and leftover temp, and a project template's write into the project it created, are not reported; the program's are (scale study, seed 27)", () => {
    const { dir, write, cleanup } = scratchProject("script-temps");
    try {
      const translate = `import { promises as fs } from "node:fs";\nexport async function save(target, data) {\n  const tempPath = \`\${target}.tmp\`;\n  await fs.writeFile(tempPath, data);\n  await fs.rename(tempPath, target);\n}\n`;
      write("package.json", JSON.stringify({ name: "app" }));
      write("script/translate.mjs", translate);
      write("src/store.mjs", translate);
      // A project template patches the package.json of the project init just created.
      write("packages/template/vite/src/ViteTemplate.ts", `import * as fs from "fs-extra";\nimport * as path from "path";\nexport async function initializeTemplate(directory: string) {\n  const pjPath = path.resolve(directory, "package.json");\n  const currentPJ = await fs.readJson(pjPath);\n  currentPJ.main = ".vite/build/main.js";\n  await fs.writeJson(pjPath, currentPJ, { spaces: 2 });\n}\n`);
      write("src/import.ts", `import * as fs from "fs-extra";\nimport * as path from "path";\nexport async function importProject(directory: string) {\n  const pjPath = path.resolve(directory, "package.json");\n  const currentPJ = await fs.readJson(pjPath);\n  currentPJ.main = ".vite/build/main.js";\n  await fs.writeJson(pjPath, currentPJ, { spaces: 2 });\n}\n`);
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      const rulesIn = (file: string) => (report.files.find((each) => each.file === file)?.findings ?? []).map((finding) => finding.ruleId);
      assert.ok(rulesIn("src/store.mjs").includes("colliding-temp-name") && rulesIn("src/store.mjs").includes("temp-not-cleaned"), JSON.stringify(report));
      assert.deepEqual(rulesIn("script/translate.mjs").filter((rule) => rule === "colliding-temp-name" || rule === "temp-not-cleaned"), []);
      assert.ok(rulesIn("src/import.ts").includes("non-atomic-write"), JSON.stringify(report));
      assert.deepEqual(rulesIn("packages/template/vite/src/ViteTemplate.ts"), []);
    } finally {
      cleanup();
    }
  });
});

describe("workspace-wide checks in the CLI", () => {
  const CROSS_FILE = path.join(REPO, "test", "fixtures", "cross-file-workspace");

  it("reports a lock-order inversion across files at both sites, and a wrapper's in-place write at its caller", () => {
    const text = run(["check", CROSS_FILE]);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /^src\/accounts\.ts\n {2}7:11 +warning +LEDGER_FILE is locked while ACCOUNTS_FILE is held, and \.\/jobs\/nightly\.ts:7 locks them/m);
    assert.match(text.stdout, /^ {22}src\/jobs\/nightly\.ts:7:11 paths\.ACCOUNTS_FILE is locked here while paths\.LEDGER_FILE is held$/m);
    assert.match(text.stdout, /^ {2}8:7 +warning +saveJson \(\.\/jsonStore\.ts:5\) replaces ACCOUNTS_FILE in place with fs\.writeFileSync/m);
    assert.match(text.stdout, /^src\/jobs\/nightly\.ts\n {2}7:11 +warning +paths\.ACCOUNTS_FILE is locked while paths\.LEDGER_FILE is held, and \.\.\/accounts\.ts:7/m);

    const sarifLog = JSON.parse(run(["check", "--format", "sarif", CROSS_FILE]).stdout) as sarif.Log;
    const inversion = sarifLog.runs[0]!.results!.find((r) => r.ruleId === "lock-order-inversion" && r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === "src/accounts.ts");
    assert.deepEqual(inversion?.relatedLocations?.map((l) => [l.physicalLocation?.artifactLocation?.uri, l.physicalLocation?.region?.startLine]), [["src/jobs/nightly.ts", 7]]);

    // Checking one file alone still sees the others it imports, but not the opposite order it cannot know of.
    const alone = run(["check", "--format", "json", path.join(CROSS_FILE, "src", "accounts.ts")]);
    const ids = (JSON.parse(alone.stdout) as { files: { findings: { ruleId: string }[] }[] }).files.flatMap((f) => f.findings.map((x) => x.ruleId));
    assert.deepEqual(ids, ["non-atomic-write"]);
  });

  it("reports a read-modify-write made through another module's read and write helpers at the write-back, with both helpers as related locations", () => {
    const { dir, cleanup } = copyFixture(path.join(REPO, "test", "fixtures", "cross-module-cycle"));
    try {
      const report = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string; line: number; message: string; related?: { file: string; line: number }[] }[] }[] };
      const server = report.files.find((file) => file.file === "src/server.ts")?.findings ?? [];
      assert.deepEqual(server.map((finding) => [finding.ruleId, finding.line]), [["unlocked-read-modify-write", 9]]);
      assert.match(server[0]!.message, /^homedir\(\)\/\.notes-app\/settings\.json was read on line 7 \(readSettings\) and is written back here \(writeSettings\)/);
      // The helpers' own write is fixed in place; the cycle needs a lock the caller takes, so it stays.
      assert.equal(run(["fix", dir]).status, 0);
      const after = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      assert.deepEqual(after.files.map((file) => [file.file, file.findings.map((finding) => finding.ruleId)]), [["src/server.ts", ["unlocked-read-modify-write"]]]);
    } finally {
      cleanup();
    }
  });

  it("fixing the wrapper clears its callers; the inversion, which has no mechanical fix, stays", () => {
    const { dir, cleanup } = copyFixture(CROSS_FILE);
    try {
      assert.equal(run(["fix", dir]).status, 0);
      const after = JSON.parse(run(["check", "--format", "json", dir]).stdout) as { files: { file: string; findings: { ruleId: string }[] }[] };
      assert.deepEqual(after.files.map((f) => [f.file, f.findings.map((x) => x.ruleId)]), [["src/accounts.ts", ["lock-order-inversion"]], ["src/jobs/nightly.ts", ["lock-order-inversion"]]]);
      const checked = typeCheck(dir);
      assert.equal(checked.status, 0, checked.output);
    } finally {
      cleanup();
    }
  });
});

import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { analyze, analyzeWithFacts } from "../../server/src/engine/analyze";
import { workspaceFindings, type AnalysedModule } from "../../server/src/engine/workspace/crossFile";
import { resolveImport } from "../../server/src/engine/workspace/resolve";
import { accessorNames, mayCallAccessors } from "../../server/src/engine/workspace/importedCycles";
import type { Finding, RuleSetting } from "../../server/src/engine/types";
import { programFacts } from "../../server/src/project/config";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The workspace checks over in-memory files, as the CLI runs them (every file's calls read; files that call the
 * workspace's read and write helpers analysed again with their names).
 */
function check(files: Record<string, string>, rules: Record<string, RuleSetting> = {}): Map<string, Finding[]> {
  const modules = new Map<string, AnalysedModule>();
  for (const [fileName, text] of Object.entries(files)) modules.set(fileName, analyzeWithFacts(fileName, text, { rules }, "always"));
  const importedAccessors = accessorNames([...modules].map(([fileName, module]) => [fileName, module.facts]));
  for (const [fileName, text] of Object.entries(files)) {
    if (mayCallAccessors(text, importedAccessors)) modules.set(fileName, analyzeWithFacts(fileName, text, { rules, importedAccessors }, "always"));
  }
  return workspaceFindings(modules, () => rules);
}

const STORE = `import * as fs from "node:fs";
export function saveJson(file: string, value: unknown) {
  fs.writeFileSync(file, JSON.stringify(value));
}
export const saveText = (dir: string, text: string) => fs.writeFileSync(dir + "/notes.txt", text);
export function saveAtomically(file: string, value: unknown) {
  const tmp = file + "." + process.pid + "." + Math.random().toString(36).slice(2);
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}
`;

describe("workspace-wide checks", () => {
  it("a call of another module's in-place writer is reported at the call, naming the caller's path", () => {
    const findings = check({
      "/w/src/store.ts": STORE,
      "/w/src/settings.ts": `import { saveJson, saveText, saveAtomically } from "./store";\nconst SETTINGS = "settings.json";\nexport function persist(v: object) {\n  saveJson(SETTINGS, v);\n  saveText(process.cwd(), "x");\n  saveAtomically(SETTINGS, v);\n}\n`,
    });
    const calls = findings.get("/w/src/settings.ts") ?? [];
    assert.deepEqual(calls.map((f) => [f.ruleId, f.range.start.line]), [["non-atomic-write", 3], ["non-atomic-write", 4]]);
    assert.match(calls[0]!.message, /^saveJson \(\.\/store\.ts:3\) replaces SETTINGS in place with fs\.writeFileSync/);
    assert.match(calls[1]!.message, /replaces dir \+ "\/notes\.txt" \(dir = process\.cwd\(\)\)/);
    assert.deepEqual(calls[0]!.related?.map((r) => [r.fileName, r.range.start.line]), [["/w/src/store.ts", 2]]);
    assert.equal(calls[0]!.fixable, false);
    assert.equal(findings.get("/w/src/store.ts"), undefined, "the wrapper's own write is the per-file rule's finding");
    assert.equal(analyze("/w/src/store.ts", STORE).filter((f) => f.ruleId === "non-atomic-write").length, 2);
  });

  it("the calls of one writer that write the same file are one finding, the later calls related (scale study, seed 75)", () => {
    const findings = check({
      "/w/src/store.ts": `import * as fs from "node:fs";\nexport function saveMeta(info: { statePath: string }, meta: object) {\n  fs.writeFileSync(info.statePath, JSON.stringify(meta));\n}\n`,
      "/w/src/extension.ts": `import { saveMeta } from "./store";\nconst storage = { statePath: "/w/.state/state.json" };\nconst other = { statePath: "/w/.state/other.json" };\nexport function open(meta: object) {\n  saveMeta(storage, meta);\n}\nexport function close(meta: object) {\n  saveMeta(storage, meta);\n  saveMeta(other, meta);\n}\n`,
    });
    const calls = findings.get("/w/src/extension.ts") ?? [];
    assert.deepEqual(calls.map((f) => f.range.start.line), [4, 8], "storage's two calls are one finding; other's file is another");
    assert.deepEqual(calls[0]!.related?.map((r) => [r.fileName, r.range.start.line]), [["/w/src/store.ts", 2], ["/w/src/extension.ts", 7]]);
  });

  it("a wrapper's call where a check just found the file missing creates it: not reported (scale study, seed 35)", () => {
    const findings = check({
      "/w/src/store.ts": STORE,
      "/w/src/config.ts": `import * as fs from "node:fs";\nimport { saveJson } from "./store";\nconst CONFIG = "config.json";\nexport function getOrCreate(defaults: object) {\n  if (!fs.existsSync(CONFIG)) {\n    saveJson(CONFIG, defaults);\n  }\n  return JSON.parse(fs.readFileSync(CONFIG, "utf8"));\n}\nexport function update(v: object) {\n  if (fs.existsSync(CONFIG)) saveJson(CONFIG, v);\n}\n`,
    });
    assert.deepEqual((findings.get("/w/src/config.ts") ?? []).map((f) => [f.ruleId, f.range.start.line]), [["non-atomic-write", 10]]);
  });

  it("follows every import form: renamed, default, namespace, require, destructured require, module.exports", () => {
    const cjs = `const fs = require("fs");\nfunction write(p, d) { fs.writeFileSync(p, d); }\nmodule.exports = { write, put: write };\n`;
    const findings = check({
      "/w/lib/store.cjs": cjs,
      "/w/lib/one.js": `const fs = require("fs");\nmodule.exports = function (p, d) { fs.writeFileSync(p, d); };\n`,
      "/w/lib/def.ts": `import * as fs from "fs";\nexport default function save(p: string) { fs.writeFileSync(p, "{}"); }\n`,
      "/w/lib/a.js": `const store = require("./store.cjs");\nconst { put } = require("./store.cjs");\nconst one = require("./one");\nstore.write("settings.json", "{}");\nput("state.json", "{}");\none("config.json", "{}");\n`,
      "/w/lib/b.ts": `import save from "./def";\nimport * as all from "./def.js";\nimport { write as w } from "./store.cjs";\nsave("profile.json");\nw("session.json", "");\n`,
    });
    assert.deepEqual((findings.get("/w/lib/a.js") ?? []).map((f) => f.message.split(" (")[0]), ["store.write", "put", "one"]);
    assert.deepEqual((findings.get("/w/lib/b.ts") ?? []).map((f) => f.message.split(" (")[0]), ["save", "w"]);
  });

  it("a wrapper's caller is reported when it writes state: spelled as state, or a function named for keeping on either side", () => {
    const findings = check({
      "/w/src/files.ts": `import * as fs from "node:fs";\nexport function writeOut(file: string, text: string) {\n  fs.writeFileSync(file, text);\n}\n`,
      "/w/src/build.ts": `import { writeOut } from "./files";\nexport function render(dir: string, html: string) {\n  writeOut(dir + "/index.html", html);\n}\nexport function remember(v: object) {\n  writeOut("prefs.json", JSON.stringify(v));\n}\nexport function saveDraft(text: string) {\n  writeOut("draft.md", text);\n}\n`,
    });
    assert.deepEqual((findings.get("/w/src/build.ts") ?? []).map((f) => f.range.start.line), [5, 8], "not the rendered page: an output, regenerated by running again");
  });

  it("a wrapper's caller writing a cache or build output by its name is not reported (scale study, seed 38)", () => {
    const findings = check({
      "/w/src/util.ts": `import * as fs from "node:fs";\nexport function writeFile(file: string, text: string) {\n  fs.writeFileSync(file, text);\n}\n`,
      "/w/src/make.ts": `import * as util from "./util";\nimport * as os from "node:os";\nconst configurationCachePath = os.homedir() + "/.app/configurationCache.log";\nconst settingsPath = os.homedir() + "/.app/settings.json";\nexport function save(cache: object, settings: object) {\n  util.writeFile(configurationCachePath, JSON.stringify(cache));\n  util.writeFile(settingsPath, JSON.stringify(settings));\n}\n`,
    });
    assert.deepEqual((findings.get("/w/src/make.ts") ?? []).map((f) => f.range.start.line), [6]);
  });

  it("a wrapper's caller writing into a server bundler's output (options.output.dir, .output/, .vercel/output/, a const joined under one) is not reported (scale study, seed 40)", () => {
    const findings = check({
      "/w/src/_utils/fs.ts": `import { promises as fsp } from "node:fs";\nexport async function writeFile(file: string, text: string) {\n  await fsp.writeFile(file, text);\n}\n`,
      "/w/src/presets/vercel.ts": `import { writeFile } from "../_utils/fs";\nimport { resolve } from "node:path";\nimport * as os from "node:os";\nexport async function generate(nitro: { options: { output: { dir: string; serverDir: string; publicDir: string } } }, config: object) {\n  await writeFile(resolve(nitro.options.output.serverDir, ".vc-config.json"), JSON.stringify(config));\n  await writeFile(resolve(nitro.options.output.dir, "web.config"), "<configuration/>");\n  await writeFile(resolve(nitro.options.output.publicDir, "_headers"), "");\n  await writeFile(".output/nitro.json", JSON.stringify(config));\n  await writeFile(".vercel/output/config.json", JSON.stringify(config));\n  const functionConfigPath = resolve(nitro.options.output.serverDir, "functions", ".vc-config.json");\n  await writeFile(functionConfigPath, JSON.stringify(config));\n  await writeFile(os.homedir() + "/.nitro/settings.json", JSON.stringify(config));\n}\n`,
    });
    assert.deepEqual((findings.get("/w/src/presets/vercel.ts") ?? []).map((f) => f.range.start.line), [11]);
  });

  it("a cache module's call of a wrapper writes its cache; the same call elsewhere is reported (scale study, seed 39)", () => {
    const util = `import * as fs from "node:fs";\nexport function writeJSON(file: string, data: object) {\n  fs.writeFileSync(file, JSON.stringify(data));\n}\n`;
    const caller = `import { writeJSON } from "./utils";\nimport * as os from "node:os";\nexport function save(entries: object) {\n  writeJSON(os.homedir() + "/.app/entries.json", entries);\n}\n`;
    const findings = check({ "/w/src/utils.ts": util, "/w/src/cache.ts": caller, "/w/src/settings.ts": caller });
    assert.equal(findings.get("/w/src/cache.ts"), undefined);
    assert.deepEqual((findings.get("/w/src/settings.ts") ?? []).map((f) => f.range.start.line), [3]);
  });

  it("no report for atomic wrappers, shadowed names, package imports, disabled lines or the rule turned off", () => {
    const files = {
      "/w/store.ts": STORE,
      "/w/caller.ts": `import { saveJson, saveAtomically } from "./store";\nimport { saveJson as pkg } from "store";\nexport function a(v: object) {\n  saveAtomically("x.json", v);\n  pkg("y.json", v);\n  // tornwrite-disable-next-line non-atomic-write\n  saveJson("z.json", v);\n}\nexport function b(saveJson: (p: string) => void) { saveJson("w.json"); }\n`,
    };
    assert.deepEqual(check(files).get("/w/caller.ts") ?? [], []);
    const off = check({ ...files, "/w/other.ts": `import { saveJson } from "./store";\nsaveJson("v.json", 1);\n` }, { "non-atomic-write": "off" });
    assert.equal(off.get("/w/other.ts"), undefined);
  });

  it("a read-modify-write through another module's read and write helpers is reported at the write-back (labelled study batch E)", () => {
    const data = `const fs = require("node:fs/promises");\nconst queue = [];\nfunction enqueue(task) {\n  const run = (queue.at(-1) ?? Promise.resolve()).then(task);\n  queue.push(run);\n  return run;\n}\nmodule.exports = {\n  async readJSONFile(file) {\n    return await enqueue(async () => JSON.parse(await fs.readFile(file, "utf8")));\n  },\n  async writeJSONFile(file, data) {\n    return await enqueue(async () => fs.writeFile(file, JSON.stringify(data)));\n  },\n};\n`;
    const findings = check({
      "/w/data.js": data,
      "/w/commands/team.js": `const data = require("../data.js");\nasync function registerTeam(name, creator) {\n  const teams = await data.readJSONFile("data/teams.json");\n  teams[name] = { creator };\n  await data.writeJSONFile("data/teams.json", teams);\n}\nasync function resetScores() {\n  const teams = await data.readJSONFile("data/teams.json");\n  await data.writeJSONFile("data/scores.json", teams);\n  await data.writeJSONFile("data/teams.json", {});\n}\nmodule.exports = { registerTeam, resetScores };\n`,
    });
    const found = findings.get("/w/commands/team.js") ?? [];
    // A copy to another file and a write of fresh data are no cycle.
    assert.deepEqual(found.map((f) => [f.ruleId, f.range.start.line]), [["unlocked-read-modify-write", 4]]);
    assert.match(found[0]!.message, /^"data\/teams\.json" was read on line 3 \(data\.readJSONFile\) and is written back here \(data\.writeJSONFile\)/);
    assert.deepEqual(found[0]!.related?.map((r) => [r.fileName, r.range.start.line]), [["/w/data.js", 8], ["/w/data.js", 11]]);
  });

  it("a settings module's load and save helpers that spell the per-user path themselves: the cycle in a prompt-driven command is reported, one under a lock or on a cache is not", () => {
    const read = `import { readFile } from "node:fs/promises";\nimport { homedir } from "node:os";\nimport { join } from "node:path";\nexport async function readSetting() {\n  const settingPath = join(homedir(), ".tool.json");\n  return JSON.parse(await readFile(settingPath, "utf-8"));\n}\nexport async function readCache() {\n  return JSON.parse(await readFile(join(homedir(), ".tool", "cache.json"), "utf-8"));\n}\n`;
    const write = `import { writeFile } from "node:fs/promises";\nimport { homedir } from "node:os";\nimport { join } from "node:path";\nexport async function writeSetting(setting: object) {\n  const settingPath = join(homedir(), ".tool.json");\n  await writeFile(settingPath, JSON.stringify(setting));\n}\nexport async function writeCache(cache: object) {\n  await writeFile(join(homedir(), ".tool", "cache.json"), JSON.stringify(cache));\n}\n`;
    const findings = check({
      "/w/src/readSetting.ts": read,
      "/w/src/writeSetting.ts": write,
      "/w/src/addProject.ts": `import inquirer from "inquirer";\nimport { readSetting, readCache } from "./readSetting";\nimport { writeSetting, writeCache } from "./writeSetting";\ndeclare function withFileLock<T>(p: string, fn: () => Promise<T>): Promise<T>;\nexport async function addProject(dir: string) {\n  const setting = await readSetting();\n  const { name } = await inquirer.prompt([{ name: "name" }]);\n  setting.projects = [...(setting.projects ?? []), { dir, name }];\n  await writeSetting(setting);\n}\nexport async function addLocked(dir: string) {\n  await withFileLock("tool", async () => {\n    const setting = await readSetting();\n    setting.last = dir;\n    await writeSetting(setting);\n  });\n}\nexport async function remember(key: string) {\n  const cache = await readCache();\n  cache[key] = Date.now();\n  await writeCache(cache);\n}\n`,
    });
    const found = findings.get("/w/src/addProject.ts") ?? [];
    assert.deepEqual(found.map((f) => [f.ruleId, f.range.start.line]), [["unlocked-read-modify-write", 8]]);
    assert.match(found[0]!.message, /^homedir\(\)\/\.tool\.json was read on line 6 \(readSetting\)/);
  });

  it("a cycle in a route handler handed to the router at the module's top level, through the model's load and save helpers (labelled study batch E)", () => {
    const model = `import { readFile, writeFile } from "fs/promises";\nconst path = "./data/links.json";\nexport async function loadFile() {\n  return JSON.parse(await readFile(path, "utf-8"));\n}\nexport async function saveLink(links) {\n  await writeFile(path, JSON.stringify(links));\n}\n`;
    const routes = `import express from "express";\nimport { loadFile, saveLink } from "../models/model.js";\nexport const router = express.Router();\nrouter.post("/shorten", async (req, res) => {\n  const links = await loadFile();\n  links[req.body.shortCode] = req.body.longUrl;\n  saveLink(links);\n  res.json({ ok: true });\n});\nrouter.get("/list", async (req, res) => {\n  const links = await loadFile();\n  res.json(links);\n});\n`;
    const found = (check({ "/w/models/model.js": model, "/w/controllers/routes.js": routes }).get("/w/controllers/routes.js") ?? []).filter((f) => f.ruleId === "unlocked-read-modify-write");
    assert.deepEqual(found.map((f) => f.range.start.line), [6]);
    assert.match(found[0]!.message, /^data\/links\.json was read on line 5 \(loadFile\) and is written back here \(saveLink\)/);
  });

  it("no cross-module cycle for helpers of two different files, a helper that is itself an update, or the rule turned off", () => {
    const helpers = `import * as fs from "node:fs";\nexport function load(file: string) {\n  return JSON.parse(fs.readFileSync(file, "utf8"));\n}\nexport function save(file: string, value: object) {\n  fs.writeFileSync(file, JSON.stringify(value));\n}\nexport function update(file: string, value: object) {\n  const old = JSON.parse(fs.readFileSync(file, "utf8"));\n  fs.writeFileSync(file, JSON.stringify({ ...old, ...value }));\n}\n`;
    const caller = `import { load, save, update } from "./helpers";\nimport * as os from "node:os";\nimport * as path from "node:path";\nconst STATE = path.join(os.homedir(), ".app", "state.json");\nexport async function copy(value: object) {\n  const state = load(STATE);\n  await Promise.resolve();\n  save(STATE + ".bak", state);\n  update(STATE, value);\n}\nexport async function bump() {\n  const state = load(STATE);\n  await Promise.resolve();\n  state.count++;\n  save(STATE, state);\n}\n`;
    const on = check({ "/w/src/helpers.ts": helpers, "/w/src/caller.ts": caller });
    assert.deepEqual((on.get("/w/src/caller.ts") ?? []).filter((f) => f.ruleId === "unlocked-read-modify-write").map((f) => f.range.start.line), [14]);
    const off = check({ "/w/src/helpers.ts": helpers, "/w/src/caller.ts": caller }, { "unlocked-read-modify-write": "off" });
    assert.deepEqual((off.get("/w/src/caller.ts") ?? []).filter((f) => f.ruleId === "unlocked-read-modify-write"), []);
  });

  it("lock-order inversion across files: both sites, each with the other as related information", () => {
    const locks = `import { Mutex } from "async-mutex";\nexport const USERS = "data/users.json";\nexport const ORDERS = "data/orders.json";\nexport const usersMutex = new Mutex();\nexport const ordersMutex = new Mutex();\n`;
    const findings = check({
      "/w/src/locks.ts": locks,
      "/w/src/signup.ts": `import { withFileLock } from "./lib/tornwrite-runtime";\nimport { USERS, ORDERS } from "./locks";\nexport async function signup() {\n  await withFileLock(USERS, async () => {\n    await withFileLock(ORDERS, async () => {});\n  });\n}\n`,
      "/w/src/jobs/refund.ts": `import { withFileLock } from "../lib/tornwrite-runtime";\nimport * as locks from "../locks";\nexport async function refund() {\n  await withFileLock("data/orders.json", () => withFileLock(locks.USERS, async () => {}));\n}\n`,
      "/w/src/mutexA.ts": `import { usersMutex, ordersMutex } from "./locks";\nexport const a = () => usersMutex.runExclusive(() => ordersMutex.runExclusive(() => 1));\n`,
      "/w/src/mutexB.ts": `import { usersMutex as u, ordersMutex as o } from "./locks";\nexport const b = () => o.runExclusive(() => u.runExclusive(() => 2));\n`,
      "/w/src/ordered.ts": `import { withFileLock } from "./lib/tornwrite-runtime";\nimport { USERS, ORDERS } from "./locks";\nexport const c = () => withFileLock(USERS, () => withFileLock(ORDERS, async () => {}));\n`,
    });
    const signup = findings.get("/w/src/signup.ts") ?? [];
    assert.equal(signup.length, 1);
    assert.equal(signup[0]!.ruleId, "lock-order-inversion");
    assert.equal(signup[0]!.range.start.line, 4);
    assert.match(signup[0]!.message, /ORDERS is locked while USERS is held, and \.\/jobs\/refund\.ts:4 locks them in the opposite order/);
    assert.deepEqual(signup[0]!.related?.map((r) => [r.fileName, r.range.start.line]), [["/w/src/jobs/refund.ts", 3]]);
    const refund = findings.get("/w/src/jobs/refund.ts") ?? [];
    assert.deepEqual(refund[0]?.related?.map((r) => r.fileName).sort(), ["/w/src/ordered.ts", "/w/src/signup.ts"]);
    assert.equal(findings.get("/w/src/mutexA.ts")?.length, 1);
    assert.equal(findings.get("/w/src/mutexB.ts")?.length, 1);
    assert.equal(findings.get("/w/src/ordered.ts")?.length, 1, "the same order as signup, but refund's is opposite");
  });

  it("lock keys local to a function, and inversions within one file, are not the workspace check's", () => {
    const findings = check({
      "/w/a.ts": `import { withFileLock } from "./rt";\nexport const a = (x: string, y: string) => withFileLock(x, () => withFileLock(y, async () => {}));\n`,
      "/w/b.ts": `import { withFileLock } from "./rt";\nexport const b = (x: string, y: string) => withFileLock(y, () => withFileLock(x, async () => {}));\n`,
      "/w/c.ts": `import { withFileLock } from "./rt";\nexport const c1 = () => withFileLock("p", () => withFileLock("q", async () => {}));\nexport const c2 = () => withFileLock("q", () => withFileLock("p", async () => {}));\n`,
      "/w/d.ts": `import { withFileLock } from "./rt";\nexport const d = () => withFileLock("p", () => withFileLock("q", async () => {}));\n`,
    });
    assert.deepEqual([...findings.keys()], ["/w/d.ts"], "d's order is opposite to c2's");
    assert.equal(analyze("/w/c.ts", `import { withFileLock } from "./rt";\nexport const c1 = () => withFileLock("p", () => withFileLock("q", async () => {}));\nexport const c2 = () => withFileLock("q", () => withFileLock("p", async () => {}));\n`).length, 2);
  });

  it("resolves specifiers as TypeScript does", () => {
    const files = new Set(["/w/src/a.ts", "/w/src/lib/index.ts", "/w/src/c.mts", "/w/src/d.js"]);
    const exists = (f: string) => files.has(f);
    assert.equal(resolveImport("/w/src/x.ts", "./a", exists), "/w/src/a.ts");
    assert.equal(resolveImport("/w/src/x.ts", "./a.js", exists), "/w/src/a.ts");
    assert.equal(resolveImport("/w/src/x.ts", "./c.mjs", exists), "/w/src/c.mts");
    assert.equal(resolveImport("/w/src/x.ts", "./lib", exists), "/w/src/lib/index.ts");
    assert.equal(resolveImport("/w/src/sub/x.ts", "../d", exists), "/w/src/d.js");
    assert.equal(resolveImport("/w/src/x.ts", "lodash", exists), undefined);
    assert.equal(resolveImport("/w/src/x.ts", "./missing", exists), undefined);
  });
});

describe("program facts from the nearest package.json", () => {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const packageWith = (manifest: object): string => {
    const folder = mkdtempSync(join(tmpdir(), "tw-facts-"));
    folders.push(folder);
    writeFileSync(join(folder, "package.json"), JSON.stringify(manifest));
    mkdirSync(join(folder, "src"));
    return join(folder, "src", "settings.ts");
  };

  it("knows an editor extension by engines.vscode, with or without bin (scale study, seed 69)", () => {
    assert.deepEqual(programFacts(packageWith({ name: "ext", engines: { vscode: "^1.90.0" }, main: "./dist/extension.js" })), { editorExtension: true });
    assert.deepEqual(programFacts(packageWith({ name: "ext", bin: { x: "x.js" }, engines: { vscode: "^1.90.0" }, dependencies: { yargs: "1" } })), { editorExtension: true });
  });

  it("knows a command-line tool by bin and an argument parser, and nothing from a plain library", () => {
    assert.deepEqual(programFacts(packageWith({ name: "cli", bin: { x: "x.js" }, dependencies: { "yargs-parser": "1", yargs: "1" } })), { commandLine: true });
    assert.deepEqual(programFacts(packageWith({ name: "lib", main: "index.js", dependencies: { yargs: "1" } })), {});
  });

  it("knows a chat bot by its platform client among the dependencies, bin or not (scale study, seed 73)", () => {
    assert.deepEqual(programFacts(packageWith({ name: "bot", main: "index.js", dependencies: { "@whiskeysockets/baileys": "6", axios: "1" } })), { chatBot: true });
    assert.deepEqual(programFacts(packageWith({ name: "bot", type: "module", dependencies: { grammy: "1" } })), { chatBot: true });
    assert.deepEqual(programFacts(packageWith({ name: "bot", bin: { bot: "cli.js" }, dependencies: { "discord.js": "14", commander: "12" } })), { chatBot: true });
    assert.deepEqual(programFacts(packageWith({ name: "wrapper", main: "index.js", devDependencies: { "discord.js": "14" } })), {}, "a dev dependency is not what the package runs");
  });

  it("knows a Node-RED node package by its node-red section, not by a node-red dependency (scale study, seed 76)", () => {
    assert.deepEqual(programFacts(packageWith({ name: "node-red-contrib-x", main: "x.js", "node-red": { nodes: { x: "x.js" } } })), { nodeRed: true });
    assert.deepEqual(programFacts(packageWith({ name: "embedder", main: "index.js", dependencies: { "node-red": "4" } })), {}, "an app that embeds Node-RED runs its own processes");
  });
});

// The engine's shared mechanisms (issue 14): path identity, the library table, function summaries
// inlined at calls, and the data-flow test of read-modify-write. Pure: text in, structures out.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { ts } from "../../server/src/engine/ts";
import { parse, analyze } from "../../server/src/engine/analyze";
import { FsModel } from "../../server/src/engine/fsModel";
import { displayPath, dominatingAssignment, isFixedContent, pathKey, substitute, bindingToken } from "../../server/src/engine/paths";
import { extractProtocols, type FunctionProtocol } from "../../server/src/engine/protocol";
import { writeDependsOnRead } from "../../server/src/engine/dataFlow";
import { isSharedLocation } from "../../server/src/engine/locations";
import { onlyCalledHere, serializesCallback } from "../../server/src/engine/callables";
import { unreachableFunctions } from "../../server/src/engine/unreachable";
import { fallbackNeverReachesWrite, fallbackValues } from "../../server/src/engine/fallbackData";
import { findAll } from "../../server/src/engine/ast";
import { allRules } from "../../server/src/rules";
import type { RuleModule } from "../../server/src/engine/rule";

function model(code: string, fileName = "/w/case.ts"): FsModel {
  return new FsModel(parse(fileName, code));
}

/** The key of the first argument of every call named `name`, in order. */
function keysOf(code: string, name: string): string[] {
  const fs = model(code);
  return fs.index.calls.filter((call) => call.expression.getText() === name).map((call) => pathKey(call.arguments[0]!, fs.sourceFile, fs));
}

/** The protocol of the function declared (or bound to a const) as `name`. */
function protocolOf(code: string, name: string): FunctionProtocol {
  const fs = model(code);
  const protocols = extractProtocols(fs);
  for (const [scope, protocol] of protocols) {
    const named = ts.isFunctionDeclaration(scope) || ts.isFunctionExpression(scope) ? scope.name?.text : ts.isMethodDeclaration(scope) && ts.isIdentifier(scope.name) ? scope.name.text : scope.parent && ts.isVariableDeclaration(scope.parent) && ts.isIdentifier(scope.parent.name) ? scope.parent.name.text : undefined;
    if (named === name) return protocol;
  }
  throw new Error(`no protocol for ${name}`);
}

describe("path identity", () => {
  it("path.join, a template and + of the same parts are one path; a const stands for its value", () => {
    const code = `import * as path from "path";
declare function use(p: string): void;
export function f(dir: string) {
  const file = path.join(dir, "state.json");
  use(path.join(dir, "state.json"));
  use(\`\${dir}/state.json\`);
  use(dir + "/state.json");
  use(file);
  use(path.join(dir, "./state.json"));
}`;
    const keys = keysOf(code, "use");
    assert.equal(new Set(keys).size, 1, JSON.stringify(keys));
    assert.match(keys[0]!, /^⟨dir@\d+⟩\/state\.json$/);
    assert.equal(displayPath(keys[0]!), "dir/state.json");
  });

  it("keys a literal the same way past the depth budget: a folder's dirname agrees with its file's key however deep the helpers go (scale study, seed 68)", () => {
    const code = `import * as path from "path";
declare const app: { getPath(name: string): string };
declare function use(p: string): void;
function root(): string {
  const userData = app.getPath("userData");
  return path.join(userData, "repositories", "servers");
}
function configFile(): string {
  const servers = root();
  const folder = path.join(servers, "config");
  return path.join(folder, "config.json");
}
export function f() {
  const file = configFile();
  const folder = path.dirname(file);
  use(file);
  use(folder);
}`;
    const [file, folder] = keysOf(code, "use");
    assert.equal(file, "app.getPath(userData)/repositories/servers/config/config.json");
    assert.equal(folder, `path.dirname(${file})`);
  });

  it("resolves names by scope: two block-scoped bindings of one name are two paths; a reassigned let is not its initializer", () => {
    const code = `declare function use(p: string): void;
export function f(a: string, b: string) {
  { const p = a; use(p); }
  { const p = b; use(p); }
  let q = a;
  q = b;
  use(q);
  let r = a;
  use(r);
}`;
    const [first, second, reassigned, fixed] = keysOf(code, "use");
    assert.notEqual(first, second);
    assert.match(reassigned!, /^⟨q@\d+⟩$/);
    assert.equal(fixed, first);
  });

  it("a let every assignment of which spells the same path names that path; one assigned two paths, or built on itself, does not (seed 65)", () => {
    const code = `declare function use(p: string): void;
let DIR = "./data";
let STORE = DIR + "/store.json";
export function config(dir: string) {
  DIR = dir;
  STORE = DIR + "/store.json";
}
let other = DIR + "/a.json";
export function pick() { other = DIR + "/b.json"; }
let grown = DIR;
export function deeper() { grown = grown + "/x"; }
export function f() {
  use(STORE);
  use(DIR + "/store.json");
  use(other);
  use(grown);
}`;
    const [store, spelled, other, grown] = keysOf(code, "use");
    assert.equal(store, spelled);
    assert.match(other!, /^⟨other@\d+⟩$/);
    assert.match(grown!, /^⟨grown@\d+⟩$/);
  });

  it("a reassigned variable holds what the statement before gave it; not past a branch or a loop that assigns it (seed 56)", () => {
    const code = `declare function use(p: string): void;
declare const cond: boolean;
export function f(a: string, b: string) {
  let p = "";
  p = a + "/x";
  use(p);
  if (cond) { p = b; }
  use(p);
  p = a;
  for (const each of [a, b]) { use(p); p = each; }
  p = b;
  { use(p); }
}`;
    const fs = model(code);
    const uses = fs.index.calls.filter((call) => call.expression.getText() === "use").map((call) => call.arguments[0] as ts.Identifier);
    const values = uses.map((use) => dominatingAssignment(use, fs)?.getText());
    assert.deepEqual(values, ['a + "/x"', undefined, undefined, "b"]);
  });

  it("reads a constant object's properties, shorthand included, and inlines same-file path helpers with their arguments", () => {
    const code = `import * as path from "path";
declare function use(p: string): void;
const ROOT = "/data";
const CONFIG = { dataFile: path.join(ROOT, "db.json"), ROOT };
function mediaFilePath(id: string) { return path.join(ROOT, id, "media.json"); }
export function f(projectId: string) {
  use(CONFIG.dataFile);
  use(CONFIG.ROOT);
  use(mediaFilePath(projectId));
  use(path.join("/data", projectId, "media.json"));
}`;
    const [dataFile, root, helper, spelled] = keysOf(code, "use");
    assert.equal(dataFile, "/data/db.json");
    assert.equal(root, "/data");
    assert.equal(helper, spelled);
  });

  it("inlines a class's own path method called through this, past guards that only throw (scale study, seed 27)", () => {
    const code = `import * as path from "path";
declare function use(p: string): void;
export class Media {
  private root = "/data";
  save(id: string) {
    use(this.filePath(id, "png"));
    use(path.join(this.root, \`\${id}.png\`));
    use(this.unguarded(id));
  }
  private filePath(name: string, ext: string) {
    if (!/^[a-z]+$/.test(ext)) {
      throw new Error("bad extension");
    }
    return path.join(this.root, \`\${name}.\${ext}\`);
  }
  private unguarded(name: string) {
    console.log(name);
    return path.join(this.root, name);
  }
}`;
    const [method, spelled, other] = keysOf(code, "use");
    assert.equal(method, spelled);
    // A body that does more than guard is not a path helper: its call stays a call.
    assert.match(other!, /^this\.unguarded\(/);
  });

  it("substitutes a parameter's token by an argument's key", () => {
    const fs = model(`export function f(file: string) { return file; }`);
    const parameter = (fs.sourceFile.statements[0] as ts.FunctionDeclaration).parameters[0]!.name as ts.Identifier;
    assert.equal(substitute(`${bindingToken(parameter)}.tmp`, new Map([[bindingToken(parameter), "/data/a.json"]])), "/data/a.json.tmp");
  });
});

describe("content fixed in the source", () => {
  /** Whether the second argument of each `write(…)` call is fixed content, in order. */
  function fixedness(code: string): boolean[] {
    const fs = model(code);
    return fs.index.calls.filter((call) => call.expression.getText() === "write").map((call) => isFixedContent(call.arguments[1]!, fs));
  }

  it("literals, and arrays, objects, joins, concatenations and JSON of them, through consts", () => {
    const code = `declare function write(p: string, d: unknown): void;\nconst QUOTES = ["a", "b"];\nconst DEFAULTS = { theme: "dark", size: 12, on: true, none: null };\nwrite("a", "");\nwrite("b", QUOTES.join("\\n"));\nwrite("c", JSON.stringify(DEFAULTS, null, 2));\nwrite("d", "head" + QUOTES.join(","));\nwrite("e", \`plain\`);\n`;
    assert.deepEqual(fixedness(code), [true, true, true, true, true]);
  });

  it("not what the program was given, computed or reads: parameters, substitutions, calls, a let reassigned", () => {
    const code = `declare function write(p: string, d: unknown): void;\ndeclare function load(): string[];\nexport function save(items: string[], name: string) {\n  let text = "x";\n  text = name;\n  write("a", items.join("\\n"));\n  write("b", \`hi \${name}\`);\n  write("c", JSON.stringify({ name }));\n  write("d", load().join(","));\n  write("e", text);\n  write("f", { [name]: 1 });\n}\n`;
    assert.deepEqual(fixedness(code), [false, false, false, false, false, false]);
  });
});

describe("shared locations", () => {
  /** Whether the first argument of every `use(…)` call is a location every instance shares. */
  function shared(code: string, options?: { configured: boolean }): boolean[] {
    const fs = model(code);
    return fs.index.calls.filter((call) => call.expression.getText() === "use").map((call) => isSharedLocation(call.arguments[0]!, pathKey(call.arguments[0]!, fs.sourceFile, fs), fs.sourceFile, fs, options));
  }

  it("a home folder read from process.env by either spelling, also through a same-file helper, is per-user (scale study, seed 28 run)", () => {
    const code = `import * as path from "path";
declare function use(p: string): void;
function getUserHome() { return process.env[process.platform === "win32" ? "USERPROFILE" : "HOME"]!; }
use(path.join(getUserHome(), ".tool", "login.json"));
use(path.join(process.env.HOME!, ".tool", "login.json"));
use(path.join(process.cwd(), "login.json"));`;
    assert.deepEqual(shared(code, { configured: false }), [true, true, false]);
  });

  it("an options or config property is configured; a file named settings.json or config.yaml is not", () => {
    const code = `import * as path from "path";
declare function use(p: string): void;
declare const options: { dataDir: string };
declare const agentDir: string;
use(path.join(options.dataDir, "state.json"));
use(path.join(agentDir, "settings.json"));
use(path.join(agentDir, "config.yaml"));`;
    assert.deepEqual(shared(code), [true, false, false]);
  });
});

describe("the library table, from the file's imports", () => {
  it("knows what write-file-atomic, async-mutex, p-limit, steno and proper-lockfile calls do", () => {
    const fs = model(`import writeFileAtomic from "write-file-atomic";
import { Mutex } from "async-mutex";
import pLimit from "p-limit";
import { Writer } from "steno";
import lockfile from "proper-lockfile";
const mutex = new Mutex();
const one = pLimit(1);
const many = pLimit(4);
const writer = new Writer("db.json");
export async function f() {
  await writeFileAtomic("a.json", "{}");
  writeFileAtomic.sync("b.json", "{}");
  const release = await mutex.acquire();
  release();
  await one(() => 1);
  await many(() => 2);
  await writer.write("{}");
  await lockfile.lock("c.json");
}`);
    const byName = (text: string) => fs.calls.find((call) => call.call.expression.getText() === text);
    assert.deepEqual([byName("writeFileAtomic")?.fn.op, byName("writeFileAtomic")?.fn.atomic], ["write", true]);
    assert.equal(byName("writeFileAtomic.sync")?.fn.style, "sync");
    assert.deepEqual([byName("mutex.acquire")?.fn.op, byName("mutex.acquire")?.fn.handsOverSynchronously], ["lock", true]);
    assert.deepEqual([byName("one")?.fn.op, byName("one")?.instance?.exclusive], ["lock-run", true]);
    assert.equal(byName("many")?.instance?.exclusive, false);
    assert.deepEqual([byName("writer.write")?.fn.op, byName("writer.write")?.fn.atomic], ["write", true]);
    assert.deepEqual([byName("lockfile.lock")?.fn.crossProcess, byName("lockfile.lock")?.fn.staleRecovery], [true, true]);
    assert.ok(fs.usesModule("async-mutex") && !fs.usesModule("lockfile"));
  });

  it("a local function or parameter named like a library's is not the library", () => {
    const fs = model(`import * as fs from "fs";
export function f(writeFileAtomic: (p: string) => void) { writeFileAtomic("a"); }
function lock(p: string) { return p; }
export const g = () => lock("x");`);
    assert.deepEqual(fs.calls.map((call) => call.name), []);
  });
});

describe("function summaries, inlined at calls", () => {
  it("a helper's write appears in its caller at the call, with the caller's path", () => {
    const code = `import * as fs from "fs";
import * as path from "path";
function save(p: string, v: unknown) { fs.writeFileSync(p, JSON.stringify(v)); }
export function saveConfig(dir: string, v: unknown) { save(path.join(dir, "config.json"), v); }`;
    const caller = protocolOf(code, "saveConfig");
    assert.equal(caller.writes.length, 1);
    const [write] = caller.writes;
    assert.equal(write!.direct, false);
    assert.equal(write!.call.expression.getText(), "save");
    assert.equal(write!.origin.expression.getText(), "fs.writeFileSync");
    assert.equal(write!.path.getText(), `path.join(dir, "config.json")`);
    assert.match(write!.key, /^⟨dir@\d+⟩\/config\.json$/);
  });

  it("follows this.m(), object-literal methods and a factory's methods with the factory's arguments bound", () => {
    const code = `import { promises as fs } from "fs";
export class Store {
  private async load() { return fs.readFile(this.file, "utf8"); }
  async get() { return this.load(); }
  constructor(private readonly file: string) {}
}
const store = { async save(p: string) { await fs.writeFile(p, "x"); } };
export async function viaObject() { await store.save("/data/o.json"); }
function createStore(file: string) { return { async set() { await fs.writeFile(file, "{}"); } }; }
export async function viaFactory() { const s = createStore("/data/f.json"); await s.set(); }`;
    assert.equal(protocolOf(code, "get").reads[0]?.key, "this.file");
    assert.equal(protocolOf(code, "viaObject").writes[0]?.key, "/data/o.json");
    assert.equal(protocolOf(code, "viaFactory").writes[0]?.key, "/data/f.json");
  });

  it("follows self.m() where `const self = this` (seed 41)", () => {
    const code = `import { promises as fs } from "fs";
export class Store {
  constructor(private readonly file: string) {}
  private save() { return fs.writeFile(this.file, "{}"); }
  flush() {
    const self = this;
    return Promise.resolve().then(function () { return self.save(); });
  }
}`;
    assert.equal(protocolOf(code, "flush").writes[0]?.key, "this.file");
  });

  it("runs callbacks passed to promise, array and lock calls as part of the caller; not event or route handlers", () => {
    const code = `import { promises as fs } from "fs";
declare const app: { post(path: string, handler: () => Promise<void>): void };
declare function withLock(fn: () => Promise<void>): Promise<void>;
export async function now(items: string[]) {
  await Promise.all(items.map(async () => fs.writeFile("/data/a", "x")));
  await withLock(async () => { await fs.writeFile("/data/b", "y"); });
}
export function later() { app.post("/x", async () => { await fs.writeFile("/data/c", "z"); }); }`;
    assert.deepEqual(protocolOf(code, "now").writes.map((write) => write.key), ["/data/a", "/data/b"]);
    assert.throws(() => protocolOf(code, "later"), /no protocol/);
  });

  it("a new Promise executor runs in the flow of the function that makes the promise (seed 55)", () => {
    const code = `import * as fs from "fs";
const saveFile = (p: string, data: string) => new Promise<void>((resolve, reject) => fs.writeFile(p, data, (e) => (e ? reject(e) : resolve())));
export async function save(dir: string) { await saveFile(dir + "/state.json", "{}"); }
export async function inline(file: string) {
  const text = await fs.promises.readFile(file, "utf8");
  await new Promise((resolve) => fs.writeFile(file, text + "!", resolve));
}`;
    assert.deepEqual(protocolOf(code, "saveFile").writes.map((write) => write.direct), [true]);
    assert.match(protocolOf(code, "save").writes[0]!.key, /^⟨dir@\d+⟩\/state\.json$/);
    const inline = protocolOf(code, "inline");
    assert.deepEqual([inline.reads.length, inline.writes.length], [1, 1]);
    assert.equal(inline.reads[0]!.key, inline.writes[0]!.key);
  });

  it("cuts recursion, and composes summaries however deep the chain", () => {
    const code = `import * as fs from "fs";
function a(p: string, n: number): void { if (n > 0) b(p, n - 1); fs.writeFileSync(p, "a"); }
function b(p: string, n: number): void { if (n > 0) a(p, n - 1); }
function l1(p: string) { l2(p); } function l2(p: string) { l3(p); } function l3(p: string) { l4(p); } function l4(p: string) { l5(p); } function l5(p: string) { fs.writeFileSync(p, "deep"); }
export function top() { a("/data/r", 3); l1("/data/d"); }`;
    const top = protocolOf(code, "top");
    assert.deepEqual([...new Set(top.writes.map((write) => write.key))], ["/data/r", "/data/d"]);
  });

  it("inlines an ES5 prototype method called through this, also from the constructor (node-fslock's shape)", () => {
    const code = `var fs = require("fs");
function Store(file) { this.file = file; this.save("{}"); }
Store.prototype.save = function save(data) { fs.writeFileSync(this.file, data); };
Store.prototype.update = function update(value) { var self = this; self.save(JSON.stringify(value)); };`;
    assert.deepEqual(protocolOf(code, "update").writes.map((write) => write.direct), [false]);
    assert.deepEqual(protocolOf(code, "Store").writes.map((write) => write.direct), [false]);
  });

  it("cuts a recursive call that binds a parameter to an expression of itself (a directory walk: sveltejs/kit's copy)", () => {
    const code = `import fs from "node:fs";
import path from "node:path";
export function copy(source: string, target: string) {
  function go(from: string, to: string): void {
    if (fs.statSync(from).isDirectory()) {
      fs.readdirSync(from).forEach((file) => go(path.join(from, file), path.join(to, file)));
    } else {
      fs.writeFileSync(to, fs.readFileSync(from, "utf-8").toUpperCase());
    }
  }
  go(source, target);
}`;
    const errors: string[] = [];
    analyze("/w/copy.ts", code, { onRuleError: (ruleId, error) => errors.push(`${ruleId}: ${(error as Error).message}`) });
    assert.deepEqual(errors, []);
  });

  it("an existence predicate is a check at its call; a helper that checks and then uses the file keeps its check", () => {
    const code = `import { promises as fs } from "fs";
async function exists(p: string) { try { await fs.access(p); return true; } catch { return false; } }
async function load(p: string) { if (!(await exists(p))) return {}; return JSON.parse(await fs.readFile(p, "utf8")); }
export async function viaPredicate(p: string) { return exists(p); }
export async function viaLoader(p: string) { return load(p); }`;
    assert.equal(protocolOf(code, "viaPredicate").existenceChecks.length, 1);
    assert.equal(protocolOf(code, "viaLoader").existenceChecks.length, 0);
    assert.equal(protocolOf(code, "viaLoader").reads.length, 1);
  });

  it("marks a helper's repair in its catch and its creation of a missing file as conditional", () => {
    const code = `import { promises as fs } from "fs";
async function exists(p: string) { try { await fs.access(p); return true; } catch { return false; } }
async function loadSafe(p: string) {
  if (!(await exists(p))) { await fs.writeFile(p, "[]"); return []; }
  try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { await fs.writeFile(p, "[]"); return []; }
}
export async function caller(p: string) { return loadSafe(p); }`;
    const writes = protocolOf(code, "caller").writes;
    assert.equal(writes.length, 2);
    assert.ok(writes.every((write) => !write.direct && write.conditional));
  });
});

describe("one finding per rule and site", () => {
  it("a write reached through two helper paths is reported once per rule", () => {
    const findings = analyze("/w/case.ts", `import { promises as fs } from "fs";
async function read(p: string) { try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { return []; } }
async function list(p: string) { return read(p); }
export async function add(p: string, x: string) {
  const items = await list(p);
  const again = await read(p);
  items.push(x, again.length);
  await fs.writeFile(p, JSON.stringify(items));
}`, { fixes: "none" });
    const sites = findings.map((finding) => `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}`);
    assert.equal(new Set(sites).size, sites.length, sites.join(", "));
    assert.deepEqual(findings.map((finding) => finding.ruleId).sort(), ["non-atomic-write", "parse-failure-overwrite", "unlocked-read-modify-write"]);
  });
});

describe("one finding per cycle", () => {
  it("a read saved back through one helper several times: one finding, the helper's other calls as related locations (scale study, seed 40)", () => {
    const findings = analyze("/w/case.ts", `import { promises as fs } from "fs";
import * as os from "os";
const STATE = os.homedir() + "/.app/state.json";
export async function sync(items: string[], fetchOne: (item: string) => Promise<string>) {
  const state = JSON.parse(await fs.readFile(STATE, "utf8"));
  const save = () => fs.writeFile(STATE, JSON.stringify(state));
  for (const item of items) {
    state[item] = await fetchOne(item);
    await save();
  }
  await save();
}`, { fixes: "none" }).filter((finding) => finding.ruleId === "unlocked-read-modify-write");
    assert.deepEqual(findings.map((finding) => finding.range.start.line), [8]);
    assert.deepEqual(findings[0]!.related?.map((entry) => [entry.range.start.line, entry.message]), [[10, "written back here too, after the read on line 5"]]);
  });
});

describe("the write depends on the read", () => {
  const depends = (code: string): boolean => {
    const fs = model(code);
    const read = fs.calls.find((call) => call.fn.op === "read")!.call;
    const write = fs.calls.find((call) => call.fn.op === "write")!.call;
    const scope = fs.protocolScopeOf(write);
    return writeDependsOnRead(read, write, write.arguments.slice(1), scope, fs);
  };
  const H = `import * as fs from "fs";\n`;
  it("through names computed from the result, callbacks and promise chains", () => {
    assert.ok(depends(`${H}export function f(p: string) { const d = JSON.parse(fs.readFileSync(p, "utf8")); const next = { ...d, n: d.n + 1 }; fs.writeFileSync(p, JSON.stringify(next)); }`));
    assert.ok(depends(`${H}export function f(p: string) { fs.readFile(p, "utf8", (e, text) => { const list = JSON.parse(text); list.push(1); fs.writeFile(p, JSON.stringify(list), () => {}); }); }`));
    assert.ok(depends(`${H}export const f = (p: string) => fs.promises.readFile(p, "utf8").then((t) => JSON.parse(t)).then((v) => fs.promises.writeFile(p, JSON.stringify({ n: v.n + 1 })));`));
  });
  it("not when the read is only compared, or when another binding of the same name is written", () => {
    assert.ok(!depends(`${H}export function f(p: string, next: string) { const prev = JSON.parse(fs.readFileSync(p, "utf8")).state; if (prev === next) return; fs.writeFileSync(p, JSON.stringify({ state: next })); }`));
    assert.ok(!depends(`${H}export function f(p: string, v: string) { { const data = fs.readFileSync(p, "utf8"); console.log(data); } { const data = v; fs.writeFileSync(p, data); } }`));
  });
});

describe("serialising helpers", () => {
  const queue = (body: string) => `declare function write(): Promise<void>;
const queues = new Map<string, Promise<void>>();
function enqueue(id: string, task: () => Promise<void>) {
${body}
}
export function run(id: string) {
  return enqueue(id, async () => { await write(); });
}`;
  const callbackOf = (fs: FsModel) => {
    const call = fs.index.calls.find((each) => each.expression.getText() === "enqueue")!;
    return { call, fn: call.arguments[1]! };
  };
  it("a same-file queue that chains the task after the stored previous promise serialises its callbacks", () => {
    const fs = model(queue(`  const next = (queues.get(id) ?? Promise.resolve()).then(task);\n  queues.set(id, next);\n  return next;`));
    const { call, fn } = callbackOf(fs);
    assert.equal(serializesCallback(fs, call, fn), true);
  });
  it("one that calls the task at once, or chains it without storing the chain, does not", () => {
    for (const body of [`  queues.set(id, Promise.resolve());\n  return task();`, `  return (queues.get(id) ?? Promise.resolve()).then(task);`]) {
      const fs = model(queue(body));
      const { call, fn } = callbackOf(fs);
      assert.equal(serializesCallback(fs, call, fn), false, body);
    }
  });
});

describe("one rule's failure", () => {
  const code = `import * as fs from "fs";\nimport * as os from "os";\nexport function save(v: object) {\n  const p = os.homedir() + "/.app/settings.json";\n  if (fs.existsSync(p)) fs.readFileSync(p, "utf8");\n  fs.writeFileSync(p, JSON.stringify(v));\n}\n`;
  it("costs that rule's findings on the file, not the other rules', and is told to onRuleError; without it the error propagates", () => {
    const rule = allRules.find((each) => each.id === "check-then-act") as { check: RuleModule["check"] };
    const original = rule.check;
    const expected = analyze("/w/case.ts", code).map((finding) => finding.ruleId).sort();
    assert.ok(expected.includes("check-then-act") && expected.includes("non-atomic-write"), expected.join());
    rule.check = (context) => {
      context.report({ node: context.sourceFile, message: "partial" });
      throw new Error("boom");
    };
    try {
      const errors: string[] = [];
      const kept = analyze("/w/case.ts", code, { onRuleError: (ruleId, error) => errors.push(`${ruleId}: ${(error as Error).message}`) });
      assert.deepEqual(kept.map((finding) => finding.ruleId).sort(), expected.filter((id) => id !== "check-then-act"));
      assert.deepEqual(errors, ["check-then-act: boom"]);
      assert.throws(() => analyze("/w/case.ts", code), /boom/);
    } finally {
      rule.check = original;
    }
  });
});

describe("functions that never run", () => {
  const dead = (code: string, fileName = "/w/mod.ts") =>
    unreachableFunctions(parse(fileName, code)).map((fn) => (ts.isFunctionDeclaration(fn) ? fn.name!.text : (fn.parent as ts.VariableDeclaration).name.getText()));

  it("are the private ones nothing exported or top-level reaches, through chains and arrow functions", () => {
    const code = "function a() { b(); }\nfunction b() {}\nconst c = () => d();\nfunction d() {}\nfunction e() {}\nexport function f() { e(); }\n";
    assert.deepEqual(dead(code), ["a", "b", "c", "d"]);
  });

  it("count every way a module can hand a function out: export lists, module.exports, strings, top-level calls", () => {
    assert.deepEqual(dead("function a() {}\nfunction b() {}\nexport { a as b2 };\n"), ["b"]);
    assert.deepEqual(dead("function a() {}\nfunction b() {}\nmodule.exports = { a };\n", "/w/mod.js"), ["b"]);
    assert.deepEqual(dead("function a() {}\nfunction b() {}\nexports.x = 1;\nexports[\"b\"] = a;\n", "/w/mod.js"), []);
    assert.deepEqual(dead("function a() {}\nexport const x = 1;\nsetInterval(a, 1000);\n"), []);
  });

  it("ignore a property of the same name and its own declaration, but not a shadowing local (kept alive)", () => {
    assert.deepEqual(dead("function save() {}\nexport const store = { save: 1 };\nexport function run(o: any) { o.save(); }\n"), ["save"]);
    assert.deepEqual(dead("function save() {}\nexport function run() { const save = 1; return save; }\n"), []);
  });

  it("are none in a plain script, whose globals a page may call", () => {
    assert.deepEqual(dead("const fs = require('fs');\nfunction save() { fs.writeFileSync('a.json', '1'); }\n", "/w/page.js"), []);
  });

  it("are found in a script that imports, or that requires a server or bot framework: a Node program's module (scale study, seed 65)", () => {
    assert.deepEqual(dead("const express = require('express');\nconst fs = require('fs');\nfunction save() { fs.writeFileSync('a.json', '1'); }\nexpress().listen(3000);\n", "/w/serve.js"), ["save"]);
    assert.deepEqual(dead("import * as fs from 'fs';\nfunction save() { fs.writeFileSync('a.json', '1'); }\n", "/w/tool.mjs"), ["save"]);
    assert.deepEqual(dead("const { Client } = require('discord.js');\nfunction save() {}\nfunction boot() {}\nboot();\n", "/w/bot.js"), ["save"]);
  });

  it("are a class's private methods nothing names through a member, a destructuring or a string, in any file (scale study, seed 67)", () => {
    const methods = (code: string, fileName = "/w/store.ts") => unreachableFunctions(parse(fileName, code)).map((fn) => (fn as ts.MethodDeclaration).name.getText());
    const store = "import { createWriteStream } from 'fs';\nclass Store {\n  private createWriteStream() { return createWriteStream('a'); }\n  #flush() {}\n  private load() {}\n  run() { this.load(); }\n}\nnew Store().run();\n";
    assert.deepEqual(methods(store), ["createWriteStream", "#flush"]);
    assert.deepEqual(methods(store.replace("run() { this.load(); }", "run() { const { createWriteStream } = this; this[\"load\"](); this.#flush(); }")), []);
    // A decorated one is its framework's to call.
    assert.deepEqual(methods("declare function Cron(spec: string): MethodDecorator;\nexport class Jobs {\n  @Cron('* * * * *') private tick() {}\n}\n"), []);
  });
});

describe("a failed read's fallback data", () => {
  /** Whether the handler's fallback, as `data`, reaches the call `save(…)` in `use()`. */
  const reaches = (fallback: string, body: string) => {
    const source = parse("/w/f.ts", `declare function save(d: unknown): void;\nfunction load() { try { return JSON.parse("") } catch { return ${fallback}; } }\nexport function use() {\n  const data = load();\n${body}\n}\n`);
    const handler = findAll(source, ts.isCatchClause)[0]!;
    const use = findAll(source, ts.isFunctionDeclaration).find((fn) => fn.name?.text === "use")!;
    const read = findAll(use, ts.isCallExpression).find((call) => call.expression.getText() === "load")!;
    const write = findAll(use, ts.isCallExpression).find((call) => call.expression.getText() === "save")!;
    const values = fallbackValues(handler);
    assert.ok(values, "the fallback is known");
    return !fallbackNeverReachesWrite(values, "data", use.body!, read, write);
  };

  it("is kept from the write by tests it cannot pass (scale study, seeds 57 and 68)", () => {
    assert.equal(reaches("null", "  if (data && data.ok) save(data);"), false);
    assert.equal(reaches("{}", "  if (!data.clans) return;\n  save(data);"), false);
    assert.equal(reaches(`{ tier: "agpl" }`, `  if (data.status !== "pending" && data.status !== "expired") return;\n  save(data);`), false);
    assert.equal(reaches(`{ tier: "agpl" }`, `  if (data.tier === "agpl") { return; } else { save(data); }`), false);
  });

  it("reaches it through tests it passes, tests the source does not decide, and properties set before the test", () => {
    assert.equal(reaches("{ items: [] }", "  if (data && data.items) save(data);"), true);
    assert.equal(reaches(`{ tier: "agpl" }`, `  if (data.status === "active") return;\n  save(data);`), true);
    assert.equal(reaches("{}", "  if (!data.clans) return;\n  save(data);".replace("if", "data.clans ??= {};\n  if")), true);
    assert.equal(reaches("{}", "  if (data.count > 0) save(data);"), true);
  });

  it("is followed through consts, optional chains, properties of unknown value and a loop's continue (scale study, seed 77)", () => {
    const guarded = "  const token = data.accounts[id];\n  if (!token?.accessToken) return;\n  save(data);";
    assert.equal(reaches("{ current: String(Date.now()), accounts: {} }", `  const id = String(Date.now());\n${guarded}`), false);
    assert.equal(reaches("{ accounts: {} }", `  for (const id of ["a", "b"]) {\n    const token = data.accounts[id];\n    if (!token) continue;\n    save(data);\n  }`), false);
    assert.equal(reaches(`{ accounts: { a: { accessToken: "x" } } }`, `  const id = String(Date.now());\n${guarded}`), true, "a stored account may be the one looked up");
    assert.equal(reaches("{ current: String(Date.now()), accounts: {} }", "  if (!data.current) return;\n  save(data);"), true, "a property of unknown value decides nothing");
  });

  it("is what a catch that returns nothing falls through to: the return after its try (scale study, seed 77)", () => {
    const source = parse("/w/f.ts", `function load() {\n  try { return JSON.parse(""); } catch { console.warn("bad"); }\n  return { accounts: {} };\n}\n`);
    const values = fallbackValues(findAll(source, ts.isCatchClause)[0]!);
    assert.deepEqual(values, [{ kind: "object", properties: new Map([["accounts", { kind: "object", properties: new Map() }]]) }]);
  });
});

describe("a function called only where the file spells it", () => {
  const only = (code: string) => {
    const fs = model(code, "/w/bot.js");
    const main = findAll(fs.sourceFile, ts.isFunctionDeclaration).find((fn) => fn.name?.text === "main")!;
    return onlyCalledHere(fs, main);
  };
  it("does not count its name in comments, and counts it in strings and as a value (scale study, seed 78)", () => {
    assert.equal(only(`/** bot.js – main entry point */\nasync function main() {}\nmain().catch(() => process.exit(1));\n`), true);
    assert.equal(only(`async function main() {}\nmain();\nsetTimeout(main, 10);\n`), false);
    assert.equal(only(`async function main() {}\nmain();\nglobalThis["main"] = 1;\n`), false);
  });
});

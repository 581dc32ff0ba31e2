import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "TOCTOU" };
const F = `import * as fs from "fs";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a missing file ends the run either way: the check only picks the message (whole-repository sample, seed 15)", code: `import { existsSync, readFileSync } from "node:fs";\nexport function readGraph(file: string): string {\n  if (!existsSync(file)) {\n    throw new Error(\`not found: \${file}\`);\n  }\n  return readFileSync(file, "utf-8");\n}` },
    { name: "guard followed only by mkdir recursive", code: `${F}export function ensure(dir: string) { if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true }); }` },
    { name: "try/catch ENOENT instead of a check", code: `${F}export function load(p: string) { try { return JSON.parse(fs.readFileSync(p, "utf8")); } catch (e) { if ((e as NodeJS.ErrnoException).code === "ENOENT") return {}; throw e; } }` },
    { name: "check and use in one try whose catch covers the race", code: `${F}export async function load(p: string) { try { await fs.promises.access(p); return await fs.promises.readFile(p, "utf8"); } catch { return undefined; } }` },
    { name: "check of another path", code: `${F}export function f(a: string, b: string) { if (fs.existsSync(a)) return fs.readFileSync(b, "utf8"); return ""; }` },
    { name: "check only", code: `${F}export function has(p: string) { return fs.existsSync(p); }` },
    { name: "use outside the guarded branch", code: `${F}export function f(p: string) { if (fs.existsSync(p)) console.log("exists"); return fs.readFileSync(p, "utf8"); }` },
    { name: "readJsonFile", code: `${F}import { readJsonFile } from "./tornwrite-runtime";\nexport async function f(p: string) { return readJsonFile(p, { default: {} }); }\nexport const c = fs.constants;` },
    { name: "exclusive create", code: `${F}export function create(p: string) { try { fs.writeFileSync(p, "x", { flag: "wx" }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; } }` },
    { name: "the read sits in a try whose catch keeps the default (real-world study)", code: `${F}export function load(p: string) { let value = {}; if (fs.existsSync(p)) { try { value = JSON.parse(fs.readFileSync(p, "utf8")); } catch (error) { console.log(error); } } return value; }` },
    { name: "rm with force does not mind a vanished folder", code: "import * as fs from \"fs\";\nexport function remove(dir: string) { if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true }); }" },
    { name: "a helper that tolerates a failed read (returns undefined)", code: "import * as fs from \"fs\";\nfunction readOwner(p: string) { try { return JSON.parse(fs.readFileSync(p, \"utf8\")); } catch { return undefined; } }\nexport function owner(p: string) { if (!fs.existsSync(p)) return undefined; return readOwner(p); }" },
    { name: "a synchronous create-if-missing: nothing in the process runs between check and write (batch C)", code: `${F}try {\n  fs.statSync("settings.json");\n} catch {\n  fs.writeFileSync("settings.json", "{}");\n}` },
    { name: "a synchronous create-if-missing inside a function", code: `${F}export function ensure(p: string) { if (!fs.existsSync(p)) { try { fs.writeFileSync(p, "{}"); } catch {} } }` },
    { name: "async defaults for a private constant path nothing else writes: a racing twin writes the same bytes", code: `${F}const PROMPT = "prompt.md";\nexport async function bootstrap() { if (!fs.existsSync(PROMPT)) await fs.promises.writeFile(PROMPT, "You are helpful."); }` },
    { name: "a read-only open inside the try whose catch starts fresh (batch C)", code: `${F}export async function init(p: string) { try { await fs.promises.access(p); const handle = await fs.promises.open(p, "r"); await handle.close(); } catch { await fs.promises.mkdir("logs", { recursive: true }); } }` },
    { name: "the check only words the error; the exclusive open is the real test (batch C)", code: `${F}export function lock(p: string) { if (fs.existsSync(p)) throw new Error("locked"); const fd = fs.openSync(p, "wx"); return fd; }` },
    { name: "fs-extra's remove does not mind a vanished file", fileName: "r.mjs", code: `import fse from "fs-extra";\nexport async function del(p) { if (!(await fse.pathExists(p))) throw new Error("not found"); await fse.remove(p); }` },
    { name: "a helper that checks and uses the file keeps its check (reported there, not at each call)", code: "import { promises as fs } from \"fs\";\nasync function exists(p: string) { try { await fs.access(p); return true; } catch { return false; } }\nasync function load(p: string) { try { return JSON.parse(await fs.readFile(p, \"utf8\")); } catch { return {}; } }\nexport async function get(p: string) { const data = await load(p); return data.value; }" },
  ],
  invalid: [
    { name: "seed 003: existsSync then readFileSync", code: `${F}export function loadConfig(p: string) {\n  if (fs.existsSync(p)) {\n    return JSON.parse(fs.readFileSync(p, "utf-8"));\n  }\n  return {};\n}`, errors: [{ messageIncludes: "guards a read of it on line 4", line: 3 }] },
    { name: "negated guard with early return", code: `${F}export function load(p: string) {\n  if (!fs.existsSync(p)) return {};\n  return JSON.parse(fs.readFileSync(p, "utf8"));\n}`, errors: [flagged] },
    { name: "exists then unlink", code: `${F}export function remove(p: string) { if (fs.existsSync(p)) fs.unlinkSync(p); }`, errors: [{ messageIncludes: "guards a delete" }] },
    { name: "access then write", code: `${F}export async function save(p: string, d: string) { try { await fs.promises.access(p); } catch { return; }\n  if (await fs.promises.stat(p).then(() => true, () => false)) await fs.promises.writeFile(p, d); }`, errors: [flagged] },
    { name: "stored result", code: `${F}export function load(p: string) {\n  const exists = fs.existsSync(p);\n  if (exists) return fs.readFileSync(p, "utf8");\n  return "";\n}`, errors: [flagged] },
    { name: "ternary", code: `${F}export const load = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, "utf8") : "");`, errors: [flagged] },
    { name: "statSync guard of an open", code: `import { statSync, openSync } from "fs";\nexport function open(p: string) { if (statSync(p, { throwIfNoEntry: false })) return openSync(p, "r"); return -1; }`, errors: [flagged] },
    { name: "fs-extra pathExists", fileName: "p.mjs", code: `import fse from "fs-extra";\nexport async function load(p) { if (await fse.pathExists(p)) return fse.readJson(p); return {}; }`, errors: [flagged] },
    { name: "top-level early exit, then a read (real-world study)", fileName: "restore.mjs", code: `${F}const LEDGER = "deps.json";\nif (!fs.existsSync(LEDGER)) process.exit(0);\nconst entries = JSON.parse(fs.readFileSync(LEDGER, "utf8"));\nexport default entries;`, errors: [flagged] },
    { name: "stat in a try, a write of defaults in its catch, while another function saves the file", code: `${F}const SETTINGS = "settings.json";\nexport async function ensure() {\n  try {\n    await fs.promises.stat(SETTINGS);\n  } catch {\n    await fs.promises.writeFile(SETTINGS, "{}");\n  }\n}\nexport async function save(data: object) { await fs.promises.writeFile(SETTINGS, JSON.stringify(data)); }`, errors: [{ messageIncludes: "guards a use of it on line 7" }] },
    { name: "a create-if-missing of a parameter's path across an await (callers may save it meanwhile)", code: `${F}export async function ensureFile(p: string) { try { await fs.promises.access(p); } catch { await fs.promises.writeFile(p, ""); } }`, errors: [flagged] },
    { name: "check and read in one try whose catch rethrows (batch C)", code: `${F}export async function readConfig(p: string) {\n  try {\n    if (!fs.existsSync(p)) return null;\n    return JSON.parse(await fs.promises.readFile(p, "utf8"));\n  } catch (error) {\n    console.error(error);\n    throw error;\n  }\n}`, errors: [{ messageIncludes: "guards a read", line: 4 }] },
    { name: "existsSync guards a createReadStream", code: `${F}export function backup(p: string) { if (fs.existsSync(p)) fs.createReadStream(p).pipe(fs.createWriteStream(p + ".bak")); }`, errors: [{ messageIncludes: "guards a read" }] },
    { name: "a write in a try that swallows errors is still a race", code: `${F}export async function create(p: string) { if (!fs.existsSync(p)) { try { await fs.promises.writeFile(p, "{}"); } catch {} } }`, errors: [flagged] },
    { name: "an existence predicate helper guards a read (issue 14)", code: "import { promises as fs } from \"fs\";\nasync function exists(p: string) { try { await fs.access(p); return true; } catch { return false; } }\nexport async function get(p: string) {\n  if (!(await exists(p))) return null;\n  return JSON.parse(await fs.readFile(p, \"utf8\"));\n}", errors: [{ messageIncludes: "guards a read of it on line 5", line: 4 }] },
  ],
};

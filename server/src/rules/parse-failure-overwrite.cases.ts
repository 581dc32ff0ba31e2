import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "one bad read wipes the whole file" };
const F = `import { promises as fs } from "fs";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "only ENOENT means empty", code: `${F}export async function add(p: string, v: string) {\n  let list: string[];\n  try { list = JSON.parse(await fs.readFile(p, "utf8")); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; list = []; }\n  list.push(v);\n  await fs.writeFile(p, JSON.stringify(list));\n}` },
    { name: "catch rethrows", code: `${F}export async function add(p: string, v: string) {\n  let list: string[];\n  try { list = JSON.parse(await fs.readFile(p, "utf8")); } catch (e) { console.error(e); throw e; }\n  list.push(v);\n  await fs.writeFile(p, JSON.stringify(list));\n}` },
    { name: "readJsonFile", code: `${F}import { readJsonFile } from "./tornwrite-runtime";\nexport async function add(p: string, v: string) {\n  const list = await readJsonFile<string[]>(p, { default: [] });\n  list.push(v);\n  await fs.writeFile(p, JSON.stringify(list));\n}` },
    { name: "swallowing read, no write back", code: `${F}export async function load(p: string) { try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { return {}; } }` },
    { name: "write of another file", code: `${F}export async function copy(a: string, b: string) {\n  let data = {};\n  try { data = JSON.parse(await fs.readFile(a, "utf8")); } catch { data = {}; }\n  await fs.writeFile(b, JSON.stringify(data));\n}` },
    { name: "catch only logs and returns nothing", code: `${F}export async function touch(p: string) {\n  try { await fs.readFile(p); } catch { console.log("missing"); }\n  await fs.writeFile(p, "x");\n}` },
    { name: "SyntaxError handled explicitly", code: `${F}export async function add(p: string) {\n  let data: Record<string, number>;\n  try { data = JSON.parse(await fs.readFile(p, "utf8")); } catch (e) { if (e instanceof SyntaxError) await fs.rename(p, p + ".corrupt"); data = {}; }\n  data.n = 1;\n  await fs.writeFile(p, JSON.stringify(data));\n}` },
    { name: "write before the read", code: `${F}export async function reset(p: string) {\n  await fs.writeFile(p, "{}");\n  try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { return {}; }\n}` },
  ],
  invalid: [
    { name: "seed 002: readAll returns [] on any error, save writes it back", code: `${F}export class Store {\n  constructor(private readonly file: string) {}\n  private async readAll(): Promise<string[]> {\n    try { return JSON.parse(await fs.readFile(this.file, "utf8")); } catch { return []; }\n  }\n  async save(v: string) {\n    const all = await this.readAll();\n    all.push(v);\n    await fs.writeFile(this.file, JSON.stringify(all));\n  }\n}`, errors: [{ messageIncludes: "the catch on line 5", line: 10 }] },
    { name: "assignment in catch", code: `${F}export async function add(p: string, v: string) {\n  let list: string[] = [];\n  try { list = JSON.parse(await fs.readFile(p, "utf8")); } catch { list = []; }\n  list.push(v);\n  await fs.writeFile(p, JSON.stringify(list));\n}`, errors: [flagged] },
    { name: "catch with an unused error variable", code: `${F}export async function bump(p: string) {\n  let n = 0;\n  try { n = Number(await fs.readFile(p, "utf8")); } catch (error) { n = 0; }\n  await fs.writeFile(p, String(n + 1));\n}`, errors: [flagged] },
    { name: "sync read and write", code: `import * as fs from "fs";\nexport function add(p: string, k: string) {\n  let db: Record<string, boolean>;\n  try { db = JSON.parse(fs.readFileSync(p, "utf8")); } catch { db = {}; }\n  db[k] = true;\n  fs.writeFileSync(p, JSON.stringify(db));\n}`, errors: [flagged] },
    { name: "atomic write does not help", code: `${F}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function add(p: string, k: string) {\n  let db: Record<string, boolean> = {};\n  try { db = JSON.parse(await fs.readFile(p, "utf8")); } catch { db = {}; }\n  db[k] = true;\n  await atomicWriteFile(p, JSON.stringify(db));\n}`, errors: [flagged] },
    { name: "helper function", code: `${F}async function load(p: string): Promise<Record<string, number>> {\n  try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { return {}; }\n}\nexport async function inc(p: string, k: string) {\n  const data = await load(p);\n  data[k] = (data[k] ?? 0) + 1;\n  await fs.writeFile(p, JSON.stringify(data));\n}`, errors: [flagged] },
    { name: "returns a default object", code: `${F}const DEFAULTS = { theme: "light" };\nasync function readSettings(p: string) { try { return JSON.parse(await fs.readFile(p, "utf8")); } catch { return { ...DEFAULTS }; } }\nexport async function setTheme(p: string, theme: string) {\n  const s = await readSettings(p);\n  s.theme = theme;\n  await fs.writeFile(p, JSON.stringify(s));\n}`, errors: [flagged] },
    { name: "jsonfile", fileName: "j.js", code: `const jsonfile = require("jsonfile");\nasync function add(p, k) {\n  let db = {};\n  try { db = await jsonfile.readFile(p); } catch { db = {}; }\n  db[k] = true;\n  await jsonfile.writeFile(p, db);\n}\nmodule.exports = add;`, errors: [flagged] },
  ],
};

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "no lock held across the cycle" };

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "require() inside a function returns the object cached by the first call: memory, not the file (study batch D)", fileName: "api.js", code: `const fs = require("fs");\nexports.add = (item) => {\n  const list = require("./file.json");\n  list.push(item);\n  fs.writeFile("./file.json", JSON.stringify(list), () => {});\n};\n` },
    { name: "inside withFileLock", code: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nexport async function add(p: string, k: string) {\n  await withFileLock(p, async () => {\n    const data = JSON.parse(await fs.readFile(p, "utf8"));\n    data[k] = true;\n    await fs.writeFile(p, JSON.stringify(data));\n  });\n}` },
    { name: "proper-lockfile lock held", code: `import { promises as fs } from "fs";\nimport lockfile from "proper-lockfile";\nexport async function add(p: string, k: string) {\n  const release = await lockfile.lock(p);\n  try {\n    const data = JSON.parse(await fs.readFile(p, "utf8"));\n    data[k] = true;\n    await fs.writeFile(p, JSON.stringify(data));\n  } finally { await release(); }\n}` },
    { name: "mutex.runExclusive", code: `import { promises as fs } from "fs";\ndeclare const mutex: { runExclusive<T>(fn: () => Promise<T>): Promise<T> };\nexport async function add(p: string) {\n  return mutex.runExclusive(async () => {\n    const n = Number(await fs.readFile(p, "utf8"));\n    await fs.writeFile(p, String(n + 1));\n  });\n}` },
    { name: "read and write of different files", code: `import { promises as fs } from "fs";\nexport async function copy(a: string, b: string) {\n  const text = await fs.readFile(a, "utf8");\n  await fs.writeFile(b, text.toUpperCase());\n}` },
    { name: "write before read", code: `import { promises as fs } from "fs";\nexport async function reset(p: string) {\n  await fs.writeFile(p, "{}");\n  return JSON.parse(await fs.readFile(p, "utf8"));\n}` },
    { name: "updateJsonFile", code: `import * as fs from "fs";\nimport { updateJsonFile } from "./tornwrite-runtime";\nexport async function add(p: string, k: string) {\n  await updateJsonFile<Record<string, boolean>>(p, (data) => { data[k] = true; }, { default: {} });\n  return fs.constants.F_OK;\n}` },
    { name: "in-process wait loop counts as a lock here (process-local-lock reports its reach)", code: `import { promises as fs } from "fs";\nconst locks = new Map<string, Promise<void>>();\nexport async function add(p: string) {\n  while (locks.has(p)) await locks.get(p);\n  let release!: () => void;\n  locks.set(p, new Promise<void>((r) => (release = r)));\n  try {\n    const n = Number(await fs.readFile(p, "utf8"));\n    await fs.writeFile(p, String(n + 1));\n  } finally { locks.delete(p); release(); }\n}` },
    { name: "only reads", code: `import { readFileSync } from "fs";\nexport function load(p: string) { return JSON.parse(readFileSync(p, "utf8")); }` },
    { name: "calls of a helper that reads and writes itself do not pair with each other", code: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nasync function add(p: string, v: string) { await withFileLock(p, async () => { const a = JSON.parse(await fs.readFile(p, "utf8")); a.push(v); await fs.writeFile(p, JSON.stringify(a)); }); }\nexport async function autosave(p: string) { await Promise.all([add(p, "page"), add(p, "header"), add(p, "footer")]); }` },
    { name: "a helper that does both is reported in the helper, not its callers", code: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nasync function bump(p: string) { await withFileLock(p, async () => { const n = Number(await fs.readFile(p, "utf8")); await fs.writeFile(p, String(n + 1)); }); }\nexport async function twice(p: string) { await bump(p); await bump(p); }` },
    { name: "a read only compared before a write of fresh data (issue 14)", code: "import * as fs from \"fs\";\nexport function setState(p: string, next: string) {\n  const prev = JSON.parse(fs.readFileSync(p, \"utf8\")).state;\n  if (prev === next) return;\n  fs.writeFileSync(p, JSON.stringify({ state: next }));\n}" },
    { name: "same-named bindings in two cases are two variables (issue 14)", code: "import * as fs from \"fs\";\nexport function handle(cmd: string, p: string, v: string) {\n  switch (cmd) {\n    case \"a\": {\n      const data = JSON.parse(fs.readFileSync(p, \"utf8\"));\n      console.log(data);\n      break;\n    }\n    case \"b\": {\n      const data = { v };\n      fs.writeFileSync(p, JSON.stringify(data));\n      break;\n    }\n  }\n}" },
    { name: "a fully synchronous cycle of a path the caller passes: one process never interleaves with itself (batch B/C)", code: `import * as fs from "fs";\nexport function bump(p: string) {\n  const n = Number(fs.readFileSync(p, "utf8"));\n  fs.writeFileSync(p, String(n + 1));\n}` },
    { name: "the written value was reassigned fresh after a failed parse (batch C)", code: `import * as fs from "fs";\nexport class Settings {\n  cache: object = {};\n  load(p: string) {\n    const contents = fs.readFileSync(p, "utf8");\n    try {\n      this.cache = JSON.parse(contents);\n    } catch {\n      this.cache = {};\n      fs.writeFileSync(p, JSON.stringify(this.cache));\n    }\n  }\n}` },
    { name: "the await sits in a branch that returns: the cycle itself is synchronous (whole-repository sample)", code: "import { readFileSync, writeFileSync } from \"fs\";\nfunction getCount(p: string): number { return Number(readFileSync(p, \"utf8\")); }\nfunction setCount(p: string, n: number) { writeFileSync(p, String(n)); }\nexport async function match(p: string, flush: () => Promise<void>) {\n  const count = getCount(p);\n  if (count >= 3) {\n    await flush();\n    setCount(p, 0);\n    return null;\n  }\n  setCount(p, count + 1);\n  return count;\n}" },
  ],
  invalid: [
    {
      name: "a script that require()s a per-user map, changes it and writes it back (study batch D)",
      fileName: "acquire.ts",
      code: `import path = require("path");\nimport fs = require("fs");\nconst file = path.resolve(process.env.HOME + "/.quicklock/maps/" + process.env.ql_pid + ".json");\nconst locks = require(file);\nlocks[process.env.ql_name!] = { at: Date.now() };\nfs.writeFileSync(file, JSON.stringify(locks));`,
      errors: [{ messageIncludes: "was read on line 4", line: 6 }],
    },
    {
      name: "a four-space file keeps four spaces, and the lock names the path as the code does (fix study, n2n-nexus)",
      code: `import { promises as fs } from "fs";\nimport path from "path";\nexport class S {\n    static async rename(newDir: string, newId: string) {\n        const manifestPath = path.join(newDir, "manifest.json");\n        const manifest = JSON.parse(await fs.readFile(manifestPath, "utf-8"));\n        manifest.id = newId;\n        await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2), "utf-8");\n    }\n}`,
      errors: [{ messageIncludes: "manifestPath was read on line 6", line: 8 }],
      output: `import { promises as fs } from "fs";\nimport path from "path";\nimport { withFileLock } from "./tornwrite-runtime";\nexport class S {\n    static async rename(newDir: string, newId: string) {\n        const manifestPath = path.join(newDir, "manifest.json");\n        await withFileLock(manifestPath, async () => {\n            const manifest = JSON.parse(await fs.readFile(manifestPath, "utf-8"));\n            manifest.id = newId;\n            await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2), "utf-8");\n        });\n    }\n}`,
    },
    {
      name: "no lock fix when the span assigns a variable read after it: its narrowing would outlive the callback (fix study, bmalph)",
      code: `import { readFile, writeFile } from "fs/promises";\nexport async function gen(p: string, fresh: () => string, out: string[]) {\n  let prompt: string;\n  let existed = false;\n  try {\n    const old = await readFile(p, "utf8");\n    existed = true;\n    prompt = old.replace("X", "Y");\n  } catch {\n    prompt = fresh();\n  }\n  await writeFile(p, prompt);\n  out.push(existed ? "updated" : "created");\n}`,
      errors: [{ messageIncludes: "was read on line 6", line: 12 }],
      output: null,
    },
    {
      name: "tab indentation is kept",
      code: `import { promises as fs } from "fs";\nexport async function bump(p: string) {\n\tconst n = JSON.parse(await fs.readFile(p, "utf8"));\n\tn.count++;\n\tawait fs.writeFile(p, JSON.stringify(n));\n}`,
      errors: [{ messageIncludes: "was read on line 3", line: 5 }],
      output: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nexport async function bump(p: string) {\n\tawait withFileLock(p, async () => {\n\t\tconst n = JSON.parse(await fs.readFile(p, "utf8"));\n\t\tn.count++;\n\t\tawait fs.writeFile(p, JSON.stringify(n));\n\t});\n}`,
    },
    {
      name: "seed 002: updateConfig",
      code: `import { promises as fs } from "fs";\nexport async function updateConfig(key: string, value: string) {\n  const data = JSON.parse(await fs.readFile("config.json", "utf-8"));\n  data[key] = value;\n  await fs.writeFile("config.json", JSON.stringify(data));\n}`,
      errors: [{ messageIncludes: `"config.json" was read on line 3`, line: 5 }],
      output: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nexport async function updateConfig(key: string, value: string) {\n  await withFileLock("config.json", async () => {\n    const data = JSON.parse(await fs.readFile("config.json", "utf-8"));\n    data[key] = value;\n    await fs.writeFile("config.json", JSON.stringify(data));\n  });\n}`,
    },
    {
      name: "even when the write is atomic",
      code: `import { readFileSync } from "fs";\nimport { atomicWriteFile } from "./tornwrite-runtime";\nexport async function add(p: string, item: string) {\n  const list: string[] = JSON.parse(readFileSync(p, "utf8"));\n  list.push(item);\n  await atomicWriteFile(p, JSON.stringify(list));\n}`,
      errors: [flagged],
      output: `import { readFileSync } from "fs";\nimport { atomicWriteFile, withFileLock } from "./tornwrite-runtime";\nexport async function add(p: string, item: string) {\n  await withFileLock(p, async () => {\n    const list: string[] = JSON.parse(readFileSync(p, "utf8"));\n    list.push(item);\n    await atomicWriteFile(p, JSON.stringify(list));\n  });\n}`,
    },
    {
      name: "seed 002: across helpers of a class (this.readAll / this.filePath)",
      code: `import { promises as fs } from "fs";\nexport class Store {\n  constructor(private readonly filePath: string) {}\n  private async readAll(): Promise<string[]> {\n    try { return JSON.parse(await fs.readFile(this.filePath, "utf8")); } catch { return []; }\n  }\n  async save(item: string): Promise<void> {\n    const all = await this.readAll();\n    all.push(item);\n    await fs.writeFile(this.filePath, JSON.stringify(all));\n  }\n}`,
      errors: [{ messageIncludes: "this.filePath was read on line 8" }],
      output: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nexport class Store {\n  constructor(private readonly filePath: string) {}\n  private async readAll(): Promise<string[]> {\n    try { return JSON.parse(await fs.readFile(this.filePath, "utf8")); } catch { return []; }\n  }\n  async save(item: string): Promise<void> {\n    await withFileLock(this.filePath, async () => {\n      const all = await this.readAll();\n      all.push(item);\n      await fs.writeFile(this.filePath, JSON.stringify(all));\n    });\n  }\n}`,
    },
    {
      name: "seed 001: a lock around the write only does not cover the read",
      code: `import * as fs from "fs";\nconst locks = new Map<string, Promise<void>>();\nfunction file(id: string) { return "data/" + id + ".json"; }\nasync function readUsage(id: string) { return JSON.parse(await fs.promises.readFile(file(id), "utf8")); }\nasync function writeUsage(id: string, data: unknown) {\n  while (locks.has(id)) await locks.get(id);\n  await fs.promises.writeFile(file(id), JSON.stringify(data));\n}\nexport async function addUsage(id: string, page: string) {\n  const usage = await readUsage(id);\n  usage.pages.push(page);\n  await writeUsage(id, usage);\n}`,
      errors: [{ messageIncludes: "file(id) was read on line 10", line: 12 }],
      output: `import * as fs from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nconst locks = new Map<string, Promise<void>>();\nfunction file(id: string) { return "data/" + id + ".json"; }\nasync function readUsage(id: string) { return JSON.parse(await fs.promises.readFile(file(id), "utf8")); }\nasync function writeUsage(id: string, data: unknown) {\n  while (locks.has(id)) await locks.get(id);\n  await fs.promises.writeFile(file(id), JSON.stringify(data));\n}\nexport async function addUsage(id: string, page: string) {\n  await withFileLock(file(id), async () => {\n    const usage = await readUsage(id);\n    usage.pages.push(page);\n    await writeUsage(id, usage);\n  });\n}`,
    },
    {
      name: "a fully synchronous cycle of a per-user file: every running instance shares it (no async fix)",
      code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nconst COUNTER = path.join(os.homedir(), ".tool", "runs");\nexport function bump() {\n  const n = Number(fs.readFileSync(COUNTER, "utf8"));\n  fs.writeFileSync(COUNTER, String(n + 1));\n}`,
      errors: [{ messageIncludes: "The cycle is synchronous", severity: "warning" }],
      output: null,
    },
    {
      name: "const path resolved on both ends",
      code: `import { promises as fs } from "fs";\nimport * as path from "path";\nexport async function add(root: string, k: string) {\n  const configPath = path.join(root, "config.json");\n  const data = JSON.parse(await fs.readFile(configPath, "utf8"));\n  data[k] = 1;\n  await fs.writeFile(path.join(root, "config.json"), JSON.stringify(data));\n}`,
      errors: [flagged],
    },
    {
      name: "return inside the span: reported, no automatic wrap",
      code: `import { promises as fs } from "fs";\nexport async function add(p: string, k: string) {\n  const data = JSON.parse(await fs.readFile(p, "utf8"));\n  if (data[k]) return false;\n  data[k] = true;\n  await fs.writeFile(p, JSON.stringify(data));\n  return true;\n}`,
      errors: [flagged],
      output: null,
    },
    {
      name: "jsonfile read and write",
      fileName: "j.js",
      code: `const jsonfile = require("jsonfile");\nasync function add(p, k) {\n  const db = await jsonfile.readFile(p);\n  db[k] = true;\n  await jsonfile.writeFile(p, db);\n}\nmodule.exports = add;`,
      errors: [flagged],
    },
    {
      name: "write via rename of a temp",
      code: `import * as fs from "fs";\nimport { randomUUID } from "crypto";\nexport async function add(p: string, k: string) {\n  const data = JSON.parse(await fs.promises.readFile(p, "utf8"));\n  data[k] = 1;\n  const tmp = p + randomUUID();\n  await fs.promises.writeFile(tmp, JSON.stringify(data));\n  await fs.promises.rename(tmp, p);\n}`,
      errors: [flagged],
    },
    {
      name: "write in the read's callback (real-world study)",
      fileName: "inc.js",
      code: `const fs = require("fs");\nfunction inc(p) { fs.readFile(p, "utf8", (err, d) => { const v = JSON.parse(d); v.n++; fs.writeFile(p, JSON.stringify(v), () => {}); }); }\nmodule.exports = inc;`,
      errors: [{ messageIncludes: "no lock held" }],
    },
    {
      name: "promisified read and write in one promise chain (real-world study)",
      fileName: "chain.js",
      code: `const fs = require("fs");\nconst { promisify } = require("util");\nconst read = promisify(fs.readFile), write = promisify(fs.writeFile);\nexports.bump = (p) => read(p).then((d) => JSON.parse(d)).then((v) => write(p, JSON.stringify({ n: v.n + 1 })));`,
      errors: [{ messageIncludes: "no lock held" }],
    },
    { name: "through thin const-arrow wrappers (issue 14)", code: "import { promises as fs } from \"fs\";\nconst WriteFile = (p: string, d: string) => fs.writeFile(p, d);\nconst ReadFile = (p: string) => fs.readFile(p, \"utf8\");\nexport async function addUser(file: string, name: string) {\n  const users = JSON.parse(await ReadFile(file));\n  users.push(name);\n  await WriteFile(file, JSON.stringify(users));\n}", errors: [{ messageIncludes: "was read on line 5", line: 7 }] },
    { name: "a store factory's method composing closures over one path (issue 14)", code: "import { promises as fs } from \"fs\";\nexport function createStore(file: string) {\n  const toJson = async () => JSON.parse(await fs.readFile(file, \"utf8\"));\n  const setJson = (d: object) => fs.writeFile(file, JSON.stringify(d));\n  return {\n    async set(k: string, v: unknown) { const d = await toJson(); d[k] = v; return setJson(d); },\n  };\n}", errors: [{ messageIncludes: "no lock held", line: 6 }] },
    { name: "this.load() and this.save() of a class (issue 14)", code: "import { promises as fs } from \"fs\";\nexport class Settings {\n  constructor(private readonly filePath: string) {}\n  private async load() { return JSON.parse(await fs.readFile(this.filePath, \"utf8\")); }\n  private async save(d: object) { await fs.writeFile(this.filePath, JSON.stringify(d)); }\n  async set(k: string, v: unknown) { const d = await this.load(); d[k] = v; await this.save(d); }\n}", errors: [{ messageIncludes: "no lock held", line: 6 }], output: "import { promises as fs } from \"fs\";\nimport { withFileLock } from \"./tornwrite-runtime\";\nexport class Settings {\n  constructor(private readonly filePath: string) {}\n  private async load() { return JSON.parse(await fs.readFile(this.filePath, \"utf8\")); }\n  private async save(d: object) { await fs.writeFile(this.filePath, JSON.stringify(d)); }\n  async set(k: string, v: unknown) { await withFileLock(this.filePath, async () => { const d = await this.load(); d[k] = v; await this.save(d); }); }\n}" },
    { name: "a synchronous cycle of a per-user file every instance shares: a warning (issue 14)", code: "import * as fs from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nconst USAGE = path.join(os.homedir(), \".mytool\", \"usage.json\");\nexport function addSession(tokens: number) {\n  const usage = JSON.parse(fs.readFileSync(USAGE, \"utf8\"));\n  usage.total += tokens;\n  fs.writeFileSync(USAGE, JSON.stringify(usage));\n}", errors: [{ messageIncludes: "shared by every running instance", line: 8 }], output: null },
  ],
};

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "only inside this process" };
const MAP_LOCK = (body: string) => `import { promises as fs } from "fs";\nconst writeLocks = new Map<string, Promise<void>>();\nexport async function save(id: string, data: string) {\n  while (writeLocks.has(id)) await writeLocks.get(id);\n  let release!: () => void;\n  writeLocks.set(id, new Promise<void>((r) => (release = r)));\n  try {\n${body}\n  } finally { writeLocks.delete(id); release(); }\n}`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "withFileLock", code: `import { promises as fs } from "fs";\nimport { withFileLock } from "./tornwrite-runtime";\nexport async function save(p: string, d: string) { await withFileLock(p, () => fs.writeFile(p, d)); }` },
    { name: "Map lock around no file write", code: MAP_LOCK("    await fs.readFile(id);") },
    { name: "a plain cache Map", code: `import { promises as fs } from "fs";\nconst cache = new Map<string, string>();\nexport async function get(p: string) { if (!cache.has(p)) cache.set(p, await fs.readFile(p, "utf8")); return cache.get(p); }` },
    { name: "mutex around network work", code: `import { Mutex } from "async-mutex";\nimport * as fs from "fs";\nconst mutex = new Mutex();\nexport async function f() { return mutex.runExclusive(async () => fetch("http://localhost")); }\nexport const c = fs.constants;` },
    { name: "a Set of seen ids", code: `import { promises as fs } from "fs";\nconst seen = new Set<string>();\nexport async function f(id: string) { seen.add(id); await fs.writeFile("ids.txt", [...seen].join("\\n")); }` },
    { name: "lock map in a function that only reads", code: `import * as fs from "fs";\nconst locks = new Map<string, Promise<string>>();\nexport function read(p: string) { if (!locks.has(p)) locks.set(p, fs.promises.readFile(p, "utf8")); return locks.get(p); }` },
    { name: "proper-lockfile", code: `import { promises as fs } from "fs";\nimport lockfile from "proper-lockfile";\nexport async function save(p: string, d: string) { const release = await lockfile.lock(p); try { await fs.writeFile(p, d); } finally { await release(); } }` },
    { name: "no fs at all", code: `const locks = new Map<string, Promise<void>>();\nexport function take(k: string) { locks.set(k, new Promise<void>(() => {})); }` },
    { name: "p-limit with more than one task at a time is not a lock", code: "import pLimit from \"p-limit\";\nimport { promises as fs } from \"fs\";\nconst limit = pLimit(4);\nexport const save = (p: string, d: string) => limit(() => fs.writeFile(p, d));" },
  ],
  invalid: [
    { name: "seed 001: writeLocks Map around a write", code: MAP_LOCK("    await fs.writeFile(id + \".json\", data);"), errors: [flagged] },
    { name: "around a rename", code: MAP_LOCK("    await fs.writeFile(id + \".tmp\", data);\n    await fs.rename(id + \".tmp\", id);"), errors: [flagged] },
    { name: "async-mutex runExclusive", code: `import { Mutex } from "async-mutex";\nimport { promises as fs } from "fs";\nconst mutex = new Mutex();\nexport async function save(p: string, d: string) { await mutex.runExclusive(async () => { await fs.writeFile(p, d); }); }`, errors: [flagged] },
    { name: "Semaphore", code: `import { Semaphore } from "async-mutex";\nimport * as fs from "fs";\nconst sem = new Semaphore(1);\nexport async function save(p: string, d: string) { await sem.runExclusive(() => fs.promises.writeFile(p, d)); }`, errors: [flagged] },
    { name: "class field lock map", code: `import { promises as fs } from "fs";\nexport class Store {\n  private locks = new Map<string, Promise<void>>();\n  async save(p: string, d: string) {\n    while (this.locks.has(p)) await this.locks.get(p);\n    this.locks.set(p, fs.writeFile(p, d));\n    await this.locks.get(p);\n    this.locks.delete(p);\n  }\n}`, errors: [flagged] },
    { name: "through a helper writer", code: `import { promises as fs } from "fs";\nconst pending = new Map<string, Promise<void>>();\nasync function persist(p: string, d: string) { await fs.writeFile(p, d); }\nexport async function save(p: string, d: string) {\n  while (pending.has(p)) await pending.get(p);\n  const done = persist(p, d);\n  pending.set(p, done);\n  await done;\n  pending.delete(p);\n}`, errors: [flagged] },
    { name: "atomic writer still needs a cross-process lock for its callers", code: `import { atomicWriteFile } from "./tornwrite-runtime";\nimport * as fs from "fs";\nconst locks = new Map<string, Promise<void>>();\nexport async function save(p: string, d: string) { while (locks.has(p)) await locks.get(p); locks.set(p, atomicWriteFile(p, d)); await locks.get(p); locks.delete(p); return fs.constants; }`, errors: [flagged] },
    { name: "CommonJS", fileName: "l.js", code: `const fs = require("fs");\nconst writeLocks = new Map();\nasync function save(p, d) {\n  while (writeLocks.has(p)) await writeLocks.get(p);\n  writeLocks.set(p, fs.promises.writeFile(p, d));\n  await writeLocks.get(p);\n  writeLocks.delete(p);\n}\nmodule.exports = save;`, errors: [flagged] },
    { name: "a project's own AsyncMutex class around a registry update (issue 14)", code: "import { promises as fs } from \"fs\";\nimport { AsyncMutex } from \"./utils/async-mutex\";\nexport class Storage {\n  private static registryLock = new AsyncMutex();\n  static async save(p: string, d: string) { await this.registryLock.withLock(async () => { await fs.writeFile(p, d); }); }\n}", errors: [{ messageIncludes: "only inside this process", line: 5, severity: "hint" as const }] },
    { name: "p-limit with a concurrency of 1", code: "import pLimit from \"p-limit\";\nimport { promises as fs } from \"fs\";\nconst limit = pLimit(1);\nexport const save = (p: string, d: string) => limit(() => fs.writeFile(p, d));", errors: [{ messageIncludes: "only inside this process", severity: "hint" as const }] },
  ],
};

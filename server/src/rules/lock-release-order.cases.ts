import type { RuleModule } from "../engine/rule";

const SEED_001 = (finallyBody: string) => `const writeLocks = new Map<string, Promise<void>>();
export async function writeMediaFile(projectId: string, write: () => Promise<void>) {
  while (writeLocks.has(projectId)) await writeLocks.get(projectId);
  let releaseLock!: () => void;
  writeLocks.set(projectId, new Promise<void>((resolve) => (releaseLock = resolve)));
  try {
    await write();
  } finally {
${finallyBody}
  }
}`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "seed 001 fixed: delete, then release", code: SEED_001("    writeLocks.delete(projectId);\n    releaseLock();") },
    {
      name: "request coalescing: a waiter returns the shared result and never takes the entry",
      fileName: "comment.js",
      code: `const idCache = new Map();\nconst promises = new Map();\nimport { fetchInfo } from "./api";\nexport default {\n  async infoId(key) {\n    if (idCache.has(key)) return idCache.get(key);\n    if (promises.has(key)) return (await promises.get(key)).id;\n    const promise = fetchInfo(key);\n    promises.set(key, promise);\n    const info = await promise;\n    idCache.set(key, info.id);\n    promises.delete(key);\n    return info.id;\n  },\n};`,
    },
    { name: "no lock map", code: `const cache = new Map<string, string>();\nexport function f(k: string, done: () => void) { done(); cache.delete(k); }` },
    { name: "identity-checked delete in a chained queue", code: `const locks = new Map<string, Promise<unknown>>();\nexport function run<T>(k: string, fn: () => Promise<T>): Promise<T> {\n  const prev = locks.get(k) ?? Promise.resolve();\n  const mine = prev.then(fn, fn);\n  locks.set(k, mine);\n  return mine.finally(() => { if (locks.get(k) === mine) locks.delete(k); });\n}` },
    { name: "while loop re-check", code: `const locks = new Map<string, Promise<void>>();\nexport async function take(k: string) {\n  while (locks.has(k)) await locks.get(k);\n  locks.set(k, new Promise<void>(() => {}));\n}` },
    { name: "release of another structure", code: `const writeLocks = new Map<string, Promise<void>>();\nconst other = new Set<string>();\nexport function f(k: string, release: () => void) { writeLocks.delete(k); release(); other.delete(k); }` },
    { name: "Set-based lock released correctly", code: `const busy = new Set<string>();\nconst waiters: (() => void)[] = [];\nexport function unlock(k: string) {\n  busy.delete(k);\n  waiters.shift()?.();\n}` },
    { name: "delete in a different block than the release", code: `const locks = new Map<string, Promise<void>>();\nexport function f(k: string, resolve: () => void, ok: boolean) {\n  if (ok) { resolve(); }\n  locks.delete(k);\n}` },
    { name: "if-wait followed by no take", code: `const locks = new Map<string, Promise<void>>();\nexport async function waitIdle(k: string) { if (locks.has(k)) await locks.get(k); return true; }` },
    { name: "an in-flight dedupe map: set only when absent, so the delete removes its own entry (whole-repository sample)", fileName: "dedupe.js", code: "const fs = require(\"fs/promises\");\nconst moving = new Map();\nfunction move(from, to) {\n  if (moving.has(to)) return moving.get(to);\n  moving.set(to, fs.rename(from, to).finally(() => { moving.delete(to); }));\n  return moving.get(to);\n}\nmodule.exports = { move };" },
    { name: "an in-flight dedupe map through the entry looked up first: return it when found (scale study, seed 32)", fileName: "probe.ts", code: "const inflight = new Map<string, Promise<number>>();\nasync function probeCore(repo: string): Promise<number> { return repo.length; }\nexport function probe(repo: string): Promise<number> {\n  const running = inflight.get(repo);\n  if (running != null) return running;\n  const promise = probeCore(repo).finally(() => inflight.delete(repo));\n  inflight.set(repo, promise);\n  return promise;\n}\nexport async function settled(repo: string): Promise<void> {\n  await inflight.get(repo);\n}" },
    { name: "an in-flight dedupe map that sets only inside the branch that found no entry (scale study, seed 32)", fileName: "avatars.ts", code: "const queue = new Map<string, Promise<string>>();\ndeclare function fetchAvatar(key: string): Promise<string>;\nexport function avatar(key: string, expired: boolean): Promise<string> | string {\n  let query = queue.get(key);\n  if (query == null && expired) {\n    query = fetchAvatar(key);\n    queue.set(key, query.finally(() => queue.delete(key)));\n  }\n  return query ?? \"fallback\";\n}" },
    { name: "an in-flight dedupe map set only on the fallback side of ?? after its lookup (scale study, seed 37)", fileName: "sessions.ts", code: "declare function connect(id: string): Promise<object>;\nconst pending = new Map<string, Promise<object>>();\nexport async function session(id: string): Promise<object> {\n  return (await pending.get(id)) ?? (await (async () => {\n    const promise = connect(id).finally(() => {\n      pending.delete(id);\n    });\n    pending.set(id, promise);\n    return promise;\n  })());\n}" },
  ],
  invalid: [
    {
      name: "seed 001: release, then delete (information: fragile)",
      code: SEED_001("    releaseLock();\n    writeLocks.delete(projectId);"),
      errors: [{ messageIncludes: "Safe today only because resolve() defers", line: 9, severity: "information" }],
      output: SEED_001("    writeLocks.delete(projectId);\n    releaseLock();"),
    },
    {
      name: "await between release and delete (error)",
      code: SEED_001("    releaseLock();\n    await Promise.resolve();\n    writeLocks.delete(projectId);"),
      errors: [{ messageIncludes: "and then an await yields" }],
      output: null,
    },
    {
      name: "callback-style release runs the next holder synchronously",
      code: `const locks = new Map<string, boolean>();\nconst waiters: (() => void)[] = [];\nexport function unlock(k: string) {\n  waiters.shift()?.();\n  locks.delete(k);\n}`,
      errors: [{ messageIncludes: "synchronously" }],
    },
    {
      name: "next() taken off a queue",
      code: `const locks = new Map<string, Promise<void>>();\nconst queue: (() => void)[] = [];\nexport function unlock(k: string) {\n  const next = queue.shift();\n  next?.();\n  locks.delete(k);\n}`,
      errors: [{ messageIncludes: "synchronously" }],
    },
    {
      name: "class field lock map",
      code: `export class Store {\n  private locks = new Map<string, Promise<void>>();\n  async save(id: string, release: () => void) {\n    try { await Promise.resolve(); } finally {\n      release();\n      this.locks.delete(id);\n    }\n  }\n}`,
      errors: [{ messageIncludes: "Delete the entry first", severity: "information" }],
      output: `export class Store {\n  private locks = new Map<string, Promise<void>>();\n  async save(id: string, release: () => void) {\n    try { await Promise.resolve(); } finally {\n      this.locks.delete(id);\n      release();\n    }\n  }\n}`,
    },
    {
      name: "unconditional delete in a chained-queue lock",
      code: `const locks = new Map<string, Promise<unknown>>();\nexport function run<T>(k: string, fn: () => Promise<T>): Promise<T> {\n  const prev = locks.get(k) ?? Promise.resolve();\n  const mine = prev.then(fn, fn);\n  locks.set(k, mine);\n  return mine.finally(() => locks.delete(k));\n}`,
      errors: [{ messageIncludes: "may remove the next holder's entry" }],
    },
    {
      name: "a chained queue that looks up the previous holder but chains after it instead of leaving: still a queue (scale study, seed 32)",
      code: `const locks = new Map<string, Promise<unknown>>();\nexport function run<T>(k: string, fn: () => Promise<T>): Promise<T> {\n  const prev = locks.get(k);\n  if (prev !== undefined) console.log("queued behind", k);\n  const mine = (prev ?? Promise.resolve()).then(fn, fn);\n  locks.set(k, mine.finally(() => locks.delete(k)));\n  return mine;\n}`,
      errors: [{ messageIncludes: "may remove the next holder's entry" }],
    },
    {
      name: "if instead of while around the wait",
      code: `const locks = new Map<string, Promise<void>>();\nexport async function take(k: string) {\n  if (locks.has(k)) await locks.get(k);\n  locks.set(k, new Promise<void>(() => {}));\n}`,
      errors: [{ messageIncludes: "without re-checking" }],
      output: `const locks = new Map<string, Promise<void>>();\nexport async function take(k: string) {\n  while (locks.has(k)) await locks.get(k);\n  locks.set(k, new Promise<void>(() => {}));\n}`,
    },
    {
      name: "resolve() named resolve",
      fileName: "l.js",
      code: `const pending = new Map();\nasync function withLock(key, fn) {\n  while (pending.has(key)) await pending.get(key);\n  let resolve;\n  pending.set(key, new Promise((r) => (resolve = r)));\n  try { return await fn(); } finally {\n    resolve();\n    pending.delete(key);\n  }\n}\nmodule.exports = withLock;`,
      errors: [{ messageIncludes: "Safe today", severity: "information" }],
      output: `const pending = new Map();\nasync function withLock(key, fn) {\n  while (pending.has(key)) await pending.get(key);\n  let resolve;\n  pending.set(key, new Promise((r) => (resolve = r)));\n  try { return await fn(); } finally {\n    pending.delete(key);\n    resolve();\n  }\n}\nmodule.exports = withLock;`,
    },
    { name: "async-mutex: release() hands over synchronously, then an identity-less delete (issue 14)", code: "import { Mutex } from \"async-mutex\";\nimport { promises as fs } from \"fs\";\nconst locks = new Map<string, Mutex>();\nexport async function update(id: string, d: string) {\n  let mutex = locks.get(id);\n  if (!mutex) { mutex = new Mutex(); locks.set(id, mutex); }\n  const release = await mutex.acquire();\n  try { await fs.writeFile(id + \".json\", d); }\n  finally {\n    release();\n    locks.delete(id);\n  }\n}", errors: [{ messageIncludes: "released synchronously", severity: "error" as const, line: 10 }] },
  ],
};

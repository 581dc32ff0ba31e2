import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "locks them in the opposite order" };
const H = `import { withFileLock } from "./tornwrite-runtime";\nimport * as fs from "node:fs";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "async-mutex's withTimeout(mutex) and tryAcquire(mutex) are views of the same mutex, not a second lock (scale study, seed 48)", code: "import { Mutex, withTimeout, tryAcquire } from \"async-mutex\";\nconst mutex = new Mutex();\nexport async function acquire(timeout: number) {\n  const release = await withTimeout(mutex, timeout).acquire();\n  const again = await mutex.acquire();\n  again();\n  release();\n}\nexport async function extend(timeout: number) {\n  const release = await mutex.acquire();\n  const view = await withTimeout(mutex, timeout).acquire();\n  const tried = await tryAcquire(mutex).acquire();\n  tried();\n  view();\n  release();\n}" },
    { name: "same order everywhere", code: `${H}export async function a(x: string, y: string) {\n  await withFileLock(x, () => withFileLock(y, () => fs.promises.copyFile(x, y)));\n}\nexport async function b(x: string, y: string) {\n  await withFileLock(x, async () => { await withFileLock(y, () => fs.promises.copyFile(y, x)); });\n}` },
    { name: "one lock at a time", code: `${H}export async function a(x: string, y: string) {\n  await withFileLock(x, () => fs.promises.readFile(x));\n  await withFileLock(y, () => fs.promises.readFile(y));\n}\nexport async function b(x: string, y: string) {\n  await withFileLock(y, () => fs.promises.readFile(y));\n  await withFileLock(x, () => fs.promises.readFile(x));\n}` },
    { name: "nested once only", code: `${H}export async function a(x: string, y: string) {\n  await withFileLock(x, () => withFileLock(y, () => fs.promises.copyFile(x, y)));\n}` },
    { name: "re-entrant same key is another rule's business", code: `${H}export async function a(x: string) {\n  await withFileLock(x, () => withFileLock(x + ".meta", () => fs.promises.readFile(x)));\n}` },
    { name: "mutexes in one order", code: `import { Mutex } from "async-mutex";\nconst ma = new Mutex();\nconst mb = new Mutex();\nexport async function a() { await ma.runExclusive(() => mb.runExclusive(() => 1)); }\nexport async function b() { await ma.runExclusive(async () => { await mb.runExclusive(() => 2); }); }` },
    { name: "released before the second lock", code: `import lockfile from "proper-lockfile";\nexport async function a(x: string, y: string) {\n  const release = await lockfile.lock(x);\n  release();\n  const other = await lockfile.lock(y);\n  await other();\n}\nexport async function b(x: string, y: string) {\n  const release = await lockfile.lock(y);\n  await release();\n  const other = await lockfile.lock(x);\n  await other();\n}` },
    { name: "the runtime's update helpers", code: `import { updateJsonFile } from "./tornwrite-runtime";\nexport async function a(x: string, y: string) {\n  await updateJsonFile(x, (v: number) => v + 1);\n  await updateJsonFile(y, (v: number) => v + 1);\n}` },
    { name: "no locks", code: `import * as fs from "node:fs";\nexport function copy(x: string, y: string) { fs.copyFileSync(x, y); fs.copyFileSync(y, x); }` },
  ],
  invalid: [
    {
      name: "withFileLock nested both ways",
      code: `${H}export async function move(from: string, to: string) {\n  await withFileLock(from, () => withFileLock(to, () => fs.promises.copyFile(from, to)));\n}\nexport async function moveBack(from: string, to: string) {\n  await withFileLock(to, () => withFileLock(from, () => fs.promises.copyFile(to, from)));\n}`,
      errors: [flagged, flagged],
    },
    {
      name: "constant paths",
      code: `${H}const USERS = "users.json";\nconst ORDERS = "orders.json";\nexport async function a() { await withFileLock(USERS, async () => { await withFileLock(ORDERS, async () => 1); }); }\nexport async function b() { await withFileLock(ORDERS, async () => { await withFileLock(USERS, async () => 2); }); }`,
      errors: [flagged, flagged],
    },
    {
      name: "async-mutex objects",
      code: `import { Mutex } from "async-mutex";\nconst users = new Mutex();\nconst orders = new Mutex();\nexport async function a() { await users.runExclusive(() => orders.runExclusive(() => 1)); }\nexport async function b() { await orders.runExclusive(() => users.runExclusive(() => 2)); }`,
      errors: [flagged, flagged],
    },
    {
      name: "proper-lockfile sequences",
      code: `import lockfile from "proper-lockfile";\nexport async function a(x: string, y: string) {\n  const rx = await lockfile.lock(x);\n  const ry = await lockfile.lock(y);\n  await ry();\n  await rx();\n}\nexport async function b(x: string, y: string) {\n  const ry = await lockfile.lock(y);\n  const rx = await lockfile.lock(x);\n  await rx();\n  await ry();\n}`,
      errors: [flagged, flagged],
    },
    {
      name: "KeyedMutex keys",
      code: `import { KeyedMutex } from "./tornwrite-runtime";\nconst locks = new KeyedMutex<string>();\nexport async function a() { await locks.runExclusive("users", () => locks.runExclusive("orders", () => 1)); }\nexport async function b() { await locks.runExclusive("orders", () => locks.runExclusive("users", () => 2)); }`,
      errors: [flagged, flagged],
    },
    {
      name: "mixed callback and acquire",
      code: `import { acquireFileLock, withFileLock } from "./tornwrite-runtime";\nexport async function a(x: string, y: string) {\n  await withFileLock(x, async () => {\n    const held = await acquireFileLock(y);\n    await held.release();\n  });\n}\nexport async function b(x: string, y: string) {\n  await withFileLock(y, () => withFileLock(x, async () => 0));\n}`,
      errors: [flagged, flagged],
    },
    {
      name: "inversion inside one function's branches",
      code: `${H}export async function sync(a: string, b: string, reverse: boolean) {\n  if (reverse) await withFileLock(b, () => withFileLock(a, () => fs.promises.copyFile(b, a)));\n  else await withFileLock(a, () => withFileLock(b, () => fs.promises.copyFile(a, b)));\n}`,
      errors: [flagged, flagged],
    },
    {
      name: "CommonJS with a generic withLock helper",
      fileName: "x.js",
      code: `const { withLock } = require("./locks");\nexports.a = (x, y) => withLock(x, () => withLock(y, () => 1));\nexports.b = (x, y) => withLock(y, () => withLock(x, () => 2));`,
      errors: [flagged, flagged],
    },
  ],
};

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "without an fsync first" };
const R = `import { randomUUID } from "crypto";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a downloaded binary checked against its known sha256 before every use: a torn one is downloaded again (scale study, seed 38)", code: `import { createHash } from "crypto";\nimport { readFile, rename, rm, writeFile } from "fs/promises";\nimport { join } from "path";\nconst TOOL_SHA256 = "0123456789abcdef";\nexport class Tools {\n  constructor(private appDataPath: string) {}\n  async ensureTool(download: () => Promise<Buffer>) {\n    const destination = join(this.appDataPath, "tools", "tool.exe");\n    const valid = await readFile(destination).then((data) => createHash("sha256").update(data).digest("hex") === TOOL_SHA256).catch(() => false);\n    if (valid) return destination;\n    const temporary = \`\${destination}.tmp-\${process.pid}\`;\n    await writeFile(temporary, await download());\n    await rm(destination, { force: true });\n    await rename(temporary, destination);\n    return destination;\n  }\n}` },
    { name: "FileHandle.sync() before rename", code: `import { open, rename } from "fs/promises";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  const h = await open(tmp, "wx");\n  await h.writeFile(d);\n  await h.sync();\n  await h.close();\n  await rename(tmp, t);\n}` },
    { name: "fsyncSync on a descriptor", code: `import * as fs from "fs";\n${R}export function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  fs.writeFileSync(tmp, d);\n  const fd = fs.openSync(tmp, "r+");\n  fs.fsyncSync(fd);\n  fs.closeSync(fd);\n  fs.renameSync(tmp, t);\n}` },
    { name: "flush: true option", code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  await fs.writeFile(tmp, d, { flush: true });\n  await fs.rename(tmp, t);\n}` },
    { name: "fdatasync", code: `import * as fs from "fs";\n${R}export function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  fs.writeFileSync(tmp, d);\n  const fd = fs.openSync(tmp, "r");\n  fs.fdatasyncSync(fd);\n  fs.renameSync(tmp, t);\n}` },
    { name: "no temp protocol", code: `import * as fs from "fs";\nexport function mv(a: string, b: string) { fs.renameSync(a, b); }` },
    { name: "runtime call", code: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nimport * as fs from "fs";\nexport function w(t: string) { atomicWriteFileSync(t, "x"); return fs.constants.F_OK; }` },
    { name: "callback fsync", code: `import * as fs from "fs";\n${R}export function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  fs.writeFileSync(tmp, d);\n  fs.fsync(fs.openSync(tmp, "r"), () => fs.renameSync(tmp, t));\n}` },
    {
      name: "a cache is rebuilt when it reads back empty: no fsync needed (scale study, seed 28)",
      code: `import * as fs from "fs";\nimport * as path from "path";\nexport function createIconCache(cacheDir: string) {\n  const file = path.join(cacheDir, "iconUrls.json");\n  return function persist(memo: object) {\n    const tmp = \`\${file}.\${process.pid}.tmp\`;\n    fs.writeFileSync(tmp, JSON.stringify(memo), "utf8");\n    fs.renameSync(tmp, file);\n  };\n}`,
    },
    { name: "datasync on handle", code: `import * as fsp from "node:fs/promises";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  await fsp.writeFile(tmp, d);\n  const h = await fsp.open(tmp, "r");\n  await h.datasync();\n  await h.close();\n  await fsp.rename(tmp, t);\n}` },
    { name: "a status file in the OS temp folder, rewritten every tick through a temp: nothing there outlives a reboot (scale study, seed 60)", fileName: "status-writer.ts", code: "import * as fs from \"node:fs\";\nimport * as os from \"node:os\";\nimport * as path from \"node:path\";\nconst STATUS_PATH = path.join(os.tmpdir(), \"pomodorocli-status.json\");\nexport function writeStatus(state: object): void {\n  const tmp = STATUS_PATH + \".tmp\";\n  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });\n  fs.renameSync(tmp, STATUS_PATH);\n}\n" },
  ],
  invalid: [
    { name: "the rename inside a retry helper's callback (`await retryAsyncOperation(async () => rename(tmp, file), 10, 100)`) is the caller's: no fsync before it (labelled study: steno)", code: "import { writeFile, rename } from \"fs/promises\";\ndeclare function retryAsyncOperation(fn: () => Promise<void>, n: number, ms: number): Promise<void>;\nexport async function save(file: string, data: string) {\n  const tmp = file + \".\" + Math.random().toString(36) + \".tmp\";\n  await writeFile(tmp, data, \"utf-8\");\n  await retryAsyncOperation(async () => { await rename(tmp, file); }, 10, 100);\n}\n", errors: [{ messageIncludes: "without an fsync", line: 6 }] },
    { name: "a temp written and renamed in two links of one promise chain: reported at the rename, not at the chain's first line (scale study, seed 41)", fileName: "LoadBalancerManager.ts", code: "import fs from \"fs-extra\";\nexport class LoadBalancer {\n  reloadInProcess = false;\n  constructor(private base: string, private render: () => Promise<string>) {}\n  reload() {\n    const self = this;\n    if (self.reloadInProcess) {\n      return;\n    }\n    self.reloadInProcess = true;\n    const FUTURE = self.base + \".fut\";\n    const CONFIG = self.base + \".conf\";\n    let content = \"\";\n    return Promise.resolve()\n      .then(function () {\n        return self.render();\n      })\n      .then(function (rendered) {\n        content = rendered;\n        return fs.outputFile(FUTURE, content);\n      })\n      .then(function () {\n        return fs.renameSync(FUTURE, CONFIG);\n      })\n      .finally(function () {\n        self.reloadInProcess = false;\n      });\n  }\n}\n", errors: [{ messageIncludes: "without an fsync", line: 23 }] },
    { name: "a settings file hashed only to notice a change (compared with the last hash, not an expected one): still state (seed 38)", code: `import { createHash } from "crypto";\nimport { readFile, rename, writeFile } from "fs/promises";\nimport { join } from "path";\nimport { homedir } from "os";\nconst settingsPath = join(homedir(), ".app", "settings.json");\nlet lastHash = "";\nexport async function changed() {\n  const hash = createHash("sha1").update(await readFile(settingsPath)).digest("hex");\n  const result = hash !== lastHash;\n  lastHash = hash;\n  return result;\n}\nexport async function save(settings: object) {\n  const tmp = \`\${settingsPath}.\${process.pid}.\${Math.random()}\`;\n  await writeFile(tmp, JSON.stringify(settings));\n  await rename(tmp, settingsPath);\n}`, errors: [flagged] },
    {
      name: "seed 004 shape",
      code: `import { writeFileSync, renameSync } from "node:fs";\n${R}export function saveSpec(path: string, out: string) {\n  const tmp = \`\${path}.\${randomUUID()}\`;\n  try {\n    writeFileSync(tmp, out, { mode: 0o644 });\n    renameSync(tmp, path);\n  } catch (error) {\n    try { renameSync(tmp, tmp + ".failed"); } catch {}\n    throw error;\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "async pair with cleanup",
      code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try {\n    await fs.writeFile(tmp, d);\n    await fs.rename(tmp, t);\n  } catch (e) {\n    await fs.unlink(tmp).catch(() => {});\n    throw e;\n  }\n}`,
      errors: [{ messageIncludes: "without an fsync first", line: 7 }],
      // The catch existed for the cleanup: with the temp gone it would only rethrow (no-useless-catch), so it goes.
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function w(t: string, d: string) {\n  await atomicWriteFile(t, d);\n}`,
    },
    {
      name: "the temp's exclusive-create flag is not carried to the runtime (it always creates its temp exclusively; fix study, bmalph)",
      code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  await fs.writeFile(tmp, d, { flag: "wx" });\n  await fs.rename(tmp, t);\n}`,
      errors: [{ messageIncludes: "without an fsync first" }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function w(t: string, d: string) {\n  await atomicWriteFile(t, d);\n}`,
    },
    {
      name: "other options stay when the flag goes",
      code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  await fs.writeFile(tmp, d, { encoding: "utf8", flag: "wx", mode: 0o600 });\n  await fs.rename(tmp, t);\n}`,
      errors: [{ messageIncludes: "without an fsync first" }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function w(t: string, d: string) {\n  await atomicWriteFile(t, d, { encoding: "utf8", mode: 0o600 });\n}`,
    },
    {
      name: "a cleanup guarded by an existence check goes with the temp, and the catch that held it (fix study, pi-extensions)",
      code: `import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";\n${R}export function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try {\n    writeFileSync(tmp, d, "utf-8");\n    renameSync(tmp, t);\n  } catch (error) {\n    if (existsSync(tmp)) {\n      rmSync(tmp, { force: true });\n    }\n    throw error;\n  }\n}`,
      errors: [{ messageIncludes: "without an fsync first" }],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function w(t: string, d: string) {\n  atomicWriteFileSync(t, d, "utf-8");\n}`,
    },
    {
      name: "the comment after the removed rename goes with it (fix study, kintai-backend)",
      code: `import { writeFileSync, renameSync } from "fs";\n${R}export function w(file: string, data: unknown) {\n  const tmp = file + randomUUID();\n  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600, encoding: "utf8" });\n  renameSync(tmp, file); // atomic on one file system\n  return file;\n}`,
      errors: [{ messageIncludes: "without an fsync first" }],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function w(file: string, data: unknown) {\n  atomicWriteFileSync(file, JSON.stringify(data), { mode: 0o600, encoding: "utf8" });\n  return file;\n}`,
    },
    {
      name: "a catch that only rethrew before the fix is the author's: it stays",
      code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try {\n    await fs.writeFile(tmp, d);\n    await fs.rename(tmp, t);\n  } catch (e) {\n    throw e;\n  }\n}`,
      errors: [{ messageIncludes: "without an fsync first", line: 7 }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function w(t: string, d: string) {\n  try {\n    await atomicWriteFile(t, d);\n  } catch (e) {\n    throw e;\n  }\n}`,
    },
    {
      name: "fsync after the rename is too late",
      code: `import * as fs from "fs";\n${R}export function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try {\n    fs.writeFileSync(tmp, d);\n    fs.renameSync(tmp, t);\n    fs.fsyncSync(fs.openSync(t, "r"));\n  } catch (e) { fs.unlinkSync(tmp); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "flush: false",
      code: `import { promises as fs } from "fs";\n${R}export async function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try { await fs.writeFile(tmp, d, { flush: false }); await fs.rename(tmp, t); } catch (e) { await fs.rm(tmp, { force: true }); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "CommonJS",
      fileName: "w.cjs",
      code: `const fs = require("fs");\nconst crypto = require("crypto");\nexports.w = (t, d) => {\n  const tmp = t + crypto.randomUUID();\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n};`,
      errors: [flagged],
    },
    {
      name: "fs-extra",
      fileName: "w.mjs",
      code: `import fse from "fs-extra";\nimport { randomUUID } from "crypto";\nexport async function w(t, d) {\n  const tmp = t + randomUUID();\n  try { await fse.outputFile(tmp, d); await fse.move(tmp, t, { overwrite: true }); } catch (e) { await fse.remove(tmp); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "fs.promises named namespace",
      code: `import * as fs from "node:fs";\n${R}export async function w(t: string, d: Uint8Array) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try { await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); } catch (e) { await fs.promises.rm(tmp, { force: true }); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "sync in another function does not count",
      code: `import * as fs from "fs";\n${R}function flush(fd: number) { fs.fsyncSync(fd); }\nexport function w(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.unlinkSync(tmp); throw e; }\n  return flush;\n}`,
      errors: [flagged],
    },
    { name: "the same shape into the user's data folder is reported: that file must survive a power loss (scale study, seed 60)", fileName: "fs-utils.ts", code: "import * as fs from \"node:fs\";\nimport * as os from \"node:os\";\nimport * as path from \"node:path\";\nconst TASKS_PATH = path.join(os.homedir(), \".local\", \"share\", \"pomodorocli\", \"tasks.json\");\nexport function saveTasks(tasks: object[]): void {\n  const tmp = TASKS_PATH + \".tmp\";\n  fs.writeFileSync(tmp, JSON.stringify(tasks));\n  fs.renameSync(tmp, TASKS_PATH);\n}\n", errors: [{ ...flagged, line: 8 }] },
  ],
};

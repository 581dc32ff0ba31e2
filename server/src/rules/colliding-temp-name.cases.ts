import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "has no randomness" };

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a fixed temp in a private #write that sets its busy flag first, reached only as `this.#locked ? this.#add(data) : this.#write(data)`: it never overlaps itself (labelled study: steno, lowdb's writer)", code: "import { writeFile, rename } from \"node:fs/promises\";\nexport class Writer {\n  #filename: string;\n  #tempFilename: string;\n  #locked = false;\n  #nextData: string | null = null;\n  constructor(filename: string) {\n    this.#filename = filename;\n    this.#tempFilename = filename + \".tmp\";\n  }\n  async #write(data: string): Promise<void> {\n    this.#locked = true;\n    try {\n      await writeFile(this.#tempFilename, data, \"utf-8\");\n      await rename(this.#tempFilename, this.#filename);\n    } finally {\n      this.#locked = false;\n    }\n  }\n  async write(data: string): Promise<void> {\n    return this.#locked ? this.#add(data) : this.#write(data);\n  }\n  #add(data: string): Promise<void> {\n    this.#nextData = data;\n    return Promise.resolve();\n  }\n}\n" },
    { name: "a fixed temp name written only while proper-lockfile's lock on the target is held (`await lockfile.lock(filePath)`): a lock of every process, so only its holder writes the temp (scale study, seed 53: shogihome)", code: "import fs from \"node:fs\";\nimport lockfile from \"proper-lockfile\";\nexport async function writeFileAtomic(filePath: string, data: string): Promise<void> {\n  const tempFilePath = `${filePath}.tmp`;\n  const unlock = await lockfile.lock(filePath, { stale: 5000, realpath: false, retries: 3 });\n  try {\n    await fs.promises.writeFile(tempFilePath, data);\n    await fs.promises.rename(tempFilePath, filePath);\n  } finally {\n    await fs.promises.unlink(tempFilePath).catch(() => {});\n    await unlock();\n  }\n}\n" },
    { name: "a fixed temp name written only while a lock file taken by an exclusive create (O_CREAT | O_EXCL) is held: only its holder writes the temp (scale study, seed 50)", code: "import { constants } from \"fs\";\nimport { open, readFile, rename, stat, unlink, writeFile } from \"fs/promises\";\nimport { homedir } from \"os\";\nimport { join } from \"path\";\nconst settingsFile = join(homedir(), \".happy\", \"settings.json\");\nexport async function updateSettings(update: (s: any) => any) {\n  const lockFile = settingsFile + \".lock\";\n  const tmpFile = settingsFile + \".tmp\";\n  let handle;\n  for (let attempt = 0; attempt < 50 && !handle; attempt++) {\n    try {\n      handle = await open(lockFile, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);\n    } catch (err: any) {\n      if (err.code !== \"EEXIST\") throw err;\n      await new Promise((resolve) => setTimeout(resolve, 100));\n      const stats = await stat(lockFile).catch(() => undefined);\n      if (stats && Date.now() - stats.mtimeMs > 10000) await unlink(lockFile).catch(() => {});\n    }\n  }\n  if (!handle) throw new Error(\"settings are locked\");\n  try {\n    const updated = update(JSON.parse(await readFile(settingsFile, \"utf8\")));\n    await writeFile(tmpFile, JSON.stringify(updated));\n    await rename(tmpFile, settingsFile);\n  } finally {\n    await handle.close();\n    await unlink(lockFile).catch(() => {});\n  }\n}\n" },
    { name: "a temp named by `getUniqueId()`, an id generator like `generateId()`: every write has its own (scale study, seed 45: tinybase)", fileName: "save.ts", code: "import { rename, writeFile } from \"node:fs/promises\";\ndeclare function getUniqueId(): string;\nexport async function save(filePath: string, content: string) {\n  const tempFilePath = filePath + \".\" + getUniqueId() + \".tmp\";\n  await writeFile(tempFilePath, content, \"utf8\");\n  await rename(tempFilePath, filePath);\n}" },
    { name: "a helper with a fixed temp name, called only by a writer behind a busy flag: it never overlaps itself (scale study, seed 41)", fileName: "LoadBalancerManager.ts", code: "import fs from \"fs-extra\";\nconst ROOT_CONF = \"/captain/nginx/nginx-shared/root\";\nexport class LoadBalancer {\n  reloadInProcess = false;\n  constructor(private render: () => Promise<string>) {}\n  reload() {\n    if (this.reloadInProcess) {\n      return;\n    }\n    this.reloadInProcess = true;\n    return Promise.resolve()\n      .then(() => {\n        return this.createRootConf();\n      })\n      .finally(() => {\n        this.reloadInProcess = false;\n      });\n  }\n  createRootConf() {\n    const FUTURE = ROOT_CONF + \".fut\";\n    return this.render()\n      .then((content) => fs.outputFile(FUTURE, content))\n      .then(() => fs.renameSync(FUTURE, ROOT_CONF + \".conf\"));\n  }\n}\n" },
    { name: "the same through `const self = this; \u2026 self.createRootConf()` in function callbacks: self is this (scale study, seed 41)", fileName: "LoadBalancerManager.ts", code: "import fs from \"fs-extra\";\nconst ROOT_CONF = \"/captain/nginx/nginx-shared/root\";\nexport class LoadBalancer {\n  reloadInProcess = false;\n  constructor(private render: () => Promise<string>) {}\n  reload() {\n    const self = this;\n    if (self.reloadInProcess) {\n      return;\n    }\n    self.reloadInProcess = true;\n    return Promise.resolve()\n      .then(function () {\n        return self.createRootConf();\n      })\n      .finally(function () {\n        self.reloadInProcess = false;\n      });\n  }\n  createRootConf() {\n    const FUTURE = ROOT_CONF + \".fut\";\n    return this.render()\n      .then((content) => fs.outputFile(FUTURE, content))\n      .then(() => fs.renameSync(FUTURE, ROOT_CONF + \".conf\"));\n  }\n}\n" },
    { name: "a fixed temp name in a writer behind a busy flag (if (self.reloadInProcess) return; self.reloadInProcess = true): it never overlaps itself (scale study, seed 41)", fileName: "LoadBalancerManager.ts", code: "import fs from \"fs-extra\";\nexport class LoadBalancer {\n  reloadInProcess = false;\n  constructor(private base: string, private render: () => Promise<string>) {}\n  reload() {\n    const self = this;\n    if (self.reloadInProcess) {\n      return;\n    }\n    self.reloadInProcess = true;\n    const FUTURE = self.base + \".fut\";\n    const CONFIG = self.base + \".conf\";\n    let content = \"\";\n    return Promise.resolve()\n      .then(function () {\n        return self.render();\n      })\n      .then(function (rendered) {\n        content = rendered;\n        return fs.outputFile(FUTURE, content);\n      })\n      .then(function () {\n        return fs.renameSync(FUTURE, CONFIG);\n      })\n      .finally(function () {\n        self.reloadInProcess = false;\n      });\n  }\n}\n" },
    { name: "a temp named by a same-file helper that appends Math.random() digits (sinopia's tempFile; scale study, seed 39)", code: "const fs = require(\"fs\");\nfunction tempFile(str) {\n  return str + \".tmp\" + String(Math.random()).substr(2);\n}\nexports.write = function (dest, data, cb) {\n  const tmpname = tempFile(dest);\n  fs.writeFile(tmpname, data, function (err) {\n    if (err) return cb(err);\n    fs.rename(tmpname, dest, cb);\n  });\n};" },
    { name: "read, edit and a pid temp inside a same-file per-key promise queue (the task chained after the stored previous one), and a helper only that queue's tasks call: serialised in this process (scale study, seed 38)", code: `import { readFile, rename, writeFile } from "fs/promises";\nimport { join } from "path";\nimport { homedir } from "os";\nexport class History {\n  private queues = new Map<string, Promise<void>>();\n  private root = join(homedir(), ".app", "history");\n  private queue(id: string, task: () => Promise<void>) {\n    const previous = this.queues.get(id) ?? Promise.resolve();\n    const next = previous.catch(() => undefined).then(task);\n    this.queues.set(id, next);\n    return next.finally(() => {\n      if (this.queues.get(id) === next) this.queues.delete(id);\n    });\n  }\n  append(id: string, line: string) {\n    return this.queue(id, async () => {\n      const file = join(this.root, \`\${id}.jsonl\`);\n      const text = await readFile(file, "utf8");\n      const temp = \`\${file}.\${process.pid}.tmp\`;\n      await writeFile(temp, text + line + "\\n");\n      await rename(temp, file);\n      if (text.length > 1000) await this.compact(id);\n    });\n  }\n  private async compact(id: string) {\n    const file = join(this.root, \`\${id}.jsonl\`);\n    const text = await readFile(file, "utf8");\n    const temp = \`\${file}.\${process.pid}.tmp\`;\n    await writeFile(temp, text.slice(-500));\n    await rename(temp, file);\n  }\n}\n` },
    { name: "a fixed suffix on a target that is new for each write (a queue message named by job id and time, in a folder from process.argv.slice(2)): the temp is as unique as the target (scale study, seed 38)", code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nconst queueDir = path.join(os.homedir(), ".app", process.argv.slice(2)[0] ?? "queue");\nexport function sendUpdate(jobId: string, updates: object) {\n  const queueFile = queueDir + "/" + jobId + "-" + Date.now() + ".json";\n  fs.writeFileSync(queueFile + ".tmp", JSON.stringify(updates));\n  fs.renameSync(queueFile + ".tmp", queueFile);\n}\nexport async function sendResult(jobId: string, result: object) {\n  const queueFile = \`\${queueDir}/\${jobId}-\${Date.now()}.json\`;\n  await fs.promises.writeFile(\`\${queueFile}.tmp\`, JSON.stringify(result));\n  await fs.promises.rename(\`\${queueFile}.tmp\`, queueFile);\n}` },
    { name: "a template file edited in place, then renamed for the new project: read before it is written, so not a temp (scale study, seed 32)", code: `import { promises as fs } from "fs";\nimport * as path from "path";\nasync function replaceName(filePath: string, from: string, to: string) {\n  const text = await fs.readFile(filePath, "utf8");\n  const next = text.replace(new RegExp(from, "g"), to);\n  if (next !== text) await fs.writeFile(filePath, next, "utf8");\n}\nasync function renameFile(filePath: string, from: string, to: string) {\n  await fs.rename(filePath, path.join(path.dirname(filePath), path.basename(filePath).replace(from, to)));\n}\nexport async function editTemplate(files: string[], name: string) {\n  for (const filePath of files) {\n    await replaceName(filePath, name, "HelloWorld");\n    await renameFile(filePath, "HelloWorld", name);\n  }\n}` },
    { name: "a helper called twice on paths that never both run (the first call returns): its write and its rename aside are not a temp pair (scale study, seed 30)", code: `import { existsSync, renameSync, writeFileSync } from "fs";\nexport class PullService {\n  constructor(private example: boolean, private filename: string) {}\n  async run(): Promise<void> {\n    if (this.example) {\n      await this.pull();\n      return;\n    }\n    await this.pull();\n  }\n  async pull(): Promise<void> {\n    const outputFilename = this.filename;\n    if (existsSync(outputFilename)) {\n      renameSync(outputFilename, \`\${outputFilename}.previous\`);\n    }\n    writeFileSync(outputFilename, "data");\n  }\n}` },
    { name: "randomUUID", code: `import { promises as fs } from "fs";\nimport { randomUUID } from "crypto";\nexport async function w(t: string, d: string) { const tmp = \`\${t}.tmp.\${randomUUID()}\`; await fs.writeFile(tmp, d); await fs.rename(tmp, t); }` },
    { name: "randomBytes", code: `import * as fs from "fs";\nimport * as crypto from "crypto";\nexport function w(t: string, d: string) { const tmp = t + "." + crypto.randomBytes(6).toString("hex"); fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); }` },
    { name: "Math.random (seed 001's fix)", code: `import * as fs from "fs";\nexport async function w(t: string, d: string) { const id = \`\${process.pid}.\${Date.now()}.\${Math.random().toString(36).slice(2)}\`; const tmp = \`\${t}.tmp.\${id}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "pid + time with 'wx' in a synchronous writer", code: `import * as fs from "fs";\nexport function w(t: string, d: string) { const tmp = \`\${t}.\${process.pid}.\${Date.now()}\`; fs.writeFileSync(tmp, d, { flag: "wx" }); fs.renameSync(tmp, t); }` },
    { name: "pid + per-process counter", code: `import * as fs from "fs";\nlet seq = 0;\nexport async function w(t: string, d: string) { const tmp = \`\${t}.\${process.pid}.\${seq++}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "mkdtemp directory", code: `import * as fs from "fs";\nimport * as path from "path";\nexport async function w(t: string, d: string) { const dir = await fs.promises.mkdtemp(path.join(path.dirname(t), ".w-")); const tmp = path.join(dir, "f"); await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    {
      name: "random part handed to a path helper (a sandbox resolver): the name it returns is random",
      code: `import { promises as fs } from "fs";\nimport { randomUUID } from "crypto";\ndeclare function insideSandbox(root: string, rel: string): Promise<string>;\nexport async function put(root: string, rel: string, target: string, data: string) {\n  const tmp = await insideSandbox(root, \`\${rel}.tmp-\${randomUUID()}\`);\n  await fs.writeFile(tmp, data);\n  await fs.rename(tmp, target);\n}`,
    },
    { name: "no rename: not a temp", code: `import * as fs from "fs";\nexport function w(d: string) { fs.writeFileSync(\`log.\${Date.now()}.txt\`, d); }` },
    { name: "uuid package", code: `import * as fs from "fs";\nimport { v4 as uuidv4 } from "uuid";\nexport async function w(t: string, d: string) { const tmp = \`\${t}.\${uuidv4()}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "rename of an unrelated file", code: `import * as fs from "fs";\nexport function rotate(log: string) { fs.renameSync(log, \`\${log}.\${Date.now()}\`); }` },
    { name: "pid + Date.now() in a synchronous writer, no wx (real-world study)", code: `import { writeFileSync, renameSync } from "fs";\nexport function writeJsonAtomic(file: string, data: unknown) {\n  const tmp = \`\${file}.tmp-\${process.pid}-\${Date.now()}\`;\n  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });\n  renameSync(tmp, file);\n}` },
    // Synchronous writers of files in the program's own or a caller's folder (not reported: see the docs).
    {
      name: "fixed suffix in a synchronous writer, synchronous, in a caller's folder: one process never collides with itself (batch C)",
      code: `import * as fs from "fs";\nexport function save(file: string, text: string) {\n  fs.writeFileSync(\`\${file}.tmp\`, text);\n  fs.renameSync(\`\${file}.tmp\`, file);\n}`,
    },
    {
      name: "string concatenation with a fixed suffix, synchronous, in a caller's folder: one process never collides with itself (batch C)",
      code: `import * as fs from "fs";\nexport function save(file: string, text: string) {\n  const tmp = file + ".tmp";\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, file);\n}`,
    },
    {
      name: "path.join with Date.now(), synchronous, in a caller's folder: one process never collides with itself (batch C)",
      code: `import * as fs from "fs";\nimport * as path from "path";\nexport function save(dir: string, text: string) {\n  const tmp = path.join(dir, \`.state.\${Date.now()}\`);\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, path.join(dir, "state.json"));\n}`,
    },
    {
      name: "counter alone, synchronous, synchronous, in a caller's folder: one process never collides with itself (batch C)",
      fileName: "c.js",
      code: `const fs = require("fs");\nlet n = 0;\nfunction save(file, text) {\n  const tmp = file + "." + n++;\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, file);\n}\nmodule.exports = { save };`,
    },
    {
      name: "a synchronous write and rename after the last await of an async function: it is re-entered only at an await, so it never overlaps itself (scale study, seed 28)",
      code: `import * as fs from "fs";\nexport async function backup(backupPath: string, adapter: { backup(): Promise<object> }) {\n  const data = await adapter.backup();\n  const tmp = \`\${backupPath}.tmp\`;\n  fs.writeFileSync(tmp, JSON.stringify(data));\n  fs.renameSync(tmp, backupPath);\n}`,
    },
  ],
  invalid: [
    { name: "the same #write called whatever the flag says: two writes at once share the fixed temp (labelled study: steno)", code: "import { writeFile, rename } from \"node:fs/promises\";\nexport class Writer {\n  #filename: string;\n  #tempFilename: string;\n  #locked = false;\n  #nextData: string | null = null;\n  constructor(filename: string) {\n    this.#filename = filename;\n    this.#tempFilename = filename + \".tmp\";\n  }\n  async #write(data: string): Promise<void> {\n    this.#locked = true;\n    try {\n      await writeFile(this.#tempFilename, data, \"utf-8\");\n      await rename(this.#tempFilename, this.#filename);\n    } finally {\n      this.#locked = false;\n    }\n  }\n  async write(data: string): Promise<void> {\n    return this.#write(data);\n  }\n  #add(data: string): Promise<void> {\n    this.#nextData = data;\n    return Promise.resolve();\n  }\n}\n", errors: [{ messageIncludes: "has no randomness", line: 14 }] },
    { name: "the same fixed temp behind an in-process async-mutex: another process (a second instance) still writes the same temp", code: "import fs from \"node:fs\";\nimport { Mutex } from \"async-mutex\";\nconst mutex = new Mutex();\nexport async function writeFileAtomic(filePath: string, data: string): Promise<void> {\n  const tempFilePath = `${filePath}.tmp`;\n  const release = await mutex.acquire();\n  try {\n    await fs.promises.writeFile(tempFilePath, data);\n    await fs.promises.rename(tempFilePath, filePath);\n  } finally {\n    await fs.promises.unlink(tempFilePath).catch(() => {});\n    release();\n  }\n}\n", errors: [{ messageIncludes: "has no randomness", line: 8 }] },
    { name: "the same lock file opened without O_EXCL: every writer gets past it, so they share the fixed temp (scale study, seed 50)", code: "import { constants } from \"fs\";\nimport { open, readFile, rename, stat, unlink, writeFile } from \"fs/promises\";\nimport { homedir } from \"os\";\nimport { join } from \"path\";\nconst settingsFile = join(homedir(), \".happy\", \"settings.json\");\nexport async function updateSettings(update: (s: any) => any) {\n  const lockFile = settingsFile + \".lock\";\n  const tmpFile = settingsFile + \".tmp\";\n  let handle;\n  for (let attempt = 0; attempt < 50 && !handle; attempt++) {\n    try {\n      handle = await open(lockFile, constants.O_CREAT | constants.O_WRONLY);\n    } catch (err: any) {\n      if (err.code !== \"EEXIST\") throw err;\n      await new Promise((resolve) => setTimeout(resolve, 100));\n      const stats = await stat(lockFile).catch(() => undefined);\n      if (stats && Date.now() - stats.mtimeMs > 10000) await unlink(lockFile).catch(() => {});\n    }\n  }\n  if (!handle) throw new Error(\"settings are locked\");\n  try {\n    const updated = update(JSON.parse(await readFile(settingsFile, \"utf8\")));\n    await writeFile(tmpFile, JSON.stringify(updated));\n    await rename(tmpFile, settingsFile);\n  } finally {\n    await handle.close();\n    await unlink(lockFile).catch(() => {});\n  }\n}\n", errors: [{ messageIncludes: "has no randomness", line: 23 }] },
    { name: "the same fixed temp name without the busy flag: two reloads at once collide", fileName: "LoadBalancerManager.ts", code: "import fs from \"fs-extra\";\nexport class LoadBalancer {\n  reloadInProcess = false;\n  constructor(private base: string, private render: () => Promise<string>) {}\n  reload() {\n    const self = this;\n    const FUTURE = self.base + \".fut\";\n    const CONFIG = self.base + \".conf\";\n    let content = \"\";\n    return Promise.resolve()\n      .then(function () {\n        return self.render();\n      })\n      .then(function (rendered) {\n        content = rendered;\n        return fs.outputFile(FUTURE, content);\n      })\n      .then(function () {\n        return fs.renameSync(FUTURE, CONFIG);\n      })\n      .finally(function () {\n        self.reloadInProcess = false;\n      });\n  }\n}\n", errors: [{ messageIncludes: "has no randomness", line: 16 }] },
    { name: "a temp named by a same-file helper that only appends a fixed suffix (seed 39)", code: "const fs = require(\"fs\");\nfunction tempFile(str) {\n  return str + \".tmp\";\n}\nexports.write = function (dest, data, cb) {\n  const tmpname = tempFile(dest);\n  fs.writeFile(tmpname, data, function (err) {\n    if (err) return cb(err);\n    fs.rename(tmpname, dest, cb);\n  });\n};", errors: [flagged] },
    { name: "a helper named queue that runs the task at once (nothing chained after a stored promise): not serialised (seed 38)", code: `import { readFile, rename, writeFile } from "fs/promises";\nimport { join } from "path";\nimport { homedir } from "os";\nexport class History {\n  private queues = new Map<string, Promise<void>>();\n  private root = join(homedir(), ".app", "history");\n  private queue(id: string, task: () => Promise<void>) {\n    this.queues.set(id, Promise.resolve());\n    return task();\n  }\n  append(id: string, line: string) {\n    return this.queue(id, async () => {\n      const file = join(this.root, \`\${id}.jsonl\`);\n      const text = await readFile(file, "utf8");\n      const temp = \`\${file}.\${process.pid}.tmp\`;\n      await writeFile(temp, text + line + "\\n");\n      await rename(temp, file);\n      if (text.length > 1000) await this.compact(id);\n    });\n  }\n  private async compact(id: string) {\n    const file = join(this.root, \`\${id}.jsonl\`);\n    const text = await readFile(file, "utf8");\n    const temp = \`\${file}.\${process.pid}.tmp\`;\n    await writeFile(temp, text.slice(-500));\n    await rename(temp, file);\n  }\n}\n`, errors: [flagged, flagged] },
    { name: "a temp kept in a private field is named by the field in the message, not as {this}", code: `import { rename, writeFile } from "node:fs/promises";\nexport class Writer {\n  #filename: string;\n  #tempFilename: string;\n  constructor(filename: string) {\n    this.#filename = filename;\n    this.#tempFilename = filename + ".tmp";\n  }\n  async write(data: string): Promise<void> {\n    await writeFile(this.#tempFilename, data, "utf-8");\n    await rename(this.#tempFilename, this.#filename);\n  }\n}`, errors: [{ messageIncludes: "Temp name {this.#tempFilename} has no randomness" }] },
    {
      name: "seed 001: Date.now() temp",
      code: `import * as fs from "fs";
export async function writeMediaFile(mediaPath: string, data: string) {
  const tempFilePath = \`\${mediaPath}.tmp.\${Date.now()}\`;
  await fs.promises.writeFile(tempFilePath, data);
  await fs.promises.rename(tempFilePath, mediaPath);
}`,
      errors: [{ messageIncludes: "{target}.tmp.{now} has no randomness", line: 4 }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";
export async function writeMediaFile(mediaPath: string, data: string) {
  await atomicWriteFile(mediaPath, data);
}`,
    },
    {
      name: "seed 003: Date.now() + pid",
      code: `import * as fs from "fs";
export async function atomicWrite(targetPath: string, content: string) {
  const tempPath = \`\${targetPath}.tmp.\${Date.now()}.\${process.pid}\`;
  try {
    await fs.promises.writeFile(tempPath, content, "utf-8");
    await fs.promises.rename(tempPath, targetPath);
  } catch (error) {
    try {
      await fs.promises.unlink(tempPath);
    } catch {}
    throw error;
  }
}`,
      errors: [{ messageIncludes: "{target}.tmp.{now}.{pid}" }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";
export async function atomicWrite(targetPath: string, content: string) {
  await atomicWriteFile(targetPath, content, "utf-8");
}`,
    },
    {
      name: "pid alone in an async writer",
      code: `import { writeFile, rename } from "fs/promises";\nexport async function save(file: string, text: string) {\n  const tmp = \`\${file}.\${process.pid}\`;\n  await writeFile(tmp, text);\n  await rename(tmp, file);\n}`,
      errors: [{ messageIncludes: "a pid alone" }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function save(file: string, text: string) {\n  await atomicWriteFile(file, text);\n}`,
    },
    {
      name: "new Date().toISOString()",
      code: `import * as fs from "fs";\nexport async function save(file: string, text: string) {\n  const tmp = \`\${file}.\${new Date().toISOString()}.tmp\`;\n  await fs.promises.writeFile(tmp, text);\n  await fs.promises.rename(tmp, file);\n}`,
      errors: [flagged],
    },
    {
      name: "pid + Date.now() with 'wx' but async (writes interleave)",
      code: `import * as fs from "fs";\nexport async function save(file: string, text: string) {\n  const tmp = \`\${file}.\${process.pid}.\${Date.now()}\`;\n  await fs.promises.writeFile(tmp, text, { flag: "wx" });\n  await fs.promises.rename(tmp, file);\n}`,
      errors: [flagged],
    },
    {
      name: "fixed suffix in a synchronous writer of a per-user file: safe inside one process, not across instances (information)",
      code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nconst FILE = path.join(os.homedir(), ".app", "state.json");\nexport function save(text: string) {\n  fs.writeFileSync(FILE + ".tmp", text);\n  fs.renameSync(FILE + ".tmp", FILE);\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const, line: 6 }],
    },
    {
      name: "a counter in a synchronous writer of the folder the options name (information)",
      fileName: "c.js",
      code: `const fs = require("fs");\nlet n = 0;\nclass Store {\n  constructor(options) { this.file = options.dir + "/store.json"; }\n  save(text) {\n    const tmp = this.file + "." + n++;\n    fs.writeFileSync(tmp, text);\n    fs.renameSync(tmp, this.file);\n  }\n}\nmodule.exports = { Store };`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
    },
    {
      name: "a caller passes a per-user path to a synchronous helper with a time-only temp (batch C)",
      code: `import { writeFileSync, renameSync } from "fs";\nimport { homedir } from "os";\nimport { join } from "path";\nexport class Thoughts {\n  private file = join(homedir(), ".thoughts", "session.json");\n  save(data: object) { this.write(this.file, data); }\n  private write(filePath: string, data: object) {\n    const tempPath = \`\${filePath}.tmp.\${Date.now()}\`;\n    writeFileSync(tempPath, JSON.stringify(data));\n    renameSync(tempPath, filePath);\n  }\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
    },
    {
      name: "an await between the synchronous write and rename lets a second call write the same temp",
      code: `import * as fs from "fs";\nexport async function backup(backupPath: string, data: object, notify: () => Promise<void>) {\n  const tmp = \`\${backupPath}.tmp\`;\n  fs.writeFileSync(tmp, JSON.stringify(data));\n  await notify();\n  fs.renameSync(tmp, backupPath);\n}`,
      errors: [{ messageIncludes: "a fixed name is the same for every writer", severity: "warning" as const }],
    },
    {
      name: "after the last await, a synchronous pair writing where the options say is still shared by two instances (information)",
      code: `import * as fs from "fs";\nexport class Controller {\n  constructor(private options: { backupPath: string }, private adapter: { backup(): Promise<object> }) {}\n  async backup() {\n    const data = await this.adapter.backup();\n    const tmp = \`\${this.options.backupPath}.tmp\`;\n    fs.writeFileSync(tmp, JSON.stringify(data));\n    fs.renameSync(tmp, this.options.backupPath);\n  }\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
    },
    { name: "fixed temp renamed in the write's callback (real-world study)", fileName: "cb.js", code: `const fs = require("fs");\nexports.save = (p, d, cb) => fs.writeFile(p + ".tmp", d, (err) => (err ? cb(err) : fs.rename(p + ".tmp", p, cb)));`, errors: [flagged] },
  ],
};

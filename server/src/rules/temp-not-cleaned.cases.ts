import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "is left behind" };
const R = `import { randomUUID } from "crypto";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "the temp unlinked in the cleanup callback of a try-finally helper (`tryFinallyAsync(write, () => unlink(temp))`): removed whatever happens (scale study, seed 45: tinybase's file persister)", fileName: "persister-file.ts", code: "import { rename, unlink, writeFile } from \"node:fs/promises\";\ndeclare function tryFinallyAsync(body: () => Promise<void>, cleanup: () => unknown): Promise<void>;\ndeclare function tryCatch<T>(fn: () => T): T | undefined;\ndeclare function getUniqueId(): string;\nexport async function setPersisted(filePath: string, content: string) {\n  const tempFilePath = filePath + \".\" + getUniqueId() + \".tmp\";\n  await tryFinallyAsync(\n    async () => {\n      await writeFile(tempFilePath, content, \"utf8\");\n      await rename(tempFilePath, filePath);\n    },\n    () => tryCatch(() => unlink(tempFilePath)),\n  );\n}" },
    { name: "the temp is a handle's path and the handle's own cleanup runs in the chain's finally (scale study, seed 41)", fileName: "utils.ts", code: "import { promises as fs, existsSync } from \"node:fs\";\nimport { join } from \"node:path\";\nimport os from \"node:os\";\ninterface TempFile { path: string; fd: fs.FileHandle; cleanup: () => void }\nlet counter = 0;\nasync function openTemp(): Promise<TempFile> {\n  const path = join(os.tmpdir(), \"app\", `.${process.pid}.${counter++}`);\n  const fd = await fs.open(path, \"wx\");\n  return { fd, path, cleanup() { fd.close().then(() => { if (existsSync(path)) fs.unlink(path); }); } };\n}\nexport async function writeFileSafe(path: string, data = \"\"): Promise<boolean> {\n  const temp = await openTemp();\n  return fs.writeFile(temp.path, data)\n    .then(() => fs.rename(temp.path, path).then(() => true))\n    .catch(() => false)\n    .finally(temp.cleanup);\n}" },
    { name: "the temp sits in a staging folder removed recursively in finally (scale study, seed 31)", code: `import { mkdtempSync, renameSync, rmSync, writeFileSync } from "fs";\nimport { tmpdir } from "os";\nimport { basename, join } from "path";\nexport function install(destination: string, data: Buffer) {\n  const stagingDir = join(tmpdir(), "nuxt-binaries-" + process.pid);\n  try {\n    const staged = join(stagingDir, basename(destination));\n    writeFileSync(staged, data);\n    renameSync(staged, destination);\n  } finally {\n    rmSync(stagingDir, { recursive: true, force: true });\n  }\n}` },
    { name: "a write in one branch of a dispatcher and a rename in another never run together: no temp (scale study, seed 18)", code: `import { promises as fs } from "fs";\nimport * as path from "path";\nexport class Assets {\n  constructor(private dir: string) {}\n  async handle(command: string, name: string, other: string) {\n    if (command === "set") {\n      return await this.set(name, other);\n    } else if (command === "rename") {\n      return await this.rename(name, other);\n    }\n  }\n  async set(name: string, contents: string) { await fs.writeFile(path.join(this.dir, name), contents); }\n  async rename(name: string, newName: string) { await fs.rename(path.join(this.dir, name), path.join(this.dir, newName)); }\n}` },
    { name: "switch cases that end in return are exclusive too", code: `import { promises as fs } from "fs";\nexport async function handle(command: string, p: string, q: string) {\n  switch (command) {\n    case "set":\n      await fs.writeFile(p, "x");\n      return;\n    case "move":\n      await fs.rename(p, q);\n      return;\n  }\n}` },
    { name: "unlink in catch (seed 000's fix)", code: `import { promises as fs } from "fs";\n${R}export async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try {\n    await fs.writeFile(tmp, d);\n    await fs.rename(tmp, t);\n  } catch (e) {\n    await fs.rm(tmp, { force: true }).catch(() => {});\n    throw e;\n  }\n}` },
    { name: "unlinkSync in finally", code: `import * as fs from "fs";\n${R}export function p(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } finally { if (fs.existsSync(tmp)) fs.unlinkSync(tmp); }\n}` },
    { name: "promise .catch cleanup", code: `import * as fs from "fs";\n${R}export async function p(t: string, d: string) {\n  const tmp = t + randomUUID();\n  await fs.promises.writeFile(tmp, d).then(() => fs.promises.rename(tmp, t)).catch(() => fs.promises.unlink(tmp));\n}` },
    { name: "fs-extra remove in catch", code: `import fse from "fs-extra";\n${R}export async function p(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try { await fse.writeFile(tmp, d); await fse.move(tmp, t, { overwrite: true }); } catch (e) { await fse.remove(tmp); throw e; }\n}` },
    { name: "no rename: not a temp protocol", code: `import * as fs from "fs";\nexport function p(t: string, d: string) { fs.writeFileSync(t + ".bak", d); }` },
    { name: "the runtime does it", code: `import * as fs from "fs";\nimport { atomicWriteFile } from "./tornwrite-runtime";\nexport async function p(t: string, d: string) { await atomicWriteFile(t, d); return fs.constants.F_OK; }` },
    { name: "rename only (log rotation)", code: `import * as fs from "fs";\nexport function rotate(f: string) { fs.renameSync(f, f + ".1"); }` },
    { name: "rm with force in catch", code: `import { writeFile, rename, rm } from "node:fs/promises";\n${R}export async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try { await writeFile(tmp, d); await rename(tmp, t); } catch (error) { await rm(tmp, { force: true }); throw error; }\n}` },
    { name: "the catch removes the temp through a helper (issue 14)", code: "import { promises as fs } from \"fs\";\nimport { randomUUID } from \"crypto\";\nasync function removeFileIfPresent(p: string) { await fs.rm(p, { force: true }); }\nexport async function save(target: string, data: string) {\n  const tmp = target + \".\" + randomUUID() + \".tmp\";\n  try {\n    await fs.writeFile(tmp, data);\n    await fs.rename(tmp, target);\n  } catch (e) {\n    await removeFileIfPresent(tmp);\n    throw e;\n  }\n}" },
    { name: "the temp sits in a folder the program empties at every start: the next sweep removes a leftover (scale study, seed 34)", fileName: "storage.js", code: `const fs = require("fs");\nconst crypto = require("crypto");\nconst { join } = require("path");\nclass Storage {\n  constructor(dir) {\n    this._tempDir = join(dir, ".temp");\n    this._file = join(dir, "storage.json");\n    fs.readdirSync(this._tempDir).map((x) => join(this._tempDir, x)).forEach((tempFile) => fs.unlinkSync(tempFile));\n  }\n  _getTempFile() {\n    const suffix = crypto.randomBytes(4).toString("hex");\n    return join(this._tempDir, \`storage.\${suffix}.json\`);\n  }\n  set(data) {\n    const temp = this._getTempFile();\n    fs.writeFileSync(temp, JSON.stringify(data));\n    fs.renameSync(temp, this._file);\n  }\n}\nmodule.exports = Storage;\n` },
  ],
  invalid: [
    { name: "a try-finally helper whose cleanup removes another file, not the temp: still reported", fileName: "persister-file.ts", code: "import { rename, unlink, writeFile } from \"node:fs/promises\";\ndeclare function tryFinallyAsync(body: () => Promise<void>, cleanup: () => unknown): Promise<void>;\nexport async function setPersisted(filePath: string, lockPath: string, content: string) {\n  const tempFilePath = filePath + \".tmp\";\n  await tryFinallyAsync(\n    async () => {\n      await writeFile(tempFilePath, content, \"utf8\");\n      await rename(tempFilePath, filePath);\n    },\n    () => unlink(lockPath),\n  );\n}", errors: [{ messageIncludes: "left behind" }] },
    { name: "a handle's cleanup that runs only after a successful rename leaves the temp on failure", fileName: "utils.ts", code: "import { promises as fs, existsSync } from \"node:fs\";\nimport { join } from \"node:path\";\nimport os from \"node:os\";\ninterface TempFile { path: string; fd: fs.FileHandle; cleanup: () => void }\nlet counter = 0;\nasync function openTemp(): Promise<TempFile> {\n  const path = join(os.tmpdir(), \"app\", `.${process.pid}.${counter++}`);\n  const fd = await fs.open(path, \"wx\");\n  return { fd, path, cleanup() { fd.close().then(() => { if (existsSync(path)) fs.unlink(path); }); } };\n}\nexport async function writeFileSafe(path: string, data = \"\"): Promise<void> {\n  const temp = await openTemp();\n  await fs.writeFile(temp.path, data);\n  await fs.rename(temp.path, path);\n  temp.cleanup();\n}", errors: [flagged] },
    { name: "a checkpoint helper called after every item: its temp is reported once, where it writes and renames, not again at each call (scale study, seed 40)", fileName: "migrate.ts", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nimport * as os from \"os\";\nconst CHECKPOINT_FILE = path.join(os.homedir(), \".migrator\", \"progress.json\");\nconst done = new Set<string>();\nfunction saveCheckpoint() {\n  try {\n    const tmp = CHECKPOINT_FILE + \".tmp\";\n    fs.writeFileSync(tmp, JSON.stringify([...done]));\n    fs.renameSync(tmp, CHECKPOINT_FILE);\n  } catch (e) {\n    console.error(\"checkpoint save: \" + (e as Error).message);\n  }\n}\nexport async function run(items: string[], copy: (item: string) => Promise<void>) {\n  for (const item of items) {\n    if (done.has(item)) {\n      saveCheckpoint();\n      continue;\n    }\n    await copy(item);\n    done.add(item);\n    saveCheckpoint();\n  }\n  saveCheckpoint();\n}", errors: [{ ...flagged, line: 10 }] },
    { name: "the folder is listed but nothing in it is removed: a leftover temp stays", fileName: "storage2.js", code: `const fs = require("fs");\nconst crypto = require("crypto");\nconst { join } = require("path");\nclass Storage {\n  constructor(dir) {\n    this._tempDir = join(dir, ".temp");\n    this._file = join(dir, "storage.json");\n    this.count = fs.readdirSync(this._tempDir).length;\n  }\n  _getTempFile() {\n    const suffix = crypto.randomBytes(4).toString("hex");\n    return join(this._tempDir, \`storage.\${suffix}.json\`);\n  }\n  set(data) {\n    const temp = this._getTempFile();\n    fs.writeFileSync(temp, JSON.stringify(data));\n    fs.renameSync(temp, this._file);\n  }\n}\nmodule.exports = Storage;\n`, errors: [flagged] },
    {
      name: "a synchronous store writer with a Math.random() suffix: the message names the temp as {random}, not its slice indices",
      code: `import * as fs from "fs";\nexport function save(file: string, text: string) {\n  const temp = file + "." + Math.random().toString().substring(2, 10) + ".temp";\n  fs.writeFileSync(temp, text);\n  fs.renameSync(temp, file);\n}`,
      errors: [{ messageIncludes: "the temp {target}.{random}.temp is left behind", line: 5 }],
    },
    {
      name: "no error handling at all",
      code: `import { promises as fs } from "fs";\n${R}export async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.writeFile(tmp, d);\n  await fs.rename(tmp, t);\n}`,
      errors: [{ messageIncludes: "{target}.{random} is left behind", line: 6 }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function p(t: string, d: string) {\n  await atomicWriteFile(t, d);\n}`,
    },
    {
      name: "catch that only logs",
      code: `import { promises as fs } from "fs";\n${R}export async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try {\n    await fs.writeFile(tmp, d, "utf8");\n    await fs.rename(tmp, t);\n  } catch (e) {\n    console.error(e);\n  }\n}`,
      errors: [flagged],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function p(t: string, d: string) {\n  try {\n    await atomicWriteFile(t, d, "utf8");\n  } catch (e) {\n    console.error(e);\n  }\n}`,
    },
    {
      name: "unlink only on the success path does not count",
      code: `import * as fs from "fs";\n${R}export function p(t: string, d: string) {\n  const tmp = t + randomUUID();\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n  if (fs.existsSync(tmp)) fs.unlinkSync(tmp);\n}`,
      errors: [flagged],
    },
    {
      name: "sync writer",
      code: `import * as fs from "node:fs";\n${R}export function p(t: string, d: Buffer) {\n  const tmp = \`\${t}.\${randomUUID()}.tmp\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function p(t: string, d: Buffer) {\n  atomicWriteFileSync(t, d);\n}`,
    },
    {
      name: "fs-extra move",
      fileName: "m.js",
      code: `const fse = require("fs-extra");\nconst { randomUUID } = require("crypto");\nasync function p(t, d) {\n  const tmp = t + randomUUID();\n  await fse.writeFile(tmp, d);\n  await fse.move(tmp, t, { overwrite: true });\n}\nmodule.exports = p;`,
      errors: [flagged],
    },
    {
      name: "cleanup of another file",
      code: `import * as fs from "fs";\n${R}export function p(t: string, d: string) {\n  const tmp = t + randomUUID();\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.unlinkSync(t); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "named imports",
      code: `import { writeFileSync, renameSync } from "fs";\n${R}export function p(t: string, d: string) {\n  const tmp = \`\${t}~\${randomUUID()}\`;\n  writeFileSync(tmp, d);\n  renameSync(tmp, t);\n}`,
      errors: [flagged],
    },
    {
      name: "temp used in a log line is kept",
      code: `import { promises as fs } from "fs";\n${R}export async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  console.log("writing", tmp);\n  await fs.writeFile(tmp, d);\n  await fs.rename(tmp, t);\n}`,
      errors: [flagged],
      output: `${R}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function p(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  console.log("writing", tmp);\n  await atomicWriteFile(t, d);\n}`,
    },
  ],
};

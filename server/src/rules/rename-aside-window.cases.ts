import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "is renamed away before the new file is renamed in" };
const H = `import * as fs from "node:fs";\nimport { randomUUID } from "node:crypto";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "rename straight over the target", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}` },
    { name: "backup by copy, then rename over", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.copyFileSync(t, \`\${t}.bak\`);\n  fs.renameSync(tmp, t);\n}` },
    { name: "rotation of backups only", code: `${H}export function rotate(t: string) {\n  fs.renameSync(\`\${t}.1\`, \`\${t}.2\`);\n  fs.renameSync(\`\${t}.bak\`, \`\${t}.1\`);\n}` },
    { name: "restore on the error path", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  try { fs.renameSync(tmp, t); } catch (e) { fs.renameSync(\`\${t}.bak\`, t); throw e; }\n}` },
    { name: "moving a file to another name for good", code: `${H}export function archive(t: string) {\n  fs.renameSync(t, \`\${t}.old\`);\n}` },
    { name: "different targets", code: `${H}export async function save(a: string, b: string, d: string) {\n  await fs.promises.rename(a, \`\${a}.bak\`);\n  const tmp = \`\${b}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  await fs.promises.rename(tmp, b);\n}` },
    { name: "the runtime", code: `${H}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function save(t: string, d: string) {\n  await fs.promises.copyFile(t, \`\${t}.bak\`);\n  await atomicWriteFile(t, d);\n  return randomUUID();\n}` },
    { name: "fs-extra move without overwrite (fails if the target exists, never removes it)", fileName: "m.mjs", code: `import fse from "fs-extra";\nexport async function save(t, d) {\n  await fse.writeFile(t + ".new", d);\n  await fse.move(t + ".new", t);\n}` },
    { name: "a stale temp deleted before the rename of a fresh one", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try { fs.unlinkSync(\`\${t}.old\`); } catch {}\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}` },
    { name: "separate functions", code: `${H}export function backup(t: string) { fs.renameSync(t, \`\${t}.bak\`); }\nexport function install(tmp: string, t: string) { fs.renameSync(tmp, t); return randomUUID(); }` },
    { name: "a delete in a branch that returns removes the file for good (an empty manifest is no manifest): no rename follows it (scale study, seed 68)", fileName: "ingest-quarantine.ts", code: "import { promises as fsp } from \"fs\";\nimport * as path from \"path\";\nexport async function writeManifest(manifestPath: string, records: object[]): Promise<void> {\n  if (records.length === 0) {\n    await fsp.rm(manifestPath, { force: true });\n    return;\n  }\n  await fsp.mkdir(path.dirname(manifestPath), { recursive: true });\n  const tmpPath = `${manifestPath}.${process.pid}.${Math.random()}.tmp`;\n  await fsp.writeFile(tmpPath, records.map((record) => JSON.stringify(record)).join(\"\\n\"), \"utf-8\");\n  await fsp.rename(tmpPath, manifestPath);\n}\n" },
    { name: "a rename aside in a branch that returns archives the file; the temp renamed in below runs only on the other path", code: "import * as fs from \"fs\";\nexport function save(file: string, text: string | null) {\n  if (text === null) {\n    fs.renameSync(file, `${file}.bak`);\n    return;\n  }\n  const tmp = `${file}.${process.pid}.${Math.random()}.tmp`;\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, file);\n}\n" },
    { name: "the database renamed aside to .bak is copied back when the live one does not open: a crash in the window leaves the last whole copy for the start-up recovery to put back (scale study, seed 69)", fileName: "database.ts", code: "import * as fs from \"fs\";\nconst DB_PATH = \"/var/lib/app/clipboard.db\";\nconst DB_BACKUP_PATH = `${DB_PATH}.bak`;\nconst DB_TEMP_PATH = `${DB_PATH}.tmp`;\nexport function saveDatabase(data: Buffer): void {\n  fs.writeFileSync(DB_TEMP_PATH, data);\n  if (fs.existsSync(DB_PATH)) fs.renameSync(DB_PATH, DB_BACKUP_PATH);\n  fs.renameSync(DB_TEMP_PATH, DB_PATH);\n}\nexport function openDatabase(open: (file: string) => Buffer | null): Buffer | null {\n  const primary = open(DB_PATH);\n  if (primary) return primary;\n  const backup = open(DB_BACKUP_PATH);\n  if (backup) fs.copyFileSync(DB_BACKUP_PATH, DB_PATH);\n  return backup;\n}\n" },
    { name: "a rollback loop that deletes the items that did not exist before and `continue`s, restoring the others by temp and rename: the delete's pass renames nothing over that file (scale study, seed 71)", fileName: "rollback.ts", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\ninterface Saved { file: string; content: Buffer | null }\nexport function restoreDefinitions(definitions: Saved[]): void {\n  for (const definition of definitions) {\n    if (definition.content === null) {\n      try {\n        fs.unlinkSync(definition.file);\n      } catch (error) {\n        if ((error as NodeJS.ErrnoException).code !== \"ENOENT\") throw error;\n      }\n      continue;\n    }\n    fs.mkdirSync(path.dirname(definition.file), { recursive: true });\n    const tempPath = `${definition.file}.rollback-${process.pid}`;\n    fs.writeFileSync(tempPath, definition.content);\n    fs.renameSync(tempPath, definition.file);\n  }\n}\n" },
  ],
  invalid: [
    {
      name: "the live file deleted, then the new one renamed in (study batch D)",
      code: `${H}export async function safeWrite(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d, "utf8");\n  await fs.promises.unlink(t);\n  await fs.promises.rename(tmp, t);\n}`,
      errors: [{ messageIncludes: "is deleted before the new file is renamed in" }],
    },
    {
      name: "seed shape: backup by rename, then the new file",
      code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(t, \`\${t}.bak\`);\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
      output: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.copyFileSync(t, \`\${t}.bak\`);\n  fs.renameSync(tmp, t);\n}`,
    },
    {
      name: "promises API",
      code: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  await fs.promises.rename(t, t + ".previous");\n  await fs.promises.rename(tmp, t);\n}`,
      errors: [flagged],
      output: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  await fs.promises.copyFile(t, t + ".previous");\n  await fs.promises.rename(tmp, t);\n}`,
    },
    {
      name: "fs/promises import",
      code: `import { rename, writeFile } from "node:fs/promises";\nexport async function save(t: string, d: string) {\n  await writeFile(t + ".new", d);\n  await rename(t, t + ".old");\n  await rename(t + ".new", t);\n}`,
      errors: [flagged],
    },
    {
      name: "aside before writing the temp",
      code: `${H}export function save(t: string, d: string) {\n  fs.renameSync(t, \`\${t}.bak\`);\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
    },
    {
      name: "const paths",
      code: `${H}const FILE = "state.json";\nconst BACKUP = "state.json.bak";\nexport function save(d: string) {\n  const tmp = FILE + "." + randomUUID();\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(FILE, BACKUP);\n  fs.renameSync(tmp, FILE);\n}`,
      errors: [flagged],
    },
    {
      name: "CommonJS",
      fileName: "x.js",
      code: `const fs = require("fs");\nfunction save(t, d) {\n  fs.writeFileSync(t + ".tmp-" + Math.random(), d);\n  fs.renameSync(t, t + ".bak");\n  fs.renameSync(t + ".tmp-" + Math.random(), t);\n}\nmodule.exports = save;`,
      errors: [flagged],
    },
    {
      name: "fs-extra move",
      fileName: "x.mjs",
      code: `import fse from "fs-extra";\nexport async function save(t, d) {\n  await fse.writeFile(t + ".new", d);\n  await fse.move(t, t + ".bak", { overwrite: true });\n  await fse.move(t + ".new", t);\n}`,
      errors: [flagged],
    },
    {
      name: "callback API",
      fileName: "x.js",
      code: `const fs = require("fs");\nexports.save = function (t, d, done) {\n  fs.writeFileSync(t + ".new", d);\n  fs.renameSync(t, t + "~");\n  fs.rename(t + ".new", t, done);\n};`,
      errors: [flagged],
    },
      {
      name: "fs-extra move with overwrite (removes the target, then renames)",
      fileName: "store.mjs",
      code: `import fse from "fs-extra";\nexport async function save(t, d) {\n  const temp = t + ".tmp";\n  await fse.writeFile(temp, d);\n  await fse.move(temp, t, { overwrite: true });\n}`,
      errors: [{ messageIncludes: "with overwrite removes t before renaming onto it" }],
      output: `import fse from "fs-extra";\nexport async function save(t, d) {\n  const temp = t + ".tmp";\n  await fse.writeFile(temp, d);\n  await fse.rename(temp, t);\n}`,
    },
    {
      name: "fs-extra moveSync with overwrite",
      fileName: "store.cjs",
      code: `const fse = require("fs-extra");\nexports.save = (t, d) => {\n  fse.writeFileSync(t + ".new", d);\n  fse.moveSync(t + ".new", t, { overwrite: true });\n};`,
      errors: [{ messageIncludes: "fs-extra's moveSync with overwrite removes" }],
      output: `const fse = require("fs-extra");\nexports.save = (t, d) => {\n  fse.writeFileSync(t + ".new", d);\n  fse.renameSync(t + ".new", t);\n};`,
    },
    { name: "a FileHandle-written temp, the live file renamed to a backup first (issue 14)", code: "import { promises as fs } from \"fs\";\nexport async function safeWrite(target: string, data: string) {\n  const tmp = target + \".new\";\n  const fh = await fs.open(tmp, \"w\");\n  await fh.writeFile(data);\n  await fh.sync();\n  await fh.close();\n  try { await fs.access(target); await fs.rename(target, target + \".bak\"); } catch {}\n  await fs.rename(tmp, target);\n}", errors: [{ messageIncludes: "is renamed away before the new file is renamed in", line: 8 }] },
    { name: "the same save where nothing copies or renames the backup back onto the live path", fileName: "database.ts", code: "import * as fs from \"fs\";\nconst DB_PATH = \"/var/lib/app/clipboard.db\";\nconst DB_BACKUP_PATH = `${DB_PATH}.bak`;\nconst DB_TEMP_PATH = `${DB_PATH}.tmp`;\nexport function saveDatabase(data: Buffer): void {\n  fs.writeFileSync(DB_TEMP_PATH, data);\n  if (fs.existsSync(DB_PATH)) fs.renameSync(DB_PATH, DB_BACKUP_PATH);\n  fs.renameSync(DB_TEMP_PATH, DB_PATH);\n}\nexport function openDatabase(open: (file: string) => Buffer | null): Buffer | null {\n  const primary = open(DB_PATH);\n  if (primary) return primary;\n  return open(DB_BACKUP_PATH);\n}\n", errors: [{ messageIncludes: "renamed away", line: 7 }] },
    { name: "the same loop without the continue: the deleted file is renamed over right after", fileName: "rollback.ts", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\ninterface Saved { file: string; content: Buffer | null }\nexport function restoreDefinitions(definitions: Saved[]): void {\n  for (const definition of definitions) {\n    if (definition.content === null) {\n      try {\n        fs.unlinkSync(definition.file);\n      } catch (error) {\n        if ((error as NodeJS.ErrnoException).code !== \"ENOENT\") throw error;\n      }\n      console.log(\"removed\");\n    }\n    fs.mkdirSync(path.dirname(definition.file), { recursive: true });\n    const tempPath = `${definition.file}.rollback-${process.pid}`;\n    fs.writeFileSync(tempPath, definition.content);\n    fs.renameSync(tempPath, definition.file);\n  }\n}\n", errors: [{ messageIncludes: "is deleted before", line: 8 }] },
  ],
};

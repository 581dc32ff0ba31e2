import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "fails with EPERM/EBUSY/EACCES" };
const H = `import * as fs from "node:fs";\nimport { randomUUID } from "node:crypto";\nexport const isWindows = process.platform === "win32";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a compile cache: a save that fails once is rebuilt on the next run (scale study, seed 31)", code: `import * as fs from "fs";\nimport * as path from "path";\nexport const onWindows = process.platform === "win32";\nexport function writeCachedJavascript(cacheDirectory: string, relativeCachePath: string, code: string) {\n  const cacheTmpPath = path.join(cacheDirectory, \`\${relativeCachePath}.\${process.pid}\`);\n  const cachePath = path.join(cacheDirectory, relativeCachePath);\n  fs.writeFileSync(cacheTmpPath, code, "utf8");\n  fs.renameSync(cacheTmpPath, cachePath);\n}` },
    { name: "no sign of Windows", code: `import * as fs from "node:fs";\nimport { randomUUID } from "node:crypto";\nexport function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}` },
    { name: "retry loop", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  for (let i = 0; ; i++) {\n    try { fs.renameSync(tmp, t); return; } catch (e) { if (i > 5) throw e; }\n  }\n}` },
    { name: "catch that retries on EPERM", code: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  try { await fs.promises.rename(tmp, t); } catch (e) {\n    if ((e as NodeJS.ErrnoException).code === "EPERM") { await new Promise((r) => setTimeout(r, 100)); await fs.promises.rename(tmp, t); } else throw e;\n  }\n}` },
    { name: "promise catch on EBUSY", code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  return fs.promises.rename(tmp, t).catch((e) => (e.code === "EBUSY" ? fs.promises.rename(tmp, t) : Promise.reject(e)));\n}` },
    { name: "the runtime", code: `${H}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function save(t: string, d: string) { await atomicWriteFile(t, d); return [fs, randomUUID]; }` },
    { name: "rename of a file no one reads (not a temp pair)", code: `${H}export function archive(t: string) { fs.renameSync(t, \`\${t}.old\`); }` },
    { name: "while loop", code: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  let tries = 0;\n  while (true) {\n    try { await fs.promises.rename(tmp, t); break; } catch (e) { if (++tries > 3) throw e; }\n  }\n}` },
    { name: "write in place (another rule's finding)", code: `${H}export function save(t: string, d: string) { fs.writeFileSync(t, d); return randomUUID(); }` },
  ],
  invalid: [
    {
      name: "Windows branch in the file, plain rename",
      code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport const isWindows = process.platform === "win32";\nexport function save(t: string, d: string) {\n  atomicWriteFileSync(t, d);\n}`,
    },
    {
      name: "promises API",
      code: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  await fs.promises.rename(tmp, t);\n}`,
      errors: [flagged],
    },
    {
      name: "catch that does not look at the code",
      code: `${H}export async function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  await fs.promises.writeFile(tmp, d);\n  try { await fs.promises.rename(tmp, t); } catch (e) { await fs.promises.rm(tmp, { force: true }); throw e; }\n}`,
      errors: [flagged],
    },
    {
      name: "os.platform() check",
      code: `import * as fs from "node:fs";\nimport * as os from "node:os";\nexport const sep = os.platform() === "win32" ? "\\\\" : "/";\nexport function save(t: string, d: string) {\n  fs.writeFileSync(t + ".tmp", d);\n  fs.renameSync(t + ".tmp", t);\n}`,
      errors: [flagged],
    },
    {
      name: "CommonJS",
      fileName: "x.js",
      code: `const fs = require("fs");\nconst IS_WINDOWS = process.platform === "win32";\nfunction save(t, d) {\n  fs.writeFileSync(t + ".new", d);\n  fs.renameSync(t + ".new", t);\n  return IS_WINDOWS;\n}\nmodule.exports = save;`,
      errors: [flagged],
    },
    {
      name: "callback rename",
      fileName: "x.js",
      code: `const fs = require("fs");\nexports.isWin = process.platform === "win32";\nexports.save = function (t, d, done) {\n  fs.writeFileSync(t + ".tmp", d);\n  fs.rename(t + ".tmp", t, done);\n};`,
      errors: [flagged],
    },
    {
      name: "fs/promises import",
      code: `import { rename, writeFile } from "node:fs/promises";\nconst windows = process.platform === "win32";\nexport async function save(t: string, d: string) {\n  await writeFile(t + "~", d);\n  await rename(t + "~", t);\n  return windows;\n}`,
      errors: [flagged],
    },
    {
      name: "inside a Windows-only branch",
      code: `${H}export function save(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  fs.writeFileSync(tmp, d);\n  if (isWindows) fs.copyFileSync(t, t + ".bak");\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
    },
  ],
};

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "has no randomness" };

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "randomUUID", code: `import { promises as fs } from "fs";\nimport { randomUUID } from "crypto";\nexport async function w(t: string, d: string) { const tmp = \`\${t}.tmp.\${randomUUID()}\`; await fs.writeFile(tmp, d); await fs.rename(tmp, t); }` },
    { name: "randomBytes", code: `import * as fs from "fs";\nimport * as crypto from "crypto";\nexport function w(t: string, d: string) { const tmp = t + "." + crypto.randomBytes(6).toString("hex"); fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); }` },
    { name: "Math.random (seed 001's fix)", code: `import * as fs from "fs";\nexport async function w(t: string, d: string) { const id = \`\${process.pid}.\${Date.now()}.\${Math.random().toString(36).slice(2)}\`; const tmp = \`\${t}.tmp.\${id}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "pid + time with 'wx' in a synchronous writer", code: `import * as fs from "fs";\nexport function w(t: string, d: string) { const tmp = \`\${t}.\${process.pid}.\${Date.now()}\`; fs.writeFileSync(tmp, d, { flag: "wx" }); fs.renameSync(tmp, t); }` },
    { name: "pid + per-process counter", code: `import * as fs from "fs";\nlet seq = 0;\nexport async function w(t: string, d: string) { const tmp = \`\${t}.\${process.pid}.\${seq++}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "mkdtemp directory", code: `import * as fs from "fs";\nimport * as path from "path";\nexport async function w(t: string, d: string) { const dir = await fs.promises.mkdtemp(path.join(path.dirname(t), ".w-")); const tmp = path.join(dir, "f"); await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "no rename: not a temp", code: `import * as fs from "fs";\nexport function w(d: string) { fs.writeFileSync(\`log.\${Date.now()}.txt\`, d); }` },
    { name: "uuid package", code: `import * as fs from "fs";\nimport { v4 as uuidv4 } from "uuid";\nexport async function w(t: string, d: string) { const tmp = \`\${t}.\${uuidv4()}\`; await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); }` },
    { name: "rename of an unrelated file", code: `import * as fs from "fs";\nexport function rotate(log: string) { fs.renameSync(log, \`\${log}.\${Date.now()}\`); }` },
    { name: "pid + Date.now() in a synchronous writer, no wx (real-world study)", code: `import { writeFileSync, renameSync } from "fs";\nexport function writeJsonAtomic(file: string, data: unknown) {\n  const tmp = \`\${file}.tmp-\${process.pid}-\${Date.now()}\`;\n  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });\n  renameSync(tmp, file);\n}` },
  ],
  invalid: [
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
  try {
    await atomicWriteFile(targetPath, content, "utf-8");
  } catch (error) {
    throw error;
  }
}`,
    },
    {
      name: "fixed suffix in a synchronous writer: safe inside one process (information)",
      code: `import * as fs from "fs";\nexport function save(file: string, text: string) {\n  fs.writeFileSync(\`\${file}.tmp\`, text);\n  fs.renameSync(\`\${file}.tmp\`, file);\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function save(file: string, text: string) {\n  atomicWriteFileSync(file, text);\n}`,
    },
    {
      name: "string concatenation with a fixed suffix",
      code: `import * as fs from "fs";\nexport function save(file: string, text: string) {\n  const tmp = file + ".tmp";\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, file);\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function save(file: string, text: string) {\n  atomicWriteFileSync(file, text);\n}`,
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
      name: "path.join with Date.now()",
      code: `import * as fs from "fs";\nimport * as path from "path";\nexport function save(dir: string, text: string) {\n  const tmp = path.join(dir, \`.state.\${Date.now()}\`);\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, path.join(dir, "state.json"));\n}`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
    },
    {
      name: "pid + Date.now() with 'wx' but async (writes interleave)",
      code: `import * as fs from "fs";\nexport async function save(file: string, text: string) {\n  const tmp = \`\${file}.\${process.pid}.\${Date.now()}\`;\n  await fs.promises.writeFile(tmp, text, { flag: "wx" });\n  await fs.promises.rename(tmp, file);\n}`,
      errors: [flagged],
    },
    {
      name: "counter alone, synchronous: unique inside one process (information)",
      fileName: "c.js",
      code: `const fs = require("fs");\nlet n = 0;\nfunction save(file, text) {\n  const tmp = file + "." + n++;\n  fs.writeFileSync(tmp, text);\n  fs.renameSync(tmp, file);\n}\nmodule.exports = { save };`,
      errors: [{ messageIncludes: "Safe inside one process", severity: "information" as const }],
      output: `const { atomicWriteFileSync } = require("./tornwrite-runtime");\nlet n = 0;\nfunction save(file, text) {\n  atomicWriteFileSync(file, text);\n}\nmodule.exports = { save };`,
    },
    { name: "fixed temp renamed in the write's callback (real-world study)", fileName: "cb.js", code: `const fs = require("fs");\nexports.save = (p, d, cb) => fs.writeFile(p + ".tmp", d, (err) => (err ? cb(err) : fs.rename(p + ".tmp", p, cb)));`, errors: [flagged] },
  ],
};

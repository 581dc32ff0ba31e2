import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "EXDEV" };
const H = `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nimport { randomUUID } from "crypto";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "temp beside the target", code: `${H}export function w(t: string, d: string) {\n  const tmp = path.join(path.dirname(t), \`.\${randomUUID()}\`);\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n  return os.EOL;\n}` },
    { name: "both under tmpdir", code: `${H}export function w(d: string) {\n  const tmp = path.join(os.tmpdir(), randomUUID());\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, path.join(os.tmpdir(), "out.txt")); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n}` },
    { name: "copy instead of rename", code: `${H}export function w(t: string, d: string) {\n  const tmp = path.join(os.tmpdir(), randomUUID());\n  fs.writeFileSync(tmp, d);\n  fs.copyFileSync(tmp, t);\n}` },
    { name: "tmpdir scratch without rename", code: `${H}export function w(d: string) { fs.writeFileSync(path.join(os.tmpdir(), randomUUID()), d); }` },
    { name: "mkdtemp beside the target", code: `${H}export async function w(t: string, d: string) {\n  const dir = await fs.promises.mkdtemp(path.join(path.dirname(t), ".tw-"));\n  const tmp = path.join(dir, "x");\n  try { await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); } catch (e) { await fs.promises.rm(dir, { recursive: true }); throw e; }\n}` },
    { name: "runtime", code: `${H}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function w(t: string) { await atomicWriteFile(t, "x"); return [fs, os, path, randomUUID]; }` },
    { name: "rename from cwd temp", code: `${H}export function w(t: string, d: string) {\n  const tmp = \`\${t}.\${randomUUID()}\`;\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n  return os.EOL + path.sep;\n}` },
    { name: "move within tmpdir via variable", code: `${H}export function w(d: string) {\n  const base = os.tmpdir();\n  const tmp = path.join(base, randomUUID());\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, path.join(os.tmpdir(), "final")); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n}` },
  ],
  invalid: [
    {
      name: "os.tmpdir() temp renamed into the project",
      code: `${H}export function w(t: string, d: string) {\n  const tmp = path.join(os.tmpdir(), randomUUID());\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function w(t: string, d: string) {\n  atomicWriteFileSync(t, d);\n}`,
    },
    {
      name: "tmpdir through a const",
      code: `${H}const scratch = os.tmpdir();\nexport async function w(t: string, d: string) {\n  const tmp = path.join(scratch, \`x-\${randomUUID()}\`);\n  await fs.promises.writeFile(tmp, d);\n  await fs.promises.rename(tmp, t);\n}`,
      errors: [flagged],
    },
    { name: "template literal", code: `${H}export async function w(t: string, d: string) {\n  const tmp = \`\${os.tmpdir()}/\${randomUUID()}.json\`;\n  try { await fs.promises.writeFile(tmp, d); await fs.promises.rename(tmp, t); } catch (e) { await fs.promises.rm(tmp, { force: true }); throw e; }\n}`, errors: [flagged] },
    { name: "named tmpdir import", code: `import { writeFileSync, renameSync } from "fs";\nimport { tmpdir } from "os";\nimport { join } from "path";\nimport { randomUUID } from "crypto";\nexport function w(t: string, d: string) {\n  const tmp = join(tmpdir(), randomUUID());\n  writeFileSync(tmp, d);\n  renameSync(tmp, t);\n}`, errors: [flagged] },
    { name: "CommonJS", fileName: "x.js", code: `const fs = require("fs");\nconst os = require("os");\nconst path = require("path");\nfunction w(t, d) {\n  const tmp = path.join(os.tmpdir(), "state-" + Math.random());\n  fs.writeFileSync(tmp, d);\n  fs.renameSync(tmp, t);\n}\nmodule.exports = w;`, errors: [flagged] },
    { name: "fs-extra move", fileName: "x.mjs", code: `import fse from "fs-extra";\nimport os from "os";\nimport path from "path";\nexport async function w(t, d) {\n  const tmp = path.join(os.tmpdir(), String(Math.random()));\n  await fse.writeFile(tmp, d);\n  await fse.move(tmp, t, { overwrite: true });\n}`, errors: [flagged] },
    { name: "resolve()", code: `${H}export function w(t: string, d: string) {\n  const tmp = path.resolve(os.tmpdir(), randomUUID());\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, t); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n}`, errors: [flagged] },
    { name: "to a path.join target", code: `${H}export function w(root: string, d: string) {\n  const tmp = path.join(os.tmpdir(), randomUUID());\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, path.join(root, "data.json")); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n}`, errors: [flagged] },
  ],
};

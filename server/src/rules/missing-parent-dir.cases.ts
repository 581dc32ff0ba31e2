import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "nothing creates it first" };
const H = `import * as fs from "fs";\nimport * as path from "path";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "mkdir recursive first", code: `${H}export function save(root: string, id: string, d: string) {\n  const dir = path.join(root, id, "uploads");\n  fs.mkdirSync(dir, { recursive: true });\n  fs.writeFileSync(path.join(root, id, "uploads", "media.json"), d);\n}` },
    { name: "fixed directory", code: `${H}export function save(root: string, d: string) { fs.writeFileSync(path.join(root, "state.json"), d); }` },
    { name: "fs-extra outputFile creates parents", code: `import fse from "fs-extra";\nimport * as path from "path";\nexport async function save(root: string, id: string, d: string) { await fse.outputFile(path.join(root, id, "x.json"), d); }` },
    { name: "atomicWriteFile creates parents", code: `${H}import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function save(root: string, id: string, d: string) { await atomicWriteFile(path.join(root, id, "x.json"), d); return fs.constants; }` },
    { name: "literal segments only", code: `${H}export function save(d: string) { fs.writeFileSync(path.join(__dirname, "data", "x.json"), d); }` },
    { name: "ensureDir first", code: `import fse from "fs-extra";\nimport * as path from "path";\nexport async function save(root: string, id: string, d: string) { await fse.ensureDir(path.join(root, id)); await fse.writeFile(path.join(root, id, "x"), d); }` },
    { name: "append flag", code: `${H}export function log(root: string, id: string, line: string) { fs.writeFileSync(path.join(root, id, "log.txt"), line, { flag: "a" }); }` },
    { name: "mkdir earlier via promises", code: `${H}export async function save(root: string, user: string, d: string) {\n  await fs.promises.mkdir(path.join(root, user), { recursive: true });\n  await fs.promises.writeFile(path.join(root, user, "profile.json"), d);\n}` },
    { name: "a temp beside a target the caller passes (real-world study)", code: `${H}export function save(file: string, d: string) { const tmp = \`\${file}.tmp-\${process.pid}-\${Date.now()}\`; fs.writeFileSync(tmp, d); fs.renameSync(tmp, file); return path.sep; }` },
    { name: "the folder is created by the file's init() (issue 14)", code: "import * as fs from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nconst DIR = path.join(os.homedir(), \".myapp\");\nexport function init() { fs.mkdirSync(DIR, { recursive: true }); }\nexport function save(v: object) { fs.writeFileSync(path.join(DIR, \"state.json\"), JSON.stringify(v)); }" },
    { name: "the flow just read a file in that folder (issue 14)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function bump(root: string, id: string) {\n  const dir = path.join(root, id);\n  const n = Number(fs.readFileSync(path.join(dir, \"count\"), \"utf8\"));\n  fs.writeFileSync(path.join(dir, \"last\"), String(n));\n}" },
    { name: "a dominating existence check of a sibling (issue 14)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function mark(root: string, id: string) {\n  const dir = path.join(root, id);\n  if (!fs.existsSync(path.join(dir, \"config.json\"))) return;\n  fs.writeFileSync(path.join(dir, \"state.json\"), \"done\");\n}" },
    { name: "the working directory always exists", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function save(name: string, d: string) { fs.writeFileSync(path.join(process.cwd(), name), d); }" },
    { name: "mkdir of path.dirname(dest) before writing dest, seen from a caller that passes a chosen folder (whole-repository sample)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nfunction copyInto(dir: string, files: { rel: string; content: string }[]) {\n  for (const file of files) {\n    const dest = path.join(dir, file.rel);\n    const destDir = path.dirname(dest);\n    fs.mkdirSync(destDir, { recursive: true });\n    fs.writeFileSync(dest, file.content);\n  }\n}\nexport function create(id: string, files: { rel: string; content: string }[], options: { outputDir: string }) { copyInto(path.join(options.outputDir, id), files); }" },
  ],
  invalid: [
    {
      name: "seed 003: project uploads",
      code: `${H}export function saveMedia(root: string, projectId: string, data: string) {\n  fs.writeFileSync(path.join(root, "projects", projectId, "uploads", "media.json"), data);\n}`,
      errors: [flagged],
      output: `import * as path from "path";\nimport { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function saveMedia(root: string, projectId: string, data: string) {\n  atomicWriteFileSync(path.join(root, "projects", projectId, "uploads", "media.json"), data);\n}`,
    },
    { name: "through a const", code: `${H}export async function save(root: string, id: string, d: string) {\n  const file = path.join(root, id, "state.json");\n  await fs.promises.writeFile(file, d);\n}`, errors: [flagged] },
    { name: "template path", code: `${H}export async function save(root: string, id: string, d: string) { await fs.promises.writeFile(\`\${root}/\${id}/state.json\`, d); }`, errors: [flagged] },
    { name: "resolve", code: `${H}export function save(base: string, user: string, d: string) { fs.writeFileSync(path.resolve(base, user, "profile.json"), d); }`, errors: [flagged] },
    { name: "temp pair into a dynamic directory", code: `${H}import { randomUUID } from "crypto";\nexport function save(root: string, id: string, d: string) {\n  const target = path.join(root, id, "x.json");\n  const tmp = path.join(root, id, \`.x.\${randomUUID()}\`);\n  try { fs.writeFileSync(tmp, d); fs.renameSync(tmp, target); } catch (e) { fs.rmSync(tmp, { force: true }); throw e; }\n}`, errors: [flagged] },
    { name: "named imports", code: `import { writeFile } from "fs/promises";\nimport { join } from "path";\nexport async function save(root: string, id: string, d: string) { await writeFile(join(root, id, "a.json"), d); }`, errors: [flagged] },
    { name: "CommonJS", fileName: "m.js", code: `const fs = require("fs");\nconst path = require("path");\nfunction save(root, id, d) { fs.writeFileSync(path.join(root, id, "a.json"), d); }\nmodule.exports = save;`, errors: [flagged] },
    { name: "jsonfile", fileName: "m.cjs", code: `const jsonfile = require("jsonfile");\nconst path = require("path");\nexports.save = (root, id, v) => jsonfile.writeFileSync(path.join(root, id, "a.json"), v);`, errors: [flagged] },
    { name: "mkdir after the write does not count", code: `${H}export function save(root: string, id: string, d: string) {\n  fs.writeFileSync(path.join(root, id, "a.json"), d);\n  fs.mkdirSync(path.join(root, id), { recursive: true });\n}`, errors: [flagged] },
    { name: "a per-user config folder through a thin wrapper, reported at the call (issue 14)", code: "import * as fs from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nfunction save(p: string, v: unknown) { fs.writeFileSync(p, JSON.stringify(v)); }\nexport function saveConfig(v: unknown) { save(path.join(os.homedir(), \".myapp\", \"config.json\"), v); }", errors: [{ messageIncludes: "a per-user folder", line: 5, severity: "hint" as const }] },
    { name: "Electron's userData folder on a fresh install (issue 14)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nimport { app } from \"electron\";\nexport function saveWindowState(state: object) {\n  fs.writeFileSync(path.join(app.getPath(\"userData\"), \"window\", \"state.json\"), JSON.stringify(state));\n}", errors: [{ messageIncludes: "nothing creates it first", severity: "hint" as const }] },
    { name: "an output folder the user chooses", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function writeReport(options: { outDir: string }, body: string) { fs.writeFileSync(path.join(options.outDir, \"report.html\"), body); }", errors: [{ messageIncludes: "an output folder the user chooses", severity: "hint" as const }] },
  ],
};

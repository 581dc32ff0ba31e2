import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "start at once" };
const S = `import { promises as fs } from "fs";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "each item's path built from values the per-item code computes: a key from an options object, a folder name edited with replace (scale study, seed 30)", code: `import { promises as fs } from "fs";\nimport * as path from "path";\ndeclare function templateShortKey(kind: string, options: object): string;\nconst buildTarget = async (target: { arch: string; platform: string }, dist: string) => {\n  const { arch, platform } = target;\n  const common = { arch, platform };\n  const manifestFilepath = path.join(dist, templateShortKey("manifest", common));\n  await fs.writeFile(manifestFilepath, "{}");\n};\nexport async function buildAll(targets: { arch: string; platform: string }[], dist: string, tmp: string) {\n  await Promise.all(targets.map((t) => buildTarget(t, dist)));\n  const build = async (arch: string) => {\n    const base = templateShortKey("deb", { arch });\n    const workspace = path.join(tmp, "apt", base.replace(".deb", ".apt"));\n    await fs.writeFile(path.join(workspace, "DEBIAN", "control"), arch);\n  };\n  await Promise.all(["x64", "arm64"].map((a) => build(a)));\n}` },
    { name: "each item renames its own files through a helper: the item's values reach the path (scale study, seed 18)", code: `import { rename } from "fs/promises";\nimport * as path from "path";\nfunction doRename(basePath: string, oldName: string, newName: string) {\n  return rename(path.join(basePath, oldName), path.join(basePath, newName));\n}\nexport function moveHelpers(suffixes: string[], dir: string, appName: string, prefix: string) {\n  return Promise.all(suffixes.map((suffix) => doRename(dir, \`\${prefix}\${suffix}.app\`, \`\${appName}\${suffix}.app\`)));\n}` },
    { name: "FileHandle writes awaited in a loop", fileName: "h1.js", code: `const fs = require("node:fs/promises");\nasync function dump(lines) {\n  const file = await fs.open("out.txt", "w");\n  for (const line of lines) await file.write(line + "\\n");\n  await file.close();\n}\nmodule.exports = dump;\n` },
    { name: "positional FileHandle writes", fileName: "h2.js", code: `const fs = require("node:fs/promises");\nasync function fill(blocks) {\n  const file = await fs.open("disk.img", "r+");\n  const writes = [];\n  for (let i = 0; i < blocks.length; i++) writes.push(file.write(blocks[i], 0, 512, i * 512));\n  for (let i = 0; i < blocks.length; i++) file.write(blocks[i], 0, 512, i * 512);\n  await Promise.all(writes);\n}\nmodule.exports = fill;\n` },
    { name: "different files in parallel", code: `${S}export async function f() { await Promise.all([fs.writeFile("a.json", "1"), fs.writeFile("b.json", "2")]); }` },
    { name: "sequential awaits", code: `${S}export async function f() { await fs.writeFile("a.json", "1"); await fs.writeFile("a.json", "2"); }` },
    { name: "map over files", code: `${S}export async function f(files: string[]) { await Promise.all(files.map((file) => fs.writeFile(file, "x"))); }` },
    { name: "awaited in a loop", code: `${S}export async function f(items: string[]) { for (const item of items) { await fs.appendFile("log", item); await fs.writeFile("last.txt", item); } }` },
    { name: "loop writing per-item files without await", code: `${S}export function f(items: string[]) { for (const item of items) { fs.writeFile(\`\${item}.txt\`, item); } }` },
    { name: "reads in parallel", code: `${S}export async function f() { await Promise.all([fs.readFile("a.json"), fs.readFile("a.json")]); }` },
    { name: "sync writes in a loop are sequential", code: `import * as fs from "fs";\nexport function f(items: string[]) { for (const item of items) fs.writeFileSync("last.txt", item); }` },
    { name: "each helper call holds a file lock", code: `${S}import { withFileLock } from "./tornwrite-runtime";\nasync function add(p: string, v: string) { await withFileLock(p, async () => { await fs.writeFile(p, v); }); }\nexport async function f(p: string) { await Promise.all([add(p, "1"), add(p, "2")]); }` },
    { name: "runtime writers serialise same-path writes", code: `import { atomicWriteFile } from "./tornwrite-runtime";\nimport * as fs from "fs";\nexport async function f(p: string) { await Promise.all([atomicWriteFile(p, "1"), atomicWriteFile(p, "2")]); return fs.constants; }` },
    { name: "parallel helpers writing different files", code: `${S}async function save(file: string, v: string) { await fs.writeFile(file, v); }\nexport async function f() { await Promise.all([save("a", "1"), save("b", "2")]); }` },
    { name: "one file per item in Promise.all(map) (issue 14)", code: "import { promises as fs } from \"fs\";\nimport * as path from \"path\";\nexport async function exportAll(dir: string, entries: { name: string; body: string }[]) {\n  await Promise.all(entries.map((e) => fs.writeFile(path.join(dir, e.name), e.body)));\n}" },
    { name: "a ternary on the argument picks a different file per call (issue 14)", code: "import { promises as fs } from \"fs\";\nasync function init(scope: \"global\" | \"project\") { await fs.writeFile(scope === \"global\" ? \"/etc/app.json\" : \"./app.json\", \"{}\"); }\nexport async function setup() { await Promise.all([init(\"global\"), init(\"project\")]); }" },
  ],
  invalid: [
    { name: "two direct writes of one file", code: `${S}export async function f() { await Promise.all([fs.writeFile("a.json", "1"), fs.writeFile("a.json", "2")]); }`, errors: [flagged] },
    {
      name: "seed 001: autosave runs three helpers that rewrite media.json",
      code: `${S}const mediaFile = (id: string) => \`data/\${id}/media.json\`;\nasync function updateUsage(id: string, part: string) {\n  const usage = JSON.parse(await fs.readFile(mediaFile(id), "utf8"));\n  usage[part] = true;\n  await fs.writeFile(mediaFile(id), JSON.stringify(usage));\n}\nexport async function autosave(id: string) {\n  await Promise.all([updateUsage(id, "page"), updateUsage(id, "header"), updateUsage(id, "footer")]);\n}`,
      errors: [{ messageIncludes: "3 writes to mediaFile(id)", line: 9 }],
    },
    { name: "allSettled", code: `${S}export async function f(p: string) { await Promise.allSettled([fs.writeFile(p, "1"), fs.writeFile(p, "2")]); }`, errors: [flagged] },
    { name: "const path", code: `${S}const STATE = "state.json";\nexport async function f() { await Promise.all([fs.writeFile(STATE, "1"), fs.writeFile("state.json", "2")]); }`, errors: [flagged] },
    { name: "map writing one file", code: `${S}export async function f(items: string[]) { await Promise.all(items.map(async (item) => { await fs.writeFile("last.txt", item); })); }`, errors: [{ messageIncludes: "Every item writes" }] },
    { name: "un-awaited write in a for-of loop", code: `${S}export function f(items: string[]) { for (const item of items) { fs.writeFile("last.txt", item); } }`, errors: [{ messageIncludes: "not awaited inside a loop" }] },
    { name: "un-awaited write in a while loop", code: `${S}export function f(queue: string[]) { while (queue.length) { fs.writeFile("queue.json", JSON.stringify(queue.shift())); } }`, errors: [{ messageIncludes: "not awaited inside a loop" }] },
    { name: "class methods", code: `${S}export class Store {\n  constructor(private file: string) {}\n  async put(v: string) { await fs.writeFile(this.file, v); }\n  async putAll() { await Promise.all([this.put("a"), this.put("b")]); }\n}`, errors: [flagged] },
    { name: "un-awaited FileHandle writes in a loop", fileName: "h3.js", code: `const fs = require("node:fs/promises");\nasync function writeMany() {\n  const file = await fs.open("text.txt", "w");\n  for (let index = 0; index < 1000; index++) {\n    file.write(\` \${index} \`);\n  }\n  await file.close();\n}\nwriteMany();\n`, errors: [{ messageIncludes: "through the handle of \"text.txt\" is not awaited inside a loop", line: 5 }] },
  ],
};

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "predictable name in the shared temp directory" };
const H = `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a temp named by 48 random bits read out of randomBytes (`randomBytes(6).readUIntLE(0, 6).toString(36)`): not predictable (scale study, seed 52)", fileName: "exif.js", code: "const fs = require(\"fs\");\nconst path = require(\"path\");\nconst Crypto = require(\"crypto\");\nconst { tmpdir } = require(\"os\");\nexports.toWebp = function (media) {\n  const tmpFileIn = path.join(tmpdir(), `${Crypto.randomBytes(6).readUIntLE(0, 6).toString(36)}.jpg`);\n  fs.writeFileSync(tmpFileIn, media);\n  return tmpFileIn;\n};\n" },
    { name: "a file inside a fresh folder from a promisified mkdtemp (`util.promisify(fs.mkdtemp)`) is not a predictable name (scale study, seed 42)", fileName: "launcher.js", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nconst util = require(\"util\");\nconst mkdtempAsync = util.promisify(fs.mkdtemp);\nconst writeFileAsync = util.promisify(fs.writeFile);\nasync function createProfile(lines) {\n  const profilePath = await mkdtempAsync(path.join(os.tmpdir(), \"profile-\"));\n  await writeFileAsync(path.join(profilePath, \"user.js\"), lines.join(\"\\n\"));\n  return profilePath;\n}\nmodule.exports = { createProfile };" },
    { name: "random name", code: `${H}import { randomUUID } from "crypto";\nexport function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), randomUUID()), d); }` },
    { name: "exclusive and owner-only", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), "app.sock.info"), d, { flag: "wx", mode: 0o600 }); }` },
    { name: "mkdtemp directory", code: `${H}export function f(d: string) { const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-")); fs.writeFileSync(path.join(dir, "data"), d); }` },
    { name: "not in tmpdir", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(process.cwd(), "out.txt"), d); return os.EOL; }` },
    { name: "Math.random suffix", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), \`x-\${Math.random()}\`), d); }` },
    { name: "open wx with 0o600", code: `${H}export function f() { return fs.openSync(path.join(os.tmpdir(), "app.lock"), "wx", 0o600); }` },
    { name: "read of a tmp file", code: `${H}export function f() { return fs.readFileSync(path.join(os.tmpdir(), "app.json"), "utf8"); }` },
    { name: "uniqueTempPath", code: `${H}import { uniqueTempPath } from "./tornwrite-runtime";\nexport function f(d: string) { fs.writeFileSync(uniqueTempPath(path.join(os.tmpdir(), "x")), d, { flag: "wx", mode: 0o600 }); }` },
  ],
  invalid: [
    { name: "the same read out of a buffer made from the pid: predictable (scale study, seed 52)", fileName: "exif.js", code: "const fs = require(\"fs\");\nconst path = require(\"path\");\nconst Crypto = require(\"crypto\");\nconst { tmpdir } = require(\"os\");\nexports.toWebp = function (media) {\n  const tmpFileIn = path.join(tmpdir(), `${Buffer.from(String(process.pid)).readUIntLE(0, 6).toString(36)}.jpg`);\n  fs.writeFileSync(tmpFileIn, media);\n  return tmpFileIn;\n};\n", errors: [{ messageIncludes: "predictable", line: 7 }] },
    { name: "fixed name in tmpdir", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), "app-cache.json"), d); }`, errors: [{ messageIncludes: "without an exclusive flag ('wx') and mode 0o600" }] },
    { name: "pid-based name", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), \`app-\${process.pid}.json\`), d); }`, errors: [flagged] },
    { name: "exclusive but world-readable", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), "session"), d, { flag: "wx" }); }`, errors: [{ messageIncludes: "without mode 0o600" }] },
    { name: "owner-only but not exclusive (symlink follows)", code: `${H}export function f(d: string) { fs.writeFileSync(path.join(os.tmpdir(), "session"), d, { mode: 0o600 }); }`, errors: [{ messageIncludes: "without an exclusive flag" }] },
    { name: "open with w", code: `${H}export function f() { return fs.openSync(path.join(os.tmpdir(), "app.lock"), "w"); }`, errors: [flagged] },
    { name: "template under tmpdir", code: `${H}export async function f(d: string) { await fs.promises.writeFile(\`\${os.tmpdir()}/report-\${Date.now()}.html\`, d); return path.sep; }`, errors: [flagged] },
    { name: "named tmpdir", code: `import { writeFileSync } from "fs";\nimport { tmpdir } from "os";\nimport { join } from "path";\nexport function f(d: string) { writeFileSync(join(tmpdir(), "x.json"), d); }`, errors: [flagged] },
    { name: "CommonJS", fileName: "t.js", code: `const fs = require("fs");\nconst os = require("os");\nconst path = require("path");\nmodule.exports = (d) => fs.writeFileSync(path.join(os.tmpdir(), "x"), d);`, errors: [flagged] },
    { name: "a literal /tmp path opened with 'w' (real-world study)", code: `${H}export function touch() { fs.closeSync(fs.openSync("/tmp/test", "w")); return [os.EOL, path.sep]; }`, errors: [flagged] },
  ],
};

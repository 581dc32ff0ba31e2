import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "in place" };

/** Valid and invalid cases; fixes import from `./tornwrite-runtime` (the RuleTester's runtime specifier). */
export const nonAtomicWriteCases: RuleModule["cases"] = {
  valid: [
    { name: "build output through a bundler's config.build folders and an adapter's output folder (scale study, seed 23)", code: `import { readFile, writeFile } from "fs/promises";\ndeclare function ssrOutputDir(): URL;\nexport async function patch(config: { build: { server: URL } }, code: string) {\n  const wranglerJsonUrl = new URL("./wrangler.json", config.build.server);\n  const raw = JSON.parse(await readFile(wranglerJsonUrl, "utf8"));\n  await writeFile(wranglerJsonUrl, JSON.stringify({ ...raw, main: "x" }));\n  await writeFile(new URL("./ssr.mjs", ssrOutputDir()), code);\n  return readFile(new URL("./ssr.mjs", ssrOutputDir()), "utf8");\n}` },
    { name: "an image cache entry named cached… (scale study, seed 23)", code: `import { promises as fs } from "fs";\nexport async function store(cachedFileURL: URL, cachedMetaFileURL: URL, data: Uint8Array, meta: object) {\n  await Promise.all([fs.writeFile(cachedFileURL, data), fs.writeFile(cachedMetaFileURL, JSON.stringify(meta))]);\n  return fs.readFile(cachedMetaFileURL, "utf8");\n}` },
    { name: "a download the enclosing function extracts and deletes again (scale study, seed 22)", code: `import * as fs from "fs";\nimport * as https from "https";\ndeclare function extract(zip: string, to: string): void;\nexport async function importPlugin(url: string, pluginsPath: string, id: string) {\n  const zipFilePath = \`\${pluginsPath}/\${id}.zip\`;\n  await new Promise<void>((resolve) => {\n    const zipFile = fs.createWriteStream(zipFilePath);\n    https.get(url, (response) => { response.pipe(zipFile); zipFile.on("finish", () => resolve()); });\n  });\n  extract(zipFilePath, \`\${pluginsPath}/\${id}\`);\n  if (fs.existsSync(zipFilePath)) fs.unlinkSync(zipFilePath);\n}` },
    { name: "an empty heartbeat file: its mtime is the signal, nothing to tear (scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport class Heart {\n  constructor(private readonly heartbeatPath: string) {}\n  async beat() { await fs.writeFile(this.heartbeatPath, ""); return fs.readFile(this.heartbeatPath); }\n}` },
    { name: "a checksum sidecar of another file is computed again from it (scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport async function cacheFileChecksum(p: string, md5: string) {\n  const old = await fs.readFile(\`\${p}.md5\`, "utf8").catch(() => undefined);\n  if (old !== md5) await fs.writeFile(\`\${p}.md5\`, md5);\n}\nexport async function remember(hashPath: string, hash: string) { await fs.writeFile(hashPath, hash); return fs.readFile(hashPath, "utf8"); }` },
    { name: "an export to a name made unique against what exists (scale study, seed 21)", code: `import * as fs from "fs";\nimport * as path from "path";\ndeclare function generateUniqueName(base: string, taken: (name: string) => boolean): string;\nexport async function exportEnvironment(dir: string, env: { name: string }) {\n  const uniqueFileName = generateUniqueName(env.name, (name) => fs.existsSync(path.join(dir, \`\${name}.json\`)));\n  const fullPath = path.join(dir, \`\${uniqueFileName}.json\`);\n  await fs.promises.writeFile(fullPath, JSON.stringify(env), "utf8");\n  return fs.promises.readFile(fullPath, "utf8");\n}` },
    { name: "a key written only after the try that returns it on a successful read (scale study, seed 21)", code: `import { promises as fs } from "fs";\nimport * as crypto from "crypto";\nexport async function serverKey(keyPath: string): Promise<Buffer> {\n  try {\n    return await fs.readFile(keyPath);\n  } catch (error: any) {\n    if (error.code !== "ENOENT") console.error(error);\n  }\n  const key = crypto.randomBytes(32);\n  await fs.writeFile(keyPath, key);\n  return key;\n}` },
    { name: "a certificate pair generated when either cannot be accessed (Promise.all of two access calls; scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport async function certificate(certPath: string, keyPath: string, make: () => Promise<{ cert: string; key: string }>) {\n  try {\n    await Promise.all([fs.access(certPath), fs.access(keyPath)]);\n  } catch {\n    const made = await make();\n    await Promise.all([fs.writeFile(certPath, made.cert), fs.writeFile(keyPath, made.key)]);\n  }\n  return { cert: await fs.readFile(certPath, "utf8"), key: await fs.readFile(keyPath, "utf8") };\n}` },
    { name: "new files named by a timestamp variable or a date helper, and a file under a 'tempDir' setting (scale study, seed 19)", code: `import { writeFile } from "fs/promises";\nimport { writeFileSync } from "fs";\nimport { homedir } from "os";\ndeclare const utils: { fileDate(): string; joinPath(...p: string[]): string };\ndeclare const Setting: { value(k: string): string };\nexport async function backup(dir: string, data: Buffer, event: string) {\n  const fileName = \`NVM_\${utils.fileDate()}\${event}\`;\n  await writeFile(utils.joinPath(dir, fileName + ".bin"), data);\n}\nexport function dump(date: string, e: object) {\n  writeFileSync(\`\${homedir()}/crash_dump_\${date}.json\`, JSON.stringify(e));\n}\nexport async function empty(id: string) {\n  await writeFile(\`\${Setting.value("tempDir")}/\${id}.empty\`, "");\n}` },
    { name: "a temp-file factory, Electron's temp folder, a cache property, a choice of two log files (scale study, seed 18)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\ndeclare const app: { getPath(name: string): string };\ndeclare const packager: { getTempFile(suffix: string): Promise<string> };\nexport class Builder {\n  private cacheInfoFile = "info.json";\n  async run(meta: boolean, cwd: string, log: string[]) {\n    const settingsFile = await packager.getTempFile(".json");\n    fs.writeFileSync(settingsFile, "{}");\n    fs.writeFileSync(path.join(app.getPath("temp"), "defaults.yml"), "a: 1");\n    fs.writeFileSync(this.cacheInfoFile, "{}");\n    const errorReportLoc = meta ? path.join(cwd, ".yarn-meta", "yarn-error.log") : path.join(cwd, "yarn-error.log");\n    fs.writeFileSync(errorReportLoc, log.join("\\n"));\n  }\n}` },
    { name: "an npm-init scaffolder writes the new project's files (scale study, seed 17)", fileName: "packages/create-vite/src/index.ts", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function setupEslint(root: string, config: string) {\n  fs.writeFileSync(path.resolve(root, "eslint.config.js"), config);\n}` },
    { name: "build output: a bundle written into build/ and a buildLanguagesPath (scale study, seed 17)", fileName: "css.js", code: `const fs = require("fs");\nconst path = require("path");\nexports.buildCss = async (target, code, buildLanguagesPath) => {\n  await fs.promises.writeFile(path.join(__dirname, "../../build/public", target + ".css"), code);\n  await fs.promises.writeFile(path.join(buildLanguagesPath, "metadata.json"), "{}");\n};\n` },
    { name: "a pid file and a logs path named so (scale study, seed 17)", fileName: "loader.js", code: `const fs = require("fs");\nconst path = require("path");\nconst pidFilePath = path.join(__dirname, "pidfile");\nexports.start = (promptLogsPath) => {\n  fs.writeFileSync(pidFilePath, String(process.pid));\n  return fs.createWriteStream(promptLogsPath);\n};\n` },
    // Issue 14, scale study seed 16 (firebase-tools, netlify-cli, insomnia): outputs of commands and dialogs.
    { name: "a file the user picked in a save dialog is an export (scale study, seed 16)", code: `import * as fs from "node:fs";\ndeclare const dialog: { showSaveDialog(o: object): Promise<{ canceled: boolean; filePath?: string }> };\nexport async function exportResponse(body: string) {\n  const { canceled, filePath } = await dialog.showSaveDialog({ title: "Save Full Response" });\n  if (canceled || !filePath) return;\n  await fs.promises.writeFile(filePath, body);\n  fs.createWriteStream(filePath).end(body);\n}` },
    { name: "written after the user confirmed an overwrite prompt: a scaffolded file (scale study, seed 16)", code: `import { existsSync } from "node:fs";\nimport { writeFile } from "node:fs/promises";\nimport inquirer from "inquirer";\nexport async function carefullyWriteFile(filePath: string, data: string) {\n  if (existsSync(filePath)) {\n    const answers = await inquirer.prompt([{ type: "confirm", name: "overwrite" }]);\n    if (answers.overwrite) await writeFile(filePath, data);\n  }\n}` },
    { name: "a CLI command's generated workflow file (scale study, seed 16)", fileName: "src/init/features/hosting/github.ts", code: `import * as fs from "node:fs";\nexport function writeWorkflow(ymlPath: string, contents: string) {\n  fs.writeFileSync(ymlPath, contents, "utf8");\n}` },
    { name: "a new file per run, named by a timestamp (scale study, seed 16)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function execHook(dir: string, src: string) {\n  const hookScript = \`hook-\${Date.now()}.js\`;\n  fs.writeFileSync(path.join(dir, hookScript), src);\n}` },
    { name: "a new file per id from uuid's v4 imported under another name, and a generateId() (scale study, seed 16)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nimport { v4 as uuidV4 } from "uuid";\ndeclare function generateId(prefix: string): string;\nexport function open(dir: string) {\n  const body = fs.createWriteStream(path.join(dir, uuidV4() + ".response"));\n  const timeline = fs.createWriteStream(path.join(dir, generateId("res") + ".timeline"));\n  return { body, timeline };\n}` },
    { name: "files inside a folder the constructor made with mkdtemp, moved into place later (scale study, seed 16)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport class HubExport {\n  private tmpDir: string;\n  constructor(private exportPath: string) { this.tmpDir = fs.mkdtempSync("export-"); }\n  finish(metadata: object) {\n    fs.writeFileSync(path.join(this.tmpDir, "metadata.json"), JSON.stringify(metadata));\n    fs.renameSync(this.tmpDir, this.exportPath);\n  }\n}` },
    { name: "a logger's stream, named by its path helper (study batch D)", fileName: "run.js", code: `const fs = require("fs");\nconst getLoggerLoc = (name) => \`logs-\${name}.txt\`;\nexports.start = (name) => fs.createWriteStream(getLoggerLoc(name), { flags: "w" });\n` },
    { name: "a cache named as such, whose reader falls back (study batch D)", code: `import * as fs from "node:fs";\nimport * as os from "node:os";\nimport * as path from "node:path";\nconst PROCESS_CACHE_FILE = path.join(os.homedir(), ".app-process-cache.json");\nexport function saveProcessCache(cache: object): void {\n  try { fs.writeFileSync(PROCESS_CACHE_FILE, JSON.stringify(cache)); } catch { /* a cache */ }\n}` },
    { name: "write stream appending to a log", fileName: "s1.js", code: `const fs = require("fs");\nconst log = fs.createWriteStream("app.log", { flags: "a" });\nlog.write("started\\n");\n` },
    { name: "write stream into a temp renamed on finish", fileName: "s2.js", code: `const fs = require("fs");\nexports.save = (req, target) => {\n  const tmp = target + ".part";\n  req.pipe(fs.createWriteStream(tmp)).on("finish", () => fs.renameSync(tmp, target));\n};\n` },
    { name: "exclusive write stream", fileName: "s3.js", code: `const fs = require("fs");\nexports.create = (p) => fs.createWriteStream(p, { flags: "wx" });\n` },
    {
      name: "temp written then renamed over the target (seed 000's fix)",
      code: `import { promises as fs } from "fs";
import { randomUUID } from "crypto";
export async function persist(target: string, text: string) {
  const tempPath = \`\${target}.tmp.\${randomUUID()}\`;
  await fs.writeFile(tempPath, text, "utf8");
  await fs.rename(tempPath, target);
}`,
    },
    {
      name: "exclusive create flag",
      code: `import * as fs from "node:fs";\nfs.writeFileSync("lock", String(process.pid), { flag: "wx" });`,
    },
    {
      name: "append flag",
      code: `import fs from "fs";\nfs.writeFileSync("log.txt", "line\\n", { flag: "a" });`,
    },
    {
      name: "appendFile is not a replacement",
      code: `import { appendFile } from "fs/promises";\nawait appendFile("events.log", "x\\n");`,
    },
    {
      name: "inside a mkdtemp directory",
      code: `import * as fs from "fs";
import * as os from "os";
import * as path from "path";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "job-"));
fs.writeFileSync(path.join(dir, "input.txt"), "data");`,
    },
    {
      name: "a writeFile method of something that is not fs",
      code: `class MemoryDisk { files = new Map<string, string>(); writeFile(p: string, d: string) { this.files.set(p, d); } }
const fs = new MemoryDisk();
fs.writeFile("a.txt", "b");`,
    },
    {
      name: "a parameter named fs shadows the module",
      code: `import * as fs from "fs";
export function save(fs: { writeFile(p: string, d: string): void }) { fs.writeFile("a", "b"); }`,
    },
    {
      name: "text in comments and strings",
      code: `import * as fs from "fs";
// fs.writeFileSync("config.json", data)
const doc = "fs.writeFileSync('config.json', data)";
export const n = doc.length + fs.constants.O_RDONLY;`,
    },
    {
      name: "write to a file descriptor",
      code: `import * as fs from "fs";\nconst fd = fs.openSync("out", "wx");\nfs.writeFileSync(fd, "x");`,
    },
    {
      name: "fs imported for types only",
      code: `import type { promises } from "fs";\ndeclare const io: typeof promises;\nawait io.writeFile("a", "b");`,
    },
    {
      name: "disabled for the next line",
      code: `import * as fs from "fs";
// tornwrite-disable-next-line non-atomic-write
fs.writeFileSync("cache.bin", "x");`,
    },
    {
      name: "exclusive handle write",
      code: `import { open } from "fs/promises";
export async function create(p: string) { const h = await open(p, "wx"); await h.writeFile("x"); await h.close(); }`,
    },
    {
      name: "a fresh random file name: nothing is replaced (real-world study)",
      code: `import * as fs from "fs";\nimport * as path from "path";\nexport async function put(dir: string) { await fs.promises.writeFile(path.join(dir, "upload-" + Math.random() * 1e6), "x"); }`,
    },
    {
      name: "inside a directory from an mkdtemp callback",
      fileName: "t.js",
      code: `const fs = require("fs");\nconst os = require("os");\nconst path = require("path");\nfs.mkdtemp(path.join(os.tmpdir(), "x-"), (err, dir) => { if (!err) fs.writeFile(path.resolve(dir, "a.txt"), "x", () => {}); });`,
    },
    {
      name: "inside a lock directory this function just created (plain mkdir fails if it exists)",
      code: `import { mkdir, writeFile } from "fs/promises";\nconst LOCK = "/var/run/app.lock";\nexport async function lock() { await mkdir(LOCK); await writeFile(LOCK + "/" + process.pid, "lock"); }`,
    },
    {
      name: "created only when missing (check-then-act reports the race)",
      code: `import * as fs from "fs";\nexport function ensure(p: string) { if (!fs.existsSync(p)) fs.writeFileSync(p, "{}"); }`,
    },
    {
      name: "created in the catch of a stat (check-then-act reports the race)",
      code: `import * as fs from "fs";\nexport function ensure(p: string) { try { fs.statSync(p); } catch { fs.writeFileSync(p, "{}"); } }`,
    },
    { name: "jsonfile with an append flag (real-world study)", fileName: "log.js", code: `const jsonfile = require("jsonfile");\njsonfile.writeFileSync("/var/log/app.log", { message: "hi" }, { flag: "a" });` },
    { name: "a helper streams into the temp its only caller renames (issue 14)", code: "import * as fs from \"fs\";\nimport { randomUUID } from \"crypto\";\nimport { pipeline } from \"stream/promises\";\nimport type { Readable } from \"stream\";\nasync function _streamToFile(file: string, data: Readable) { await pipeline(data, fs.createWriteStream(file)); }\nexport async function store(target: string, data: Readable) {\n  const tmpPath = target + \".part-\" + randomUUID();\n  await _streamToFile(tmpPath, data);\n  await fs.promises.rename(tmpPath, target);\n}" },
    { name: "a helper writes the temp its callers rename", code: "import * as fs from \"fs\";\nfunction writeTemp(p: string, d: string) { fs.writeFileSync(p, d); }\nexport function save(target: string, d: string) {\n  writeTemp(target + \".tmp-\" + process.pid, d);\n  fs.renameSync(target + \".tmp-\" + process.pid, target);\n}" },
    { name: "a log file is diagnostics, not state (batch C)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function logError(dir: string, e: Error) { fs.writeFileSync(path.join(dir, \"error.log\"), e.message); }\nexport function pipeLogs(dir: string, out: NodeJS.ReadableStream) { out.pipe(fs.createWriteStream(path.resolve(dir, \"out.log\"))); }" },
    { name: "a read that fails into a catch that creates the file: a creation (batch C)", code: "import * as fs from \"fs\";\nexport function ensure(p: string) {\n  try {\n    fs.readFileSync(p);\n  } catch {\n    fs.writeFileSync(p, \"{}\");\n  }\n}" },
    { name: "an object of file operations injected into a temp-and-rename writer (batch C)", code: "import { writeFileSync, renameSync, unlinkSync } from \"fs\";\nexport const DEFAULT_OPS = {\n  writeFile: (p: string, d: string) => writeFileSync(p, d),\n  rename: (from: string, to: string) => renameSync(from, to),\n  unlink: (p: string) => unlinkSync(p),\n};" },
    { name: "the id written into an exclusively opened lock file (batch C)", code: "import * as fs from \"fs\";\nexport function claim(lockPath: string, id: string) {\n  let lock: number;\n  lock = fs.openSync(lockPath, \"wx\");\n  fs.writeFileSync(lock, id);\n  fs.closeSync(lock);\n}" },
    { name: "a variable named as a temp, built by a helper (batch C)", code: "import * as fs from \"fs\";\nimport { tempName } from \"./names\";\nexport function stage(p: string, d: string) { const tempPath = tempName(p); fs.writeFileSync(tempPath, d); return tempPath; }" },
    { name: "a one-off output the user asked for: not reported (issue 14)", code: "import * as fs from \"fs\";\nexport function exportCsv(rows: string[], options: { output: string }) {\n  fs.writeFileSync(options.output, rows.join(\"\\n\"));\n}" },
    { name: "a system configuration file a command generates (/etc) (whole-repository sample)", fileName: "rotate.js", code: "const fs = require(\"fs\");\nexports.install = (user, script) => fs.writeFileSync(\"/etc/logrotate.d/app-\" + user, script);" },
    { name: "a pid record and a lock directory's owner record (whole-repository sample)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function record(PID_PATH: string, lockDir: string) { fs.writeFileSync(PID_PATH, String(process.pid)); fs.writeFileSync(path.join(lockDir, \"owner.json\"), JSON.stringify({ pid: process.pid })); }" },
    { name: "written, handed to a child process and deleted: scratch (whole-repository sample)", code: "import * as fs from \"fs\";\nimport { execFileSync } from \"child_process\";\nexport function apply(dir: string, diff: string) { const patchPath = dir + \"/.unstaged.patch\"; fs.writeFileSync(patchPath, diff); try { execFileSync(\"git\", [\"apply\", patchPath]); } finally { fs.unlinkSync(patchPath); } }" },
    { name: "a run folder named by a helper's ISO time (whole-repository sample, seed 15)", code: "import * as fs from \"fs\";\nimport { join } from \"path\";\nfunction makeTimestamp(date: Date = new Date()): string { return date.toISOString().replace(/:/g, \"-\"); }\nexport function start(base: string, name: string, params?: object) { const timestamp = makeTimestamp(); const runDir = join(base, \"runs\", name, timestamp); fs.mkdirSync(runDir, { recursive: true }); if (params) fs.writeFileSync(join(runDir, \"PARAMS.json\"), JSON.stringify(params)); }" },
    { name: "a definition written into the run folder just made for this run (whole-repository sample)", code: "import * as fs from \"fs\";\nimport { join } from \"path\";\nexport function start(base: string, name: string, def: string) { const timestamp = new Date().toISOString(); const runDir = join(base, \"runs\", name, timestamp); fs.mkdirSync(runDir, { recursive: true }); fs.writeFileSync(join(runDir, \"DEFINITION.yaml\"), def); }" },
  ],
  invalid: [
    { name: "a CLI command that rewrites the user's config it read: state, reported in command code too (scale study, seed 16)", fileName: "src/commands/login.ts", code: `import * as fs from "node:fs";\nexport function addIgnore(gitignorePath: string, entry: string) {\n  let content = fs.readFileSync(gitignorePath, "utf8");\n  content += entry;\n  fs.writeFileSync(gitignorePath, content);\n}`, errors: [flagged] },
    { name: "a per-user credentials file written by a CLI command (scale study, seed 16)", fileName: "src/commands/auth.ts", code: `import * as fs from "node:fs";\nimport * as os from "node:os";\nexport function saveToken(token: string) {\n  fs.writeFileSync(os.homedir() + "/.tool/token", token);\n}`, errors: [flagged] },
    { name: "a day's file is rewritten all day: not a fresh name", code: `import * as fs from "node:fs";\nexport function saveDay(stats: object) {\n  fs.writeFileSync(\`stats-\${new Date().toISOString().slice(0, 10)}.json\`, JSON.stringify(stats));\n}`, errors: [flagged] },
    {
      name: "upload streamed straight into the final file",
      fileName: "s4.js",
      code: `const fs = require("fs");\nexports.saveImage = (req, res, dir) => {\n  req.pipe(fs.createWriteStream(\`\${dir}/avatar.jpg\`)).on("finish", () => res.end("ok"));\n};\n`,
      errors: [{ messageIncludes: "truncates `${dir}/avatar.jpg` and fills it chunk by chunk", line: 3 }],
      output: null,
    },
    {
      name: "an import list written one name per line stays that way when the fix drops a name (fix study, pi-extensions)",
      code: `import {\n  existsSync,\n  writeFileSync,\n} from "node:fs";\nexport function save(p: string, d: string) {\n  if (!existsSync(p)) return;\n  writeFileSync(p, d);\n}`,
      errors: [{ messageIncludes: "p in place", line: 7 }],
      output: `import {\n  existsSync,\n} from "node:fs";\nimport { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function save(p: string, d: string) {\n  if (!existsSync(p)) return;\n  atomicWriteFileSync(p, d);\n}`,
    },
    {
      name: "seed 000: fs.promises.writeFile straight to the sidecar",
      code: `import * as fs from "node:fs/promises";
export async function persistTranscript(audioPath: string, transcript: string) {
  const sidecarPath = \`\${audioPath}.transcript.txt\`;
  await fs.writeFile(sidecarPath, transcript, "utf8");
}`,
      errors: [{ messageIncludes: "sidecarPath in place", line: 4 }],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";
export async function persistTranscript(audioPath: string, transcript: string) {
  const sidecarPath = \`\${audioPath}.transcript.txt\`;
  await atomicWriteFile(sidecarPath, transcript, "utf8");
}`,
    },
    {
      name: "default import, sync",
      code: `import fs from "fs";\nexport function save(p: string, d: string) { fs.writeFileSync(p, d); }`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function save(p: string, d: string) { atomicWriteFileSync(p, d); }`,
    },
    {
      name: "renamed named import from fs/promises",
      code: `import { writeFile as wf } from "fs/promises";\nexport const save = (p: string) => wf(p, "{}", { encoding: "utf8", mode: 0o600 });`,
      errors: [flagged],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport const save = (p: string) => atomicWriteFile(p, "{}", { encoding: "utf8", mode: 0o600 });`,
    },
    {
      name: "promises as fsp",
      code: `import { promises as fsp } from "fs";\nexport async function s(p: string) { await fsp.writeFile(p, "x"); }`,
      errors: [flagged],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function s(p: string) { await atomicWriteFile(p, "x"); }`,
    },
    {
      name: "CommonJS require, callback form",
      fileName: "save.js",
      code: `const fs = require("fs");\nfunction save(p, d, cb) { fs.writeFile(p, d, "utf8", cb); }\nmodule.exports = { save };`,
      errors: [flagged],
      output: `const { atomicWriteFile } = require("./tornwrite-runtime");\nfunction save(p, d, cb) { atomicWriteFile(p, d, "utf8").then(() => cb(null), cb); }\nmodule.exports = { save };`,
    },
    {
      name: "destructured require with node: prefix, inline callback",
      fileName: "save.cjs",
      code: `const { writeFile } = require("node:fs");\nwriteFile("state.json", "{}", (err) => { if (err) throw err; });`,
      errors: [flagged],
      output: `const { atomicWriteFile } = require("./tornwrite-runtime");\natomicWriteFile("state.json", "{}").then(() => null, (error) => error).then((err) => { if (err) throw err; });`,
    },
    {
      name: "require('fs').promises",
      fileName: "a.js",
      code: `const fsp = require("fs").promises;\nasync function s() { await fsp.writeFile("a.json", "{}"); }\nmodule.exports = s;`,
      errors: [flagged],
      output: `const fsp = require("fs").promises;\nconst { atomicWriteFile } = require("./tornwrite-runtime");\nasync function s() { await atomicWriteFile("a.json", "{}"); }\nmodule.exports = s;`,
    },
    {
      name: "destructured sync require",
      fileName: "a.cjs",
      code: `const { writeFileSync } = require("node:fs");\nwriteFileSync("settings.json", JSON.stringify({}));`,
      errors: [flagged],
      output: `const { atomicWriteFileSync } = require("./tornwrite-runtime");\natomicWriteFileSync("settings.json", JSON.stringify({}));`,
    },
    {
      name: "fs.promises.writeFile through a namespace import",
      fileName: "a.mts",
      code: `import * as fs from "fs";\nexport async function s(p: string) { await fs.promises.writeFile(p, new Uint8Array(4)); }`,
      errors: [flagged],
      output: `import { atomicWriteFile } from "./tornwrite-runtime";\nexport async function s(p: string) { await atomicWriteFile(p, new Uint8Array(4)); }`,
    },
    {
      name: "fs-extra outputFile and writeJson",
      fileName: "a.js",
      code: `import fse from "fs-extra";\nexport async function s(p, v) { await fse.outputFile(p, "x"); await fse.writeJson(p + ".json", v, { spaces: 2 }); }`,
      errors: [flagged, flagged],
      output: `import { atomicWriteFile, atomicWriteJson } from "./tornwrite-runtime";\nexport async function s(p, v) { await atomicWriteFile(p, "x"); await atomicWriteJson(p + ".json", v, { indent: 2 }); }`,
    },
    {
      name: "jsonfile writeFileSync keeps its compact format",
      fileName: "a.js",
      code: `const jsonfile = require("jsonfile");\njsonfile.writeFileSync("db.json", { a: 1 });`,
      errors: [flagged],
      output: `const { atomicWriteJsonSync } = require("./tornwrite-runtime");\natomicWriteJsonSync("db.json", { a: 1 }, { indent: 0 });`,
    },
    {
      name: "FileHandle opened with 'w' (no mechanical fix)",
      code: `import { open } from "fs/promises";
export async function save(p: string, d: string) { const handle = await open(p, "w"); await handle.writeFile(d); await handle.close(); }`,
      errors: [{ messageIncludes: "truncating flag" }],
      output: null,
    },
    {
      name: "an existing runtime import is extended",
      code: `import * as fs from "fs";\nimport { atomicWriteFile } from "./tornwrite-runtime";\nexport function s() { fs.writeFileSync("a", "b"); return atomicWriteFile; }`,
      errors: [flagged],
      output: `import { atomicWriteFile, atomicWriteFileSync } from "./tornwrite-runtime";\nexport function s() { atomicWriteFileSync("a", "b"); return atomicWriteFile; }`,
    },
    {
      name: "import equals require",
      code: `import fs = require("fs");\nexport function s() { fs.writeFileSync("a.txt", "b"); }`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function s() { atomicWriteFileSync("a.txt", "b"); }`,
    },
    {
      name: "a truncating FileHandle written chunk by chunk (real-world study)",
      code: `import * as fs from "fs/promises";\nexport async function dump(lines: string[]) { const file = await fs.open("out.txt", "w"); for (const line of lines) await file.write(line); await file.close(); }`,
      errors: [{ messageIncludes: "truncating flag" }],
    },
    {
      name: "a write after a recursive mkdir of its directory still replaces the file",
      code: `import * as fs from "fs";\nimport * as path from "path";\nexport function save(dir: string, d: string) { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(path.join(dir, "state.json"), d); }`,
      errors: [flagged],
    },
    {
      name: "written when the file exists (the replace branch of an existence check)",
      code: `import * as fs from "fs";\nexport function update(p: string, d: string) { if (fs.existsSync(p)) fs.writeFileSync(p, d); }`,
      errors: [flagged],
    },
    { name: "util.promisify(fs.writeFile) (real-world study)", fileName: "p.js", code: `const fs = require("fs");\nconst util = require("util");\nconst write = util.promisify(fs.writeFile);\nexports.save = (p, v) => write(p, JSON.stringify(v));`, errors: [flagged] },
    {
      name: "a name that only starts like a directory created just now is not inside it",
      code: `import * as fs from "fs";\nexport function save(dir: string, dirName: string, d: string) { fs.mkdirSync(dir); fs.writeFileSync(dirName + "/state.json", d); }`,
      errors: [flagged],
    },
    { name: "a catch that repairs a file that failed to parse still replaces it in place", code: "import * as fs from \"fs\";\nexport function load(p: string) {\n  try {\n    return JSON.parse(fs.readFileSync(p, \"utf8\"));\n  } catch {\n    fs.writeFileSync(p, \"{}\");\n    return {};\n  }\n}", errors: [{ messageIncludes: "in place", line: 6 }] },
    { name: "an injectable file system whose default is node's (options.fs ?? fs) (batch C)", code: "import * as fs from \"fs\";\nexport function save(p: string, d: string, options: { fs?: typeof fs } = {}) { const fsImpl = options.fs ?? fs; fsImpl.writeFileSync(p, d); }", errors: [flagged] },
  ],
};

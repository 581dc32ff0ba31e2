import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "in place" };

/** Valid and invalid cases; fixes import from `./tornwrite-runtime` (the RuleTester's runtime specifier). */
export const nonAtomicWriteCases: RuleModule["cases"] = {
  valid: [
    { name: "a module's own helper (not exported) called only with build output: it writes what its callers would regenerate (scale study, seed 40)", fileName: "template.ts", code: "import { promises as fsp } from \"fs\";\nimport { resolve, join } from \"path\";\nimport os from \"os\";\nasync function writeIfChanged(path: string, contents: string) {\n  const existing = await fsp.readFile(path, \"utf8\").catch(() => undefined);\n  if (existing === contents) return;\n  await fsp.writeFile(path, contents);\n}\nexport async function writeTypes(nuxt: { options: { buildDir: string } }, declaration: string, tsConfig: object) {\n  const declarationPath = resolve(nuxt.options.buildDir, \"nuxt.d.ts\");\n  const tsConfigPath = resolve(nuxt.options.buildDir, \"tsconfig.json\");\n  await Promise.all([writeIfChanged(declarationPath, declaration), writeIfChanged(tsConfigPath, JSON.stringify(tsConfig))]);\n}" },
    { name: "a stream helper filling whatever whole path its caller hands it (an export writer, a download sink): its callers decide what the file is (scale study, seed 39)", code: "const fs = require(\"fs\");\nfunction saveStreamToFile(pipedStream, fileName) {\n  return new Promise((resolve, reject) => {\n    const fileStream = fs.createWriteStream(fileName);\n    fileStream.on(\"close\", () => resolve());\n    fileStream.on(\"error\", reject);\n    pipedStream.pipe(fileStream);\n  });\n}\nasync function writer({ fileName, encoding = \"utf-8\" }) {\n  return fs.createWriteStream(fileName, encoding);\n}\nmodule.exports = { saveStreamToFile, writer };" },
    { name: "a stream opened with the flags its caller configures (a log stream appending by default): not this code's choice (scale study, seed 39)", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nclass StateStream {\n  constructor(options) {\n    this.options = { flags: \"a\", ...options };\n  }\n  open() {\n    const ops = { flags: this.options.flags, encoding: \"utf8\" };\n    this.stream = fs.createWriteStream(path.join(os.homedir(), \".myapp\", \"state.json\"), ops);\n  }\n}\nmodule.exports = StateStream;" },
    { name: "a backup named by a same-file helper down to the millisecond beside its day parts: a new file each save (scale study, seed 39)", code: "import { promises as fs } from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nfunction backupName(id: string): string {\n  const date = new Date();\n  const day = String(date.getDate()).padStart(2, \"0\");\n  return `${id}_${date.getFullYear()}-${day}_${date.getTime()}.bak`;\n}\nexport async function backupVault(id: string, content: string) {\n  const backupPath = path.join(os.homedir(), \".app\", \"backups\", backupName(id));\n  await fs.writeFile(backupPath, content);\n}" },
    { name: "a module that is a cache by its name writes its cache (flat-cache's cache.js; scale study, seed 39)", fileName: "src/cache.js", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nmodule.exports = {\n  save(entries) {\n    fs.writeFileSync(path.join(os.homedir(), \".app\", \"entries.json\"), JSON.stringify(entries));\n  },\n};" },
    { name: "a module in a cache/ folder writes the cache (a disk spill; scale study, seed 39)", fileName: "packages/core/src/cache/byte-lru.js", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nexports.spill = (entries) => fs.writeFileSync(path.join(os.homedir(), \".app\", \"spill.json\"), JSON.stringify(entries));" },
    { name: "a command's helper in a cmd/ folder unpacking to the path its caller passes: the command's output (scale study, seed 38)", fileName: "src/cmd/update-cli.js", code: "const fs = require(\"fs\");\nconst zlib = require(\"zlib\");\nclass UpdateCommand {\n  unzipFile(sourcePath, targetPath) {\n    return new Promise((resolve, reject) => {\n      fs.createReadStream(sourcePath).pipe(zlib.createGunzip()).pipe(fs.createWriteStream(targetPath)).on(\"finish\", () => resolve(targetPath)).on(\"error\", reject);\n    });\n  }\n}\nmodule.exports = UpdateCommand;" },
    { name: "an archive downloaded into the user's folder and unpacked by the same function once written: consumed at once (scale study, seed 38)", code: `import * as fs from "fs";\nimport * as path from "path";\nimport * as tar from "tar";\ndeclare const app: { getPath(name: string): string };\ndeclare function fetchStream(url: string): Promise<NodeJS.ReadableStream>;\nexport async function downloadBackup(objectKey: string, url: string, backupPath: string) {\n  const zipLocation = path.join(app.getPath("userData"), objectKey);\n  const response = await fetchStream(url);\n  const writer = fs.createWriteStream(zipLocation);\n  response.pipe(writer);\n  writer.on("close", async () => {\n    await tar.x({ file: zipLocation, cwd: backupPath });\n  });\n}\n` },
    { name: "an empty value written in the catch of the window state's failed read: nothing to tear, and that reader resets it again (scale study, seed 38)", code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nconst windowStatePath = path.join(os.homedir(), ".app", "window-state.json");\nexport function restoreWindow(): { width?: number } {\n  try {\n    return JSON.parse(fs.readFileSync(windowStatePath, "utf8"));\n  } catch {\n    fs.writeFileSync(windowStatePath, "{}");\n    return {};\n  }\n}` },
    { name: "a file its author names a cache on the way, though the path it resolves to does not say so (scale study, seed 27 run)", code: `import { promises as fsp } from "fs";\nimport * as os from "os";\nimport * as path from "path";\nexport class Accounts {\n  async remember(email: string) {\n    const filePath = this.getAccountsCachePath();\n    await fsp.writeFile(filePath, JSON.stringify({ active: email }));\n  }\n  private getAccountsCachePath() {\n    return path.join(os.homedir(), ".app", "accounts.json");\n  }\n}` },
    { name: "new files named by a fresh uuid or by their content's hash: nothing is replaced (scale study, seed 27)", code: `import { promises as fs } from "fs";\nimport * as os from "os";\nimport * as path from "path";\nexport class Uploads {\n  private dir = path.join(os.homedir(), ".app", "uploads");\n  async save(uuid: string, data: Buffer) {\n    await fs.writeFile(path.join(this.dir, \`\${uuid}.png\`), data);\n  }\n  async record(state: object) {\n    await fs.writeFile(path.join(this.dir, \`\${this.generateHash(state)}.json\`), JSON.stringify(state));\n  }\n  generateHash(state: object) {\n    return String(JSON.stringify(state).length);\n  }\n}\nexport class MediaBackend {\n  private uploadDirectory = path.join(os.homedir(), ".app", "media");\n  async saveFile(uuid: string, buffer: Buffer, ext: string) {\n    await fs.writeFile(this.getFilePath(uuid, ext), buffer);\n  }\n  private getFilePath(fileName: string, extension: string): string {\n    if (!/^[a-z0-9]+$/.test(extension)) {\n      throw new Error("bad extension");\n    }\n    return path.join(this.uploadDirectory, \`\${fileName}.\${extension}\`);\n  }\n}` },
    { name: "a plugin file copied into a generated folder and patched once: copying again restores it (scale study, seed 25)", code: `import { copy, readFile, writeFile } from "fs-extra";\nexport async function copySources(source: string, settingsDest: string) {\n  await copy(source, settingsDest);\n  const text = await readFile(settingsDest, "utf8");\n  await writeFile(settingsDest, "import Cordova\\n" + text);\n}` },
    { name: "generated output that says so in what it writes (scale study, seed 25)", code: `import { writeFile, readFile } from "fs/promises";\nexport async function writeSpec(specPath: string, name: string) {\n  const old = await readFile(specPath, "utf8");\n  const content = \`# Autogenerated spec for \${name}, was \${old.length} bytes\`;\n  await writeFile(specPath, content);\n}` },
    { name: "a generated file nothing marks as state: not read back, not per-user, not named as state (scale studies, seeds 16-23)", code: `import * as fs from "fs";\nimport * as path from "path";\nexport function writeSitemap(root: string, xml: string) {\n  fs.writeFileSync(path.join(root, "sitemap.xml"), xml);\n}` },
    { name: "a zip streamed by a packaging step: an artifact, regenerated by running again (scale study, seed 20)", code: `import * as fs from "fs";\nexport function packageService(artifactFilePath: string, archive: NodeJS.ReadableStream) {\n  archive.pipe(fs.createWriteStream(artifactFilePath + ".zip"));\n}` },
    { name: "a command's helper writing the path its caller passes: the command's output (scale study, seed 16)", fileName: "src/commands/generate.ts", code: `import { writeFile } from "fs/promises";\nexport async function emit(filepath: string, contents: string) {\n  await writeFile(filepath, contents);\n}` },
    { name: "build output through a bundler's config.build folders and an adapter's output folder (scale study, seed 23)", code: `import { readFile, writeFile } from "fs/promises";\ndeclare function ssrOutputDir(): URL;\nexport async function patch(config: { build: { server: URL } }, code: string) {\n  const wranglerJsonUrl = new URL("./wrangler.json", config.build.server);\n  const raw = JSON.parse(await readFile(wranglerJsonUrl, "utf8"));\n  await writeFile(wranglerJsonUrl, JSON.stringify({ ...raw, main: "x" }));\n  await writeFile(new URL("./ssr.mjs", ssrOutputDir()), code);\n  return readFile(new URL("./ssr.mjs", ssrOutputDir()), "utf8");\n}` },
    { name: "an image cache entry named cached… (scale study, seed 23)", code: `import { promises as fs } from "fs";\nexport async function store(cachedFileURL: URL, cachedMetaFileURL: URL, data: Uint8Array, meta: object) {\n  await Promise.all([fs.writeFile(cachedFileURL, data), fs.writeFile(cachedMetaFileURL, JSON.stringify(meta))]);\n  return fs.readFile(cachedMetaFileURL, "utf8");\n}` },
    { name: "a download the enclosing function extracts and deletes again (scale study, seed 22)", code: `import * as fs from "fs";\nimport * as https from "https";\ndeclare function extract(zip: string, to: string): void;\nexport async function importPlugin(url: string, pluginsPath: string, id: string) {\n  const zipFilePath = \`\${pluginsPath}/\${id}.zip\`;\n  await new Promise<void>((resolve) => {\n    const zipFile = fs.createWriteStream(zipFilePath);\n    https.get(url, (response) => { response.pipe(zipFile); zipFile.on("finish", () => resolve()); });\n  });\n  extract(zipFilePath, \`\${pluginsPath}/\${id}\`);\n  if (fs.existsSync(zipFilePath)) fs.unlinkSync(zipFilePath);\n}` },
    { name: "an empty heartbeat file: its mtime is the signal, nothing to tear (scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport class Heart {\n  constructor(private readonly heartbeatPath: string) {}\n  async beat() { await fs.writeFile(this.heartbeatPath, ""); return fs.readFile(this.heartbeatPath); }\n}` },
    { name: "a checksum sidecar of another file is computed again from it (scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport async function cacheFileChecksum(p: string, md5: string) {\n  const old = await fs.readFile(\`\${p}.md5\`, "utf8").catch(() => undefined);\n  if (old !== md5) await fs.writeFile(\`\${p}.md5\`, md5);\n}\nexport async function remember(hashPath: string, hash: string) { await fs.writeFile(hashPath, hash); return fs.readFile(hashPath, "utf8"); }` },
    { name: "an export to a name made unique against what exists (scale study, seed 21)", code: `import * as fs from "fs";\nimport * as path from "path";\ndeclare function generateUniqueName(base: string, taken: (name: string) => boolean): string;\nexport async function exportEnvironment(dir: string, env: { name: string }) {\n  const uniqueFileName = generateUniqueName(env.name, (name) => fs.existsSync(path.join(dir, \`\${name}.json\`)));\n  const fullPath = path.join(dir, \`\${uniqueFileName}.json\`);\n  await fs.promises.writeFile(fullPath, JSON.stringify(env), "utf8");\n  return fs.promises.readFile(fullPath, "utf8");\n}` },
    { name: "a key written only after the try that returns it on a successful read (scale study, seed 21)", code: `import { promises as fs } from "fs";\nimport * as crypto from "crypto";\nexport async function serverKey(keyPath: string): Promise<Buffer> {\n  try {\n    return await fs.readFile(keyPath);\n  } catch (error: any) {\n    if (error.code !== "ENOENT") console.error(error);\n  }\n  const key = crypto.randomBytes(32);\n  await fs.writeFile(keyPath, key);\n  return key;\n}` },
    { name: "a certificate pair generated when either cannot be accessed (Promise.all of two access calls; scale study, seed 21)", code: `import { promises as fs } from "fs";\nexport async function certificate(certPath: string, keyPath: string, make: () => Promise<{ cert: string; key: string }>) {\n  try {\n    await Promise.all([fs.access(certPath), fs.access(keyPath)]);\n  } catch {\n    const made = await make();\n    await Promise.all([fs.writeFile(certPath, made.cert), fs.writeFile(keyPath, made.key)]);\n  }\n  return { cert: await fs.readFile(certPath, "utf8"), key: await fs.readFile(keyPath, "utf8") };\n}` },
    { name: "new files named by a timestamp variable or a date helper, and a file under a 'tempDir' setting (scale study, seed 19)", code: `import { writeFile } from "fs/promises";\nimport { writeFileSync } from "fs";\nimport { homedir } from "os";\ndeclare const utils: { fileDate(): string; joinPath(...p: string[]): string };\ndeclare const Setting: { value(k: string): string };\nexport async function backup(dir: string, data: Buffer, event: string) {\n  const fileName = \`NVM_\${utils.fileDate()}\${event}\`;\n  await writeFile(utils.joinPath(dir, fileName + ".bin"), data);\n}\nexport function dump(date: string, e: object) {\n  writeFileSync(\`\${homedir()}/crash_dump_\${date}.json\`, JSON.stringify(e));\n}\nexport async function empty(id: string) {\n  await writeFile(\`\${Setting.value("tempDir")}/\${id}.empty\`, "");\n}` },
    { name: "a profile trace named by a time id: a new file each run (scale study, seed 32)", code: `import * as fs from "fs";\ndeclare function getTimeId(): string;\nexport async function endProfile(trace: NodeJS.ReadableStream) {\n  const filename = \`profile-\${getTimeId()}.trace\`;\n  trace.pipe(fs.createWriteStream(filename));\n  fs.writeFileSync(\`summary-\${getTimeId()}.json\`, "{}");\n}` },
    { name: "a capture saved where the caller says: savePDF(filepath), saveRecordingScreen(filepath) (scale study, seed 32)", code: `import * as fs from "fs";\nimport * as path from "path";\ndeclare function printPage(): Promise<string>;\nexport async function savePDF(filepath: string) {\n  const absoluteFilepath = path.resolve(filepath);\n  const page = Buffer.from(await printPage(), "base64");\n  fs.writeFileSync(absoluteFilepath, page);\n  return page;\n}\nexport async function saveRecordingScreen(filepath: string, video: Buffer) {\n  fs.writeFileSync(path.resolve(filepath), video);\n}` },
    { name: "a stream to a named pipe made with mkfifo: a channel, not a file (scale study, seed 32)", code: `import * as fs from "fs";\ndeclare function mkfifo(path: string): Promise<void>;\nexport async function createWriterPipe(pipeName: string) {\n  await mkfifo(pipeName);\n  return fs.createWriteStream(pipeName, { encoding: "utf-8" });\n}\nexport function notify(namedPipe: string, text: string) {\n  fs.writeFileSync(namedPipe, text);\n}` },
    { name: "an archive packed from the project: a zip stream and a tarball, made again on the next run (scale study, seed 33)", code: `import { createWriteStream, writeFileSync } from "fs";\nexport async function createActZip(zipName: string, pathsToZip: string[]) {\n  const writeStream = createWriteStream(zipName);\n  writeStream.end(pathsToZip.join("\\n"));\n}\nexport function pack(dir: string, data: Buffer) {\n  writeFileSync(\`\${dir}/bundle.tgz\`, data);\n}` },
    { name: "a function named for generating a file writes one it did not read: generated frontend config, written again on the next run (scale study, seed 32)", fileName: "frontend-config-creator.js", code: "const fs = require(\"fs-extra\");\nconst path = require(\"path\");\nfunction createAmplifyConfig(context, resources) {\n  const srcDirPath = context.projectPath;\n  if (fs.existsSync(srcDirPath)) {\n    const targetFilePath = path.join(srcDirPath, \"amplifyconfiguration.json\");\n    fs.writeFileSync(targetFilePath, JSON.stringify(resources, null, 4), \"utf8\");\n  }\n}\nmodule.exports = { createAmplifyConfig };" },
    { name: "a temp-file factory, Electron's temp folder, a cache property, a choice of two log files (scale study, seed 18)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\ndeclare const app: { getPath(name: string): string };\ndeclare const packager: { getTempFile(suffix: string): Promise<string> };\nexport class Builder {\n  private cacheInfoFile = "info.json";\n  async run(meta: boolean, cwd: string, log: string[]) {\n    const settingsFile = await packager.getTempFile(".json");\n    fs.writeFileSync(settingsFile, "{}");\n    fs.writeFileSync(path.join(app.getPath("temp"), "defaults.yml"), "a: 1");\n    fs.writeFileSync(this.cacheInfoFile, "{}");\n    const errorReportLoc = meta ? path.join(cwd, ".yarn-meta", "yarn-error.log") : path.join(cwd, "yarn-error.log");\n    fs.writeFileSync(errorReportLoc, log.join("\\n"));\n  }\n}` },
    { name: "an npm-init scaffolder writes the new project's files (scale study, seed 17)", fileName: "packages/create-vite/src/index.ts", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function setupEslint(root: string, config: string) {\n  fs.writeFileSync(path.resolve(root, "eslint.config.js"), config);\n}` },
    { name: "build output: a bundle written into build/ and a buildLanguagesPath (scale study, seed 17)", fileName: "css.js", code: `const fs = require("fs");\nconst path = require("path");\nexports.buildCss = async (target, code, buildLanguagesPath) => {\n  await fs.promises.writeFile(path.join(__dirname, "../../build/public", target + ".css"), code);\n  await fs.promises.writeFile(path.join(buildLanguagesPath, "metadata.json"), "{}");\n};\n` },
    { name: "a file holding only this process's id, whatever its name, and a crawler's cache index (real-world study, batch E)", code: `import * as fs from "fs";\nexport function writePid(file: string) {\n  fs.writeFile(file, process.pid.toString() + "\\n", () => {});\n}\nexport function saveIndex(location: string, index: object) {\n  fs.writeFileSync(location + "cacheindex.json", JSON.stringify(index));\n}` },
    { name: "members of an object or class that says it is a file system write what their callers choose (scale study, seed 30)", code: `import * as fs from "fs";\nimport { writeFileSync } from "fs";\ninterface BrowserFS { saveFile(fileName: string, data: string): Promise<void> }\nexport const fsFacade: BrowserFS = {\n  saveFile: (fileName: string, data: string) => new Promise((resolve, reject) => fs.writeFile(fileName, data, (err) => (err ? reject(err) : resolve()))),\n};\ndeclare namespace virtualFs { interface Host { write(path: string, content: string): void } }\ndeclare function getSystemPath(path: string): string;\nexport class NodeJsSyncHost implements virtualFs.Host {\n  write(path: string, content: string): void {\n    writeFileSync(getSystemPath(path), content);\n  }\n}` },
    { name: "a config compiled from another file, a cache writer's path, and a manifest in a folder just removed and made again (scale study, seed 30)", code: `import * as fs from "fs";\nimport { mkdir, writeFile } from "fs/promises";\nimport * as path from "path";\nexport async function compile(workPath: string, config: object) {\n  const compiledConfigPath = path.join(workPath, ".vercel", "vercel.json");\n  await mkdir(path.dirname(compiledConfigPath), { recursive: true });\n  await writeFile(compiledConfigPath, JSON.stringify(config));\n}\nasync function writeCache(file: string, entry: object): Promise<void> {\n  await writeFile(file, JSON.stringify(entry), { mode: 0o600 });\n}\nexport const remember = (file: string) => writeCache(file, {});\nexport function install(finalDirectory: string, version: string) {\n  if (fs.existsSync(finalDirectory)) fs.rmSync(finalDirectory, { recursive: true, force: true });\n  fs.mkdirSync(finalDirectory, { recursive: true });\n  fs.writeFileSync(path.join(finalDirectory, "manifest.json"), JSON.stringify({ version }));\n}` },
    { name: "a file written where a lookup found none: a creation (scale study, seed 30)", code: `import { readFile, writeFile } from "fs/promises";\nimport { join } from "path";\ndeclare function walkParentDirs(start: string, name: string): Promise<string | null>;\nexport async function ensureGemfile(dir: string) {\n  let gemfilePath = await walkParentDirs(dir, "Gemfile");\n  if (!gemfilePath) {\n    gemfilePath = join(dir, "Gemfile");\n    await writeFile(gemfilePath, "source \\"https://rubygems.org\\"\\n");\n  }\n  return readFile(gemfilePath, "utf8");\n}` },
    { name: "what a cache class writes is a cache; a Logger's trimmed log is a log (scale study, seed 31)", code: `import { promises as fs } from "fs";\nexport class FsCache<T> {\n  constructor(private filename: string, private refresher: () => Promise<T>) {}\n  async get(): Promise<T> {\n    const value = await this.refresher();\n    await fs.writeFile(this.filename, JSON.stringify(value), "utf8");\n    return value;\n  }\n}\nexport default class Logger {\n  async trimLog(file: string): Promise<void> {\n    const data = await fs.readFile(file, "utf8");\n    await fs.writeFile(file, data.split("\\n").slice(-500).join("\\n"));\n  }\n}` },
    { name: "a temp written through a truncating handle, synced and renamed into place (scale study, seed 31)", code: `import * as fs from "fs";\nimport * as path from "path";\nexport async function writeManifest(stagingDir: string, manifest: object) {\n  const dest = path.join(stagingDir, "manifest.json");\n  const tmp = \`\${dest}.tmp\`;\n  const fh = await fs.promises.open(tmp, "w");\n  try {\n    await fh.writeFile(JSON.stringify(manifest), "utf8");\n    await fh.sync();\n  } finally {\n    await fh.close();\n  }\n  await fs.promises.rename(tmp, dest);\n}` },
    { name: "an fs proxy module: fs functions re-exported under their own names beside thin wrappers (scale study, seed 31)", code: `import fs from "fs";\nexport const readdir = fs.promises.readdir;\nexport const stat = fs.promises.stat;\nexport const chmod = fs.promises.chmod;\nexport const readFile = (path: string) => fs.promises.readFile(path, "utf8");\nexport const writeFile = (path: string, data: string) => fs.promises.writeFile(path, data, "utf8");` },
    { name: "a class's template writer called only where the config file was missing: a creation (scale study, seed 31)", code: `import * as fs from "fs";\nimport * as path from "path";\nexport class ConfigPersistenceManager {\n  constructor(private configFilePath: string, private resourcePath: string) {}\n  load(): object {\n    if (!fs.existsSync(this.configFilePath)) {\n      this.writeTemplateConfigFile();\n    }\n    return JSON.parse(fs.readFileSync(this.configFilePath, "utf8"));\n  }\n  writeTemplateConfigFile() {\n    const templateConfig = fs.readFileSync(path.join(this.resourcePath, "config.json")).toString();\n    fs.writeFileSync(this.configFilePath, templateConfig);\n  }\n}` },
    { name: "a pid file and a logs path named so (scale study, seed 17)", fileName: "loader.js", code: `const fs = require("fs");\nconst path = require("path");\nconst pidFilePath = path.join(__dirname, "pidfile");\nexports.start = (promptLogsPath) => {\n  fs.writeFileSync(pidFilePath, String(process.pid));\n  return fs.createWriteStream(promptLogsPath);\n};\n` },
    // Issue 14, scale study seed 16 (firebase-tools, netlify-cli, insomnia): outputs of commands and dialogs.
    { name: "a file the user picked in a save dialog is an export (scale study, seed 16)", code: `import * as fs from "node:fs";\ndeclare const dialog: { showSaveDialog(o: object): Promise<{ canceled: boolean; filePath?: string }> };\nexport async function exportResponse(body: string) {\n  const { canceled, filePath } = await dialog.showSaveDialog({ title: "Save Full Response" });\n  if (canceled || !filePath) return;\n  await fs.promises.writeFile(filePath, body);\n  fs.createWriteStream(filePath).end(body);\n}` },
    { name: "written after the user confirmed an overwrite prompt: a scaffolded file (scale study, seed 16)", code: `import { existsSync } from "node:fs";\nimport { writeFile } from "node:fs/promises";\nimport inquirer from "inquirer";\nexport async function carefullyWriteFile(filePath: string, data: string) {\n  if (existsSync(filePath)) {\n    const answers = await inquirer.prompt([{ type: "confirm", name: "overwrite" }]);\n    if (answers.overwrite) await writeFile(filePath, data);\n  }\n}` },
    { name: "a CLI command's generated workflow file (scale study, seed 16)", fileName: "src/init/features/hosting/github.ts", code: `import * as fs from "node:fs";\nexport function writeWorkflow(ymlPath: string, contents: string) {\n  fs.writeFileSync(ymlPath, contents, "utf8");\n}` },
    { name: "a new file per run, named by a timestamp (scale study, seed 16)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function execHook(dir: string, src: string) {\n  const hookScript = \`hook-\${Date.now()}.js\`;\n  fs.writeFileSync(path.join(dir, hookScript), src);\n}` },
    { name: "a pasted image saved under a fresh slug in the user's note storage: nothing is replaced (scale study, seed 34)", fileName: "attach.js", code: `const fs = require("fs");\nconst os = require("os");\nconst path = require("path");\nconst uniqueSlug = require("unique-slug");\nfunction saveImage(noteKey, image) {\n  const dir = path.join(os.homedir(), ".notes", "attachments", noteKey);\n  const imagePath = path.join(dir, \`\${uniqueSlug()}.png\`);\n  fs.writeFileSync(imagePath, image.toPNG(), "binary");\n  return imagePath;\n}\nmodule.exports = { saveImage };\n` },
    { name: "an in-place write offered as an option beside the atomic one (electron-settings' atomicSave: false; scale study, seed 34)", code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nimport writeFileAtomic from "write-file-atomic";\nconst config = { atomicSave: true };\nexport function saveSettings(data: string): Promise<void> {\n  const filePath = path.join(os.homedir(), ".app", "settings.json");\n  return new Promise((resolve, reject) => {\n    if (config.atomicSave) {\n      writeFileAtomic(filePath, data, (err) => (err ? reject(err) : resolve()));\n    } else {\n      fs.writeFile(filePath, data, (err) => (err ? reject(err) : resolve()));\n    }\n  });\n}\nexport function saveSettingsSync(data: string): void {\n  const filePath = path.join(os.homedir(), ".app", "settings.json");\n  if (config.atomicSave) writeFileAtomic.sync(filePath, data);\n  else fs.writeFileSync(filePath, data);\n}` },
    { name: "fs handed to a renderer over IPC channels named after its functions: a bridge is fs, judged at its callers (scale study, seed 34)", code: `import { ipcMain } from "electron";\nimport fs from "fs";\nexport function hookFsIpc() {\n  ipcMain.handle("node:fs:writeFile", (event, path: string, content: string) => {\n    return fs.promises.writeFile(path, content);\n  });\n  ipcMain.handle("node:fs:readFile", (event, path: string) => fs.promises.readFile(path, { encoding: "utf8" }));\n  ipcMain.handle("node:fs:unlink", (event, path: string) => fs.promises.unlink(path));\n  ipcMain.handle("node:fs:rename", (event, path: string, newPath: string) => fs.promises.rename(path, newPath));\n}` },
    { name: "files in a fresh folder from tempy or tmp are scratch (scale study, seed 34)", code: `import fs from "node:fs";\nimport path from "node:path";\nimport { temporaryDirectory } from "tempy";\nimport tmp from "tmp";\nexport function prepare(config: string) {\n  const cwd = temporaryDirectory();\n  fs.writeFileSync(path.join(cwd, "config.json"), config);\n  const other = tmp.dirSync().name;\n  fs.writeFileSync(path.join(other, "settings.json"), config);\n  return [cwd, other];\n}` },
    { name: "a helper whose every caller names a fresh timestamped file: each call writes a new file (scale study, seed 35)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function actionLogger(targetFolder: string) {\n  function saveToFile(filename: string, payload: unknown) {\n    fs.writeFile(path.join(targetFolder, filename), JSON.stringify(payload), () => {});\n  }\n  return (name: string, params: unknown, meta: unknown) => {\n    saveToFile(\`\${Date.now()}-call-\${name}-request.json\`, params);\n    saveToFile(\`\${Date.now()}-call-\${name}-meta.json\`, meta);\n  };\n}` },
    { name: "a PNG written where the caller says, and a log captured to the file a logging function is given (scale study, seed 35)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\nexport function writePng(filePath: string, png: { pack(): NodeJS.ReadableStream }) {\n  const out = fs.createWriteStream(filePath);\n  png.pack().pipe(out);\n}\nexport function captureLogs(file: string, header: string) {\n  if (!path.isAbsolute(file)) throw new Error("absolute path needed");\n  const logStream = fs.createWriteStream(file);\n  logStream.write(header);\n  return logStream;\n}` },
    { name: "a generated package under node_modules, and a format's output(filepath) writer of an export (scale study, seed 36)", code: `import * as fs from "node:fs";\nimport { writeFile, mkdir } from "node:fs/promises";\nimport { join } from "node:path";\nexport async function writeGeneratedConfig(projectRoot: string, config: object) {\n  const pkgDir = join(projectRoot, "node_modules", "app-generated-config");\n  await mkdir(pkgDir, { recursive: true });\n  await writeFile(join(pkgDir, "package.json"), JSON.stringify({ name: "app-generated-config" }));\n  await writeFile(join(pkgDir, "config.js"), \`export default ${"${JSON.stringify(config)}"}\`);\n}\nexport const csv = {\n  async output(filepath: string, docs: object[]) {\n    const writer = fs.createWriteStream(filepath);\n    for (const doc of docs) writer.write(JSON.stringify(doc) + "\\n");\n    writer.end();\n  },\n};` },
    { name: "a file in the module's own temp folder, and one named by a randomFileName() helper (shelljs; scale study, seed 36)", code: `import * as fs from "node:fs";\nimport * as path from "node:path";\ndeclare function _tempDir(): string;\ndeclare const common: { randomFileName(): string };\nexport function execSync(cmd: string, home: string) {\n  const paramsFile = path.join(_tempDir(), "settings.json");\n  fs.writeFileSync(paramsFile, JSON.stringify({ cmd }), { mode: 0o600 });\n  const settingsFile = path.join(home, ".tool", common.randomFileName());\n  fs.writeFileSync(settingsFile, cmd);\n}` },
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
    { name: "a log in Electron's logs folder, trimmed to its newer half (scale study, seed 26)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nimport { app } from \"electron\";\nconst errorJsonlPath = path.join(app.getPath(\"logs\"), \"errors.jsonl\");\nexport function trim() {\n  const lines = fs.readFileSync(errorJsonlPath, \"utf-8\").split(\"\\n\");\n  fs.writeFileSync(errorJsonlPath, lines.slice(lines.length / 2).join(\"\\n\"));\n}" },
    { name: "a CI job's credentials in the runner's temp folder (scale study, seed 26)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nexport function setupAuth(json: string) {\n  const tempDir = process.env.RUNNER_TEMP || process.env.TEMP || \".\";\n  const credentialsPath = path.join(tempDir, \"gcp-sa.json\");\n  fs.writeFileSync(credentialsPath, json, \"utf8\");\n  return credentialsPath;\n}" },
    { name: "a record of the installed version, compared with the latest at the next check (scale study, seed 26)", code: "import { existsSync, readFileSync, writeFileSync } from \"fs\";\nexport function update(toolsPath: string, name: string, latestVersion: string, install: () => void) {\n  const installedVersionStorage = `${toolsPath}/${name}/latest_${name}`;\n  const installed = existsSync(installedVersionStorage) ? readFileSync(installedVersionStorage, \"utf8\") : \"\";\n  if (installed === latestVersion) return;\n  install();\n  writeFileSync(installedVersionStorage, latestVersion);\n}" },
    { name: "fs handed to plugins under its own names: a shim is fs, judged at its callers (scale study, seed 26)", code: "import * as fs from \"fs\";\nexport function createWriteStream(path: string, options: object) {\n  return fs.createWriteStream(path, options);\n}\nexport function writeFileSync(path: string, data: string) {\n  return fs.writeFileSync(path, data);\n}\nexport function renameSync(from: string, to: string) {\n  return fs.renameSync(from, to);\n}\nexport function unlinkSync(path: string) {\n  return fs.unlinkSync(path);\n}" },
    { name: "an output named output…Path (scale study, seed 26)", code: "import { readFileSync, writeFileSync } from \"fs\";\nexport function optimize(routesPath: string, outputRoutesPath: string, optimize: (r: unknown) => unknown) {\n  const routes = JSON.parse(readFileSync(routesPath, \"utf-8\"));\n  writeFileSync(outputRoutesPath, JSON.stringify(optimize(routes)));\n}" },
    { name: "a helper called only where the caller found its files missing creates them (scale study, seed 28)", code: "import { existsSync, readFileSync, writeFileSync } from \"fs\";\nimport * as path from \"path\";\nexport function createCertificate(certFile: string, keyFile: string, pems: { private: string; cert: string }) {\n  writeFileSync(keyFile, pems.private);\n  writeFileSync(certFile, pems.cert);\n}\nexport function ensureCertificate(dir: string, pems: { private: string; cert: string }) {\n  const certFile = path.join(dir, \"ssl-cert.pem\");\n  const keyFile = path.join(dir, \"ssl-key.pem\");\n  if (existsSync(certFile) && existsSync(keyFile)) return { key: readFileSync(keyFile, \"utf8\"), cert: readFileSync(certFile, \"utf8\") };\n  createCertificate(certFile, keyFile, pems);\n  return { key: pems.private, cert: pems.cert };\n}" },
    { name: "files of a folder made with a plain mkdir after an early return when it exists: the mkdir fails if one appeared (scale study, seed 37)", fileName: "inject.js", code: "const { existsSync } = require(\"fs\");\nconst { mkdir, writeFile } = require(\"fs\").promises;\nconst { join } = require(\"path\");\nexports.inject = async ({ getAppDir }) => {\n  const appDir = await getAppDir();\n  if (existsSync(appDir)) {\n    console.log(\"already injected\");\n    return false;\n  }\n  await mkdir(appDir);\n  await Promise.all([\n    writeFile(join(appDir, \"index.js\"), \"require('../patcher')\"),\n    writeFile(join(appDir, \"package.json\"), JSON.stringify({ main: \"index.js\" })),\n  ]);\n  return true;\n};" },
    { name: "a bundled default copied into the user's folder at every start: the shipped original stays (scale study, seed 37)", fileName: "boot.js", code: "const fs = require(\"fs\");\nconst path = require(\"path\");\nconst { app } = require(\"electron\");\nconst innerThemesDir = path.join(__dirname, \"assets/themes\");\nconst themesDir = path.join(app.getPath(\"userData\"), \"themes\");\nfs.readdirSync(innerThemesDir).forEach((e) => {\n  fs.writeFileSync(path.join(themesDir, e), fs.readFileSync(path.join(innerThemesDir, e), { encoding: \"utf-8\" }));\n});" },
    { name: "an export behind a verb and a Save As write where the user asked (scale study, seed 37)", code: "import { promises as fs } from \"fs\";\nimport { createWriteStream } from \"fs\";\nimport type { Readable } from \"stream\";\nexport async function doExportConnections(filename: string, json: string): Promise<void> {\n  await fs.writeFile(filename, json);\n}\nexport class Artifact {\n  constructor(private readonly body: Readable) {}\n  async saveAs(path: string): Promise<void> {\n    this.body.pipe(createWriteStream(path));\n  }\n}" },
    { name: "the path handed to an export function is where the user asked the export to go (scale study, seed 28)", code: "import * as fs from \"fs\";\nimport type { Readable } from \"stream\";\nexport async function exportToZipFile(noteId: string, zipFilePath: string, archive: Readable) {\n  const fileOutputStream = fs.createWriteStream(zipFilePath);\n  archive.pipe(fileOutputStream);\n}\nexport function exportSettings(settings: object, target: string) {\n  fs.writeFileSync(target, JSON.stringify(settings));\n}" },
    { name: "a local the function computes itself (a dump's next output name) is not a path its caller chose", code: "import * as fs from \"fs\";\nexport function dumpNote(targetPath: string, title: string, message: string, existing: Record<string, boolean>) {\n  let childTargetPath = targetPath + \"/\" + title;\n  for (let i = 1; existing[childTargetPath]; i++) childTargetPath = targetPath + \"/\" + title + \"_\" + i;\n  existing[childTargetPath] = true;\n  fs.writeFileSync(childTargetPath, message);\n}" },
    { name: "a store created empty only in the catch's ENOENT branch, though the try also parses (real-world study, batch E)", code: "import fs from \"fs\";\nimport os from \"os\";\nimport util from \"util\";\nconst readFile = util.promisify(fs.readFile);\nconst writeFile = util.promisify(fs.writeFile);\nexport default async function reader() {\n  const file = `${os.homedir()}/.tt/tracking.json`;\n  let data = null;\n  try {\n    data = JSON.parse(await readFile(file, \"utf-8\"));\n  } catch (error: any) {\n    if (error.code === \"ENOENT\") {\n      await writeFile(file, JSON.stringify({ sprints: [] }), \"utf-8\");\n    }\n  }\n  return data;\n}" },
    { name: "an fs facade that imports fs's functions under aliases (`writeFileSync as fsWriteFileSync`) is still fs: its callers are judged (scale study, seed 29)", code: "import { readFileSync as fsReadFileSync, writeFileSync as fsWriteFileSync, rmSync as fsRmSync } from \"fs\";\nexport function readFileSync(path: string): string {\n  return fsReadFileSync(path, \"utf8\");\n}\nexport function writeFileSync(path: string, data: string): void {\n  fsWriteFileSync(path, data);\n}\nexport function rmSync(path: string): void {\n  fsRmSync(path);\n}" },
    { name: "an image saved where the save dialog's promise says (scale study, seed 29)", code: "import * as fs from \"fs\";\nimport { dialog } from \"electron\";\nimport type { Readable } from \"stream\";\nexport function saveImage(readStream: Readable) {\n  dialog.showSaveDialog({ title: \"Save Image\" }).then((file) => {\n    if (file.canceled || !file.filePath) return;\n    readStream.pipe(fs.createWriteStream(file.filePath));\n  });\n}" },
    { name: "a test runner's report writer: output the next run writes again (scale study, seed 29)", fileName: "base-reporter.js", code: "const fs = require(\"fs\");\nclass BaseReporter {\n  writeReportFile(filename, rendered) {\n    return new Promise((resolve, reject) => {\n      fs.writeFile(filename, rendered, (err) => (err ? reject(err) : resolve()));\n    });\n  }\n}\nmodule.exports = BaseReporter;" },
    { name: "a local const named fs that is something else (an in-memory volume) is not Node's fs", code: "import { Volume } from \"memfs\";\nexport function save(data: string) {\n  const fs = Volume.fromJSON({});\n  fs.writeFileSync(\"/state.json\", data);\n}" },
  ],
  invalid: [
    { name: "a module's own helper called with build output and, once, with the user's settings file: still reported (scale study, seed 40)", fileName: "template.ts", code: "import { promises as fsp } from \"fs\";\nimport { resolve, join } from \"path\";\nimport os from \"os\";\nasync function writeIfChanged(path: string, contents: string) {\n  const existing = await fsp.readFile(path, \"utf8\").catch(() => undefined);\n  if (existing === contents) return;\n  await fsp.writeFile(path, contents);\n}\nexport async function writeTypes(nuxt: { options: { buildDir: string } }, declaration: string, settings: object) {\n  await writeIfChanged(resolve(nuxt.options.buildDir, \"nuxt.d.ts\"), declaration);\n  await writeIfChanged(join(os.homedir(), \".nuxtrc.json\"), JSON.stringify(settings));\n}", errors: [flagged] },
    { name: "a stream helper whose same-file caller hands it the user's settings file: the write is judged with that path (seed 39)", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nfunction pipeToFile(source, fileName) {\n  source.pipe(fs.createWriteStream(fileName));\n}\nexports.saveSettings = (source) => pipeToFile(source, path.join(os.homedir(), \".app\", \"settings.json\"));", errors: [{ messageIncludes: "chunk by chunk" }] },
    { name: "a stream whose literal flags truncate is reported, configured or not (seed 39)", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nexports.open = () => {\n  const ops = { flags: \"w\", encoding: \"utf8\" };\n  return fs.createWriteStream(path.join(os.homedir(), \".myapp\", \"state.json\"), ops);\n};", errors: [{ messageIncludes: "chunk by chunk" }] },
    { name: "a backup named by the day only is rewritten all day (seed 39)", code: "import { promises as fs } from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nfunction backupName(id: string): string {\n  const date = new Date();\n  return `${id}_${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}.bak`;\n}\nexport async function backupVault(id: string, content: string) {\n  const backupPath = path.join(os.homedir(), \".app\", \"backups\", backupName(id));\n  await fs.writeFile(backupPath, content);\n}", errors: [flagged] },
    { name: "a service module whose name only starts with the word cache keeps a login token (labelled study, batch B)", fileName: "lib/cache_service.js", code: "const fs = require(\"fs\");\nconst os = require(\"os\");\nconst path = require(\"path\");\nexports.saveToken = (token) => fs.writeFileSync(path.join(os.homedir(), \".app\", \"token\"), token);", errors: [flagged] },
    { name: "the same download kept in the user's folder, not unpacked (seed 38)", code: `import * as fs from "fs";\nimport * as path from "path";\nimport * as tar from "tar";\ndeclare const app: { getPath(name: string): string };\ndeclare function fetchStream(url: string): Promise<NodeJS.ReadableStream>;\nexport async function downloadBackup(objectKey: string, url: string, backupPath: string) {\n  const zipLocation = path.join(app.getPath("userData"), objectKey);\n  const response = await fetchStream(url);\n  const writer = fs.createWriteStream(zipLocation);\n  response.pipe(writer);\n  writer.on("close", () => console.log("saved", backupPath));\n}\n`, errors: [{ messageIncludes: "chunk by chunk" }] },
    { name: "the window state written in place, and emptied outside a failed read's catch (a crash after the truncate leaves an empty file that JSON.parse rejects; seed 38)", code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nconst windowStatePath = path.join(os.homedir(), ".app", "window-state.json");\nexport function saveWindow(state: { width: number }) {\n  fs.writeFileSync(windowStatePath, JSON.stringify(state));\n}\nexport function clear() {\n  fs.writeFileSync(windowStatePath, "{}");\n}\nexport function read() {\n  return JSON.parse(fs.readFileSync(windowStatePath, "utf8"));\n}`, errors: [flagged, flagged] },
    { name: "one caller of the helper names a fixed file: that write replaces it in place", code: `import * as fs from "node:fs";\nimport * as os from "node:os";\nimport * as path from "node:path";\nconst dir = path.join(os.homedir(), ".app");\nfunction saveToFile(filename: string, payload: unknown) {\n  fs.writeFile(path.join(dir, filename), JSON.stringify(payload), () => {});\n}\nexport function persist(state: unknown) {\n  saveToFile(\`\${Date.now()}-snapshot.json\`, state);\n  saveToFile("state.json", state);\n}`, errors: [{ messageIncludes: "in place" }] },
    { name: "the other branch writes a different file atomically: this file is still replaced in place", code: `import * as fs from "fs";\nimport * as os from "os";\nimport * as path from "path";\nimport writeFileAtomic from "write-file-atomic";\nexport function saveSettingsSync(data: string, backup: boolean): void {\n  const filePath = path.join(os.homedir(), ".app", "settings.json");\n  if (backup) writeFileAtomic.sync(filePath + ".bak", data);\n  else fs.writeFileSync(filePath, data);\n}`, errors: [{ messageIncludes: "replaces filePath in place" }] },
    { name: "a create… step that reads the user's package.json and writes it back patches it (scale study, seed 32)", fileName: "index.js", code: "const fs = require(\"fs\");\nconst path = require(\"path\");\nfunction createJSHelperFiles() {\n  const packageJSONFilepath = path.join(process.cwd(), \"package.json\");\n  const packageJSON = JSON.parse(fs.readFileSync(packageJSONFilepath, \"utf8\"));\n  packageJSON.scripts = { ...packageJSON.scripts, \"amplify-push\": \"node amplify-push.js\" };\n  fs.writeFileSync(packageJSONFilepath, JSON.stringify(packageJSON, null, 4));\n}\nmodule.exports = { createJSHelperFiles };", errors: [{ messageIncludes: "replaces packageJSONFilepath in place" }] },
    { name: "a generate… writer told where to write by its parameter writes its callers' files (scale study, seed 32)", fileName: "files.ts", code: "import { promises as fs } from \"fs\";\nexport async function generateFile(filePath: string, data: string) {\n  await fs.writeFile(filePath, data);\n}", errors: [{ messageIncludes: "replaces filePath in place" }] },
    { name: "fs as a script's global (an Electron renderer whose other script required it): Node's fs by its name (real-world study, batch E)", fileName: "bookmarks.js", code: "function addBookmark(dataPath, name, url) {\n  let json = JSON.parse(fs.readFileSync(path.join(dataPath, \"/bookmarks.json\")));\n  json[name] = url;\n  fs.writeFileSync(path.join(dataPath, \"/bookmarks.json\"), JSON.stringify(json));\n}", errors: [flagged] },
    { name: "fs handed to a command as a parameter (real-world study, batch E)", fileName: "pay.js", code: "module.exports = {\n  name: \"pay\",\n  async execute({ message, fs }) {\n    const econ = JSON.parse(fs.readFileSync(\"./economia.json\", \"utf-8\"));\n    econ[message.author.id] = (econ[message.author.id] || 0) + 1;\n    fs.writeFileSync(\"./economia.json\", JSON.stringify(econ, null, 2));\n  },\n};", errors: [flagged] },
    { name: "a folder made only where a check found it missing may already exist: the state file in it is replaced (real-world study, batch E)", code: "import * as fs from \"fs\";\nimport * as os from \"os\";\nimport * as path from \"path\";\nconst mobTimerDir = path.join(os.homedir(), \".mob-timer\");\nconst stateFile = path.join(mobTimerDir, \"state.json\");\nexport function write(state: object) {\n  if (!fs.existsSync(mobTimerDir)) {\n    fs.mkdirSync(mobTimerDir);\n  }\n  fs.writeFileSync(stateFile, JSON.stringify(state));\n}", errors: [flagged] },
    { name: "the same with an imported existence predicate (real-world study, batch E)", code: "import fs from \"fs\";\nimport os from \"os\";\nimport util from \"util\";\nimport fileExists from \"./fileExists\";\nconst writeFile = util.promisify(fs.writeFile);\nconst mkdir = util.promisify(fs.mkdir);\nexport default async function writer(data: object) {\n  const ttFolder = `${os.homedir()}/.tt`;\n  if (!(await fileExists(ttFolder))) {\n    await mkdir(ttFolder);\n  }\n  await writeFile(`${ttFolder}/tracking.json`, JSON.stringify(data), \"utf-8\");\n}", errors: [flagged] },
    { name: "an exported writer whose write runs in a callback handed to a same-file queue writes its caller's path (real-world study, batch E)", fileName: "data.js", code: "const fs = require(\"node:fs/promises\");\nconst queue = [];\nfunction enqueue(task) {\n  const promise = (queue[queue.length - 1] || Promise.resolve()).then(task);\n  queue.push(promise);\n  return promise;\n}\nmodule.exports = {\n  async writeJSONFile(file, data) {\n    return await enqueue(async () => {\n      await fs.writeFile(file, JSON.stringify(data));\n    });\n  },\n};", errors: [flagged] },
    { name: "a credentials file named by its short name (credFile) is state (real-world study, batch E)", fileName: "login.js", code: "var fs = require(\"fs-extra\");\nvar path = require(\"path\");\nfunction writePublisherCredentials(credFileFullPath, creds, callback) {\n  fs.writeFile(credFileFullPath, JSON.stringify({ publisherCredentials: creds }), callback);\n}\nmodule.exports = { save: function (dir, creds, cb) { writePublisherCredentials(path.join(dir, \".microplan\"), creds, cb); } };", errors: [flagged] },
    { name: "an exported saver that a seeding step here calls only when the file is missing is still the app's saver (scale study, seed 28 run)", code: "import * as fs from \"fs\";\nimport * as path from \"path\";\nconst OVERLAY_DIR = path.join(process.cwd(), \"data\", \"stream\");\nfunction layoutFile(id: string): string {\n  return path.join(OVERLAY_DIR, `overlay-layout-${id}.json`);\n}\nexport function readOverlayLayout(id: string): unknown {\n  return JSON.parse(fs.readFileSync(layoutFile(id), \"utf-8\"));\n}\nexport function writeOverlayLayout(layout: unknown, id: string): void {\n  const file = layoutFile(id);\n  fs.writeFileSync(file, JSON.stringify(layout), \"utf-8\");\n}\nexport function seedOverlayDefaults(layout: unknown, destinationId: string): void {\n  if (fs.existsSync(layoutFile(destinationId))) return;\n  writeOverlayLayout(layout, destinationId);\n}", errors: [flagged] },
    { name: "the same helper also called without a check replaces the files", code: "import { existsSync, readFileSync, writeFileSync } from \"fs\";\nimport * as path from \"path\";\nexport function createCertificate(certFile: string, keyFile: string, pems: { private: string; cert: string }) {\n  writeFileSync(keyFile, pems.private);\n  writeFileSync(certFile, pems.cert);\n}\nexport function ensureCertificate(dir: string, pems: { private: string; cert: string }) {\n  const certFile = path.join(dir, \"ssl-cert.pem\");\n  const keyFile = path.join(dir, \"ssl-key.pem\");\n  if (existsSync(certFile) && existsSync(keyFile)) return { key: readFileSync(keyFile, \"utf8\"), cert: readFileSync(certFile, \"utf8\") };\n  createCertificate(certFile, keyFile, pems);\n  return { key: pems.private, cert: pems.cert };\n}\nexport function renewCertificate(dir: string, pems: { private: string; cert: string }) {\n  createCertificate(path.join(dir, \"ssl-cert.pem\"), path.join(dir, \"ssl-key.pem\"), pems);\n}", errors: [flagged, flagged] },
    {
      name: "one app helper named writeFile is the app's own writer, not an fs facade: its fix goes there (scale study, seed 14)",
      code: `import { promises as fs } from "fs";\nexport async function writeFile(filePath: string, content: string | Uint8Array, encoding: BufferEncoding = "utf8"): Promise<void> {\n  if (content instanceof Uint8Array) await fs.writeFile(filePath, content);\n  else await fs.writeFile(filePath, content, encoding);\n}\nexport async function isDirectory(p: string) {\n  return (await fs.stat(p)).isDirectory();\n}`,
      errors: [{ messageIncludes: "replaces filePath in place", line: 3 }, { messageIncludes: "replaces filePath in place", line: 4 }],
    },
    {
      name: "a version named for a schema is no installed-version marker: a torn one is data loss (scale study, seed 26)",
      code: `import { readFileSync, writeFileSync } from "fs";\nimport { join } from "path";\nexport function migrate(dataDir: string, schemaVersion: string, run: (from: string) => void) {\n  const versionFile = join(dataDir, "schema-version");\n  run(readFileSync(versionFile, "utf8"));\n  writeFileSync(versionFile, schemaVersion);\n}`,
      errors: [{ messageIncludes: "replaces versionFile in place", line: 6 }],
    },
    {
      name: "a backup copy made first does not make the rewrite of the original a fresh copy",
      code: `import { copyFile, readFile, writeFile } from "fs/promises";\nexport async function saveSettings(settingsPath: string, patch: object) {\n  await copyFile(settingsPath, settingsPath + ".bak");\n  const settings = JSON.parse(await readFile(settingsPath, "utf8"));\n  await writeFile(settingsPath, JSON.stringify({ ...settings, ...patch }));\n}`,
      errors: [{ messageIncludes: "replaces settingsPath in place", line: 5 }],
    },
    {
      name: "state shown by a read: the data file a route requires and another rewrites (real-world study, batch D)",
      fileName: "api.js",
      code: `const fs = require("fs");\nexports.add = (req, res) => {\n  const list = require("./file.json");\n  list.push(req.body);\n  fs.writeFile("./file.json", JSON.stringify(list), () => res.end());\n};`,
      errors: [flagged],
      output: `const { atomicWriteFile } = require("./tornwrite-runtime");\nexports.add = (req, res) => {\n  const list = require("./file.json");\n  list.push(req.body);\n  atomicWriteFile("./file.json", JSON.stringify(list)).then(() => null, (error) => error).then(() => res.end());\n};`,
    },
    {
      name: "state shown by a keeping class's name: a page store's method writes the path its resolver builds (real-world study, batch E)",
      fileName: "page-data-store.js",
      code: `import fsp from "node:fs/promises";\nimport path from "node:path";\nexport default class PageDataStore {\n  #directory;\n  constructor(directory) { this.#directory = directory; }\n  async #putFile(namespace, filepath, value) {\n    const { fsPath } = this.#resolveKey(namespace, filepath);\n    await fsp.writeFile(fsPath, value, "utf8");\n  }\n  async initializeIndex() {\n    await fsp.writeFile(path.join(this.#directory, "index.json"), "[]", "utf8");\n  }\n  #resolveKey(namespace, filepath) {\n    return { fsPath: path.join(this.#directory, namespace, filepath) };\n  }\n}`,
      errors: [{ messageIncludes: "replaces fsPath in place", line: 8 }],
      output: `import fsp from "node:fs/promises";\nimport path from "node:path";\nimport { atomicWriteFile } from "./tornwrite-runtime";\nexport default class PageDataStore {\n  #directory;\n  constructor(directory) { this.#directory = directory; }\n  async #putFile(namespace, filepath, value) {\n    const { fsPath } = this.#resolveKey(namespace, filepath);\n    await atomicWriteFile(fsPath, value, "utf8");\n  }\n  async initializeIndex() {\n    await fsp.writeFile(path.join(this.#directory, "index.json"), "[]", "utf8");\n  }\n  #resolveKey(namespace, filepath) {\n    return { fsPath: path.join(this.#directory, namespace, filepath) };\n  }\n}`,
    },
    {
      name: "state shown by a keeping function's name: a download streamed to its final name",
      fileName: "download.js",
      code: `const fs = require("fs");\nasync function downloadFile(response, target) {\n  response.pipe(fs.createWriteStream(target));\n}\nmodule.exports = { fetchModel: (response) => downloadFile(response, "model.bin") };`,
      errors: [{ messageIncludes: "chunk by chunk" }],
      output: null,
    },
    {
      name: "state shown by the name: the project's package.json rewritten by a version bump (scale study, seed 21)",
      code: `import { writeFileSync } from "fs";\nexport function bump(dir: string, pkg: { version: string }) {\n  writeFileSync(dir + "/package.json", JSON.stringify(pkg, null, 2));\n}`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function bump(dir: string, pkg: { version: string }) {\n  atomicWriteFileSync(dir + "/package.json", JSON.stringify(pkg, null, 2));\n}`,
    },
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
      code: `const fsp = require("fs").promises;\nasync function s() { await fsp.writeFile("state.json", "{}"); }\nmodule.exports = s;`,
      errors: [flagged],
      output: `const fsp = require("fs").promises;\nconst { atomicWriteFile } = require("./tornwrite-runtime");\nasync function s() { await atomicWriteFile("state.json", "{}"); }\nmodule.exports = s;`,
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
      code: `import fse from "fs-extra";\nexport async function save(p, v) { await fse.outputFile(p, "x"); await fse.writeJson(p + ".json", v, { spaces: 2 }); }`,
      errors: [flagged, flagged],
      output: `import { atomicWriteFile, atomicWriteJson } from "./tornwrite-runtime";\nexport async function save(p, v) { await atomicWriteFile(p, "x"); await atomicWriteJson(p + ".json", v, { indent: 2 }); }`,
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
      code: `import * as fs from "fs";\nimport { atomicWriteFile } from "./tornwrite-runtime";\nexport function s() { fs.writeFileSync("settings", "b"); return atomicWriteFile; }`,
      errors: [flagged],
      output: `import { atomicWriteFile, atomicWriteFileSync } from "./tornwrite-runtime";\nexport function s() { atomicWriteFileSync("settings", "b"); return atomicWriteFile; }`,
    },
    {
      name: "import equals require",
      code: `import fs = require("fs");\nexport function s() { fs.writeFileSync("config.txt", "b"); }`,
      errors: [flagged],
      output: `import { atomicWriteFileSync } from "./tornwrite-runtime";\nexport function s() { atomicWriteFileSync("config.txt", "b"); }`,
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
    { name: "a catch that repairs a file that failed to parse with defaults still replaces it in place (an empty value is not reported there: seed 38)", code: "import * as fs from \"fs\";\nconst defaults = { theme: \"dark\" };\nexport function load(p: string) {\n  try {\n    return JSON.parse(fs.readFileSync(p, \"utf8\"));\n  } catch {\n    fs.writeFileSync(p, JSON.stringify(defaults));\n    return defaults;\n  }\n}", errors: [{ messageIncludes: "in place", line: 7 }] },
    { name: "an injectable file system whose default is node's (options.fs ?? fs) (batch C)", code: "import * as fs from \"fs\";\nexport function save(p: string, d: string, options: { fs?: typeof fs } = {}) { const fsImpl = options.fs ?? fs; fsImpl.writeFileSync(p, d); }", errors: [flagged] },
  ],
};

import { ts } from "./ts";
import type { FsModel } from "./fsModel";
import { constInitializer, displayPath, pathKey } from "./paths";
import { calleeName, functionName, owningFunction, thisAssignments } from "./ast";

/**
 * Where a path lives, from how it is spelled: rules that depend on how many processes share a file (a fixed
 * temp name in a synchronous writer) or on whether its folder exists (missing-parent-dir) ask this.
 */

/**
 * An installed package's file: under `node_modules/`, or found by module resolution (`require.resolve("x")`,
 * `resolveCwd("next")`, `import.meta.resolve`). The next install restores it, and one install or setup step at a
 * time patches it (scale study, seeds 31, 36 and 43).
 */
export function isInstalledPackagePath(displayedPath: string): boolean {
  return /(^|[\/"'`])node_modules\/|(^|[^\w$.])(require\.resolve|resolveCwd|resolveFrom|resolvePkg|resolvePackagePath|import\.meta\.resolve|resolve\.sync)\(/.test(displayedPath);
}

/** A path key inside the OS temp folder: built on `os.tmpdir()`, or a literal `/tmp/…` (`/var/tmp/…`). */
export function inOsTempFolder(key: string): boolean {
  return /\btmpdir\(\)/.test(key) || /^["'`]?\/(var\/)?tmp\//.test(displayPath(key));
}

/**
 * Lock, pid and socket records (`app.pid`, `run.lock`, a `lockDir/owner.json`): they describe a running
 * process, are a few bytes written once, and are stale after a crash whatever their bytes.
 */
export function isProcessRecord(displayedPath: string): boolean {
  return /(^|[./_-])(lock\w*|pid|pidfile|daemon|socket|sock|port)([./_-]|$)/i.test(displayedPath);
}

/**
 * A flag file (`safe_mode.flag`, `build.stamp`, `ready.marker`): its existence is the signal, so a torn write still
 * leaves the flag raised (scale study, seed 64: a bot's safe-mode and repair flags).
 */
export function isFlagFile(displayedPath: string): boolean {
  return /\.(flag|marker|stamp)["'`]?$/i.test(displayedPath);
}

/** A named pipe (`pipeName`, `fifoPath`, made by `mkfifo`): a channel to another process, not a file of state. */
export function isNamedPipe(pathText: string): boolean {
  return /(^|[^A-Za-z])(pipe|fifo)(?![a-z])|[a-z](Pipe|Fifo)(?![a-z])/.test(pathText);
}

/**
 * Per-user locations: the home folder, app-data and config folders (also by a helper's camel-case name:
 * `getUserConfigDir()`, `userDataDirectory`), Electron's app.getPath().
 */
export const PER_USER = /\b(homedir|getPath|userData|appData|AppData|getAppDataPath|configDir|dataDir|cacheDir|xdg\w*)\b|\b(get|user|[a-z]+User)(Config|Data|State)(Dir|Directory|Folder|Home)\b|\bprocess\.env(\.|\[[^\]]*["'`])(HOME|USERPROFILE|APPDATA|LOCALAPPDATA|XDG_\w+)\b|^~\//;

/**
 * Whether a path lies in a per-user folder: named so in one of its folders or in the code that builds it, not by
 * the file's own name (`./modules/databases/userData.json` is a file named userData in the program's folder, not
 * Electron's userData folder: scale study, seed 64).
 */
export function inPerUserFolder(key: string, ...texts: string[]): boolean {
  const fileName = displayPath(key).split("/").at(-1)?.replace(/["'`]/g, "") ?? "";
  const named = /^[\w.-]+\.[A-Za-z]\w*$/.test(fileName) ? fileName : undefined;
  return [key, ...texts].some((text) => PER_USER.test(named ? text.split(named).join("") : text));
}

/** Locations chosen by configuration: an options or config object, an environment variable, the command line. */
// (A property of such an object, not a file named so: `settings.json`, `config.yaml`.)
// Also not a file named with more parts (`settings.local.json`, `config.dev.yaml`: scale study, seed 69).
export const CONFIGURED_ROOT = /(^|[^A-Za-z])_?(options|opts|config|CONFIG|settings)\.(?!([\w-]+\.)*(json5?|jsonc|js|cjs|mjs|ts|cts|mts|ya?ml|toml|ini|env|conf|cfg|xml|txt)\b)\w+|\bprocess\.env(\.\w+|\[)|\bargv\b/;

/**
 * A file that every instance of a program (each CLI run, each editor window, each renderer process) reaches:
 * a per-user folder, or a folder the user configures. `this.file` is followed to what the class assigns it,
 * and a local to its initializer (a few steps). Files in the program's own folder, or under a path a caller
 * passes in, are not known to be shared. `configured: false` asks for per-user folders only (a configured
 * project folder is shared by the runs of one tool, not by the instances of a program).
 */
export function isSharedLocation(path: ts.Expression, key: string, sourceFile: ts.SourceFile, fsModel: FsModel, { configured = true } = {}): boolean {
  const texts = [spelledOut(key, sourceFile), spelledOut(path.getText(sourceFile), sourceFile)];
  const seen = new Set<string>();
  for (let step = 0; step < 4; step++) {
    if (inPerUserFolder(key, ...texts) || texts.some((text) => configured && CONFIGURED_ROOT.test(text))) return true;
    const next: string[] = [];
    for (const text of texts) {
      // A same-file helper that builds the path (`getUsageFilePath()`): what its body returns.
      for (const [, name] of text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) {
        if (seen.has(`${name}()`)) continue;
        seen.add(`${name}()`);
        const body = functionBodies(sourceFile).get(name!);
        if (body) next.push(body);
      }
      for (const [, name] of text.matchAll(/\bthis\.(#?\w+)/g)) {
        if (seen.has(name!)) continue;
        seen.add(name!);
        for (const value of thisAssignments(sourceFile).get(name!) ?? []) next.push(...withInitializers(value, sourceFile, fsModel));
      }
    }
    if (next.length === 0) return false;
    texts.splice(0, texts.length, ...next);
  }
  return false;
}

/**
 * `dataDir` (`configDir`, `cacheDir`…) replaced by its value where this file declares it as the program's own
 * folder (`const dataDir = './data'`, `path.join(__dirname, "data")`): PER_USER takes those names for a per-user
 * folder, which the declaration says it is not (scale study, seed 73: a bot's `./data` JSON files).
 */
export function spelledOut(text: string, sourceFile: ts.SourceFile): string {
  const names = ownFolderNames(sourceFile);
  return names.size === 0 ? text : text.replace(/\b[A-Za-z_$][\w$]*\b/g, (name) => names.get(name) ?? name);
}

const ownFolders = new WeakMap<ts.SourceFile, Map<string, string>>();

function ownFolderNames(sourceFile: ts.SourceFile): Map<string, string> {
  let names = ownFolders.get(sourceFile);
  if (names) return names;
  const found = new Map<string, string | undefined>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && PER_USER.test(node.name.text)) {
      const value = node.initializer && isOwnFolder(node.initializer) ? node.initializer.getText(sourceFile) : undefined;
      // Declared twice with different values (or once without one): not known.
      found.set(node.name.text, found.has(node.name.text) && found.get(node.name.text) !== value ? undefined : value);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  names = new Map([...found].filter((entry): entry is [string, string] => entry[1] !== undefined));
  ownFolders.set(sourceFile, names);
  return names;
}

/** A relative literal (`'./data'`), or a join or resolve that starts at the module's folder, the working directory or a relative literal. */
function isOwnFolder(value: ts.Expression): boolean {
  const start = (node: ts.Expression): boolean =>
    (ts.isStringLiteralLike(node) && node.text !== "" && !/^[\/~]|^[A-Za-z]:/.test(node.text)) ||
    (ts.isIdentifier(node) && node.text === "__dirname") ||
    (ts.isPropertyAccessExpression(node) && node.getText() === "import.meta.dirname") ||
    (ts.isCallExpression(node) && /^process\.cwd$/.test(node.expression.getText()) && node.arguments.length === 0);
  if (start(value)) return true;
  if (!ts.isCallExpression(value) || !/^(path\.)?(join|resolve)$/.test(value.expression.getText())) return false;
  const first = value.arguments[0];
  return first !== undefined && start(first) && value.arguments.every((argument) => ts.isStringLiteralLike(argument) || argument === first);
}

/** An assigned value's text, and for identifiers in it, their variable initializers (a few levels). */
function withInitializers(value: ts.Expression, sourceFile: ts.SourceFile, fsModel: FsModel, depth = 0): string[] {
  const texts = [value.getText(sourceFile)];
  if (depth > 2) return texts;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declared = fsModel.findDeclaration(node)?.parent;
      if (declared && ts.isVariableDeclaration(declared) && declared.initializer && declared.initializer !== value) texts.push(...withInitializers(declared.initializer, sourceFile, fsModel, depth + 1));
    }
    ts.forEachChild(node, visit);
  };
  visit(value);
  return texts;
}

const bodiesByFile = new WeakMap<ts.SourceFile, Map<string, string>>();

/** Function declarations and function-valued consts of the file, by name: their text. */
function functionBodies(sourceFile: ts.SourceFile): Map<string, string> {
  let found = bodiesByFile.get(sourceFile);
  if (found) return found;
  const bodies = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    const declaration = ts.isExportAssignment(statement) ? undefined : statement;
    if (declaration && ts.isFunctionDeclaration(declaration) && declaration.name && declaration.body) bodies.set(declaration.name.text, declaration.body.getText(sourceFile));
    if (declaration && ts.isVariableStatement(declaration)) {
      for (const each of declaration.declarationList.declarations) {
        if (ts.isIdentifier(each.name) && each.initializer && (ts.isArrowFunction(each.initializer) || ts.isFunctionExpression(each.initializer))) bodies.set(each.name.text, each.initializer.getText(sourceFile));
      }
    }
  }
  found = bodies;
  bodiesByFile.set(sourceFile, found);
  return found;
}

/**
 * `cache`, `Cache`, `CACHE` as a word or a camel-case part (`PROCESS_CACHE_FILE`, `ensureCacheDir()`, not
 * `Cachet`). Not the XDG `~/.cache/` folder by itself: programs keep state there too (login tokens).
 */
// Also a configured cache folder as a property (`api.context.cachePath`, `options.cacheDir`: seed 43), not a bare
// `.cache` (the `~/.cache/` folder, `xdgBasedir.cache`, where programs also keep tokens).
const CACHE_NAME = /(^|[^A-Za-z.])(cache|Cache|CACHE)(?![a-z])|[\w$]\.cache(Path|Dir|Directory|Folder|Root)(?![a-z])|(^|[^A-Za-z.])cache(index|dir|file|data|db|store|entries|manifest)s?(?![a-z])|[a-z]Cache(?![a-z])|\b(this|self)\.#?_?cache(?![a-z])|(^|[^A-Za-z])cached[A-Z]|[a-z]Cached[A-Z]/;

/**
 * Named as a cache (or a checksum): derived data fetched or computed again when missing, so a torn copy or a
 * lost entry costs a refetch, not the user's data. (A cache the program cannot rebuild is missed: name it otherwise.)
 */
export function isCacheName(text: string): boolean {
  return CACHE_NAME.test(text) || CHECKSUM_NAME.test(text);
}

/**
 * A path named a cache as written, on the way (`const filePath = this.getAccountsCachePath()`: the author's name
 * counts even where the key resolves through the method to one that does not say so), or as its key resolves
 * (`join(cacheDir, …)`).
 */
export function isCacheTarget(path: ts.Expression, key: string, sourceFile: ts.SourceFile, fsModel: FsModel): boolean {
  return withInitializers(path, sourceFile, fsModel).some(isCacheName) || isCacheName(displayPath(key)) || insideClassNamed(path, CACHE_CLASS) || insideFunctionNamed(path, CACHE_WRITER) || isCacheModule(sourceFile.fileName) || checksumVerifiedKeys(sourceFile, fsModel).has(key);
}

/**
 * Files whose content this file checks against a digest before use: a read whose function hashes and compares
 * (`readFile(dest).then((data) => createHash("sha256").update(data).digest("hex") === EXPECTED)`), or the path
 * handed to a checksum helper (`getFileHash(dest)`, `verifyChecksum(dest)`). A torn or empty one fails the
 * check and is fetched again, as a cache entry is rebuilt (seeds 36-38: downloaded binaries and archives).
 */
function checksumVerifiedKeys(sourceFile: ts.SourceFile, fsModel: FsModel): Set<string> {
  let keys = verifiedKeyCaches.get(fsModel);
  if (keys) return keys;
  keys = new Set();
  const hashesAndCompares = new Map<ts.Node, boolean>();
  for (const fsCall of fsModel.calls) {
    if ((fsCall.fn.op !== "read" && fsCall.fn.op !== "read-stream") || !fsCall.call.arguments[0]) continue;
    const scope = owningFunction(fsCall.call) ?? sourceFile;
    let verifies = hashesAndCompares.get(scope);
    if (verifies === undefined) hashesAndCompares.set(scope, (verifies = HASH_COMPARE.every((pattern) => pattern.test(scope.getText(sourceFile)))));
    if (verifies) keys.add(pathKey(fsCall.call.arguments[0], sourceFile, fsModel));
  }
  for (const call of fsModel.index.calls) {
    if (!CHECKSUM_HELPER.test(calleeName(call.expression))) continue;
    for (const argument of call.arguments) keys.add(pathKey(argument, sourceFile, fsModel));
  }
  verifiedKeyCaches.set(fsModel, keys);
  return keys;
}

const verifiedKeyCaches = new WeakMap<FsModel, Set<string>>();
/** Hashes what it read and compares the digest with an expected one (`=== WINSW_SHA256`, `!== entry.sha1`, `expectedHash`). */
const EXPECTED_DIGEST = String.raw`(?:[A-Z][A-Z0-9_]{2,}|[\w$.]+\.(?:sha\d*|md5|checksum|hash|integrity)|[eE]xpected\w*)\b`;
const HASH_COMPARE = [/\bcreateHash\s*\(/, /\.digest\s*\(/, new RegExp(String.raw`[!=]==?\s*${EXPECTED_DIGEST}|${EXPECTED_DIGEST}\s*[!=]==?`)];
/** `verifyChecksum`, `checkIntegrity`, `getFileChecksum`, `sha256File`, `md5sum`: named for checking content against a digest. */
const CHECKSUM_HELPER = /^(get|compute|calc|calculate)?(File)?(Checksum|Sha1|Sha256|Sha512|Md5|Integrity)(Of|For)?(File)?$|^(verify|validate|check)(File)?(Hash|Checksum|Sha\d*|Md5|Integrity|Digest)$|^(checksum|sha1|sha256|sha512|md5)(File|sum)$/i;

/**
 * A module that is a cache by its name (`cache.js`, `fsal-cache.ts`, `FsCache.ts`, `fsModuleCache.ts`) or its
 * folder (`src/cache/byte-lru.js`) or package (`cache-utils/`, `tool-cache/`): what it writes is its cache (scale study, seeds 18, 27, 31, 37, 39, 47). Not a
 * service that merely starts with the word (`cache_service.js` keeps a login token: labelled study, batch B).
 */
const CACHE_MODULE = /(^|[-_.])(cache|Cache)$|[a-z0-9]Cache$/;

export function isCacheModule(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/);
  const stem = (parts.at(-1) ?? "").replace(/(\.d)?\.[cm]?[jt]sx?$/, "");
  // Also a package named for caching up to three folders above it (`packages/cache-utils/src/manifest.ts`: seed 47),
  // not farther, where the folders are the machine's rather than the project's.
  return CACHE_MODULE.test(stem) || /^caches?$/.test(parts.at(-2) ?? "") || parts.slice(-4, -1).some((part) => CACHE_PACKAGE.test(part));
}

const CACHE_PACKAGE = /^([\w.]+[-_]cache|cache[-_][\w.-]+)$/i;

/** A function named for writing a cache (`writeCache(path, entry)`, `saveToCache`): its caller's path is a cache (seed 30). */
// Also with the cache's subject between (`saveNewsletterMetadataCache`: scale study, seed 73).
const CACHE_WRITER = /^_*(write|save|store|update|persist|put)(To)?(Cache([A-Z]|$)|[A-Z]\w*Cache$)/;

function insideFunctionNamed(node: ts.Node, name: RegExp): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && name.test(functionName(current) ?? "")) return true;
  }
  return false;
}

/** A class that is a cache (`FsCache`, `DiskCache`, `CacheStore`): what its methods write is a cache (seed 31). */
const CACHE_CLASS = /Cache([A-Z]\w*)?$|^Cache/;

function insideClassNamed(node: ts.Node, name: RegExp): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current.name !== undefined && name.test(current.name.text);
  }
  return false;
}

/** A checksum of another file (`${p}.md5`, `hashPath`, `this.hashFilePath`: seed 70): computed again from that file. */
const CHECKSUM_NAME = /\.(md5|sha1|sha256|sha512|checksum)\b|(^|[^A-Za-z])(hash|checksum)(Path|File|FilePath|FileName)\b|[a-z](Hash|Checksum)(Path|File|FilePath|FileName)\b/;

/**
 * Build output (`build/public/app.css`, `dist/`, a `buildLanguagesPath`, `functionsDist`, a bundler's
 * `config.build.server` or `outDir`, an adapter's `ssrOutputDir()`, a server bundler's `options.output.dir`,
 * `.output/` and Vercel's `.vercel/output/`: scale study, seed 40): regenerated by the next build from sources
 * that stay intact, written by one build at a time, and served or bundled only after the build finishes.
 */
const BUILD_FOLDER = /(^|[\/"'`])(build|dist|\.output|\.vercel\/output)\/|\.output\.(dir|serverDir|publicDir)\b|(^|[^A-Za-z])(build|dist)(Dir|Path|Folder|Root|Directory)\b|[a-z](Build|Dist)(Dir|Path|Folder|Root|Directory)?\b|\bbuild[A-Z]\w*(Dir|Path|Folder)\b|\.build\.(server|client|assets|outDir)\b|\.outDir\b|[a-z]OutputDir\b/;

export function isBuildOutputPath(text: string): boolean {
  return BUILD_FOLDER.test(text);
}

/**
 * A path that names build output as written, as its key resolves, or through the const it reads when the key
 * stops there (`const url = new URL("./wrangler.json", config.build.server)`).
 */
export function isBuildOutputTarget(path: ts.Expression, key: string, sourceFile: ts.SourceFile, fsModel: FsModel): boolean {
  if (isBuildOutputPath(path.getText(sourceFile)) || isBuildOutputPath(displayPath(key))) return true;
  const initializer = constInitializer(path, fsModel);
  return initializer !== undefined && isBuildOutputPath(initializer.getText(sourceFile));
}

/** Log files (`error.log`, `out.log.1`, `firepit-log.txt`, a `logs/` folder): appended or rewritten diagnostics, not state readers rely on. */
const LOG_FILE = /\.log(\.\d+)?["'`)]*$|(^|\/)logs?\/[^/]*$|(^|[\/_.-])logs?[_-]?\.(txt|json)["'`)]*$|[_-]log\.\w+["'`)]*$/i;

/** A path named for a logger (`getLoggerLoc(name)`, `logPath`, `debugLogFile`, `promptLogsPath`). */
const LOG_NAME = /(^|[^A-Za-z]|[a-z](?=Log))[Ll]og(ger|s)?(Loc|Location|Path|File)\b/;

/** Electron's log folder (`app.getPath("logs")`): whatever is written there is a log. */
const LOG_FOLDER = /\bgetPath\(\s*["'`]?logs["'`]?\s*\)/;

/** Whether `target` (with its path key) is a log file: a torn or trimmed one loses diagnostics, not state. */
export function isLogPath(target: ts.Expression, key: string, sourceFile: ts.SourceFile): boolean {
  return isLogKey(key) || LOG_NAME.test(target.getText(sourceFile)) || inLogKeeper(target);
}

/** A log file by its path key alone (a `.log` name, a `logs/` folder, Electron's logs folder). */
export function isLogKey(key: string): boolean {
  const shown = displayPath(key);
  if (LOG_FOLDER.test(shown)) return true;
  const bare = shown.replace(/[`'"]/g, "");
  // A choice of two log locations (`meta ? join(cwd, ".yarn-meta", "yarn-error.log") : join(cwd, "yarn-error.log")`).
  return LOG_FILE.test(bare) || bare.split(/\s*[?:]\s*/).every((branch) => LOG_FILE.test(branch));
}

/**
 * A function that trims or rotates a log (`trimLog(file)`, `rotateLogs`: seed 31). Not any method of a
 * `Logger` class: gemini-cli's Logger keeps the prompt history it reads back (seed 24).
 */
function inLogKeeper(node: ts.Node): boolean {
  return insideFunctionNamed(node, /^_*(trim|rotate|truncate|prune)Logs?([A-Z]|$)/);
}

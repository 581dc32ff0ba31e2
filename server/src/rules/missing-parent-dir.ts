import { ts } from "../engine/ts";
import { inPerUserFolder } from "../engine/locations";
import { calleeName, owningFunction, shorten } from "../engine/ast";
import { guardOutcomes, within } from "../engine/existenceGuards";
import type { RuleContext, RuleModule } from "../engine/rule";
import { constInitializer, pathKey, tempWritePairs, type FunctionProtocol, type PathOp } from "../engine/protocol";
import { OWN_CODE_FOLDER_EXACTLY } from "../engine/paths";
import { writeApi } from "../engine/fsOperations";
import { requiredFiles } from "../engine/stateFiles";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { atomicWriteFix } from "./non-atomic-write";
import { cases } from "./missing-parent-dir.cases";

export const missingParentDir: RuleModule = {
  id: "missing-parent-dir",
  defaultSeverity: "hint",
  shortDescription: "A write into a per-user or per-entity directory (`~/.app/`, `root/<projectId>/`) with no mkdir of it first.",
  description:
    "A path like path.join(root, projectId, 'uploads', file) points into a directory that does not exist for a " +
    "new project or user: the write fails with ENOENT (seed 003, bug #5: 'may crash if the target directory " +
    "doesn't exist'). Create the parent with mkdir({ recursive: true }) first — atomicWriteFile does it for you.",
  fixable: true,
  check,
  cases,
};

/**
 * Known to exist: the flow read or checked a file in that folder, or the folder itself, before the write (also inside
 * a helper it calls: the helper's read and write are inlined at one call, in the helper's order).
 */
function seenFirst(protocol: FunctionProtocol, write: PathOp, directory: string, context: RuleContext): boolean {
  const before = (op: PathOp) => op.call.pos < write.call.pos || (op.call === write.call && op.origin.pos < write.origin.pos);
  return protocol.reads.some((op) => before(op) && directoryOf(op.key) === directory) || protocol.existenceChecks.some((op) => before(op) && (directoryOf(op.key) === directory || op.key === directory)) || requiredFirst(context, protocol, write, directory);
}

/**
 * `const data = require(dir + "todo.json")` earlier in the flow, or when the module loads: require throws when the
 * file (and so its folder) is missing, so the write that follows has its folder (scale study, seed 60: a todo CLI
 * whose every command requires `~/.termi-todo/todo.json` and writes it back). Not a protocol read: a cached
 * require is no read of a read-modify-write.
 */
function requiredFirst(context: RuleContext, protocol: FunctionProtocol, write: PathOp, directory: string): boolean {
  return requiredFiles(context).some(({ call, argument, key }) => {
    // A literal specifier resolves against the module's folder, fs paths against the working directory.
    if (ts.isStringLiteralLike(argument)) return false;
    const atLoad = owningFunction(call) === undefined && (call.pos < write.call.pos || owningFunction(write.call) !== undefined);
    if (!atLoad && !(within(call, protocol.scope) && call.pos < write.call.pos)) return false;
    return directoryOf(key) === directory;
  });
}

/** The helper's write runs only where its own existence check of the same file found it. */
function helperFoundItsFile(protocol: FunctionProtocol, write: PathOp): boolean {
  return protocol.existenceChecks.some((check) => {
    if (check.key !== write.key || check.call.pos >= write.call.pos) return false;
    const outcomes = guardOutcomes(check.call);
    return outcomes !== undefined && outcomes.exists.some((region) => within(write.call, region));
  });
}

function check(context: RuleContext): void {
  const { sourceFile, fs } = context;
  const protocols = [...context.protocols().values()];
  const created = protocols.flatMap((protocol) => protocol.mkdirs);
  const reported = new Set<ts.Node>();
  // Each function's own writes by their library call: where a caller's copy of a helper's write came from.
  const ownWrites = new Map(protocols.flatMap((protocol) => protocol.writes.filter((write) => write.direct).map((write) => [write.call as ts.Node, { write, protocol }] as const)));
  for (const protocol of protocols) {
    const pairs = tempWritePairs(protocol);
    for (const write of protocol.writes) {
      if (write.fn.createsParents || write.fn.atomic || write.flag?.includes("a") || reported.has(write.call)) continue;
      const risk = directoryRisk(write.path, write.key, context);
      if (!risk) continue;
      const directory = directoryOf(write.key);
      if (directory === undefined || alwaysExists(directory)) continue;
      // Created before the write in this flow, or anywhere in the file (an init() that makes the data folder).
      const elsewhere = (mkdir: PathOp) => mkdir.origin.pos < protocol.scope.pos || mkdir.origin.end > protocol.scope.end;
      const makesIt = (mkdir: PathOp) => makes(mkdir, directory) || makesParentOf(mkdir, write.key);
      if (protocol.mkdirs.some((mkdir) => mkdir.call.pos <= write.call.pos && makesIt(mkdir)) || created.some((mkdir) => elsewhere(mkdir) && makesIt(mkdir))) continue;
      // Or by a project's own folder helper (`$tw.utils.createFileDirectories(file)`, `ensureDirectoryExists(dir)`).
      if (helperMade(context).some((made) => made.directory === directory && (made.call.pos < write.call.pos || !within(made.call, protocol.scope)))) continue;
      if (seenFirst(protocol, write, directory, context)) continue;
      // A helper that writes its file only where its own check found it (`if (existsSync(lock)) unlink(lock, () =>
      // writeFile(lock, …))`) knows the folder exists wherever it is called from (scale study, seed 55 run).
      const own = write.direct ? undefined : ownWrites.get(write.origin);
      if (own && helperFoundItsFile(own.protocol, own.write)) continue;
      // A helper's write is judged where its path is known: at its callers, if it has any. When the helper spells
      // the whole path itself (no parameter in it), every caller's copy is the same finding: reported once, at the write.
      if (write.direct && protocols.some((other) => other !== protocol && other.writes.some((copy) => !copy.direct && copy.origin === write.call))) continue;
      const original = write.direct ? { write, protocol } : ownWrites.get(write.origin);
      const site = original && original.write.key === write.key ? original.write : write;
      if (reported.has(site.call)) continue;
      reported.add(site.call);
      reported.add(write.call);
      const fsCall = site.direct ? fs.fsCallOf(site.call) : undefined;
      const pair = (site === write ? pairs : tempWritePairs(original!.protocol)).find((candidate) => candidate.write === site);
      const api = fsCall ? writeApi(fsCall.module, fsCall.name) : undefined;
      context.report({
        node: site.direct ? site.call.expression : site.call,
        message: `${shorten(write.path.getText(write.path.getSourceFile()))} is inside ${RISK_TEXT[risk]}, and nothing creates it first: ${risk === "home" ? "on a fresh install" : "for a new id"} the write fails with ENOENT. mkdir({ recursive: true }) the parent first, or use atomicWriteFile (creates parents).`,
        ...(site.direct ? { fix: () => (pair && pair.rename.direct ? tempWriteToAtomic(pair, fs) : fsCall && api ? atomicWriteFix(fsCall, api, sourceFile) : undefined) } : {}),
      });
    }
  }
}

type Risk = "home" | "dynamic";

const RISK_TEXT: Record<Risk, string> = {
  home: "a per-user folder (home, app data, config) that does not exist until the program makes it",
  dynamic: "a folder per entity (built from an id)",
};

function directoryRisk(path: ts.Expression, key: string, context: RuleContext): Risk | undefined {
  // The home folder and Electron's userData exist; a folder inside them (`~/.myapp/`) may not.
  if (inPerUserFolder(key, path.getText(path.getSourceFile()))) return directoryOf(key)?.includes("/") ? "home" : undefined;
  if (hasDynamicDirectory(path, context)) return "dynamic";
  return undefined;
}

/**
 * Helpers named for making folders, which no library table can list: `ensureDirectoryExists(dir)`,
 * `createDirectory(dir)`, `mkdirs(dir)`; `createFileDirectories(file)`, `createDirectoriesForFile(file)` and
 * `ensureFile(file)` (fs-extra's name, also an inherited `this.ensureFile`) make the folder of the file they are given.
 */
const FOLDER_HELPER = /^(ensure|create|make|mk)_?(parent_?)?(dir|dirs|directory|directories|folder|folders)(_?exists?)?(_?sync)?$/i;
const FILE_FOLDER_HELPER = /^(ensure|create|make)_?(file_?|parent_?)(dir|dirs|directory|directories|folder|folders)(_?sync)?$|^(ensure|create|make)_?(parent_?)?(dir|dirs|directory|directories|folder|folders)_?for_?(file|path)$|^ensure_?(file|path)(_?sync)?$/i;

const helperFolders = new WeakMap<RuleContext, { call: ts.CallExpression; directory: string }[]>();

function helperMade(context: RuleContext): { call: ts.CallExpression; directory: string }[] {
  let made = helperFolders.get(context);
  if (made) return made;
  made = [];
  for (const call of context.fs.index.calls) {
    const name = calleeName(call.expression);
    const argument = call.arguments[0];
    if (!name || !argument) continue;
    const key = pathKey(argument, context.sourceFile, context.fs);
    const directory = FILE_FOLDER_HELPER.test(name) ? directoryOf(key) : FOLDER_HELPER.test(name) ? key : undefined;
    if (directory !== undefined) made.push({ call, directory });
  }
  helperFolders.set(context, made);
  return made;
}

/**
 * The folder part of a joined key (`a/b/c.json` → `a/b`); undefined for a bare name (the working directory).
 * Only a separator outside brackets counts: an inlined name helper's `.replace(/[:.]/g, "-")` is not a folder.
 */
function directoryOf(key: string): string | undefined {
  let depth = 0;
  let slash = -1;
  for (let index = 0; index < key.length; index++) {
    const char = key[index];
    if (char === "(" || char === "[" || char === "{") depth++;
    else if ((char === ")" || char === "]" || char === "}") && depth > 0) depth--;
    else if (char === "/" && depth === 0) slash = index;
  }
  return slash > 0 ? key.slice(0, slash) : undefined;
}

/** The working directory, the module's own folder, the OS's folders and a folder `mkdtemp` just made always exist. */
function alwaysExists(directory: string): boolean {
  return OWN_CODE_FOLDER_EXACTLY.test(directory) || /^(process\.cwd\(\)|\.|import\.meta\.url)$/.test(directory) || /^([\w$]+\.)*mkdtemp(Sync)?\(/.test(directory) || OS_FOLDER.test(directory);
}

/** The OS's own folders, which exist on any account: `app.getPath("temp")`, `os.homedir()`, `os.tmpdir()` (seed 31). */
const OS_FOLDER = /(\bgetPath\(\s*["'`]?(temp|home|appData|userData|desktop|documents|downloads|music|pictures|videos)["'`]?\s*\)|\bhomedir\(\)|\btmpdir\(\))$/;

/** `mkdirSync(path.dirname(file), { recursive: true })` before writing `file`, or a sibling of it in the same folder. */
function makesParentOf(mkdir: PathOp, fileKey: string): boolean {
  const match = /^(?:path\.)?dirname\((.*)\)$/.exec(mkdir.key);
  if (match === null) return false;
  const sibling = directoryOf(match[1]!);
  return match[1] === fileKey || (sibling !== undefined && sibling === directoryOf(fileKey));
}

/** A mkdir of the folder itself, or a recursive one of a folder inside it. */
function makes(mkdir: PathOp, directory: string): boolean {
  if (mkdir.key === directory) return true;
  return mkdir.key.startsWith(`${directory}/`) && /recursive\s*:\s*true|ensureDir|mkdirp|mkdirs/.test(mkdir.origin.getText(mkdir.origin.getSourceFile()));
}

/** path.join/resolve (or a template) where a segment between the root and the file name is a runtime value. */
function hasDynamicDirectory(expression: ts.Expression, context: RuleContext, depth = 0): boolean {
  const resolved = constInitializer(expression, context.fs);
  if (resolved && depth < 4) return hasDynamicDirectory(resolved, context, depth + 1);
  const callee = ts.isCallExpression(expression) ? expression.expression : undefined;
  const calleeName = callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : callee && ts.isIdentifier(callee) ? callee.text : "";
  if (ts.isCallExpression(expression) && /^(join|resolve)$/.test(calleeName)) {
    const middle = expression.arguments.slice(1, -1);
    return middle.some((argument) => !ts.isStringLiteralLike(argument) && namesAnId(argument));
  }
  if (ts.isTemplateExpression(expression)) {
    // `${root}/${id}/uploads/${file}`: a substitution after the first one that a slash follows is a directory.
    // (`${file}.tmp-${pid}` stays in the caller's directory.)
    return expression.templateSpans.slice(1).some((span) => span.literal.text.includes("/") && namesAnId(span.expression));
  }
  return false;
}

/**
 * A folder per entity (`projectId`, `user.id`, `req.params.uuid`, `slug`, a `user` or `tenant`): a new one has no folder until the
 * code makes it. Other runtime segments (`serviceName`, a locale's `subPath`, an output folder) name folders
 * that other code of the program creates — on whole repositories none of 44 such findings was a true one
 * (scale study, seeds 14–30), so they are not reported.
 */
function namesAnId(expression: ts.Expression): boolean {
  const last = /([\w$]+)\W*$/.exec(expression.getText())?.[1] ?? "";
  return /^(id|ID|uuid|UUID|guid|slug|key|user|tenant|account)$|[a-z0-9](Id|ID|Uuid|UUID|Slug|Key|User|Tenant|Account)$|_(id|uuid|key|user)$/.test(last) && !/^(api|private|public|secret)Key$/.test(last);
}

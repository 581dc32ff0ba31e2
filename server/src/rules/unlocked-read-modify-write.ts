import { ts } from "../engine/ts";
import type { FixProposal, Report, RuleContext, RuleModule } from "../engine/rule";
import type { FileAccess } from "../engine/accesses";
import { importedFrom, skipWrappers, type FsModel } from "../engine/fsModel";
import { referencedIdentifiers, calleeName, functionName, inExclusiveBranches, isAsyncFunction, outermostFunction, shorten, topLevelModuleSpecifiers } from "../engine/ast";
import { indentStep } from "../engine/fixes/edits";
import { writeDependsOnRead } from "../engine/dataFlow";
import { within } from "../engine/existenceGuards";
import { perItemScopesAround, variesPerIteration } from "../engine/loopItems";
import { CONFIGURED_ROOT, inPerUserFolder, spelledOut, isBuildOutputPath, isBuildOutputTarget, isCacheName, isCacheTarget, isInstalledPackagePath, isLogPath, isSharedLocation } from "../engine/locations";
import { isInteractive, isScriptModule } from "../engine/oneOff";
import { namesState } from "../engine/stateFiles";
import { acquiredBefore, serializedTogether } from "../engine/callables";
import { isScratchKey } from "../engine/scratchPaths";
import { runsAsOneProcess, servesConcurrentCallers } from "../engine/concurrentCallers";
import { findLockMaps } from "../engine/lockMaps";
import { readsOnce, runsOncePerProcess, runsOnlyWithin, savesLoadedCopy } from "../engine/loadOnce";
import { madeForTheCall } from "../engine/freshNames";
import { constInitializer, displayPath } from "../engine/paths";
import { cases } from "./unlocked-read-modify-write.cases";

export const unlockedReadModifyWrite: RuleModule = {
  id: "unlocked-read-modify-write",
  defaultSeverity: "warning",
  shortDescription: "A file is read and later written back with no lock held across the whole cycle: concurrent updates are lost.",
  description:
    "Two callers (requests, timers, processes) read the same old content, each modifies its copy, and the second " +
    "write silently discards the first one's change (seed 002). An atomic write does not help: every write is " +
    "complete, but one of them is based on stale data. A lock must cover read, modify and write as one unit; a " +
    "queue that serialises each read and each write separately does not. The fix wraps the span in withFileLock " +
    "(a cross-process lock) — or use updateJsonFile for read→parse→mutate→write.",
  fixable: true,
  check,
  cases,
};


/**
 * `try { config = JSON.parse(await readFile(p)) } catch { config = fresh(); await writeFile(p, …) }`: the catch
 * runs when the read (or what was made of it) failed, so what it writes is new, not the read data changed.
 */
function inCatchOfReadsTry(readSite: ts.Node, writeSite: ts.Node): boolean {
  for (let node: ts.Node | undefined = writeSite.parent; node && !ts.isFunctionLike(node); node = node.parent) {
    if (ts.isCatchClause(node) && ts.isTryStatement(node.parent)) {
      const tryBlock = node.parent.tryBlock;
      if (tryBlock.pos <= readSite.pos && readSite.end <= tryBlock.end) return true;
    }
  }
  return false;
}

function check(context: RuleContext): void {
  for (const [scope, accesses] of context.accesses()) {
    const reported = new Set<ts.Node>();
    // One finding per read and saving helper: the first call of the helper that writes the file back carries
    // it, its later calls (a checkpoint saved after every item) are related locations, fixed by the same lock
    // (scale study, seed 40). Writes of the function's own stay one finding each.
    const byCycle = new Map<string, { report: Report; related: { node: ts.Node; message: string }[] }>();
    for (const write of accesses) {
      if (write.kind !== "write" || reported.has(write.site)) continue;
      // A call that both reads and writes the file is a cycle of its own (reported inside that helper). Not a
      // helper that reads it only on its error path (`createLock` waiting for the lock when its write failed).
      const selfContained = (site: ts.Node) => {
        const same = accesses.filter((access) => access.site === site && access.key === write.key);
        return same.some((access) => access.kind === "read" && !access.onErrorPath) && same.some((access) => access.kind === "write");
      };
      if (!write.direct && selfContained(write.site)) continue;
      // Before the write, or around it: `readFile(p, (error, data) => writeFile(p, …))` writes in the read's callback.
      const precedes = (site: ts.Node) => site.end <= write.site.pos || (site.pos < write.site.pos && write.site.end <= site.end);
      // The written value must come from what was read: a read only compared, and a write of fresh data, are not a cycle.
      const read = accesses.find(
        (candidate) =>
          candidate.kind === "read" && candidate.key === write.key && precedes(candidate.site) && (candidate.direct || !selfContained(candidate.site)) &&
          !inCatchOfReadsTry(candidate.site, write.site) && !inExclusiveBranches(candidate.site, write.site) && writeDependsOnRead(candidate.site, write.site, write.data, scope, context.fs, write.state),
      );
      if (!read) continue;
      const judged = judgeCycle(read, write, scope, context);
      if (judged === "excused") continue;
      const synchronous = judged === "synchronous";
      reported.add(write.site);
      const line = context.sourceFile.getLineAndCharacterOfPosition(read.site.getStart(context.sourceFile)).line + 1;
      const cycle = write.direct ? `write ${write.site.pos}` : `${read.site.pos} ${write.origin.pos}`;
      const earlier = byCycle.get(cycle);
      if (earlier) {
        earlier.related.push({ node: write.site, message: `written back here too, after the read on line ${line}` });
        continue;
      }
      byCycle.set(cycle, {
        related: [],
        report: {
          node: write.site,
          message: synchronous
            ? `${describe(write, context)} was read on line ${line} and is written back here with no file lock. The cycle is synchronous, so calls of this process never interleave; ` +
              "but this file is shared by every running instance (a per-user or configured location), and another instance doing the same at once loses one update. " +
              "Hold a file lock across read, modify and write (withFileLock) if more than one process can run."
            : `${describe(write, context)} was read on line ${line} and is written back here with no lock held across the cycle: ` +
              "two concurrent calls (or processes) read the same old content and one update is lost — an atomic write does not prevent this. " +
              "Hold one file lock across read, modify and write (withFileLock, or updateJsonFile).",
          fix: () => wrapInFileLock(read, write, scope, context),
        },
      });
    }
    for (const { report, related } of byCycle.values()) context.report(related.length > 0 ? { ...report, related } : report);
  }
}


/**
 * Whether a read-modify-write cycle is reported, and how: "excused" (locked, a cache or a log, a one-off
 * update, a synchronous cycle no other process shares…), "synchronous" (only another process can interleave) or
 * "asynchronous". Shared with the cross-module check (workspace/importedCycles.ts), which judges a read and a
 * write made through another module's helpers the same way.
 */
export function judgeCycle(read: FileAccess, write: FileAccess, scope: ts.Node, context: RuleContext, fixedElsewhere?: { perUser: boolean }): "excused" | "synchronous" | "asynchronous" {
  if (isLocked(read.site, write.site, scope, context)) return "excused";
  // A store loaded once at start and saved from that copy by the closures that change it (a poll, a signal handler),
  // also through another module's load and save helpers (`const state = stateIO.load()`, `process.on("SIGINT", () =>
  // stateIO.save(state))`: scale study, seed 78).
  if (savesLoadedCopy(read.site, within(write.origin, scope) ? write.origin : write.site, (fn) => readsKeyIn(fn, read.key, context), scope, () => writesOf(read.key, context), context.fs)) return "excused";
  // A path another module's helpers spell themselves: what it names is judged there (`fixedPathExcused`).
  if (fixedElsewhere) return judgeByPlace(read, write, scope, context, fixedElsewhere.perUser);
  // A temp's or a staging folder's file (`stagedDirectory/manifest.json`): the program's private copy until it
  // is published, which nothing else reads or writes meanwhile (scale study, seed 41).
  if (isScratchKey(write.key)) return "excused";
  // A file named by a random part for each call (`${randomBytes(6)…}.webp` in the temp folder): no other call
  // writes it, so no other update can be lost (scale study, seed 52).
  // So is one named by a timestamp made for the call (`join(configsDir, \`v${version}-${timestamp}\`, "manifest.json")`,
  // a folder made and filled by this call: seed 70).
  if (madeForTheCall(context, write.written) === true) return "excused";
  // A load done once per object (`if (!this.loaded) { read; this.loaded = true }`): later calls change and
  // save the in-memory copy, not what they read.
  if (readsOnce(read.origin, context.fs)) return "excused";
  // An exclusive create (`flag: "wx"`) fails when the file exists: it replaces nobody's update. A pid lock's
  // takeover (read the owner, remove a dead owner's file, create again) races as racy-stale-takeover (seed 37).
  if (exclusiveCreate(write, context)) return "excused";
  // A cache loses an entry that is fetched again: not the user's update. Build output has one writer, the
  // build that is running.
  if (isCacheTarget(write.written, read.key, context.sourceFile, context.fs) || isCacheName(describe(write, context))) return "excused";
  // A log trimmed or rotated in place loses diagnostics, not anyone's update.
  if (isLogPath(write.written, read.key, context.sourceFile)) return "excused";
  if (isBuildOutputTarget(write.written, read.key, context.sourceFile, context.fs)) return "excused";
  // So is a helper's output parameter (`signMacOSIfNeeded(output, …)` patching the executable a build just wrote:
  // seed 42): the file its caller is producing, which nothing else updates meanwhile.
  if (isParameter(write.written, context) && OUTPUT_PARAMETER.test(write.written.getText(context.sourceFile))) return "excused";
  // A project's own manifest and docs (package.json, tsconfig, a changelog, a README) are edited by one
  // developer's tools, one at a time (a release, an init, a migration): an in-place write of them is still
  // non-atomic-write's finding, but two tools do not race on them.
  if (PROJECT_FILE.test(`${displayPath(read.key)} ${describe(write, context)} ${write.written.getText(context.sourceFile)}`)) return "excused";
  // So is an installed package's file (`resolveCwd("next")/../../client/index.js` patched at codegen: seed 43).
  if (isInstalledPackagePath(displayPath(read.key))) return "excused";
  // Every running instance shares a per-user file, or one in a configured folder (see engine/locations.ts).
  const perUser = inPerUserFolder(spelledOut(read.key, context.sourceFile), spelledOut(describe(write, context), context.sourceFile)) || isSharedLocation(write.written, write.key, context.sourceFile, context.fs);
  return judgeByPlace(read, write, scope, context, perUser);
}

/** Every place in the module that writes `key` (the fs calls, also through helpers). */
function writesOf(key: string, context: RuleContext): ts.Node[] {
  const writers: ts.Node[] = [];
  for (const accesses of context.accesses().values()) for (const access of accesses) if (access.kind === "write" && access.key === key) writers.push(access.origin);
  return writers;
}

/** Whether `fn` reads `key` itself (directly or through a helper it calls). */
function readsKeyIn(fn: ts.Node, key: string, context: RuleContext): boolean {
  for (const accesses of context.accesses().values()) for (const access of accesses) if (access.kind === "read" && access.key === key && (within(access.origin, fn) || within(access.site, fn))) return true;
  return false;
}

/** A path's own exemptions, as its spelling shows them (scratch, a cache, a log, build output, a project's manifest). */
export function fixedPathExcused(key: string): boolean {
  return isScratchKey(key) || isCacheName(key) || isBuildOutputPath(key) || LOG_NAME.test(key) || PROJECT_FILE.test(displayPath(key)) || isInstalledPackagePath(displayPath(key));
}

const OUTPUT_PARAMETER = /^(output|outputPath|outputFile|outFile|outPath|outputFilePath)$/;

const LOG_NAME = /\.log(["'`]|$)|(^|\/)logs?\//;

/** The rest of judgeCycle: whether the cycle is synchronous, and what the code around it says. */
function judgeByPlace(read: FileAccess, write: FileAccess, scope: ts.Node, context: RuleContext, perUser: boolean): "excused" | "synchronous" | "asynchronous" {
  // A fully synchronous cycle cannot interleave with this process's other calls: only another process can
  // lose an update (a second instance, a hot-reloaded server, a cluster worker). Likely for a per-user file,
  // which every running instance of a tool shares, or one in a configured folder (see engine/locations.ts);
  // elsewhere (the program's own data, a path a caller passes) not reported: one process, one update at a time.
  // A synchronous migration rewrites the old shape into the new one: two instances migrating at once
  // write the same result (scale study, seed 28).
  const synchronous = read.sync && write.sync && !suspendsBetween(read.site, write.site, scope, context.fs);
  if (synchronous && !perUser) return "excused";
  // A per-user file too, when the synchronous cycle runs in a command a person starts (a CLI action, a step after
  // a prompt, code that exits right after the write): another run would have to write the file in the same
  // instant, which the person does not do. The long-running writers of the same file are judged at their own sites
  // (scale study, seed 50: `happy gemini model set`, promptdock's `new`). Not where the module takes a lock of its
  // own (its author expects several processes).
  if (synchronous && (isInteractive(context, write.site) || exitsRightAfter(write.site) || runsPerCommand(context)) && !takesLocks(context, outermostFunction(write.site))) return "excused";
  // A desktop app's per-user file: Electron runs one main process per app, and a second launch normally hands
  // over to it (requestSingleInstanceLock); its synchronous cycles cannot interleave (scale study, seed 37).
  // Not where the module takes a lock of its own (its author expects several processes).
  if (synchronous && inElectronMainProcess(context.sourceFile) && !takesLocks(context) && !callsOwnLock(context)) return "excused";
  // So does an editor extension's (its package declares `engines.vscode`): each window runs its own extension host,
  // but its cycles run on one person's commands and that window's events, and two windows would have to write the
  // file in the same instant (scale study, seed 69: a Claude Code manager's settings and usage helpers).
  if (synchronous && context.program.editorExtension === true && !takesLocks(context) && !callsOwnLock(context)) return "excused";
  // So does a chat bot's (discord.js, Telegram, WhatsApp, Twitch clients), or a library of one: a bot runs as one process
  // per token, and a second one logged in with the same token answers every message twice, so nobody runs one. Its
  // configured or per-user file has one writer (scale study, seed 64: a levelling library's `this.options.jsonPath`).
  // Also a module of a bot's package that imports no client itself (seed 73: a bot's game-stats helpers).
  if (synchronous && runsAsOneProcess(context.sourceFile, context.program) && !takesLocks(context) && !callsOwnLock(context)) return "excused";
  // So does an asynchronous one: a one-time migration of a per-user file (`ensureMigrated()` moving tokens
  // from auth.json to the keyring) writes the same result from every instance (scale study, seed 33).
  if (isMigration(scope) || migratesThroughHelper(write.site)) return "excused";
  // An asynchronous cycle loses an update only when two of them are in flight at once. A tool patching a
  // file of the project it was handed (a CLI command, a build step: `join(projectDir, "Podfile")`) updates
  // it once, in order: the most common false alarm on real code (scale study, seeds 16-25). There the
  // code must show more than one updater (hasConcurrentUpdaters); the program's own files (a fixed
  // path) and a helper's bare path parameter (its callers decide) are reported as before.
  if (!synchronous && isHandedIn(write, context) && !hasConcurrentUpdaters(read, write, context)) return "excused";
  // A function that runs once per process (a game loop started by the module's last line) has one cycle in
  // flight: where nothing else in the module writes the file, no other update of this process can be lost.
  const onlyCall = perUser ? undefined : runsOncePerProcess(scope, context.fs);
  if (onlyCall && !writtenElsewhere(write.key, scope, onlyCall, context)) return "excused";
  // Interactive code (a CLI, a prompt-driven function) runs once at a time: only a file every run
  // shares (per-user, configured) can lose an update there (engine/oneOff.ts).
  if (!perUser && (isInteractive(context, write.site) || runsPerCommand(context))) return "excused";
  // So does a script (no exports, its work at the top level: a codemod over a project's files): one process runs
  // its cycles one after another (seed 47). A per-user file is still shared by every run.
  if (!perUser && isScriptModule(context.sourceFile) && !servesConcurrentCallers(context.sourceFile) && !takesLocks(context)) return "excused";
  return synchronous ? "synchronous" : "asynchronous";
}

/**
 * Whether code of the module outside `scope` (another function, a callback) writes the file too; not the one
 * call that runs `scope`, which carries its writes to the top level, nor helpers only `scope` runs.
 */
function writtenElsewhere(key: string, scope: ts.Node, call: ts.CallExpression, context: RuleContext): boolean {
  for (const [other, accesses] of context.accesses()) {
    if (other === scope || !accesses.some((access) => access.kind === "write" && access.key === key && access.site !== call)) continue;
    if (!runsOnlyWithin(other, scope, context.fs)) return true;
  }
  return false;
}

/**
 * A module of a command-line tool's package (its package.json declares `bin` and an argument parser: see
 * ProgramFacts), that does not itself serve concurrent callers: it runs once per command, like interactive code,
 * though it imports no CLI module itself (scale study, seed 51: a CLI's config and history helpers).
 */
function runsPerCommand(context: RuleContext): boolean {
  return context.program.commandLine === true && !servesConcurrentCallers(context.sourceFile) && !takesLocks(context);
}

/** A later statement of the block that holds `site` ends the process (`process.exit(0)`): a one-shot command. */
function exitsRightAfter(site: ts.Node): boolean {
  let statement: ts.Node = site;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  const later = block.statements.slice(block.statements.indexOf(statement as ts.Statement) + 1);
  return later.some((each) => ts.isExpressionStatement(each) && ts.isCallExpression(each.expression) && each.expression.expression.getText() === "process.exit");
}

/**
 * A file inside a folder the code was handed at run time: the path is rooted in a binding (a parameter, a
 * loop variable, a value the code computed), the working directory or a configured folder, and is not just
 * the function's own path parameter.
 */
function isHandedIn(write: FileAccess, context: RuleContext): boolean {
  const key = write.key;
  const bare = /^⟨[^⟩]*⟩$/.test(key);
  // A bare parameter is the caller's choice, except an array callback's item: the list hands it in (seed 35).
  if (bare) return !isParameter(write.written, context) || perItem(write.written, write.site, context);
  const root = key.split("/")[0]!;
  if (root.includes("⟨") || /\bprocess\.cwd\(\)/.test(root) || CONFIGURED_ROOT.test(root)) return true;
  // A path spelled from a literal (`'./data/' + server.id + '.json'`, keyed `data/…`) is rooted in no binding,
  // whatever a parameter in scope is called (a callback's `data`: seed 56's watch lists, seed 59).
  if (startsWithLiteral(write.written, context.fs)) return false;
  // Calls on a parameter stay as text in keys (`ctx.getProjectDirectory()`): resolve their names by scope.
  return [...root.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)].some(([name]) => {
    const declaration = context.fs.findDeclarationOfName(name, write.site)?.parent;
    return declaration !== undefined && ts.isParameter(declaration);
  });
}

/** Whether a path expression begins with literal text: `"data/" + id`, `` `data/${id}` ``, `join("data", id)`, or a const holding one. */
function startsWithLiteral(expression: ts.Expression, fs: FsModel, depth = 0): boolean {
  const node = skipWrappers(expression);
  if (ts.isStringLiteralLike(node)) return node.text !== "";
  if (ts.isTemplateExpression(node)) return node.head.text !== "";
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return startsWithLiteral(node.left, fs, depth);
  if (ts.isCallExpression(node) && /^(path\.)?(join|resolve)$/.test(node.expression.getText()) && node.arguments[0]) return startsWithLiteral(node.arguments[0], fs, depth);
  const initializer = depth < 3 ? constInitializer(node, fs) : undefined;
  return initializer !== undefined && startsWithLiteral(initializer, fs, depth + 1);
}

/** The written path is the enclosing function's parameter (`function bump(file) { … }`). */
function isParameter(written: ts.Expression, context: RuleContext): boolean {
  const declaration = ts.isIdentifier(written) ? context.fs.findDeclaration(written)?.parent : undefined;
  return declaration !== undefined && ts.isParameter(declaration);
}

/**
 * Evidence that a file has more than one updater at a time: it lives in a per-user folder (every instance of
 * the program shares it), it is named as the program's own state (config, settings, a store, a token file:
 * changed whenever the user acts), a long-lived object owns its path (`this.file`: one store serves many
 * callers), or the file's module serves concurrent callers (a server, an extension, Electron's main process).
 * A path the caller hands in, with none of these (`Info.plist` in the project a build step patches), is not.
 */
function hasConcurrentUpdaters(read: FileAccess, write: FileAccess, context: RuleContext): boolean {
  const text = `${read.key} ${describe(write, context)} ${write.written.getText()}`;
  if (isSharedLocation(write.written, write.key, context.sourceFile, context.fs, { configured: false })) return true;
  if (namesState(`${ownName(read)} ${ownName(write)}`) || ownedByObject(write, text, context)) return true;
  return servesConcurrentCallers(context.sourceFile) || takesLocks(context);
}

/**
 * Locks anywhere in the file (a lock table, a mutex, a lock library): its author expects calls to overlap (seed 001).
 * Given `within` (a command's handler), a lock library's call or a `new …Lock()` counts only inside it: a CLI whose
 * `process` command takes a worker lock still runs its `install` command once (scale study, seed 71).
 */
function takesLocks(context: RuleContext, within?: ts.Node): boolean {
  if (findLockMaps(context.sourceFile, context.fs.index).length > 0) return true;
  const inside = (node: ts.Node) => within === undefined || (within.pos <= node.pos && node.end <= within.end);
  if (context.fs.calls.some((call) => (call.fn.op === "lock" || call.fn.op === "lock-run" || call.fn.op === "make-lock") && inside(call.call))) return true;
  const text = within === undefined ? context.sourceFile.text : within.getText(context.sourceFile);
  return /\bnew\s+\w*(Mutex|Semaphore|Lock)\s*\(/.test(text);
}

/**
 * How the file itself is named: its last path segment and the variable that holds it (`podfilePath`, not the
 * `config.ios.projectDir` folder above it).
 */
function ownName(access: FileAccess): string {
  const written = access.written;
  const variable = ts.isIdentifier(written) ? written.text : ts.isPropertyAccessExpression(written) ? written.name.text : "";
  // `IOSConfig.Paths.getExpoPlistPath(dir)` is named by its last call, not by the namespace it comes from.
  const segment = displayPath(access.key).split("/").at(-1) ?? "";
  const lastSegment = /\)$/.test(segment) ? (segment.replace(/\(.*\)$/, "").split(".").at(-1) ?? "") : segment;
  return `${lastSegment} ${variable}`;
}

/**
 * A method of an object or a class writing a path it does not receive per call (`this.filePath`, a factory's
 * closure variable, a module constant): the object is kept and called from many places.
 */
function ownedByObject(write: FileAccess, text: string, context: RuleContext): boolean {
  // Each file of a list the object walks (`for (const [filePath, fixes] of allFixes) … join(this.options.cwd,
  // filePath)`): the object visits them one by one, it does not own one file its callers share (seed 34).
  if (perItem(write.written, write.site, context)) return false;
  if (/\bthis\b/.test(text)) return true;
  const method = enclosingMethod(write.site);
  if (!method) return false;
  return referencedIdentifiers(write.written).some((identifier) => {
    const declaration = context.fs.findDeclaration(identifier);
    return declaration !== undefined && (declaration.end <= method.pos || declaration.pos >= method.end);
  });
}

/** The path is built from the item of a loop or array callback around the site (directly or through body consts). */
function perItem(written: ts.Expression, site: ts.Node, context: RuleContext): boolean {
  return perItemScopesAround(site).some((loop) => variesPerIteration(written, loop, context.fs));
}

const MIGRATION = /^(migrat|upgrade)|Migrat(e|ed|ion|ions)$|Migrat(e|ion)[A-Z0-9]/;

/** The write happens in a helper named for a migration (`if (await migrateStateV0ToV1(state)) …`). */
function migratesThroughHelper(site: ts.Node): boolean {
  if (!ts.isCallExpression(site)) return false;
  const callee = site.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "";
  return MIGRATION.test(name);
}

/** A function named for a migration (`migrateSourceRef`, `runMigrations`, `upgradeConfig`, `ensureMigrated`). */
function isMigration(scope: ts.Node): boolean {
  for (let node: ts.Node | undefined = scope; node && !ts.isSourceFile(node); node = node.parent) {
    if (MIGRATION.test(functionName(node) ?? "")) return true;
  }
  return false;
}

/** A class method, or a function that is an object literal's method or property (`{ async set(k, v) { … } }`). */
function enclosingMethod(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (ts.isMethodDeclaration(current) || ts.isGetAccessor(current) || ts.isSetAccessor(current)) return current;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && (ts.isPropertyAssignment(current.parent) || ts.isPropertyDeclaration(current.parent))) return current;
  }
  return undefined;
}

const PROJECT_FILE = /(^|[^\w])(package\.json|tsconfig[\w.-]*\.json|CHANGELOG[\w.-]*|README[\w.-]*|\.gitignore)(["'`\s]|$)|\b(pkgJson|packageJson|pkgJsonPath|packageJsonPath|tsConfigPath|tsconfigPath|changelogPath|readmePath|gitignorePath)\b/i;

/** An await or yield between the two sites (in the function, outside nested functions). */
function suspendsBetween(first: ts.Node, second: ts.Node, scope: ts.Node, fs: FsModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.end <= first.end || node.pos >= second.pos) return;
    if (node !== scope && ts.isFunctionLike(node)) return;
    // An await that cannot run before the write does not split the cycle: one in a branch that returns or throws
    // first, or in the arm the write is the alternative of (`if (on) { write; await reply } else if (off) { write }`:
    // scale study, seed 56). Nor does an await of a synchronous call's result (`await fs.writeFileSync(…)`): it
    // resumes in a microtask, before the event loop takes the next message or request (scale study, seed 57). Nor
    // does the await of the write itself (`await db.put(users)` of a synchronous helper): the write has run by the
    // time it suspends (scale study, seed 64); what its arguments await is still looked at.
    if ((ts.isAwaitExpression(node) || ts.isYieldExpression(node)) && node.pos >= first.end && !inExclusiveBranches(node, second) && !awaitsSynchronousCall(node, fs) && !awaitsTheWrite(node, second, fs)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/**
 * `await write(…)` where `write` is the second site and its callee does not suspend before writing: an imported
 * helper (whose summary is synchronous only when it is not async) or a same-file function that is not async.
 */
function awaitsTheWrite(node: ts.AwaitExpression | ts.YieldExpression, second: ts.Node, fs: FsModel): boolean {
  return node.expression !== undefined && skipWrappers(node.expression) === second && ts.isCallExpression(second) && !calleeMaySuspend(second, fs);
}

function calleeMaySuspend(call: ts.CallExpression, fs: FsModel): boolean {
  const callee = skipWrappers(call.expression);
  const binding = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
  const declaration = binding ? fs.findDeclaration(binding)?.parent : undefined;
  if (declaration && importedFrom(declaration) !== undefined) return false;
  if (!ts.isIdentifier(callee) || !declaration) return true;
  if (ts.isFunctionDeclaration(declaration)) return isAsyncFunction(declaration);
  return !(ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && ts.isFunctionLike(declaration.initializer) && !isAsyncFunction(declaration.initializer));
}

/** `await fs.writeFileSync(…)`: the awaited value is a synchronous library call's result, never a promise. */
function awaitsSynchronousCall(node: ts.AwaitExpression | ts.YieldExpression, fs: FsModel): boolean {
  if (!ts.isAwaitExpression(node)) return false;
  const operand = skipWrappers(node.expression);
  return ts.isCallExpression(operand) && fs.fsCallOf(operand)?.fn.style === "sync";
}

function describe(access: FileAccess, context: RuleContext): string {
  return shorten((access.direct ? access.written : access.path).getText(access.path.getSourceFile() ?? context.sourceFile));
}

/** Both ends inside a callback passed to a lock-taking call, or after an awaited acquisition / in-process wait loop. */
function isLocked(readSite: ts.Node, writeSite: ts.Node, scope: ts.Node, context: RuleContext): boolean {
  // In one callback of a lock helper or a same-file promise queue (or a helper only such callbacks call).
  return serializedTogether(context.fs, readSite, writeSite) || acquiredBefore(readSite, scope, context.sourceFile);
}



// ---------------------------------------------------------------------------------------------
// Fix: `await withFileLock(path, async () => { …read … write… });`

function wrapInFileLock(read: FileAccess, write: FileAccess, scope: ts.Node, context: RuleContext): FixProposal | undefined {
  const { sourceFile } = context;
  if (!isAsyncFunction(scope)) return undefined;
  // The smallest span that holds both: the lock is held as briefly as a careful author would hold it, and only
  // on the path that reads and writes (fix study: a lock around a whole `if` was taken when the branch did nothing).
  const block = innermostCommonBlock(read.site, write.site, scope);
  const first = block && statementIn(read.site, block);
  const last = block && statementIn(write.site, block);
  if (!block || !first || !last) return undefined;
  const span = block.statements.slice(block.statements.indexOf(first), block.statements.indexOf(last) + 1);
  if (span.some(escapesCallback) || span.some(declaresVar) || tooCoarseToLock(span, sourceFile)) return undefined;
  const declared = new Set(span.flatMap(declaredNames));
  // A variable assigned inside the callback keeps, after it, the narrowing it had before (TypeScript does not
  // see the callback run): `let existed = false; …lock { existed = true }… existed ? a : b` reads as always
  // false to the type checker and to linters (no-unnecessary-condition). Such spans are left to the author.
  const assigned = new Set(span.flatMap(assignedNames));
  const laterReferences = referencedIdentifiers(scope).filter((id) => id.pos >= last.end);
  if (laterReferences.some((id) => declared.has(id.text) || assigned.has(id.text))) return undefined;
  const lockPath = [write, read].map((access) => lockPathText(access, first, context)).find((text) => text !== undefined);
  if (!lockPath) return undefined;
  const title = "Hold a file lock across the read-modify-write (withFileLock)";
  const firstStart = first.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf("\n", firstStart) + 1;
  const indent = sourceFile.text.slice(lineStart, firstStart);
  // Statements that share a line with other code (`set(k, v) { const d = …; save(d); }`) are wrapped in place.
  if (indent.trim() !== "" || sourceFile.text.slice(last.end, sourceFile.text.indexOf("\n", last.end) >>> 0).trim() !== "") {
    const inner = sourceFile.text.slice(firstStart, last.end);
    return { title, edits: [{ start: firstStart, end: last.end, newText: `await withFileLock(${lockPath}, async () => { ${inner} });` }], runtimeImports: ["withFileLock"] };
  }
  const step = indentStep(first, sourceFile);
  const inner = sourceFile.text.slice(lineStart, last.end).split("\n").map((line) => (line.trim() ? `${step}${line}` : line)).join("\n");
  return {
    title,
    edits: [{ start: lineStart, end: last.end, newText: `${indent}await withFileLock(${lockPath}, async () => {\n${inner}\n${indent}});` }],
    runtimeImports: ["withFileLock"],
  };
}

/** The statement of `block` that contains `node`. */
function statementIn(node: ts.Node, block: ts.Block): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (current.parent === block) return ts.isStatement(current) ? current : undefined;
  }
  return undefined;
}

/** The deepest block of `scope` itself (not of a nested function) that contains both nodes. */
function innermostCommonBlock(a: ts.Node, b: ts.Node, scope: ts.Node): ts.Block | undefined {
  const blocksOf = (node: ts.Node): ts.Block[] => {
    const blocks: ts.Block[] = [];
    for (let current = node.parent; current && current !== scope; current = current.parent) {
      if (ts.isFunctionLike(current)) blocks.length = 0; // blocks inside a nested function are not the scope's
      else if (ts.isBlock(current)) blocks.push(current);
    }
    return blocks;
  };
  const ofB = new Set(blocksOf(b));
  return blocksOf(a).find((block) => ofB.has(block));
}

/** `var` is function-scoped: moved into a callback, it would vanish from the code after the span. */
function declaresVar(statement: ts.Statement): boolean {
  return ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
}

/** return/break/continue/yield would change meaning once the span is inside a callback. */
/** Calls that wait on a person, the network, another program or a timer: no file lock should be held across them. */
const WAITS_ON_OUTSIDE = /^(prompt|question|confirm|select|password|input|fetch|request|axios|got|spawn|spawnSync|exec|execSync|execFile|execa|sleep|delay|setTimeout|wait|waitFor)$/;
const HTTP_CLIENTS = /^(axios|got|http|https|request|client|api|superagent|ky)$/i;
const MAX_LOCKED_LINES = 40;

/**
 * Whether wrapping the span in a lock would change how the program behaves under load (issue 17, seen on
 * real code: a configuration wizard's prompts, network calls): every other process would wait on a person or
 * a server. Longer spans than a screenful are the author's to narrow; the finding stays, without a fix.
 */
function tooCoarseToLock(span: readonly ts.Statement[], sourceFile: ts.SourceFile): boolean {
  const lines = sourceFile.getLineAndCharacterOfPosition(span[span.length - 1]!.end).line - sourceFile.getLineAndCharacterOfPosition(span[0]!.getStart(sourceFile)).line + 1;
  if (lines > MAX_LOCKED_LINES) return true;
  let waits = false;
  const visit = (node: ts.Node): void => {
    if (waits) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const receiver = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression.getText(sourceFile) : "";
      if (/^(get|post|put|patch|delete)$/.test(name) ? HTTP_CLIENTS.test(receiver) : WAITS_ON_OUTSIDE.test(name)) waits = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of span) visit(statement);
  return waits;
}

function escapesCallback(statement: ts.Statement): boolean {
  let escapes = false;
  const visit = (node: ts.Node): void => {
    if (escapes || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node) || ts.isYieldExpression(node)) escapes = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return escapes;
}

/** Names a statement assigns to (`x = …`, `x += …`, `x++`), nested functions included. */
function assignedNames(statement: ts.Statement): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      names.push(...(ts.isIdentifier(node.left) ? [node.left.text] : ts.isArrayLiteralExpression(node.left) || ts.isObjectLiteralExpression(node.left) ? referencedIdentifiers(node.left).map((id) => id.text) : []));
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && ts.isIdentifier(node.operand)) {
      names.push(node.operand.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return names;
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) ? [declaration.name.text] : referencedIdentifiers(declaration.name).map((id) => id.text)));
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
  return [];
}

/**
 * The path as text valid where the lock is taken: a direct access's own expression, or a helper's
 * path with the helper's parameters replaced by the call's arguments.
 */
function lockPathText(access: FileAccess, at: ts.Statement, context: RuleContext): string | undefined {
  const { sourceFile } = context;
  // The path as the code names it (`manifestPath`), else what that name was bound to, if usable at the lock.
  if (access.direct) return [access.written, access.path].find((path) => isUsableBefore(path, at, context))?.getText(sourceFile);
  const call = access.site;
  if (!ts.isCallExpression(call)) return undefined;
  const helper = access.path.parent ? enclosingFunctionLike(access.path) : undefined;
  if (!helper) return undefined;
  const text = access.path.getText(sourceFile);
  const start = access.path.getStart(sourceFile);
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const identifier of referencedIdentifiers(access.path)) {
    const declaration = context.fs.findDeclaration(identifier)?.parent;
    if (declaration && ts.isParameter(declaration) && declaration.parent === helper) {
      const argument = call.arguments[helper.parameters.indexOf(declaration)];
      if (!argument || !isUsableBefore(argument, at, context)) return undefined;
      replacements.push({ start: identifier.getStart(sourceFile) - start, end: identifier.end - start, text: argument.getText(sourceFile) });
    } else if (!declaration || context.fs.findDeclarationOfName(identifier.text, at) !== context.fs.findDeclaration(identifier)) {
      if (!(declaration === undefined && isGlobal(identifier.text))) return undefined;
    }
  }
  // `this.x` in a helper method means the same object in the caller only when both are methods of one class.
  if (/\bthis\b/.test(text) && classOf(helper) !== classOf(at)) return undefined;
  let result = text;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) result = result.slice(0, replacement.start) + replacement.text + result.slice(replacement.end);
  return result;
}

function enclosingFunctionLike(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

function classOf(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}

/** Every name in the path is visible where the lock is taken and declared before it. */
function isUsableBefore(path: ts.Expression, at: ts.Statement, context: RuleContext): boolean {
  if (path.getSourceFile() !== context.sourceFile) return false;
  for (const identifier of referencedIdentifiers(path)) {
    const declaration = context.fs.findDeclaration(identifier);
    if (declaration) {
      if (declaration.pos >= at.pos && declaration.end <= at.parent.end) return false;
      if (!context.fs.isNameVisible(identifier.text, at) || context.fs.findDeclarationOfName(identifier.text, at) !== declaration) return false;
    } else if (!isGlobal(identifier.text)) return false;
  }
  return true;
}

function isGlobal(name: string): boolean {
  return ["process", "__dirname", "__filename", "globalThis", "undefined", "JSON", "String", "Date"].includes(name);
}

/** The write is an exclusive create (`writeFile(p, d, { flag: "wx" })`), also through a helper. */
function exclusiveCreate(write: FileAccess, context: RuleContext): boolean {
  for (const protocol of context.protocols().values()) {
    const op = protocol.writes.find((each) => each.call === write.origin);
    if (op) return op.flag !== undefined && op.flag.includes("x");
  }
  return false;
}

/**
 * A module of an Electron app's main process (it imports `electron`): one per running app. Not code that also
 * runs in renderers (`remote`, `ipcRenderer`: one process per window).
 */
function inElectronMainProcess(sourceFile: ts.SourceFile): boolean {
  return topLevelModuleSpecifiers(sourceFile).some((specifier) => specifier === "electron" || specifier.startsWith("electron/")) && !RENDERER_API.test(sourceFile.text);
}

/**
 * Renderer-side Electron APIs a module uses: `ipcRenderer`, `contextBridge`, `webFrame`, or `remote` taken from
 * electron (`import { remote } from "electron"`, `electron.remote`, `@electron/remote`). Not the word "remote" in a
 * comment or a name (`// if the profile is remote`: scale study, seed 78, a launcher's main process).
 */
const RENDERER_API = /\b(ipcRenderer|contextBridge|webFrame)\b|@electron\/remote|\belectron\.remote\b|import\s*\{[^}]*\bremote\b[^}]*\}\s*from\s*["']electron["']|\{[^}]*\bremote\b[^}]*\}\s*=\s*require\(\s*["']electron["']\s*\)/;

/** The module imports a chat platform's bot client. */
/** A call of the module's own locker (`locker.lock()`, `acquireLock()`), which takesLocks' library table does not know. */
function callsOwnLock(context: RuleContext): boolean {
  return context.fs.index.calls.some((call) => /^(lock|acquire)/i.test(calleeName(call.expression) ?? ""));
}

import { ts } from "../engine/ts";
import { scopeOf, shorten } from "../engine/ast";
import type { RuleContext, RuleModule } from "../engine/rule";
import { findLockMaps, lockMapName } from "../engine/lockMaps";
import type { FileAccess } from "../engine/accesses";
import { cases } from "./process-local-lock.cases";
import { isSharedLocation } from "../engine/locations";

export const processLocalLock: RuleModule = {
  id: "process-local-lock",
  defaultSeverity: "hint",
  shortDescription: "An in-process lock (Map/Set, async-mutex) guards writes to a file: it does not hold across processes or restarts.",
  description:
    "A Map of promises or a Mutex serialises writers inside one Node.js process only. A second process, a worker, " +
    "a cluster sibling or the new process started by hot reload (seed 001: 'each process has its own writeLocks Map') " +
    "writes the same file concurrently. Use a file lock that every process sees: the runtime's withFileLock.",
  fixable: false,
  mentions: (text) => /\bnew \w*(Map|Set|Mutex|Semaphore|Lock|Queue)\b|async-mutex|p-limit|p-queue|tornwrite-runtime/.test(text),
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile, fs } = context;
  const accesses = context.accesses();
  // Whether a second process writes the file is not visible in code; it is likely for a file every instance
  // shares (a per-user or configured location) or when this file itself starts processes.
  const spawnsProcesses = /\b(cluster\.fork|child_process|worker_threads|new Worker\(|fork\()/.test(sourceFile.text);
  const writesIn = (scope: ts.Node) =>
    (accesses.get(scope) ?? []).filter((access) => access.kind === "write" && (spawnsProcesses || isSharedLocation(access.written, access.key, sourceFile, fs)));
  const maps = new Set(findLockMaps(sourceFile, fs.index).map((map) => map.name));
  const libraryLocks = new Map(fs.calls.filter((call) => (call.fn.op === "lock-run" || call.fn.op === "lock") && !call.fn.crossProcess && call.instance?.exclusive !== false).map((call) => [call.call, call]));
  const customLocks = inProcessLockObjects(context);
  if (maps.size === 0 && libraryLocks.size === 0 && customLocks.size === 0) return;
  const reported = new Set<ts.Node>();
  for (const call of fs.index.calls) {
    const callee = call.expression;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
    const owner = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    // Taking an in-process Map lock (`locks.set(key, new Promise(...))`) in a function that writes files.
    if (method === "set" && owner && maps.has(lockMapName(owner) ?? "")) {
      const writes = writesIn(scopeOf(call));
      if (writes.length > 0) report(context, call, writes[0]!, reported);
      continue;
    }
    // A library's in-process lock (async-mutex, p-limit(1), the runtime's KeyedMutex) or a Mutex class of the project's own.
    const library = libraryLocks.get(call);
    const custom = owner !== undefined && customLocks.has(lockObjectName(owner) ?? "") && CUSTOM_LOCK_METHODS.test(method);
    if (!library && !custom) continue;
    const callback = call.arguments.find((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
    const writes = callback ? writesIn(callback) : writesIn(scopeOf(call)).filter((access) => access.site.pos > call.end);
    // An in-process queue in front of a file lock the same function takes (the runtime's own acquireFileLock).
    if (writes.length > 0 && !takesFileLock(context, callback ?? scopeOf(call))) report(context, call, writes[0]!, reported);
  }
}

/** The function also creates a lock file exclusively or takes a cross-process lock. */
function takesFileLock(context: RuleContext, scope: ts.Node): boolean {
  const protocol = context.protocols().get(scope);
  if (protocol && [...protocol.writes, ...protocol.opens].some((op) => "flag" in op && op.flag?.includes("x"))) return true;
  return context.fs.calls.some((call) => call.fn.crossProcess && (call.fn.op === "lock" || call.fn.op === "lock-run") && scope.pos <= call.call.pos && call.call.end <= scope.end);
}

const CUSTOM_LOCK_METHODS = /^(withLock|runExclusive|lock|acquire|run|exclusive|synchronize|serialize|add)$/;
/** Classes named like in-process locks (a project's own `AsyncMutex`, npm's async-lock); file locks are named for files. */
const IN_PROCESS_LOCK_CLASS = /Mutex|Semaphore|AsyncLock|^Lock$|KeyedLock|RWLock|ReadWriteLock|PromiseQueue|SerialQueue/;
const CROSS_PROCESS_NAME = /File|Disk|Dir|Process|Proper/;

function lockObjectName(expression: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expression) && (expression.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(expression.expression))) return expression.name.text;
  return ts.isIdentifier(expression) ? expression.text : undefined;
}

/** Names (variables and class fields) bound to `new AsyncMutex()` and the like that no library entry covers. */
function inProcessLockObjects(context: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const declaration of context.fs.index.declarations) {
    const init = declaration.initializer;
    if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(declaration.name)) continue;
    const className = ts.isIdentifier(init.expression) ? init.expression.text : ts.isPropertyAccessExpression(init.expression) ? init.expression.name.text : "";
    if (context.fs.resolveCallee(init.expression)) continue; // a library's: the table says what it is
    if (IN_PROCESS_LOCK_CLASS.test(className) && !CROSS_PROCESS_NAME.test(className)) names.add(declaration.name.text);
  }
  return names;
}

function report(context: RuleContext, node: ts.Node, write: FileAccess, reported: Set<ts.Node>): void {
  if (reported.has(node)) return;
  reported.add(node);
  const path = write.written.getText(write.written.getSourceFile() ?? context.sourceFile);
  context.report({
    node,
    message: `This in-process lock serialises writes to ${shorten(path, 40)} only inside this process: another process, a worker or the process restarted by hot reload writes concurrently. Use a file lock (withFileLock).`,
  });
}

import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { pathKey, type FunctionProtocol, type PathOp } from "../engine/protocol";
import { within } from "../engine/existenceGuards";
import { Callables } from "../engine/callables";
import { cases } from "./lock-without-stale-recovery.cases";
import { displayPath } from "../engine/paths";
import { NAMES_A_LOCK } from "../engine/lockMaps";

export const lockWithoutStaleRecovery: RuleModule = {
  id: "lock-without-stale-recovery",
  defaultSeverity: "warning",
  shortDescription: "A lock file or directory is created exclusively and removed later, with no recovery from a stale lock.",
  description:
    "A lock taken with an exclusive create ('wx', O_EXCL) or mkdir and released by deleting it is left behind " +
    "when its holder crashes, is killed or loses power: from then on every process waits or fails with EEXIST " +
    "forever. A lock needs a way to tell it is stale (the owner's pid is dead, its heartbeat stopped) and a " +
    "race-free takeover. The runtime's withFileLock has both.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile } = context;
  for (const protocol of context.protocols().values()) {
    // Where the lock is created (a caller reaching it through a helper is judged there).
    const creations = [
      ...protocol.writes.filter((write) => write.flag?.includes("x")),
      ...protocol.opens.filter((open) => open.flag?.includes("x")),
      ...protocol.mkdirs.filter((mkdir) => !mkdir.fn.recursive && !/recursive\s*:\s*true/.test(mkdir.origin.getText(sourceFile)) && NAMES_A_LOCK.test(mkdir.path.getText(mkdir.path.getSourceFile()))),
    ].filter((creation) => creation.direct);
    for (const creation of creations) {
      if (!looksLikeLock(creation.path, sourceFile)) continue;
      const released = [...context.protocols().values()].some((other) => other.unlinks.some((unlink) => unlink.key === creation.key) || findRmdir(other.scope, creation.key, context));
      if (!released || hasStaleHandling(protocol.scope, context) || callersOf(protocol.scope, context).some((caller) => hasStaleHandling(caller, context))) continue;
      if (recoveredElsewhere(creation.key, protocol.scope, context) || takenOverOnConflict(protocol, creation)) continue;
      context.report({
        node: creation.call.expression,
        message: "This lock is created exclusively and deleted on release, but nothing recovers it when its holder dies: after a crash every later process waits or fails forever. Use withFileLock (stale detection by pid and heartbeat, race-free takeover).",
      });
    }
  }
}

/**
 * Another function of the file removes a lock of the same name and has staleness logic: a recovery pass
 * (`restore()` clears a claim older than STALE_MS and removes `active.lock`). Compared by the lock's file
 * name, since the recovery usually rebuilds the path another way.
 */
function recoveredElsewhere(key: string, scope: ts.Node, context: RuleContext): boolean {
  const name = lockFileName(key);
  if (!name) return false;
  return [...context.protocols().values()].some(
    (other) => other.scope !== scope && other.unlinks.some((unlink) => lockFileName(unlink.key) === name) && STALE_LOGIC.test(other.scope.getText(context.sourceFile)),
  );
}

/**
 * The catch of a failed exclusive create handles EEXIST by removing the lock it found (after a pid probe of any
 * kind: `ps -q <pid>`, a heartbeat read) and taking it again: that is stale recovery, however the staleness is
 * judged (scale study, seed 40). Whether the takeover itself races is racy-stale-takeover's question.
 */
function takenOverOnConflict(protocol: FunctionProtocol, creation: PathOp): boolean {
  for (let node: ts.Node | undefined = creation.call.parent; node && node !== protocol.scope; node = node.parent) {
    if (!ts.isTryStatement(node) || !node.catchClause || !within(creation.call, node.tryBlock)) continue;
    const handler = node.catchClause;
    return /["'`]EEXIST["'`]/.test(handler.getText()) && protocol.unlinks.some((unlink) => unlink.key === creation.key && within(unlink.call, handler));
  }
  return false;
}

/** The last segment of a lock path's key (`active.lock`), when it is a literal name. */
function lockFileName(key: string): string | undefined {
  const last = displayPath(key).split("/").pop()?.replace(/["'`]/g, "");
  return last && NAMES_A_LOCK.test(last) && /^[\w.-]+$/.test(last) ? last : undefined;
}

/** A path that is used as a lock: named like one, or the file's only exclusive-create target that gets deleted. */
function looksLikeLock(path: ts.Expression, sourceFile: ts.SourceFile): boolean {
  return /lock|\.pid\b|mutex/i.test(path.getText(sourceFile));
}

/** `rmdir(lockDir)` in this scope, for mkdir-based locks. */
function findRmdir(scope: ts.Node, key: string, context: RuleContext): boolean {
  return context.fs.calls.some(
    (call) =>
      /^(rmdir|rmdirSync)$/.test(call.name) &&
      call.call.arguments[0] !== undefined &&
      scope.pos <= call.call.pos &&
      call.call.end <= scope.end &&
      pathKey(call.call.arguments[0], context.sourceFile, context.fs) === key,
  );
}

/** Functions of this file that call `scope` (a lock helper's staleness logic often sits in its caller). */
function callersOf(scope: ts.Node, context: RuleContext): ts.Node[] {
  // Also a class's method (`this.tryWrite()` from `acquire()`: scale study, seed 37).
  const named = ts.isFunctionDeclaration(scope) || ts.isMethodDeclaration(scope) ? scope.name : ts.isFunctionLike(scope) && scope.parent && (ts.isVariableDeclaration(scope.parent) || ts.isPropertyAssignment(scope.parent) || ts.isPropertyDeclaration(scope.parent)) ? scope.parent.name : undefined;
  const name = named && (ts.isIdentifier(named) || ts.isPrivateIdentifier(named)) ? named.text.replace(/^#/, "") : undefined;
  if (!name) return [];
  const callers: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== scope && new RegExp(`\\b${name}\\(`).test(node.getText(context.sourceFile))) callers.push(node);
    ts.forEachChild(node, visit);
  };
  visit(context.sourceFile);
  return callers;
}

const STALE_LOGIC = /\bmtime(Ms)?\b|\bctime(Ms)?\b|process\.kill\(|\butimes(Sync)?\(|\bstale\w*|\bisStale\b|\bSTALE\w*|\bbirthtime|[sS]tale(Lock)?\w*\(/;

/**
 * Any sign of staleness logic where the lock is taken, or in a same-file helper it calls (`if (code ===
 * "EEXIST" && await maybeRecoverStaleLock(dir)) continue;`): mtime checks, pid probes, utimes heartbeats.
 */
function hasStaleHandling(scope: ts.Node, context: RuleContext, depth = 0): boolean {
  if (STALE_LOGIC.test(scope.getText(context.sourceFile))) return true;
  if (depth >= 2) return false;
  const callables = new Callables(context.fs);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const target = callables.resolve(node);
      if (target && target.callable !== scope && hasStaleHandling(target.callable, context, depth + 1)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

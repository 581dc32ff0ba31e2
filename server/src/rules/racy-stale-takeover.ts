import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { calleeName, endsInReturnOrThrow, functionName, scopeOf } from "../engine/ast";
import type { FunctionProtocol, PathOp } from "../engine/protocol";
import { cases } from "./racy-stale-takeover.cases";

export const racyStaleTakeover: RuleModule = {
  id: "racy-stale-takeover",
  defaultSeverity: "warning",
  shortDescription: "A stale lock is taken over by deleting it and creating it again: two processes can both win.",
  description:
    "Two processes that find the same stale lock both delete it and both try to create it; the slower one's " +
    "delete removes the lock the faster one has just created, and then both hold it. A takeover must make sure " +
    "it removes the very lock it judged stale (a takeover marker created exclusively, or rename-aside and re-check) " +
    "— withFileLock does.",
  fixable: false,
  check,
  cases,
};

// Also a probe of the holder by name (`if (this.processNotExists(pid))`: labelled study batch D, node-fslock).
const STALE_CONDITION = /stale|mtime|ctime|birthtime|\bage\b|expire|timeout|process\.kill|Date\.now|alive|running|\bdead\b|process\w*exists/i;

function isLockPath(path: ts.Expression, sourceFile: ts.SourceFile): boolean {
  return /lock|\.pid\b|mutex/i.test(path.getText(sourceFile));
}

/**
 * Inside an `if` (within the function) whose condition is about staleness, or in the catch of a pid probe
 * (`try { process.kill(pid, 0) } catch { unlink(lock) }`: the holder is dead).
 */
function onStaleBranch(node: ts.Node, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current = node.parent; current && current !== scope; current = current.parent) {
    if (ts.isTryStatement(current.parent) && current.parent.finallyBlock === current) return false; // a release
    if (afterLiveOwnerExit(current, sourceFile)) return true;
    if ((ts.isIfStatement(current) || ts.isConditionalExpression(current)) && STALE_CONDITION.test((ts.isIfStatement(current) ? current.expression : current.condition).getText(sourceFile))) return true;
    if (ts.isCatchClause(current) && ts.isTryStatement(current.parent) && /process\.kill\(/.test(current.parent.tryBlock.getText(sourceFile))) return true;
  }
  return false;
}

/**
 * A statement preceded in its block by a guard clause that leaves while the owner lives
 * (`if (owner && isProcessAlive(owner.pid)) throw inUse(owner)`, `if (!stale) return false`): what follows runs
 * only for a stale lock (scale study, seed 37: a coverage lock's takeover).
 */
function afterLiveOwnerExit(statement: ts.Node, sourceFile: ts.SourceFile): boolean {
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return false;
  const index = block.statements.indexOf(statement as ts.Statement);
  return block.statements.slice(0, Math.max(index, 0)).some((earlier) => ts.isIfStatement(earlier) && STALE_CONDITION.test(earlier.expression.getText(sourceFile)) && endsInReturnOrThrow(earlier.thenStatement));
}

function exclusiveCreates(protocol: FunctionProtocol): PathOp[] {
  return [
    ...protocol.writes.filter((write) => write.flag?.includes("x")),
    ...protocol.opens.filter((open) => open.flag?.includes("x")),
    ...protocol.mkdirs.filter((mkdir) => !mkdir.fn.recursive && !/recursive\s*:\s*true/.test(mkdir.origin.getText(mkdir.origin.getSourceFile()))),
  ];
}

function inLoop(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) if (ts.isIterationStatement(current, false)) return true;
  return false;
}

/** The lock is renamed aside, or a takeover marker is created exclusively before the removal. */
function guardedTakeover(protocol: FunctionProtocol, key: string, removal: ts.CallExpression): boolean {
  if (protocol.renames.some((rename) => rename.key === key)) return true;
  // Before the removal, or anywhere in a function that takes the marker in one pass and removes in the next
  // (lockfile's maybeStale: lock `${path}.STALE`, then call itself to unlink and link the marker into place).
  return exclusiveCreates(protocol).some((create) => {
    if (create.key === key || !/takeover|steal|claim|stale/i.test(create.path.getText(create.path.getSourceFile()))) return false;
    return create.call.pos < removal.pos || triesAgain(removal, protocol, key) || callsItself(protocol, 0);
  });
}

/** The function tries again after the delete: it creates the lock again, loops, or calls itself. */
function triesAgain(removal: ts.CallExpression, protocol: FunctionProtocol, key: string): boolean {
  // A callback-driven retry: the delete's completion callback is the retry (`fs.rmdir(lockPath, retry)` inside a
  // retry helper's attempt: labelled study batch C, dotlocker).
  const done = removal.arguments[removal.arguments.length - 1];
  if (removal.arguments.length > 1 && done && ts.isIdentifier(done) && RETRY_NAME.test(done.text)) return true;
  const creates = exclusiveCreates(protocol).filter((create) => create.key === key);
  if (creates.some((create) => create.call.pos > removal.pos)) return true;
  if (creates.length === 0) return false;
  // The removal sits in a loop that also creates the lock (`for (;;) { try { open(lock, "wx") } catch { … } }`).
  for (let current = removal.parent; current && current !== protocol.scope; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
  }
  return callsItself(protocol, removal.pos);
}

const RETRY_NAME = /^(retry|tryAgain|again|reattempt)\w*$/i;

/**
 * The function calls itself after `from` (`unlockSync(path); return lockSync(path, opts)`; from 0: anywhere,
 * a multi-pass takeover driven by callbacks).
 */
function callsItself(protocol: FunctionProtocol, from: number): boolean {
  const name = functionName(protocol.scope);
  if (!name) return false;
  let recursive = false;
  const visit = (node: ts.Node): void => {
    if (recursive) return;
    if (ts.isCallExpression(node) && node.pos > from && calleeName(node.expression) === name) recursive = true;
    else ts.forEachChild(node, visit);
  };
  visit(protocol.scope);
  return recursive;
}

function check(context: RuleContext): void {
  const reported = new Set<ts.Node>();
  for (const protocol of context.protocols().values()) {
    // The lock's removals here, or in a helper this function calls (`if (code === "EEXIST" && await recoverStale(lock)) continue;`).
    for (const removal of protocol.unlinks) {
      const origin = removal.origin;
      const path = removal.direct ? removal.path : origin.arguments[0];
      // A lock: named like one, or acquired by this flow (an exclusive create retried in a loop: `for (;;) mkdir(dir)`).
      // A lock: named like one, or acquired by this flow — an exclusive create of the same path that is retried
      // (in a loop, or by the function calling itself again after the removal: lockfile's `lockSync`).
      if (!path || reported.has(origin)) continue;
      const acquiredHere = exclusiveCreates(protocol).some((create) => create.key === removal.key && (inLoop(create.origin) || callsItself(protocol, removal.call.pos)));
      if (!isLockPath(path, path.getSourceFile()) && !acquiredHere) continue;
      // The staleness test sits around the removal, or around the call of the helper that removes it
      // (`if (age > opts.stale) { exports.unlockSync(path); return exports.lockSync(path, opts) }`).
      const staleInHelper = onStaleBranch(origin, scopeOf(origin), origin.getSourceFile());
      const staleAtCall = !staleInHelper && removal.call !== origin && onStaleBranch(removal.call, protocol.scope, origin.getSourceFile());
      if (!staleInHelper && !staleAtCall) continue;
      // Reported where the takeover happens: at the helper's call when the helper itself is a plain release.
      const at = staleAtCall ? removal.call : origin;
      if (reported.has(at)) continue;
      const key = removal.key;
      // A takeover that re-checks what it removes is safe: rename-aside of the lock, or a marker taken first
      // (here, or in the helper that removes it).
      const own = context.protocols().get(scopeOf(origin));
      if ([protocol, own].some((each) => each && guardedTakeover(each, key, origin))) continue;
      if (!triesAgain(removal.call, protocol, key)) continue;
      reported.add(at);
      context.report({
        node: at,
        message:
          "Stale-lock takeover by delete-and-recreate: two processes can both judge this lock stale; the slower one deletes the lock the faster one has just created, and both hold it. Use withFileLock (it removes only the very lock it judged stale, under a takeover marker).",
      });
    }
  }
}

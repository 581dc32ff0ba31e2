import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { calleeName, expressionKey, scopeOf, shorten } from "../engine/ast";
import { cases } from "./lock-order-inversion.cases";

export const lockOrderInversion: RuleModule = {
  id: "lock-order-inversion",
  defaultSeverity: "warning",
  shortDescription: "Two locks are taken nested in one order here and in the opposite order elsewhere: a deadlock waiting to happen.",
  description:
    "When one code path holds lock A while taking lock B and another holds B while taking A, two concurrent " +
    "calls can each hold one lock and wait forever for the other (with a lock timeout: both fail). Take nested " +
    "locks in one consistent order everywhere, e.g. sorted by path.",
  fixable: false,
  // Parse only files that call a lock at all (most files without fs calls are never parsed).
  mentions: (text) => /\b(?:withFileLock|withLock|lockAndRun|runExclusive|runWithLock|synchronized|withMutex|acquire|acquireFileLock|acquireLock|lockFile|lock)\s*\(/.test(text),
  check,
  cases,
};

/** Calls that run a callback while holding a lock: the lock key is a path argument or the receiver. */
const CALLBACK_LOCKS = /^(withFileLock|withLock|lockAndRun|runExclusive|runWithLock|synchronized|withMutex)$/;
/** Calls that take a lock until a release: `await lockfile.lock(p)`, `await mutex.acquire()`, `await acquireFileLock(p)`. */
const ACQUIRES = /^(lock|acquire|acquireFileLock|acquireLock|lockFile)$/;

interface Acquisition {
  key: string;
  call: ts.CallExpression;
  /** The region in which the lock is held. */
  held: { start: number; end: number };
}

function lockKey(call: ts.CallExpression, sourceFile: ts.SourceFile): string | undefined {
  const name = calleeName(call.expression);
  const receiver = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  const first = call.arguments[0];
  const firstIsCallback = first !== undefined && (ts.isArrowFunction(first) || ts.isFunctionExpression(first));
  // mutex.runExclusive(fn) / mutex.acquire(): the receiver is the lock; keyed.runExclusive(key, fn): receiver + key.
  if (receiver && (name === "runExclusive" || name === "acquire") && (firstIsCallback || first === undefined)) return expressionKey(receiver, sourceFile);
  if (receiver && name === "runExclusive" && first) return `${expressionKey(receiver, sourceFile)}[${expressionKey(first, sourceFile)}]`;
  if (!first || firstIsCallback) return undefined;
  return expressionKey(first, sourceFile);
}

function acquisitions(context: RuleContext): Acquisition[] {
  const { sourceFile } = context;
  const found: Acquisition[] = [];
  for (const call of context.fs.index.calls) {
    const name = calleeName(call.expression);
    if (CALLBACK_LOCKS.test(name)) {
      const callback = call.arguments.find((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
      const key = lockKey(call, sourceFile);
      if (callback && key) found.push({ key, call, held: { start: callback.pos, end: callback.end } });
    } else if (ACQUIRES.test(name)) {
      const key = lockKey(call, sourceFile);
      if (!key) continue;
      const scope = scopeOf(call);
      found.push({ key, call, held: { start: call.end, end: releaseOf(call, scope) ?? scope.end } });
    }
  }
  return found;
}

/** Where `const release = await x.lock(…)` is released: the first later call of `release`. */
function releaseOf(call: ts.CallExpression, scope: ts.Node): number | undefined {
  let node: ts.Node = call;
  if (ts.isAwaitExpression(node.parent)) node = node.parent;
  const declaration = node.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const name = declaration.name.text;
  let release: number | undefined;
  const visit = (current: ts.Node): void => {
    if (release !== undefined) return;
    if (ts.isCallExpression(current) && current.pos > call.end && ts.isIdentifier(current.expression) && current.expression.text === name) release = current.pos;
    ts.forEachChild(current, visit);
  };
  visit(scope);
  return release;
}

function check(context: RuleContext): void {
  const { sourceFile } = context;
  const taken = acquisitions(context);
  // Ordered pairs: `inner` is taken while `outer` is held.
  const pairs: { outer: Acquisition; inner: Acquisition }[] = [];
  for (const outer of taken) {
    for (const inner of taken) {
      if (inner === outer || inner.key === outer.key) continue;
      if (inner.call.pos >= outer.held.start && inner.call.end <= outer.held.end) pairs.push({ outer, inner });
    }
  }
  const reported = new Set<ts.CallExpression>();
  for (const { outer, inner } of pairs) {
    const opposite = pairs.find((pair) => pair.outer.key === inner.key && pair.inner.key === outer.key);
    if (!opposite || reported.has(inner.call)) continue;
    reported.add(inner.call);
    const otherLine = sourceFile.getLineAndCharacterOfPosition(opposite.inner.call.getStart(sourceFile)).line + 1;
    const [first, second] = [outer.key, inner.key].sort();
    context.report({
      node: inner.call,
      message: `${shorten(inner.key, 40)} is locked while ${shorten(outer.key, 40)} is held, and line ${otherLine} locks them in the opposite order: two concurrent calls can each hold one and wait forever for the other. Take them in one order everywhere (e.g. ${shorten(first!, 30)} before ${shorten(second!, 30)}).`,
    });
  }
}

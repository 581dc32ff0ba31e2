import { ts } from "./ts";
import { calleeName, expressionKey, scopeOf } from "./ast";
import type { FsModel } from "./fsModel";
import { libraryFunction } from "./library";

/** Calls that run a callback while holding a lock: the lock key is a path argument or the receiver. */
const CALLBACK_LOCKS = /^(withFileLock|withLock|lockAndRun|runExclusive|runWithLock|synchronized|withMutex)$/;
/** Calls that take a lock until a release: `await lockfile.lock(p)`, `await mutex.acquire()`, `await acquireFileLock(p)`. */
const ACQUIRES = /^(lock|acquire|acquireFileLock|acquireLock|lockFile)$/;

/** Cheap textual pre-check for files that take any lock at all. */
export const LOCK_CALL_MENTION = /\b(?:withFileLock|withLock|lockAndRun|runExclusive|runWithLock|synchronized|withMutex|acquire|acquireFileLock|acquireLock|lockFile|lock)\s*\(/;

/** Which lock a call takes: a path (`withFileLock(p, …)`), a mutex object, or a keyed mutex and its key. */
export type LockTarget = { kind: "path"; path: ts.Expression } | { kind: "object"; object: ts.Expression } | { kind: "keyed"; object: ts.Expression; key: ts.Expression };

export interface Acquisition {
  /** Identity of the lock within this file. */
  key: string;
  target: LockTarget;
  call: ts.CallExpression;
  /** The region in which the lock is held. */
  held: { start: number; end: number };
}

/** Two locks taken nested: `inner` while `outer` is held. */
export interface Nesting {
  outer: Acquisition;
  inner: Acquisition;
}

function lockTarget(call: ts.CallExpression, fs: FsModel): LockTarget | undefined {
  const name = calleeName(call.expression);
  const receiver = ts.isPropertyAccessExpression(call.expression) ? unwrapped(call.expression.expression, fs) : undefined;
  const first = call.arguments[0];
  const firstIsCallback = first !== undefined && (ts.isArrowFunction(first) || ts.isFunctionExpression(first));
  // mutex.runExclusive(fn) / mutex.acquire(): the receiver is the lock; keyed.runExclusive(key, fn): receiver + key.
  if (receiver && (name === "runExclusive" || name === "acquire") && (firstIsCallback || first === undefined)) return { kind: "object", object: receiver };
  if (receiver && name === "runExclusive" && first) return { kind: "keyed", object: receiver, key: first };
  if (!first || firstIsCallback) return undefined;
  return { kind: "path", path: first };
}

/**
 * The lock a view is made of: `withTimeout(mutex, ms).acquire()` and `tryAcquire(mutex).runExclusive(…)` take
 * `mutex` itself (seed 48: nocobase's lock manager takes one mutex both ways).
 */
function unwrapped(receiver: ts.Expression, fs: FsModel): ts.Expression {
  let current = receiver;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  if (!ts.isCallExpression(current) || !current.arguments[0]) return receiver;
  const callee = fs.resolveCallee(current.expression);
  const fn = callee ? libraryFunction(callee.module, callee.name) : undefined;
  return fn?.wrapsItsArgument ? unwrapped(current.arguments[0], fs) : receiver;
}

function targetKey(target: LockTarget, sourceFile: ts.SourceFile): string {
  if (target.kind === "path") return expressionKey(target.path, sourceFile);
  if (target.kind === "object") return expressionKey(target.object, sourceFile);
  return `${expressionKey(target.object, sourceFile)}[${expressionKey(target.key, sourceFile)}]`;
}

const acquisitionsOfModel = new WeakMap<FsModel, Acquisition[]>();

/** Every lock taken in the file, with the region in which it is held (computed once per analysis). */
export function lockAcquisitions(fs: FsModel): Acquisition[] {
  let found = acquisitionsOfModel.get(fs);
  if (!found) acquisitionsOfModel.set(fs, (found = findAcquisitions(fs)));
  return found;
}

function findAcquisitions(fs: FsModel): Acquisition[] {
  const { sourceFile } = fs;
  const found: Acquisition[] = [];
  for (const call of fs.index.calls) {
    const name = calleeName(call.expression);
    const isCallbackLock = CALLBACK_LOCKS.test(name);
    if (!isCallbackLock && !ACQUIRES.test(name)) continue;
    const target = lockTarget(call, fs);
    if (!target) continue;
    const key = targetKey(target, sourceFile);
    if (isCallbackLock) {
      const callback = call.arguments.find((argument) => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
      if (callback) found.push({ key, target, call, held: { start: callback.pos, end: callback.end } });
    } else {
      const scope = scopeOf(call);
      found.push({ key, target, call, held: { start: call.end, end: releaseOf(call, scope) ?? scope.end } });
    }
  }
  return found;
}

/** Pairs of different locks where one is taken while the other is held. */
export function lockNestings(taken: readonly Acquisition[]): Nesting[] {
  const pairs: Nesting[] = [];
  for (const outer of taken) {
    for (const inner of taken) {
      if (inner === outer || inner.key === outer.key) continue;
      if (inner.call.pos >= outer.held.start && inner.call.end <= outer.held.end) pairs.push({ outer, inner });
    }
  }
  return pairs;
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

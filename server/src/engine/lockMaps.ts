import { ts } from "./ts";
import type { SyntaxIndex } from "./fsModel";

/** A Map/Set used as an in-process lock table. */
export interface LockMap {
  /** `name`, or `this.name` for a class field. */
  name: string;
  declaration: ts.Identifier;
}

const memo = new WeakMap<ts.SourceFile, LockMap[]>();

/** "lock" in a name (`writeLocks`, `app.lock`, `lockDir`), not inside "block" or "clock" (`sessionAdblockInfoMap`, seed 38). */
export const NAMES_A_LOCK = /(?<![bc])lock/i;

/**
 * Maps/Sets created with `new Map()`/`new Set()` that are used like locks: an entry is awaited or
 * holds a promise, or the name says so (`writeLocks`, `pendingLocks`). One pass over the tree.
 */
export function findLockMaps(sourceFile: ts.SourceFile, index: SyntaxIndex): LockMap[] {
  const cached = memo.get(sourceFile);
  if (cached) return cached;
  const candidates: LockMap[] = [];
  const lockLike = new Set<string>();
  for (const node of index.declarations) {
    const init = node.initializer;
    if (ts.isIdentifier(node.name) && init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && /^(Map|Set|WeakMap)$/.test(init.expression.text)) {
      candidates.push({ name: ts.isPropertyDeclaration(node) ? `this.${node.name.text}` : node.name.text, declaration: node.name });
    }
  }
  if (candidates.length === 0) {
    memo.set(sourceFile, []);
    return [];
  }
  for (const node of index.calls) {
    if (!ts.isPropertyAccessExpression(node.expression)) continue;
    const method = node.expression.name.text;
    if (method !== "get" && method !== "set") continue;
    const owner = lockMapName(node.expression.expression);
    if (owner && method === "get" && node.parent && ts.isAwaitExpression(node.parent)) lockLike.add(owner);
    const value = node.arguments[1];
    if (owner && method === "set" && value && holdsPromise(value)) lockLike.add(owner);
  }
  const maps = candidates.filter((map) => lockLike.has(map.name) || NAMES_A_LOCK.test(map.name));
  memo.set(sourceFile, maps);
  return maps;
}

function holdsPromise(value: ts.Expression): boolean {
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === "Promise") return true;
  // A map of per-key mutexes (`locks.set(id, new Mutex())`).
  if (ts.isNewExpression(value) && /Mutex|Semaphore|Lock/.test(value.expression.getText())) return true;
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression)) {
    const name = value.expression.name.text;
    return name === "then" || name === "catch" || name === "finally" || (ts.isIdentifier(value.expression.expression) && value.expression.expression.text === "Promise");
  }
  return false;
}

export function lockMapName(expression: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${expression.name.text}`;
  return ts.isIdentifier(expression) ? expression.text : undefined;
}

import { ts } from "ts-morph";
import { findAll } from "./ast";

/** A Map/Set used as an in-process lock table. */
export interface LockMap {
  /** `name`, or `this.name` for a class field. */
  name: string;
  declaration: ts.Identifier;
}

/**
 * Maps/Sets created with `new Map()`/`new Set()` that are used like locks: an entry is awaited or
 * holds a promise, or the name says so (`writeLocks`, `pendingLocks`).
 */
export function findLockMaps(sourceFile: ts.SourceFile): LockMap[] {
  const candidates: LockMap[] = [];
  for (const declaration of findAll(sourceFile, (node): node is ts.VariableDeclaration | ts.PropertyDeclaration => ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node))) {
    const init = declaration.initializer;
    if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || !/^(Map|Set|WeakMap)$/.test(init.expression.text)) continue;
    if (!ts.isIdentifier(declaration.name)) continue;
    const name = ts.isPropertyDeclaration(declaration) ? `this.${declaration.name.text}` : declaration.name.text;
    candidates.push({ name, declaration: declaration.name });
  }
  const text = sourceFile.text;
  return candidates.filter((map) => {
    const bare = map.name.replace(/^this\./, "");
    return new RegExp(`await\\s+(this\\.)?${bare}\\.get\\(|(this\\.)?${bare}\\.set\\([^;]*(new Promise|Promise\\.|\\.then\\()`).test(text) || /lock/i.test(bare);
  });
}

export function lockMapName(expression: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${expression.name.text}`;
  return ts.isIdentifier(expression) ? expression.text : undefined;
}

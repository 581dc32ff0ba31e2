import { ts } from "./ts";
import type { Range } from "./types";

/** The innermost function (or the file) whose body contains `node`. */
export function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}

/** The called name: `f` in `f()` and `a.b.f()`; "" for anything else. */
export function calleeName(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return "";
}

/** Code or a key for a message: one line, at most `max` characters. */
export function shorten(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Every node below `root` (depth first, in source order) that satisfies `test`. */
export function findAll<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: ts.Node): void => {
    if (test(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return found;
}

/** Source text of an expression without parentheses, comments or whitespace: a cheap identity for paths. */
export function expressionKey(node: ts.Node, sourceFile: ts.SourceFile): string {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current.getText(sourceFile).replace(/\s+/g, "").replace(/'/g, '"');
}

export function isFunctionExpressionLike(node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The string value of a literal (including a substitution-free template), else undefined. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

/** `{ key: value }` in an object literal argument, by property name. */
export function propertyValue(node: ts.Node | undefined, key: string): ts.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key) return property.initializer;
  }
  return undefined;
}

/** Identifiers referenced inside an expression (not property names). */
export function referencedIdentifiers(node: ts.Node): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      if (!(parent && ts.isPropertyAccessExpression(parent) && parent.name === current)) found.push(current);
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Offsets as a zero-based line/character range. */
export function toRange(sourceFile: ts.SourceFile, start: number, end: number): Range {
  return { start: sourceFile.getLineAndCharacterOfPosition(start), end: sourceFile.getLineAndCharacterOfPosition(end) };
}

/** A node's range, from its first token (not its leading trivia). */
export function nodeRange(sourceFile: ts.SourceFile, node: ts.Node): Range {
  return toRange(sourceFile, node.getStart(sourceFile), node.end);
}

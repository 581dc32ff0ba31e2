import { ts } from "./ts";
import type { Range } from "./types";

/** The innermost function (or the file) whose body contains `node`. */
export function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}

/**
 * `first` and `second` sit in one function body (or the file's top level) with no `await` or `yield` between
 * them: nothing else in the process can run in between, and an async function is re-entered only at an await.
 */
export function runsUninterrupted(first: ts.Node, second: ts.Node): boolean {
  const body = scopeOf(first);
  if (body !== scopeOf(second)) return false;
  let interrupted = false;
  const visit = (node: ts.Node): void => {
    if (interrupted || node.end <= first.end || node.pos >= second.pos) return;
    if (node !== body && ts.isFunctionLike(node)) return;
    if ((ts.isAwaitExpression(node) || ts.isYieldExpression(node)) && node.pos >= first.end) interrupted = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return !interrupted;
}

/**
 * A function's name: its own, the variable or property it is bound to, or the property it is assigned to
 * (`exports.lockSync = function (…) { … }`, `Locker.prototype.acquire = function () { … }`).
 */
export function functionName(fn: ts.Node): string | undefined {
  if (!ts.isFunctionLike(fn)) return undefined;
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (!parent) return undefined;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === fn && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
  return undefined;
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

/** `{ key: value }` (also `{ "key": value }`, or `{ key }`: the variable) in an object literal, by property name. */
export function propertyValue(node: ts.Node | undefined, key: string): ts.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === key) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
  }
  return undefined;
}

/** Identifiers referenced inside an expression (not property names). */
export function referencedIdentifiers(node: ts.Node): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      // Not a member's name (`a.name`) or a property's key (`{ lastCleanupAt: now }`): neither refers to a binding.
      // A shorthand property (`{ state }`) does.
      const memberName = parent !== undefined && ts.isPropertyAccessExpression(parent) && parent.name === current;
      const propertyKey = parent !== undefined && ts.isPropertyAssignment(parent) && parent.name === current;
      if (!memberName && !propertyKey) found.push(current);
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

/**
 * Whether `a` and `b` sit in branches of which at most one runs: the two arms of an `if`/`else` (also an
 * `else if` chain), two `case` clauses of a `switch`, or the arms of a `?:`. Operations there never both
 * happen in one call, so they do not form a protocol (a write in `set-snippet`, a rename in `rename-snippet`).
 * Also when the earlier one is followed by a `return` or `throw` that leaves before the later one
 * (`if (example) { await this.pull(); return; } … await this.pull()`: scale study, seed 30).
 */
export function inExclusiveBranches(a: ts.Node, b: ts.Node): boolean {
  return leavesBefore(a.pos < b.pos ? a : b, a.pos < b.pos ? b : a) || inExclusiveArms(a, b);
}

/** `a` and `b` in different arms of one `if`/`else`, conditional or `switch` (clauses ending in a jump): never both run. */
export function inExclusiveArms(a: ts.Node, b: ts.Node): boolean {
  const armOf = (node: ts.Node, statement: ts.Node): ts.Node | undefined => {
    for (let current: ts.Node | undefined = node; current && current !== statement; current = current.parent) {
      if (current.parent === statement) return current;
    }
    return undefined;
  };
  for (let current: ts.Node | undefined = a.parent; current; current = current.parent) {
    if (!isAncestor(current, b)) continue;
    if (ts.isIfStatement(current) && current.elseStatement) {
      const armA = armOf(a, current);
      const armB = armOf(b, current);
      return armA !== undefined && armB !== undefined && armA !== current.expression && armB !== current.expression && armA !== armB;
    }
    if (ts.isConditionalExpression(current)) {
      const armA = armOf(a, current);
      const armB = armOf(b, current);
      return armA !== undefined && armB !== undefined && armA !== current.condition && armB !== current.condition && armA !== armB;
    }
    if (ts.isCaseBlock(current)) {
      const clauseA = armOf(a, current);
      const clauseB = armOf(b, current);
      // A clause that can fall through into the next is not exclusive of it: only clauses that end in a jump.
      const ends = (clause: ts.Node | undefined) => clause !== undefined && ts.isCaseOrDefaultClause(clause) && clause.statements.length > 0 && endsInJump(clause.statements[clause.statements.length - 1]!);
      return clauseA !== clauseB && ends(clauseA) && ends(clauseB);
    }
    return false;
  }
  return false;
}

/**
 * `first; …; return;` in a block that does not hold `second`: once `first` ran, `second` does not. So does
 * `return await reply(…)` itself (scale study, seed 73: a bot's early answer before the update).
 */
function leavesBefore(first: ts.Node, second: ts.Node): boolean {
  for (let node: ts.Node = first; node.parent && !ts.isFunctionLike(node) && !isAncestor(node.parent, second); node = node.parent) {
    const block = node.parent;
    if (!ts.isBlock(block)) continue;
    const index = block.statements.indexOf(node as ts.Statement);
    // The return itself only where it leaves the function `second` is in, not a callback's (`.then(() => { return write() }).then(rename)`).
    const from = index >= 0 && scopeOf(block) === scopeOf(second) ? index : index + 1;
    if (index >= 0 && block.statements.slice(from).some((statement) => ts.isReturnStatement(statement) || ts.isThrowStatement(statement))) return true;
  }
  return false;
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function endsInJump(statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) return statement.statements.length > 0 && endsInJump(statement.statements[statement.statements.length - 1]!);
  return ts.isBreakStatement(statement) || ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isContinueStatement(statement);
}

/**
 * Every module a file names at its top level: `import … from "m"`, `import x = require("m")` and
 * `const x = require("m")` (what decides what kind of program a file belongs to).
 */
export function topLevelModuleSpecifiers(sourceFile: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) specifiers.push(statement.moduleReference.expression.text);
    else if (ts.isVariableStatement(statement)) {
      for (const { initializer } of statement.declarationList.declarations) {
        const call = initializer && ts.isCallExpression(initializer) ? initializer : undefined;
        const argument = call?.arguments[0];
        if (call && isRequireCallee(call.expression) && argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
      }
    }
  }
  return specifiers;
}

/** `const text = await read(p)` (also parenthesized): the name of the variable a call's result is kept in. */
export function resultBinding(call: ts.Node): string | undefined {
  let node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** A branch whose last statement leaves the function: a `return` or a `throw`. */
export function endsInReturnOrThrow(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements.at(-1) : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** A function expression handed to a call as an argument or callee (`.then((data) => …)`, `lock.acquire(k, async () => …)`). */
function isCallback(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent !== undefined && ts.isCallExpression(node.parent);
}

/** A function declared `async`. */
export function isAsyncFunction(fn: ts.Node | undefined): boolean {
  return fn !== undefined && ts.isFunctionLike(fn) && (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** The function `node` runs in; a callback handed to a call belongs to its caller. */
export function owningFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && !isCallback(current)) return current;
  }
  return undefined;
}

/** The outermost function `node` is in (the top-level callback or declaration around it); undefined at the top level. */
export function outermostFunction(node: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) found = current;
  return found;
}

/** Whether `node` runs inside a callback handed to a call that `test` accepts (a lock helper, a retry helper). */
export function insideCallbackOf(node: ts.Node, test: (call: ts.CallExpression) => boolean): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isCallback(current) && test(current.parent as ts.CallExpression)) return true;
  }
  return false;
}

const assignmentsByFile = new WeakMap<ts.SourceFile, Map<string, ts.Expression[]>>();

/** `this.name = value`, class field initializers and getters' returns, by property name. */
export function thisAssignments(sourceFile: ts.SourceFile): Map<string, ts.Expression[]> {
  let found = assignmentsByFile.get(sourceFile);
  if (found) return found;
  const assignments = new Map<string, ts.Expression[]>();
  found = assignments;
  const add = (name: string, value: ts.Expression) => assignments.set(name, [...(assignments.get(name) ?? []), value]);
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.expression.kind === ts.SyntaxKind.ThisKeyword) add(node.left.name.text, node.right);
    if (ts.isPropertyDeclaration(node) && node.initializer && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) add(node.name.text, node.initializer);
    // `get registryFile() { return path.join(CONFIG.root, "registry.json"); }`
    if (ts.isGetAccessorDeclaration(node) && node.body && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) {
      for (const statement of node.body.statements) if (ts.isReturnStatement(statement) && statement.expression) add(node.name.text, statement.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  assignmentsByFile.set(sourceFile, found);
  return found;
}

/**
 * `require`, or `module.require`: the same loader, spelled through the module object (seed 59: a Discord bot's
 * commands all start `const fs = module.require("fs")`).
 */
export function isRequireCallee(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === "require";
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "module" && callee.name.text === "require";
}

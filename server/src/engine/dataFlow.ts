import { ts } from "./ts";
import { referencedIdentifiers } from "./ast";
import type { FsModel } from "./fsModel";

/**
 * Whether what a write stores can come from what a read returned, within one function, syntactically:
 * the names the read's result is bound to (`const data = JSON.parse(await read(p))`, a callback's `data`,
 * `this.cache = …`), the names computed from those, and whether the write's data mentions any of them. A
 * read whose result is only compared (`if (read(p).state !== next)`) and a write of fresh data are not a
 * read-modify-write. A helper call that passes no data (its state travels in `this` or a closure) counts
 * as dependent: it may write what the read loaded.
 */
export function writeDependsOnRead(readSite: ts.Node, writeSite: ts.Node, writeData: readonly ts.Expression[], scope: ts.Node, fs: FsModel, state: readonly ts.Identifier[] = []): boolean {
  // A helper that writes the module's state (`load(); cache = {}; save()`): replaced before the call, it holds nothing read.
  if (writeData.length === 0) return !(state.length > 0 && state.every((name) => replacedBefore(name, readSite, writeSite, fs)));
  if (writeData.some((data) => data.pos <= readSite.pos && readSite.end <= data.end)) return true;
  const symbols = new Symbols(fs);
  const derived = derivedNames(resultNames(readSite, symbols), scope, writeSite.pos, symbols);
  if (derived.size === 0) return false;
  return writeData.some((data) => mentions(data, derived, symbols) && !reassignedBefore(data, writeSite, derived, symbols));
}

/**
 * `writeDependsOnRead` for many writes after one read, the derived names computed once over the whole scope (a
 * name assigned from the read only after a write counts for it too: good enough to pick candidates, as the
 * cross-module check does, not to judge one write).
 */
export function dependenceOn(readSite: ts.Node, scope: ts.Node, fs: FsModel): (data: ts.Expression) => boolean {
  const symbols = new Symbols(fs);
  const names = resultNames(readSite, symbols);
  let derived: Set<string> | undefined;
  return (data) => {
    if (data.pos <= readSite.pos && readSite.end <= data.end) return true;
    if (names.size === 0) return false;
    derived ??= derivedNames(names, scope, scope.end, symbols);
    return mentions(data, derived, symbols);
  };
}

/**
 * `this.cache = {}; write(p, this.cache)`: the nearest earlier statement of the write's block that assigns
 * the written name gave it a value that does not come from the read.
 */
function reassignedBefore(data: ts.Expression, writeSite: ts.Node, derived: Set<string>, symbols: Symbols): boolean {
  const text = data.getText();
  const nearest = assignmentsBefore(writeSite).find((assignment) => assignment.left.getText() === text);
  return nearest !== undefined && !mentions(nearest.right, derived, symbols);
}

/**
 * `cache = {}` (or any value that does not name `cache`) as the nearest earlier assignment of the helper's
 * module-level `name` among the statements between the read and the call's own statement in its block.
 */
function replacedBefore(name: ts.Identifier, readSite: ts.Node, writeSite: ts.Node, fs: FsModel): boolean {
  const declared = fs.findDeclaration(name);
  if (!declared) return false;
  const same = (node: ts.Node) => ts.isIdentifier(node) && node.text === name.text && fs.findDeclaration(node) === declared;
  const nearest = assignmentsBefore(writeSite).find((assignment) => same(assignment.left));
  return nearest !== undefined && nearest.pos > readSite.end && !referencedIdentifiers(nearest.right).some(same);
}

/** The `x = value` statements before the write's own statement in its block, nearest first. */
function assignmentsBefore(writeSite: ts.Node): ts.BinaryExpression[] {
  let statement: ts.Node = writeSite;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return [];
  return block.statements
    .slice(0, block.statements.indexOf(statement as ts.Statement))
    .reverse()
    .flatMap((each) => (ts.isExpressionStatement(each) && ts.isBinaryExpression(each.expression) && each.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? [each.expression] : []));
}

/**
 * Bindings by declaration, so that two block-scoped `data`s in different `case`s are different: an
 * identifier stands for `name@declaration`, a member path (`this.cache`) for its text.
 */
class Symbols {
  constructor(private readonly fs: FsModel) {}
  of(identifier: ts.Identifier): string {
    const declared = this.fs.findDeclaration(identifier);
    return declared ? `${identifier.text}@${declared.pos}` : identifier.text;
  }
  declared(name: ts.Identifier): string {
    return `${name.text}@${name.pos}`;
  }
}

/** The names a read's result arrives in. */
function resultNames(read: ts.Node, symbols: Symbols): Set<string> {
  const names = new Set<string>();
  let node: ts.Node = read;
  // Up through what keeps it the same data: await, parentheses, casts, JSON.parse(…), defaults, members.
  for (;;) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) break;
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent)) node = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === "then" && parent.parent && ts.isCallExpression(parent.parent)) {
      // `read(p).then((data) => …)`: the continuation's parameter holds the result.
      const callback = parent.parent.arguments[0];
      if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) for (const parameter of callback.parameters.slice(0, 1)) addBinding(parameter.name, names, symbols);
      node = parent.parent;
    }
    // A value computed from it (`JSON.parse(…)`, `Number(…)`, `schema.parse(…)`, `.toString()`, `.items`).
    else if (ts.isCallExpression(parent) && (parent.arguments.includes(node as ts.Expression) || parent.expression === node)) node = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === node) node = parent;
    else if (ts.isElementAccessExpression(parent) && parent.expression === node) node = parent;
    else if (ts.isBinaryExpression(parent) && /^(\?\?|\|\|)$/.test(parent.operatorToken.getText())) node = parent;
    // `exists(p) ? JSON.parse(read(p)) : {}`
    else if (ts.isConditionalExpression(parent) && parent.condition !== node) node = parent;
    else break;
  }
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) addBinding(parent.name, names, symbols);
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) names.add(target(parent.left, symbols));
  // A callback read: `readFile(p, (error, data) => …)`.
  if (ts.isCallExpression(read)) {
    const callback = read.arguments[read.arguments.length - 1];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) for (const parameter of callback.parameters.slice(1)) addBinding(parameter.name, names, symbols);
  }
  return names;
}

function addBinding(name: ts.BindingName, into: Set<string>, symbols: Symbols): void {
  if (ts.isIdentifier(name)) into.add(symbols.declared(name));
  else for (const id of referencedIdentifiers(name)) into.add(symbols.declared(id));
}

/** An assignment target: a binding by its declaration, a member path by its text. */
function target(expression: ts.Expression, symbols: Symbols): string {
  return ts.isIdentifier(expression) ? symbols.of(expression) : expression.getText().replace(/\s+/g, "");
}

/** `names` and every name (in `scope`, before `before`) whose value is computed from one of them. */
function derivedNames(names: Set<string>, scope: ts.Node, before: number, symbols: Symbols): Set<string> {
  if (names.size === 0) return names;
  const derived = new Set(names);
  const flows: { target: string[]; source: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.pos >= before) return;
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const targets = new Set<string>();
      addBinding(node.name, targets, symbols);
      flows.push({ target: [...targets], source: node.initializer });
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      flows.push({ target: [target(node.left, symbols)], source: node.right });
      // `copy[k] = locks[k]`: the container now holds what was read (quicklock's lock map, labelled study).
      const container = containerOf(node.left, symbols);
      if (container) flows.push({ target: [container], source: node.right });
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && CONTAINER_ADDS.has(node.expression.name.text)) {
      // `kept.push(entry)`, `map.set(key, entry)`.
      const container = containerOf(node.expression.expression, symbols, true);
      for (const argument of container ? node.arguments : []) flows.push({ target: [container!], source: argument });
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const targets = new Set<string>();
      if (ts.isVariableDeclarationList(node.initializer)) for (const declaration of node.initializer.declarations) addBinding(declaration.name, targets, symbols);
      flows.push({ target: [...targets], source: node.expression });
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  for (let changed = true; changed; ) {
    changed = false;
    for (const flow of flows) {
      if (flow.target.every((name) => derived.has(name)) || !mentions(flow.source, derived, symbols)) continue;
      for (const name of flow.target) derived.add(name);
      changed = true;
    }
  }
  return derived;
}

const CONTAINER_ADDS = new Set(["push", "unshift", "set", "add", "splice"]);

/** The local binding whose member or element is assigned (`copy[k]`, `result.items`), not `this`'s. */
function containerOf(left: ts.Expression, symbols: Symbols, itself = false): string | undefined {
  let node = left;
  if (!itself && !ts.isElementAccessExpression(node) && !ts.isPropertyAccessExpression(node)) return undefined;
  while (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) node = node.expression;
  return ts.isIdentifier(node) ? symbols.of(node) : undefined;
}

function mentions(node: ts.Node, names: ReadonlySet<string>, symbols: Symbols): boolean {
  if (referencedIdentifiers(node).some((id) => names.has(symbols.of(id)))) return true;
  const text = node.getText().replace(/\s+/g, "");
  for (const name of names) if (name.includes(".") && text.includes(name)) return true;
  return false;
}

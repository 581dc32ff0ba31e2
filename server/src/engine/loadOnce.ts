// Loads done once per object or module: after them the program works on its in-memory copy.
import { ts } from "./ts";
import type { FsModel } from "./fsModel";
import { within } from "./existenceGuards";
import { owningFunction } from "./ast";

/**
 * A read under `if (!flag)` whose branch sets that flag (`if (!this.loadPerformed) { …read…; this.loadPerformed =
 * true }`, `if (!this.data) this.data = JSON.parse(read)`), where the flag outlives the call (a member of `this`
 * or a variable declared outside the function). Every later call skips the read and changes the loaded copy,
 * so a later write stores that copy: no call writes back a value it read itself (scale study, seed 39: a JSON
 * lines store loaded once, changed synchronously in memory and saved whole). A local flag is per call.
 */
export function readsOnce(read: ts.Node, fs: FsModel): boolean {
  // Up to the function the call runs (through callbacks handed to calls: `lock.acquire("reader", async () => …)`).
  const owner = owningFunction(read);
  for (let node: ts.Node | undefined = read.parent; node && node !== owner; node = node.parent) {
    if (!ts.isIfStatement(node) || !within(read, node.thenStatement)) continue;
    const flag = unsetFlag(node.expression);
    if (flag && outlivesCall(flag, owner, fs) && assigns(node.thenStatement, flag.getText())) return true;
  }
  return false;
}

/** `!flag`, `flag == null`, `flag === undefined`: the flag tested for not being set yet. */
function unsetFlag(condition: ts.Expression): ts.Expression | undefined {
  let tested: ts.Expression | undefined;
  if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) tested = condition.operand;
  if (ts.isBinaryExpression(condition) && /^(==|===)$/.test(condition.operatorToken.getText()) && /^(null|undefined)$/.test(condition.right.getText())) tested = condition.left;
  while (tested && ts.isParenthesizedExpression(tested)) tested = tested.expression;
  return tested && (ts.isIdentifier(tested) || (ts.isPropertyAccessExpression(tested) && tested.expression.kind === ts.SyntaxKind.ThisKeyword)) ? tested : undefined;
}

/** A member of `this`, or a variable declared outside the function the call runs: a flag local to it is new per call. */
function outlivesCall(flag: ts.Expression, owner: ts.Node | undefined, fs: FsModel): boolean {
  if (!ts.isIdentifier(flag)) return true;
  const declaration = fs.findDeclaration(flag);
  return declaration !== undefined && (owner === undefined || !within(declaration, owner));
}

function assigns(branch: ts.Node, flag: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText() === flag) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(branch);
  return found;
}

/**
 * The one call of a function that runs once per process: declared at the top level (`function main()`, `const
 * main = async () =>`), not exported, and referenced only by that call, in a top-level statement outside any loop
 * (`runGameLoop();`, `main().catch(…)`). Two runs of its read-modify-write cycles are never in flight together, so
 * what it saves is its own copy of the file (scale study, seed 59: a game agent that loads its chat history at
 * start and saves it after each turn of its loop, in a module that also serves overlays over WebSockets).
 */
export function runsOncePerProcess(scope: ts.Node, fs: FsModel): ts.CallExpression | undefined {
  const name = topLevelFunctionName(scope);
  if (!name) return undefined;
  const references = referencesTo(name, fs);
  if (references.length !== 1) return undefined;
  const call = references[0]!.parent;
  if (!ts.isCallExpression(call) || call.expression !== references[0]) return undefined;
  for (let node: ts.Node = call.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isIterationStatement(node, false)) return undefined;
  }
  return call;
}

/**
 * Whether a function runs only as part of `scope`: every reference to it lies inside `scope`, or inside
 * functions that themselves run only as part of it (a loop's `save(history)` helper), a few levels deep.
 */
export function runsOnlyWithin(fn: ts.Node, scope: ts.Node, fs: FsModel, depth = 0): boolean {
  const name = functionNameOf(fn);
  if (!name || depth > 3) return false;
  const references = referencesTo(name, fs);
  return references.length > 0 && references.every((reference) => {
    if (within(reference, scope)) return true;
    const caller = owningFunction(reference);
    return caller !== undefined && caller !== fn && runsOnlyWithin(caller, scope, fs, depth + 1);
  });
}

function referencesTo(name: ts.Identifier, fs: FsModel): ts.Identifier[] {
  const references: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && fs.findDeclaration(node) === name) references.push(node);
    ts.forEachChild(node, visit);
  };
  visit(name.getSourceFile());
  return references;
}

/** A function declaration's name, or the `const` a function expression is bound to. */
function functionNameOf(fn: ts.Node): ts.Identifier | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn && ts.isIdentifier(fn.parent.name)) return fn.parent.name;
  return undefined;
}

/** The name of a function declared by a top-level statement that is not exported. */
function topLevelFunctionName(scope: ts.Node): ts.Identifier | undefined {
  const name = functionNameOf(scope);
  const statement = name && !ts.isFunctionDeclaration(scope) ? scope.parent.parent.parent : scope;
  if (!name || !ts.isSourceFile(statement.parent)) return undefined;
  const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  return exported ? undefined : name;
}

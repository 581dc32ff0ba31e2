// Loads done once per object or module: after them the program works on its in-memory copy.
import { ts } from "./ts";
import type { FsModel } from "./fsModel";
import { within } from "./existenceGuards";
import { owningFunction } from "./ast";
import { onlyCalledHere, sameFileCalls } from "./callables";

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
 * The one call of a function that runs once per process: a function the module does not export and spells only at
 * that call (`onlyCalledHere`), made by a top-level statement outside any loop (`runGameLoop();`,
 * `main().catch(…)`). Two runs of its read-modify-write cycles are never in flight together, so what it saves is its
 * own copy of the file (scale study, seed 59: a game agent that loads its chat history at start and saves it after
 * each turn of its loop, in a module that also serves overlays over WebSockets).
 */
export function runsOncePerProcess(scope: ts.Node, fs: FsModel): ts.CallExpression | undefined {
  const calls = namedFunctionCalls(scope, fs);
  if (calls?.length !== 1) return undefined;
  const call = calls[0]!;
  for (let node: ts.Node = call.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isIterationStatement(node, false)) return undefined;
  }
  return call;
}

/**
 * Whether a function runs only as part of `scope`: every call of it lies inside `scope`, or inside functions that
 * themselves run only as part of it (a loop's `save(history)` helper), a few levels deep.
 */
export function runsOnlyWithin(fn: ts.Node, scope: ts.Node, fs: FsModel, depth = 0): boolean {
  const calls = depth > 3 ? undefined : namedFunctionCalls(fn, fs);
  return calls !== undefined && calls.length > 0 && calls.every((call) => {
    if (within(call, scope)) return true;
    const caller = owningFunction(call);
    return caller !== undefined && caller !== fn && runsOnlyWithin(caller, scope, fs, depth + 1);
  });
}

/** All calls of a function this module alone can call and never hands on as a value; undefined for any other. */
function namedFunctionCalls(fn: ts.Node, fs: FsModel): ts.CallExpression[] | undefined {
  if (!ts.isFunctionDeclaration(fn) && !((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent))) return undefined;
  return onlyCalledHere(fs, fn) ? sameFileCalls(fs, fn) : undefined;
}

/**
 * A store loaded once and saved from that one in-memory copy: the read runs in `scope`, which runs once per process
 * (the module's top level, a top-level IIFE, or a function whose one call is a top-level statement), and the write
 * runs in a function nested in it (a poll handed to `setInterval`, a signal handler, a scheduler's callback; not a
 * promise continuation) that does not read the file again. Every run of the nested function writes the same shared
 * copy, so no run writes back a value it read itself and no update of this process is lost (scale study, seed 78:
 * bots keeping posted ids and state).
 * `writers` lists the places that write the file in the module (asked last, only when the rest holds): any outside
 * `scope` could be overwritten by the copy.
 */
export function savesLoadedCopy(read: ts.Node, write: ts.Node, readKeys: (fn: ts.Node) => boolean, scope: ts.Node, writers: () => readonly ts.Node[], fs: FsModel): boolean {
  if (!runsOnceAtTop(scope, fs)) return false;
  let nested: ts.Node | undefined;
  for (let node: ts.Node | undefined = write.parent; node && node !== scope; node = node.parent) if (ts.isFunctionLike(node)) nested = node;
  if (!nested || within(read, nested) || readKeys(nested) || continuesPromise(nested)) return false;
  return writers().every((writer) => within(writer, scope));
}

/**
 * A callback handed to `.then`, `.catch` or `.finally`: it runs once, right after what it continues (`read(p).then((obj)
 * => write(p, …))` is one asynchronous cycle, not a later save of a loaded copy: labelled study, a per-user counter).
 */
function continuesPromise(fn: ts.Node): boolean {
  const call = fn.parent;
  return ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) && ts.isPropertyAccessExpression(call.expression) && /^(then|catch|finally)$/.test(call.expression.name.text);
}

/** The module's top level, an IIFE among its top-level statements, or a function whose one call is a top-level statement. */
function runsOnceAtTop(scope: ts.Node, fs: FsModel): boolean {
  if (ts.isSourceFile(scope)) return true;
  if (ts.isArrowFunction(scope) || ts.isFunctionExpression(scope)) {
    let callee: ts.Node = scope;
    while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
    const call = callee.parent;
    if (ts.isCallExpression(call) && call.expression === callee) {
      for (let node: ts.Node = call.parent; !ts.isSourceFile(node); node = node.parent) {
        if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isIterationStatement(node, false)) return false;
      }
      return true;
    }
  }
  return runsOncePerProcess(scope, fs) !== undefined;
}

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

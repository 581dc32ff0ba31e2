import { ts } from "./ts";
import type { FsModel } from "./fsModel";
import { referencedIdentifiers } from "./ast";

/** Code that runs once per item: a loop, or a callback an array method calls per element (`items.map((item) => …)`). */
export type PerItemScope = ts.IterationStatement | ts.ArrowFunction | ts.FunctionExpression;

/**
 * Whether `expression` is built from a value that changes with each iteration of `loop`: the loop's own
 * variables (`for (const [file] of fixes)`, `for (let i = 0; …)`, an array callback's parameters), or consts the
 * body computes from them (`const name = entries[i].entryName`). A body const built from nothing that changes
 * (`const p = join(dir, "state.json")`) is the same value every time.
 */
export function variesPerIteration(expression: ts.Node, loop: PerItemScope, fs: FsModel, depth = 0): boolean {
  const body = ts.isIterationStatement(loop, false) ? loop.statement : loop.body;
  return referencedIdentifiers(expression).some((identifier) => {
    // A counter the `for` statement steps, wherever it is declared (`for (x = 0; x < n; x++)`, x an outer or
    // undeclared variable: scale study, seed 58).
    if (ts.isForStatement(loop) && loop.incrementor && steppedNames(loop.incrementor).has(identifier.text)) return true;
    const name = fs.findDeclaration(identifier);
    let binding: ts.Node | undefined = name?.parent;
    while (binding && (ts.isBindingElement(binding) || ts.isArrayBindingPattern(binding) || ts.isObjectBindingPattern(binding))) binding = binding.parent;
    if (!binding) return false;
    if (ts.isParameter(binding)) return binding.parent === loop;
    if (!ts.isVariableDeclaration(binding)) return false;
    if (ts.isVariableDeclarationList(binding.parent) && binding.parent.parent === loop) return true;
    if (depth > 3 || !binding.initializer || binding.name !== name || binding.pos < body.pos || binding.end > body.end) return false;
    return variesPerIteration(binding.initializer, loop, fs, depth + 1);
  });
}

/** The variables an incrementor updates: `i++`, `--i`, `i += 2`, `i = i + 1`, and each of `i++, j--`. */
function steppedNames(incrementor: ts.Expression): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Expression): void => {
    if ((ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && ts.isIdentifier(node.operand)) names.add(node.operand.text);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      visit(node.left);
      visit(node.right);
    } else if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) names.add(node.left.text);
  };
  visit(incrementor);
  return names;
}

/** The loops and per-element array callbacks whose body holds `node`, innermost first. */
export function perItemScopesAround(node: ts.Node): PerItemScope[] {
  const scopes: PerItemScope[] = [];
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (ts.isIterationStatement(current, false) && current.statement === child) scopes.push(current);
    else if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && current.body === child && isArrayCallback(current)) scopes.push(current);
  }
  return scopes;
}

/** A function passed to an array method that calls it once per element. */
function isArrayCallback(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const call = fn.parent;
  return ts.isCallExpression(call) && call.arguments[0] === fn && ts.isPropertyAccessExpression(call.expression) && /^(map|forEach|flatMap|filter|some|every)$/.test(call.expression.name.text);
}

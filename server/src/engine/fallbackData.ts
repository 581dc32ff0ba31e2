import { ts } from "./ts";
import { endsInReturnOrThrow } from "./ast";
import { within } from "./existenceGuards";
import { skipWrappers } from "./fsModel";

/**
 * What a read's failure handler hands on as data, and whether tests of that data keep it from a later write.
 * `catch { return null }` then `if (selection && …) save(…)`, `catch { return {} }` then `if (!db.clans) return`,
 * `catch { return { tier: "agpl" } }` then `if (license.status !== "pending") return`: the data a failed read
 * turns into never reaches the write (scale study, seeds 57 and 68).
 */

/**
 * A value known in the source: a primitive, or an object literal whose properties are known too. A property the
 * source does not fix (`{ current: this.current, accounts: {} }`) is there, of a value not known.
 */
type Known = { kind: "primitive"; value: string | number | boolean | null | undefined } | { kind: "object"; properties: Map<string, Known> } | { kind: "unknown" };

/** Names every object has through its prototype: `{}` is not empty of them. */
const INHERITED = new Set(["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "__proto__"]);

/** Every value the handler returns or assigns, when each is known in the source (undefined when any is not). */
export function fallbackValues(handler: ts.Node): Known[] | undefined {
  const body = ts.isCatchClause(handler) ? handler.block : ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) ? handler.body : undefined;
  if (!body) return undefined;
  const values: (ts.Expression | undefined)[] = [];
  if (!ts.isBlock(body)) values.push(body);
  let returns = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) {
      returns = true;
      values.push(node.expression);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(body)) ts.forEachChild(body, visit);
  // `try { … return parsed } catch { this.current = "a" } return { current: this.current, accounts: {} }`: a catch that
  // returns nothing falls through to the return after its try, and that is what a failed read hands on (scale study,
  // seed 77). A return of a variable the catch assigns keeps the assigned values.
  const after = ts.isCatchClause(handler) && !returns ? returnAfter(handler.parent) : undefined;
  if (after && !ts.isIdentifier(skipWrappers(after))) values.splice(0, values.length, after);
  if (values.length === 0) return undefined;
  const known = values.map((value) => (value === undefined ? ({ kind: "primitive", value: undefined } as const) : knownValue(value)));
  return known.every((value): value is Known => value !== undefined) ? known : undefined;
}

/** A branch that ends in `continue` (of the loop around it). */
function endsInContinue(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements.at(-1) : statement;
  return last !== undefined && ts.isContinueStatement(last) && last.label === undefined;
}

/** The expression of a `return` right after `statement` in its block. */
function returnAfter(statement: ts.Node): ts.Expression | undefined {
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  const next = block.statements[block.statements.indexOf(statement as ts.Statement) + 1];
  return next && ts.isReturnStatement(next) ? next.expression : undefined;
}

function knownValue(expression: ts.Expression, depth = 0): Known | undefined {
  const node = skipWrappers(expression);
  if (ts.isStringLiteralLike(node)) return { kind: "primitive", value: node.text };
  if (ts.isNumericLiteral(node)) return { kind: "primitive", value: Number(node.text) };
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return { kind: "primitive", value: node.kind === ts.SyntaxKind.TrueKeyword };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { kind: "primitive", value: null };
  if (ts.isIdentifier(node) && node.text === "undefined") return { kind: "primitive", value: undefined };
  if (ts.isObjectLiteralExpression(node) && depth < 3) {
    const properties = new Map<string, Known>();
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return undefined;
      // A property whose value the source does not fix (an array, a call) is present, and truthy only when an object.
      const value = knownValue(property.initializer, depth + 1) ?? (ts.isArrayLiteralExpression(skipWrappers(property.initializer)) ? { kind: "object", properties: new Map() } : { kind: "unknown" });
      properties.set(property.name.text, value);
    }
    return { kind: "object", properties };
  }
  return undefined;
}

/** A test's outcome with the fallback as `name`: true, false, or undefined when the source does not decide it. */
type Evaluated = { known: true; value: Known } | { known: false };
const UNKNOWN: Evaluated = { known: false };

function evaluate(expression: ts.Expression, name: string, fallback: Known, aliases: ReadonlyMap<string, ts.Expression> = NO_ALIASES, depth = 0): Evaluated {
  const node = skipWrappers(expression);
  if (ts.isIdentifier(node) && node.text === name) return { known: true, value: fallback };
  // A const the block derives from the data (`const token = data.accounts[id]`) stands for its initializer.
  const alias = ts.isIdentifier(node) ? aliases.get(node.text) : undefined;
  if (alias && depth < 4) return evaluate(alias, name, fallback, aliases, depth + 1);
  const recurse = (each: ts.Expression) => evaluate(each, name, fallback, aliases, depth);
  const literal = knownValue(node);
  if (literal && literal.kind === "primitive") return { known: true, value: literal };
  // `warnings[key]` of an empty object is undefined, whatever the key (but an inherited name).
  if (ts.isElementAccessExpression(node) && !ts.isStringLiteral(node.argumentExpression)) {
    const object = recurse(node.expression);
    return object.known && object.value.kind === "object" && object.value.properties.size === 0 ? { known: true, value: { kind: "primitive", value: undefined } } : UNKNOWN;
  }
  if (ts.isPropertyAccessExpression(node) || (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression))) {
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : (node.argumentExpression as ts.StringLiteral).text;
    const object = recurse(node.expression);
    // `token?.accessToken` of an undefined token is undefined.
    if (object.known && object.value.kind === "primitive" && object.value.value == null && node.questionDotToken) return { known: true, value: { kind: "primitive", value: undefined } };
    if (!object.known || object.value.kind !== "object" || INHERITED.has(key)) return UNKNOWN;
    const value = object.value.properties.get(key) ?? { kind: "primitive", value: undefined };
    return value.kind === "unknown" ? UNKNOWN : { known: true, value };
  }
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = truthy(recurse(node.operand));
    return operand === undefined ? UNKNOWN : { known: true, value: { kind: "primitive", value: !operand } };
  }
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const left = truthy(recurse(node.left));
      if (left === undefined) return UNKNOWN;
      // `a && b` is false once `a` is, `a || b` true once `a` is; otherwise what `b` is.
      if (left === (operator === ts.SyntaxKind.BarBarToken)) return { known: true, value: { kind: "primitive", value: left } };
      const right = truthy(recurse(node.right));
      return right === undefined ? UNKNOWN : { known: true, value: { kind: "primitive", value: right } };
    }
    const equality = EQUALITY.get(operator);
    if (equality) {
      const left = recurse(node.left);
      const right = recurse(node.right);
      if (!left.known || !right.known || left.value.kind !== "primitive" || right.value.kind !== "primitive") return UNKNOWN;
      const a = left.value.value;
      const b = right.value.value;
      const same = equality.strict ? a === b : a == b; // eslint-disable-line eqeqeq
      return { known: true, value: { kind: "primitive", value: equality.negated ? !same : same } };
    }
  }
  return UNKNOWN;
}

const NO_ALIASES: ReadonlyMap<string, ts.Expression> = new Map();

const EQUALITY = new Map<ts.SyntaxKind, { strict: boolean; negated: boolean }>([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, { strict: true, negated: false }],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, { strict: true, negated: true }],
  [ts.SyntaxKind.EqualsEqualsToken, { strict: false, negated: false }],
  [ts.SyntaxKind.ExclamationEqualsToken, { strict: false, negated: true }],
]);

function truthy(evaluated: Evaluated): boolean | undefined {
  if (!evaluated.known || evaluated.value.kind === "unknown") return undefined;
  return evaluated.value.kind === "object" ? true : Boolean(evaluated.value.value);
}

/**
 * Whether every fallback value is kept from the write by a test in the read's block: an `if` before the write whose
 * branch exits (`if (license.status !== "pending") return`), or an `if` around it whose branch the value does not
 * take (`if (selection && …) { save() }`). A property the code sets between the read and the test (`db.clans ??= {}`),
 * or the variable assigned again, leaves the test undecided.
 */
export function fallbackNeverReachesWrite(values: readonly Known[], name: string, block: ts.Block, readSite: ts.Node, writeSite: ts.Node): boolean {
  if (!within(writeSite, block)) return false;
  const changedBefore = (at: number) => {
    const escaped = name.replace(/[$]/g, "\\$");
    const assigns = new RegExp(`(^|[^\\w$.])${escaped}(\\s*(\\??\\.[\\w$]+|\\[[^\\]]*\\]))*\\s*(\\?\\?|\\|\\||&&)?=(?!=)|Object\\.assign\\(\\s*${escaped}\\b`);
    return block.statements.some((statement) => statement.pos >= readSite.end && statement.end <= at && assigns.test(statement.getText()));
  };
  const tests: { condition: ts.Expression; excludesWhen: boolean; at: number }[] = [];
  // Early exits before the write in the read's block and in every block around the write inside it: a `return` or
  // `throw`, and a `continue` of a loop around the write (`for (const id of ids) { const token = data.accounts[id];
  // if (!token) continue; … save(data) }`: scale study, seed 77).
  const aliases = new Map<string, ts.Expression>();
  for (let node: ts.Node = writeSite; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isBlock(parent) && (parent === block || within(parent, block))) {
      const loopBody = ts.isForOfStatement(parent.parent) || ts.isForInStatement(parent.parent) || ts.isForStatement(parent.parent) || ts.isWhileStatement(parent.parent) || ts.isDoStatement(parent.parent);
      for (const statement of parent.statements) {
        if (statement.pos < readSite.end || statement.end > writeSite.pos) continue;
        if (ts.isIfStatement(statement) && (endsInReturnOrThrow(statement.thenStatement) || (loopBody && endsInContinue(statement.thenStatement)))) tests.push({ condition: statement.expression, excludesWhen: true, at: statement.pos });
        // Consts derived before the tests (`const token = data.accounts[id]`), kept as what they stand for.
        if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
          for (const each of statement.declarationList.declarations) if (ts.isIdentifier(each.name) && each.initializer && each.name.text !== name) aliases.set(each.name.text, each.initializer);
        }
      }
    }
    if (parent === block) break;
    if (ts.isIfStatement(parent) && parent.pos >= readSite.end) {
      if (parent.thenStatement === node) tests.push({ condition: parent.expression, excludesWhen: false, at: parent.pos });
      else if (parent.elseStatement === node) tests.push({ condition: parent.expression, excludesWhen: true, at: parent.pos });
    }
  }
  const decided = tests.filter((test) => !changedBefore(test.at));
  return values.every((value) => decided.some((test) => truthy(evaluate(test.condition, name, value, aliases)) === test.excludesWhen));
}

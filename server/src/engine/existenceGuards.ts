import { ts } from "./ts";
import { calleeName } from "./ast";

/**
 * Where an existence check (existsSync, access, stat) decides what runs: syntax only. Shared by
 * check-then-act (which reports a use in either outcome) and non-atomic-write (which skips writes that
 * only run when the file is missing: they create it, they replace nothing).
 */
export interface GuardOutcomes {
  /** Runs when the file exists. */
  exists: ts.Node[];
  /** Runs when it does not (or when the check threw). */
  missing: ts.Node[];
}

/** A test that an error is a missing file (`error.code === "ENOENT"`). */
export const ENOENT_IS = /\bcode\s*===?\s*["'`]ENOENT["'`]|["'`]ENOENT["'`]\s*===?\s*[\w$.?]*\bcode\b/;

export function guardOutcomes(check: ts.CallExpression): GuardOutcomes | undefined {
  const answered = callbackOutcomesOf(check);
  if (answered) return answered;
  let node: ts.Node = check;
  let negated = false;
  let settled = false;
  for (;;) {
    const parent = node.parent;
    if (!parent) break;
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) negated = !negated;
    if (ts.isAwaitExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isParenthesizedExpression(parent)) node = parent;
    else if (ts.isBinaryExpression(parent) && /&&|\|\|/.test(parent.operatorToken.getText())) node = parent;
    // `await Promise.all([access(cert), access(key)])`: fails when either is missing.
    else if (ts.isArrayLiteralExpression(parent) && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression.getText() === "Promise.all") node = parent.parent;
    // `pathExists(p).then((exists) => { if (exists) return open(p); return create(p) })`: the callback's parameter
    // is the answer, decided on in its body like a stored one (scale study, seed 51).
    else if (ts.isPropertyAccessExpression(parent) && parent.name.text === "then" && parent.parent && ts.isCallExpression(parent.parent) && answeredInCallback(parent.parent) && !negated) {
      return callbackOutcomes(parent.parent);
    }
    // `stat(p).then(() => true, () => false)`
    else if (ts.isPropertyAccessExpression(parent) && /^(then|catch)$/.test(parent.name.text) && parent.parent && ts.isCallExpression(parent.parent)) {
      node = parent.parent;
      settled = true;
    } else break;
  }
  // `const stats = statSync(p); if (stats.size < max) read(p)`: a stat or access that throws for a missing file,
  // with nothing catching it, decides nothing about existence — a missing file throws there, as a vanished one
  // throws at the use.
  if (!settled && throwsWhenMissing(check) && !insideTry(check)) return undefined;
  const parent = node.parent;
  if (parent && ts.isIfStatement(parent) && parent.expression === node) return ifOutcomes(parent, negated);
  if (parent && ts.isConditionalExpression(parent) && parent.condition === node) {
    return negated ? { exists: [parent.whenFalse], missing: [parent.whenTrue] } : { exists: [parent.whenTrue], missing: [parent.whenFalse] };
  }
  // `try { statSync(p) } catch { … }`: the catch is the missing case, the rest of the try the existing one.
  if (parent && ts.isExpressionStatement(parent) && node === parent.expression && ts.isBlock(parent.parent) && ts.isTryStatement(parent.parent.parent)) {
    const tryStatement = parent.parent.parent;
    if (tryStatement.tryBlock === parent.parent && tryStatement.catchClause) {
      return { exists: parent.parent.statements.slice(parent.parent.statements.indexOf(parent) + 1), missing: [tryStatement.catchClause.block] };
    }
  }
  // `const exists = fs.existsSync(p); if (exists) …`
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && !negated) {
    const statement = parent.parent.parent;
    const block = statement.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
    const name = parent.name.text;
    const later = block.statements.slice(block.statements.indexOf(statement as ts.Statement) + 1);
    const decision = later.find((each): each is ts.IfStatement => ts.isIfStatement(each) && new RegExp(`\\b${name}\\b`).test(each.expression.getText()));
    if (!decision) return undefined;
    // Only the decision's own branches for a stored stat, which often feeds identity checks after an early exit;
    // a stored yes/no (`const exists = existsSync(ip); if (exists) return ip;`) guards what follows the exit too
    // (scale study, seed 51: an icon written only when missing).
    const answersYesNo = !/^(stat|lstat)(Sync)?$/.test(ts.isPropertyAccessExpression(check.expression) ? check.expression.name.text : ts.isIdentifier(check.expression) ? check.expression.text : "");
    return ifOutcomes(decision, /^\s*!/.test(decision.expression.getText()), answersYesNo && testsOnly(decision, name));
  }
  return undefined;
}

/**
 * A callback-style check (`fs.access(p, R_OK, (error) => { if (error) create(p); else read(p) })`, `fs.exists(p,
 * (yes) => …)`): the callback's first `if` on its parameter decides. An error means missing; `exists` answers
 * yes or no (scale study, seed 63: a store created where `access` failed).
 */
function callbackOutcomesOf(check: ts.CallExpression): GuardOutcomes | undefined {
  const callback = lastCallback(check);
  if (!callback || !/^(access|stat|lstat|exists)$/.test(calleeName(check.expression))) return undefined;
  // `stat(p, (error, stats) => … stats.mtime …)` reads what stat returned (an age, a size): another question.
  const stats = callback.parameters[1]?.name;
  if (stats && ts.isIdentifier(stats) && new RegExp(`(^|[^\\w$.])${stats.text.replace(/[$]/g, "\\$")}\\b`).test(callback.body.getText())) return undefined;
  return decidedInCallback(callback, calleeName(check.expression) === "exists");
}

/**
 * A read with an error-first callback (`fs.readFile(p, (error, data) => { if (error) create(p); else use(data) })`):
 * the branch its first `if` on the error takes when the read failed is where the file was not there to read
 * (scale study, seed 64: a counter and a flag file created where `readFile` failed). What it does with the data
 * in the other branch is the read's business.
 */
export function readCallbackOutcomes(read: ts.CallExpression): GuardOutcomes | undefined {
  const callback = lastCallback(read);
  // Also an open for reading (`open(p, "r", (error, fd) => { if (error) writeFileSync(p, "{}") })`: seed 65).
  const flag = read.arguments[1];
  const opensToRead = calleeName(read.expression) === "open" && flag !== undefined && ts.isStringLiteralLike(flag) && /^r/.test(flag.text);
  return callback && (opensToRead || /^(readFile|readJson|readJSON)$/.test(calleeName(read.expression))) ? decidedInCallback(callback, false) : undefined;
}

function lastCallback(call: ts.CallExpression): (ts.ArrowFunction | ts.FunctionExpression) & { body: ts.Block } | undefined {
  const callback = call.arguments[call.arguments.length - 1];
  if (!callback || call.arguments.length < 2 || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || !ts.isBlock(callback.body)) return undefined;
  const parameter = callback.parameters[0];
  return parameter && ts.isIdentifier(parameter.name) ? (callback as (ts.ArrowFunction | ts.FunctionExpression) & { body: ts.Block }) : undefined;
}

/** The callback's first `if` on its first parameter: an error-first one's `if (error)` is the missing case. */
function decidedInCallback(callback: ts.ArrowFunction | ts.FunctionExpression, answersYes: boolean): GuardOutcomes | undefined {
  const answer = (callback.parameters[0]!.name as ts.Identifier).text;
  const decision = (callback.body as ts.Block).statements.find((each): each is ts.IfStatement => ts.isIfStatement(each) && testsOnly(each, answer));
  if (!decision) return undefined;
  const negated = /^\s*!/.test(decision.expression.getText());
  return ifOutcomes(decision, answersYes ? negated : !negated);
}

/** `.then((exists) => { … })` on a yes/no existence check: one identifier parameter and a block body. */
function answeredInCallback(then: ts.CallExpression): boolean {
  const callback = then.arguments[0];
  return callback !== undefined && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters.length === 1 && ts.isIdentifier(callback.parameters[0]!.name) && ts.isBlock(callback.body);
}

/** The outcomes the callback's first `if (answer)` / `if (!answer)` decides, early exit included. */
function callbackOutcomes(then: ts.CallExpression): GuardOutcomes | undefined {
  const callback = then.arguments[0] as ts.ArrowFunction | ts.FunctionExpression;
  const name = (callback.parameters[0]!.name as ts.Identifier).text;
  const body = callback.body as ts.Block;
  const decision = body.statements.find((each): each is ts.IfStatement => ts.isIfStatement(each) && testsOnly(each, name));
  return decision ? ifOutcomes(decision, /^\s*!/.test(decision.expression.getText())) : undefined;
}

/** `if (answer)` or `if (!answer)`: the statement decides on the stored answer alone. */
function testsOnly(statement: ts.IfStatement, name: string): boolean {
  return statement.expression.getText().replace(/^\s*!\s*/, "").trim() === name;
}

function ifOutcomes(statement: ts.IfStatement, negated: boolean, withEarlyExit = true): GuardOutcomes {
  const whenTrue = [statement.thenStatement];
  const whenFalse: ts.Node[] = statement.elseStatement ? [statement.elseStatement] : [];
  // `if (!exists(p)) return …;` guards everything after it in the same block.
  if (withEarlyExit && exits(statement.thenStatement) && (ts.isBlock(statement.parent) || ts.isSourceFile(statement.parent))) {
    const siblings = statement.parent.statements;
    whenFalse.push(...siblings.slice(siblings.indexOf(statement) + 1));
  }
  return negated ? { exists: whenFalse, missing: whenTrue } : { exists: whenTrue, missing: whenFalse };
}

function exits(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  if (last === undefined) return false;
  if (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last) || ts.isBreakStatement(last)) return true;
  // `try { return parse(read(p)) } catch (e) { throw wrap(e) }` and `if (a) return x; else throw y`: every way out
  // leaves (scale study, seed 62: a database adapter seeds its file after such a block for an existing one).
  if (ts.isTryStatement(last)) return (last.finallyBlock !== undefined && exits(last.finallyBlock)) || (exits(last.tryBlock) && (!last.catchClause || exits(last.catchClause.block)));
  if (ts.isIfStatement(last)) return last.elseStatement !== undefined && exits(last.thenStatement) && exits(last.elseStatement);
  // `process.exit(0)`
  return ts.isExpressionStatement(last) && ts.isCallExpression(last.expression) && /^process\.exit$/.test(last.expression.expression.getText());
}

/** `stat`, `lstat`, `access` (and their Sync forms) reject or throw for a missing file, unless told not to. */
function throwsWhenMissing(check: ts.CallExpression): boolean {
  const callee = check.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
  return /^(stat|lstat|access)(Sync)?$/.test(name) && !/throwIfNoEntry\s*:\s*false/.test(check.getText());
}

/** Inside the try block of a try statement with a catch, in the same function. */
function insideTry(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && !ts.isFunctionLike(current.parent); current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause) return true;
  }
  return false;
}

export function within(node: ts.Node, region: ts.Node): boolean {
  return region.pos <= node.pos && node.end <= region.end;
}

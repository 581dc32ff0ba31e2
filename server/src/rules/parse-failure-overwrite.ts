import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import type { FileAccess } from "../engine/accesses";
import { calleeName, endsInReturnOrThrow, inExclusiveArms, referencedIdentifiers, resultBinding, scopeOf, shorten } from "../engine/ast";
import { writeDependsOnRead } from "../engine/dataFlow";
import { fallbackNeverReachesWrite, fallbackValues } from "../engine/fallbackData";
import { within } from "../engine/existenceGuards";
import { isCacheTarget, isProcessRecord } from "../engine/locations";
import { displayPath } from "../engine/paths";
import { NETWORK_CALL } from "../engine/downloads";
import { isPromiseExecutor, skipWrappers } from "../engine/fsModel";
import { cases } from "./parse-failure-overwrite.cases";

export const parseFailureOverwrite: RuleModule = {
  id: "parse-failure-overwrite",
  defaultSeverity: "error",
  shortDescription: "A failed read (corrupt JSON, any error) becomes empty data that the same flow writes back: one bad read wipes the file.",
  description:
    "`try { return JSON.parse(await readFile(p)) } catch { return [] }` turns a corrupt or half-written file — or " +
    "EACCES, EMFILE — into an empty list; the next save writes that list back and every record is gone (seed " +
    "002's readAll/save). Only a missing file may mean 'empty'. Read with the runtime's readJsonFile (missing → " +
    "default, corrupt → an error naming file and position), or move the corrupt file aside before writing.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile } = context;
  for (const [scope, accesses] of context.accesses()) {
    for (const write of accesses) {
      if (write.kind !== "write") continue;
      let handler: ts.Node | undefined;
      // What the failed read turned into must be what is written (a read only compared before writing fresh data is harmless).
      const read = accesses.find(
        (candidate) =>
          candidate.kind === "read" && candidate.key === write.key && candidate.site.pos < write.site.pos &&
          // A write in the other arm of the read's `if` (`if (exists(p)) { try { read } catch { … } } else { write }`:
          // seed 74) runs only where no read was made.
          !inExclusiveArms(candidate.site, write.site) &&
          (handler = swallowingCatch(candidate.origin, write.site.pos) ?? swallowingParseOfResult(candidate.origin, write.site.pos)) !== undefined &&
          // A write inside the same try runs only when the read succeeded: the catch's data never reaches it.
          !(ts.isCatchClause(handler) && ts.isTryStatement(handler.parent) && within(write.site, handler.parent.tryBlock)) &&
          // A write in the handler itself stores the replacement (a "repair" that overwrites the file with a default).
          (within(write.site, handler) || writeDependsOnRead(candidate.site, write.site, write.data, scope, context.fs, write.state)),
      );
      if (!read || !handler || emptyResultGuard(read.site, write.site) || nonEmptyGuard(read.site, write.site) || rereadFirst(read, write, accesses) || catchLeavesBeforeWrite(handler, write.origin)) continue;
      if (fallbackGuarded(handler, read.site, write.site)) continue;
      if (fetchesFromSource(handler)) continue;
      // The rule's own advice followed: the unreadable file is kept aside before the defaults replace it.
      if (keepsFileAside(handler, read.origin)) continue;
      // A lock or pid record is its owner's, a cache is rebuilt from its source: rewriting an unreadable one
      // whole loses nothing (scale study, seed 31).
      if (isProcessRecord(displayPath(write.key)) || isCacheTarget(write.written, write.key, sourceFile, context.fs)) continue;
      const line = sourceFile.getLineAndCharacterOfPosition(handler.getStart(sourceFile)).line + 1;
      context.report({
        node: write.site,
        message: `If reading ${shorten(read.written.getText(read.written.getSourceFile()))} fails (corrupt JSON, a half-written file, EACCES), the ${ts.isCatchClause(handler) ? "catch" : "rejection handler"} on line ${line} turns it into empty data and this write saves it: one bad read wipes the whole file. Only ENOENT may mean empty: use readJsonFile(path, { default }), or keep the corrupt file aside.`,
      });
    }
  }
}

/**
 * `const ids = await listPlugins(); for (const id of ids) await removePlugin(id)` where removePlugin reads the
 * file again, edits and writes it: what is written comes from that later read, whose failure writes nothing
 * (scale study, seed 30). A later read of the same file between the two at an earlier site, that does not itself turn
 * a failure into data, or any read in the write's own helper before its write.
 */
function rereadFirst(read: FileAccess, write: FileAccess, accesses: readonly FileAccess[]): boolean {
  return accesses.some(
    (other) =>
      // (The same helper's read reached from another call is another read: `readState()` here, again in `markChecked()`.)
      other !== read && other.kind === "read" && other.key === write.key && (other.origin !== read.origin || other.site !== read.site) &&
      // Inside the write's own helper (`markChecked()` → readState, writeState): the helper's read is what it
      // writes back, judged (and reported once) where the helper composes them, not again at every caller that
      // read the file before (seed 48: seven reports of one helper).
      (other.site === write.site
        ? other.origin.pos < write.origin.pos && !within(read.origin, other.site)
        : other.site.pos > read.site.pos && other.site.pos < write.site.pos && failureSkipsWrite(other.origin, write.origin)),
  );
}

/** A failed read throws past the write: nothing turns it into data, or the catch's try also holds the write. */
function failureSkipsWrite(read: ts.Node, write: ts.Node): boolean {
  const handler = swallowingCatch(read, write.pos) ?? swallowingParseOfResult(read, write.pos);
  return handler === undefined || (ts.isCatchClause(handler) && ts.isTryStatement(handler.parent) && within(write, handler.parent.tryBlock));
}

/**
 * `catch { writeFileSync(`${p}.bak`, text); return reset() }` or `catch { renameSync(p, p + ".corrupt") }`: the
 * handler copies the text it read, or moves or copies the file, to another path before anything replaces it
 * (scale study, seed 63: a schema-checked JSON store).
 */
function keepsFileAside(handler: ts.Node, read: ts.Node): boolean {
  const body = ts.isCatchClause(handler) ? handler.block : ts.isFunctionLike(handler) && "body" in handler ? handler.body : undefined;
  if (!body || !ts.isCallExpression(read)) return false;
  const text = resultBinding(read);
  const readPath = read.arguments[0] ? skipWrappers(read.arguments[0]).getText() : undefined;
  let kept = false;
  const visit = (node: ts.Node): void => {
    if (kept || (node !== body && ts.isFunctionLike(node))) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const [first, second] = node.arguments;
      if (/^(rename|copyFile|copy|move|cp)(Sync)?$/.test(name) && first && second && readPath !== undefined && skipWrappers(first).getText() === readPath && second.getText() !== readPath) kept = true;
      const data = second && skipWrappers(second);
      if (/^(writeFile|outputFile)(Sync)?$/.test(name) && first && data && ts.isIdentifier(data) && data.text === text && (readPath === undefined || first.getText() !== readPath)) kept = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return kept;
}

/**
 * `try { source = read(p) } catch { return "failed" } … write(p, edited(source))` in one function: the catch
 * leaves the function, so the write after the try never runs on a failed read (scale study, seed 31).
 */
function catchLeavesBeforeWrite(handler: ts.Node, write: ts.Node): boolean {
  if (!ts.isCatchClause(handler) || !ts.isTryStatement(handler.parent) || write.pos < handler.parent.end) return false;
  if (scopeOf(handler) !== scopeOf(write)) return false;
  return endsInReturnOrThrow(handler.block);
}

/**
 * `const entries = read(p); if (entries.length === 0) return; … write(p, entries)`: the empty data a failed
 * read turns into never reaches the write.
 */
function emptyResultGuard(readSite: ts.Node, writeSite: ts.Node): boolean {
  const result = resultVariable(readSite);
  if (!result) return false;
  const { block } = result;
  const name = result.name.replace(/[$]/g, "\\$");
  // `.length === 0`, `.length < 1`, or any upper bound (`.length <= MAX`): an empty list exits.
  const empty = new RegExp(`\\b${name}\\.length\\s*(===?\\s*0\\b|<=?)|!\\s*${name}\\b(?!\\.)|\\b${name}\\s*===?\\s*(null|undefined)|Object\\.keys\\(\\s*${name}\\s*\\)\\.length\\s*===?\\s*0`);
  return block.statements.some(
    (statement) =>
      ts.isIfStatement(statement) && statement.pos > readSite.end && statement.end <= writeSite.pos && empty.test(statement.expression.getText()) && endsInReturnOrThrow(statement.thenStatement),
  );
}

/**
 * `const current = read(p).catch(() => []); const remaining = current.filter(…); if (remaining.length > 0)
 * write(p, remaining); else unlink(p)`: the write runs only when what the read gave (or a list derived from it
 * in the same block) is not empty, and a failed read's empty data never reaches it (seed 38). So does a remove
 * command that saves only when it found something (`if (notes.length > kept.length) save(kept)`, `if (keep.length < all.length)`, `if (index > -1)`,
 * or the `else` of `if (kept.length === notes.length)`): with nothing read there is nothing to find (seed 56's notes apps).
 * A list longer than a named bound (`if (agentEvents.length > this.MAX_EVENTS) save(trimmed)`) is not empty either (seed 77).
 */
function nonEmptyGuard(readSite: ts.Node, writeSite: ts.Node): boolean {
  const result = resultVariable(readSite);
  if (!result) return false;
  const { block } = result;
  // The read's variable and the consts the same block derives from it (`current.filter(…)`); among them the lists
  // that are empty when it is (`filter`, `slice`, `map`) and the positions searched in it (`indexOf`, `findIndex`).
  const names = new Set([result.name]);
  const lists = new Set([result.name]);
  const positions = new Set<string>();
  const found = new Set<string>();
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement) || statement.pos < readSite.end) continue;
    for (const each of statement.declarationList.declarations) {
      if (!ts.isIdentifier(each.name) || !each.initializer || !referencedIdentifiers(each.initializer).some((identifier) => names.has(identifier.text))) continue;
      names.add(each.name.text);
      const method = derivedBy(each.initializer, lists);
      if (method && SAME_OR_FEWER.test(method)) lists.add(each.name.text);
      if (method && POSITION.test(method)) positions.add(each.name.text);
      if (method && FOUND.test(method)) found.add(each.name.text);
    }
  }
  if (!within(writeSite, block)) return false;
  const counters = countersOfItems(block, readSite, names);
  const alternation = (set: Set<string>) => (set.size > 0 ? [...set].map((name) => name.replace(/[$]/g, "\\$")).join("|") : "(?!)");
  const anyName = alternation(names);
  const list = alternation(lists);
  const position = alternation(positions);
  const element = alternation(found);
  const counter = alternation(counters);
  // Conditions false when the read gave nothing: the `then` of these runs only on found data…
  const nonEmpty = new RegExp(String.raw`^((Object\.keys\(\s*)?(${anyName})\)?\.length(\s*(>\s*0|>=\s*1|!==?\s*0))?|(${list})\.length\s*>\s*([\w$.]+\.length|\d+|[A-Za-z_$][\w$.]*)|(${list})\.length\s*!==?\s*(${list})\.length|[\w$.]+\.length\s*<\s*(${list})\.length|(${position})\s*(>\s*-\s*1|>=\s*0|!==?\s*-\s*1)|(${element})|(${counter})(\s*(>\s*0|>=\s*1|!==?\s*0))?)$`);
  // …and the `else` of these, or an exit on them before the write (`if (index === -1) return res.status(404)…`).
  const empty = new RegExp(String.raw`^(!\s*(${list})\.length|(${list})\.length\s*===?\s*(0|(${list})\.length)|(${position})\s*(===?\s*-\s*1|<\s*0)|!\s*(${element})|(${element})\s*===?\s*(undefined|null)|!\s*(${counter})|(${counter})\s*(===?\s*0|<\s*1))$`);
  // The same tests kept in a const first (`const removed = next.length !== current.length; if (removed) save(next)`:
  // scale study, seed 72), and their negations.
  const flags = new Map<string, boolean>();
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement) || statement.pos < readSite.end) continue;
    for (const each of statement.declarationList.declarations) {
      if (!ts.isIdentifier(each.name) || !each.initializer) continue;
      const test = each.initializer.getText().trim();
      if (nonEmpty.test(test)) flags.set(each.name.text, true);
      else if (empty.test(test)) flags.set(each.name.text, false);
    }
  }
  const says = (condition: string, found: boolean): boolean => {
    const negated = /^!\s*([\w$]+)$/.exec(condition);
    if (negated && flags.has(negated[1]!)) return flags.get(negated[1]!) === !found;
    return flags.get(condition) === found || (found ? nonEmpty : empty).test(condition);
  };
  for (const statement of block.statements) {
    if (ts.isIfStatement(statement) && statement.pos > readSite.end && statement.end <= writeSite.pos && says(statement.expression.getText().trim(), false) && endsInReturnOrThrow(statement.thenStatement)) return true;
  }
  for (let node: ts.Node | undefined = writeSite; node && node.parent && node !== block; node = node.parent) {
    if (!ts.isIfStatement(node.parent)) continue;
    const condition = node.parent.expression.getText().trim();
    if (node.parent.thenStatement === node && says(condition, true)) return true;
    if (node.parent.elseStatement === node && says(condition, false)) return true;
  }
  return false;
}

/**
 * `let cleaned = 0; for (const [id, entry] of Object.entries(shields)) { …; cleaned++ } if (cleaned > 0) save(shields)`:
 * a count (declared `let … = 0` after the read) raised only inside loops over what was read stays 0 when the read
 * gave nothing (scale study, seed 73: a bot's expired-shield cleanup).
 */
function countersOfItems(block: ts.Block, readSite: ts.Node, names: ReadonlySet<string>): Set<string> {
  const candidates = new Set<string>();
  for (const statement of block.statements) {
    if (!ts.isVariableStatement(statement) || statement.pos < readSite.end || !(statement.declarationList.flags & ts.NodeFlags.Let)) continue;
    for (const each of statement.declarationList.declarations) {
      if (ts.isIdentifier(each.name) && each.initializer && ts.isNumericLiteral(each.initializer) && each.initializer.text === "0") candidates.add(each.name.text);
    }
  }
  if (candidates.size === 0) return candidates;
  const overItems = (node: ts.Node): boolean => {
    for (let current: ts.Node | undefined = node.parent; current && current !== block; current = current.parent) {
      const iterated = ts.isForOfStatement(current) || ts.isForInStatement(current) ? current.expression : ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && /^(forEach|map|filter)$/.test(current.expression.name.text) ? current.expression.expression : undefined;
      if (iterated && referencedIdentifiers(iterated).some((identifier) => names.has(identifier.text))) return true;
    }
    return false;
  };
  const counters = new Set(candidates);
  const visit = (node: ts.Node): void => {
    const updated =
      (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && ts.isIdentifier(node.operand) ? node.operand.text
      : ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? node.left.text
      : undefined;
    if (updated && candidates.has(updated) && !overItems(node)) counters.delete(updated);
    ts.forEachChild(node, visit);
  };
  visit(block);
  return counters;
}

/**
 * `function load() { try { return JSON.parse(read(p)) } catch { return {} } }` then `const db = load(); if (!db.clans)
 * return; … save(db)` (scale study, seed 57), `catch { return null }` then `if (selection && …) save(…)`, or
 * `catch { return { tier: "agpl" } }` then `if (license.status !== "pending") return` (seed 68): the data a failed
 * read turns into never reaches the write.
 */
function fallbackGuarded(handler: ts.Node, readSite: ts.Node, writeSite: ts.Node): boolean {
  const values = fallbackValues(handler);
  const result = values && resultVariable(readSite);
  return values !== undefined && result !== undefined && fallbackNeverReachesWrite(values, result.name, result.block, readSite, writeSite);
}

/** Lists derived from a list hold at most its elements; a position searched in an empty list is -1. */
const SAME_OR_FEWER = /^(filter|slice|map|toSorted|toReversed|sort|reverse)$/;
const POSITION = /^(indexOf|lastIndexOf|findIndex|findLastIndex)$/;
/** An element searched for in an empty list is undefined. */
const FOUND = /^(find|findLast)$/;

/** `list.filter(…).map(…)`: the last method of a call chain on one of `lists`, when every link is such a call. */
function derivedBy(initializer: ts.Expression, lists: Set<string>): string | undefined {
  if (!ts.isCallExpression(initializer) || !ts.isPropertyAccessExpression(initializer.expression)) return undefined;
  const method = initializer.expression.name.text;
  const receiver = initializer.expression.expression;
  if (ts.isIdentifier(receiver)) return lists.has(receiver.text) ? method : undefined;
  const inner = derivedBy(receiver, lists);
  return inner !== undefined && SAME_OR_FEWER.test(inner) ? method : undefined;
}

/** `const entries = read(p)` directly in a block: the variable the read's result is kept in, and that block. */
function resultVariable(readSite: ts.Node): { name: string; block: ts.Block } | undefined {
  let declaration: ts.Node | undefined = readSite.parent;
  while (declaration && !ts.isVariableDeclaration(declaration) && !ts.isStatement(declaration)) declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const block = declaration.parent?.parent?.parent;
  return block && ts.isBlock(block) ? { name: declaration.name.text, block } : undefined;
}

/** A handler that deals with the error instead of turning it into data: rethrows, rejects, or tests its code. */
const HANDLES_ERROR = /\bthrow\b|\breject\b|ENOENT|\.code\s*[!=]==?|switch\s*\(\s*[\w.]+\.code\b|instanceof\s+SyntaxError/;

/**
 * `catch { return new Promise((res, rej) => { rej() }) }`: the handler returns a promise its executor rejects,
 * whatever the reject parameter is called — the failure goes on as an error, not as data (scale study, seed 66).
 */
function rejectsThroughExecutor(body: ts.Node): boolean {
  const rejects = (node: ts.Node): boolean => {
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && isPromiseExecutor(node)) {
      const reject = node.parameters[1]?.name;
      const called = (inner: ts.Node): boolean => (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === (reject as ts.Identifier).text) || ts.forEachChild(inner, called) === true;
      if (reject && ts.isIdentifier(reject) && called(node.body)) return true;
    }
    return ts.forEachChild(node, rejects) === true;
  };
  return rejects(body);
}

/**
 * The handler that turns a failure of this read into data: a `catch` clause around it, or a `.catch(fn)` /
 * `.then(ok, fn)` later in its promise chain, that neither rethrows nor looks at the error code (one that
 * handles only ENOENT, or rethrows, is fine).
 */
function swallowingCatch(read: ts.Node, writeAt: number): ts.Node | undefined {
  const chained = swallowingChainHandler(read, writeAt);
  if (chained) return chained;
  for (let node: ts.Node | undefined = read.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (ts.isTryStatement(node) && node.catchClause && node.tryBlock.pos <= read.pos && read.end <= node.tryBlock.end) {
      const handler = node.catchClause;
      if (HANDLES_ERROR.test(handler.block.getText()) || rejectsThroughExecutor(handler.block)) return undefined;
      return yieldsData(handler.block) || keepsDefault(node) ? handler : undefined;
    }
    if (ts.isFunctionLike(node)) return undefined;
  }
  return undefined;
}

/**
 * `read(p).then(parse).catch(() => ({ count: 0 })).then((v) => write(p, v))`: the rejection handler of the
 * read's chain that runs before the write (one after it only reports the write's own failure).
 */
function swallowingChainHandler(read: ts.Node, writeAt: number): ts.Node | undefined {
  let current: ts.Node = read;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent) && current.parent.parent.expression === current.parent) {
    const method = current.parent.name.text;
    const call = current.parent.parent;
    const handler = method === "catch" ? call.arguments[0] : method === "then" ? call.arguments[1] : undefined;
    if (handler && handler.end <= writeAt && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) {
      if (HANDLES_ERROR.test(handler.body.getText()) || rejectsThroughExecutor(handler.body)) return undefined;
      if (ts.isBlock(handler.body)) return yieldsData(handler.body) ? handler : undefined;
      return /^console\./.test(handler.body.getText()) ? undefined : handler;
    }
    current = call;
  }
  return undefined;
}

/** The names a read's content arrives in: `const text = read(p)`, or a callback's `(err, data)`. */
function resultNames(read: ts.Node): Set<string> {
  const names = new Set<string>();
  const kept = resultBinding(read);
  if (kept) names.add(kept);
  if (ts.isCallExpression(read)) {
    const callback = read.arguments[read.arguments.length - 1];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
      for (const parameter of callback.parameters.slice(1)) if (ts.isIdentifier(parameter.name)) names.add(parameter.name.text);
    }
  }
  return names;
}

/**
 * `readFile(p, (err, data) => { try { list = JSON.parse(data) } catch { list = [] } … writeFile(p, list) })`:
 * the read itself is not in the try, but parsing what it returned is, and the catch turns that into data.
 */
function swallowingParseOfResult(read: ts.Node, writeAt: number): ts.Node | undefined {
  const names = resultNames(read);
  if (names.size === 0) return undefined;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.pos >= writeAt) return;
    if (ts.isTryStatement(node) && node.catchClause && node.pos >= read.pos && node.end <= writeAt && /\bJSON\.parse\s*\(/.test(node.tryBlock.getText())) {
      const uses = new Set(referencedIdentifiers(node.tryBlock).map((identifier) => identifier.text));
      const handler = node.catchClause;
      if ([...names].some((name) => uses.has(name)) && !HANDLES_ERROR.test(handler.block.getText()) && yieldsData(handler.block)) found = handler;
    }
    ts.forEachChild(node, visit);
  };
  visit(scopeOf(read));
  return found;
}

/**
 * `try { index = await readJson(file) } catch { index = (await axios.get(url)).data; await outputJson(file, index) }`:
 * the handler downloads the content again, so the file is a local copy of remote data and what it writes back
 * is the real content, not empty data (seed 38).
 */
function fetchesFromSource(handler: ts.Node): boolean {
  return NETWORK_CALL.test(handler.getText());
}

/** The catch produces a value: returns one, or assigns one. */
/**
 * `let data = []; try { data = JSON.parse(await readFile(p)) } catch {}`: a catch that only
 * swallows leaves the default the variable was declared with, and that is what the flow goes on with (scale study,
 * seed 62: an MCP server's per-session memory file).
 */
function keepsDefault(tryStatement: ts.TryStatement): boolean {
  const block = tryStatement.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return false;
  const defaults = new Set<string>();
  for (const statement of block.statements.slice(0, block.statements.indexOf(tryStatement))) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.flags & ts.NodeFlags.Const) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer && skipWrappers(declaration.initializer);
      // Empty (`[]`, `{}`): a default with fields (`{ secretKey: "" }`) is usually tested before it is written.
      if (ts.isIdentifier(declaration.name) && value && ((ts.isArrayLiteralExpression(value) && value.elements.length === 0) || (ts.isObjectLiteralExpression(value) && value.properties.length === 0))) defaults.add(declaration.name.text);
    }
  }
  let assigned = false;
  const visit = (node: ts.Node): void => {
    if (assigned || ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && defaults.has(node.left.text)) assigned = true;
    else ts.forEachChild(node, visit);
  };
  if (defaults.size > 0) visit(tryStatement.tryBlock);
  return assigned;
}

function yieldsData(block: ts.Block): boolean {
  let yields = false;
  const visit = (node: ts.Node): void => {
    if (yields || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) yields = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) yields = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return yields;
}

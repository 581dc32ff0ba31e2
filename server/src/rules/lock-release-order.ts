import { ts } from "../engine/ts";
import type { FixProposal, RuleContext, RuleModule } from "../engine/rule";
import { endsInReturnOrThrow, findAll } from "../engine/ast";
import { findLockMaps, lockMapName, type LockMap } from "../engine/lockMaps";
import { cases } from "./lock-release-order.cases";

export const lockReleaseOrder: RuleModule = {
  id: "lock-release-order",
  defaultSeverity: "error",
  shortDescription: "A Map/Set-based in-memory lock is released to its waiters in an order that lets two holders run at once.",
  description:
    "In a Map-based lock (seed 001's `writeLocks`), the holder must delete its entry before (or atomically with) " +
    "waking the waiters, the delete must remove only its own entry, and a woken waiter must re-check in a loop. " +
    "resolve() only schedules waiters, so `release(); locks.delete(key);` with nothing awaited in between is safe " +
    "today but fragile (reported as information); an await between them, a delete of an entry that may be the next " +
    "holder's, or an `if` instead of a `while` around the wait are real races (errors).",
  fixable: true,
  mentions: (text) => /\bnew (Map|Set|WeakMap)\b/.test(text) && /\.delete\(|\bawait\s/.test(text),
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile, fs } = context;
  const maps = findLockMaps(sourceFile, fs.index);
  if (maps.length === 0) return;
  const isLockMap = (expression: ts.Expression): LockMap | undefined =>
    ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)
      ? maps.find((map) => lockMapName(expression) === map.name && (!ts.isIdentifier(expression) || fs.findDeclaration(expression) === map.declaration))
      : undefined;

  for (const block of fs.index.blocks) {
    const statements = block.statements;
    statements.forEach((statement, index) => {
      const deleted = mapCall(statement, "delete", isLockMap);
      if (!deleted) return;
      // (a)/(fragile): a release earlier in the same block.
      for (let r = index - 1; r >= 0; r--) {
        const release = statements[r]!;
        const releaseKind = releaseCall(release, context);
        if (!releaseKind) continue;
        const between = statements.slice(r + 1, index);
        const awaits = between.some((s) => containsSuspension(s));
        const synchronousRelease = releaseKind === "callback";
        const severityNote = awaits || synchronousRelease;
        context.report({
          node: release,
          message: severityNote
            ? `The waiters are released ${synchronousRelease ? "synchronously (a callback runs the next holder now)" : "and then an await yields"} before ${deleted.map.name}.delete(...) runs: the next holder starts while this entry is still in the map, and the delete then removes the next holder's lock. Delete the entry first, then release.`
            : `Waiters are released before ${deleted.map.name}.delete(...). Safe today only because resolve() defers the waiters until this block ends; any await added between these lines opens a race. Delete the entry first, then release.`,
          fix: between.length === 0 ? swap(release, statement, sourceFile) : undefined,
          severity: severityNote ? "error" : "information",
        });
        return;
      }
    });
  }
  reportUnconditionalChainedDelete(context, isLockMap);
  reportIfInsteadOfWhile(context, isLockMap);
}

function mapCall(statement: ts.Statement, method: string, isLockMap: (e: ts.Expression) => LockMap | undefined): { map: LockMap; call: ts.CallExpression } | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const call = statement.expression;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== method) return undefined;
  const map = isLockMap(call.expression.expression);
  return map ? { map, call } : undefined;
}

/**
 * "promise" for a promise resolver (waiters resume later), "callback" for a stored callback that runs
 * the next holder synchronously (`waiters.shift()?.()`), undefined when the statement releases nothing.
 */
function releaseCall(statement: ts.Statement, context: RuleContext): "promise" | "callback" | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  let call = statement.expression;
  if (ts.isAwaitExpression(call)) call = call.expression;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression;
  // A library whose release hands the lock over before returning (async-mutex's `release()`, `mutex.release()`).
  if (handsOver(call, context)) return "callback";
  if (ts.isCallExpression(callee) || (ts.isCallExpression(call) && call.questionDotToken && ts.isCallExpression(callee))) return "callback";
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const owner = callee.expression;
    if (ts.isCallExpression(owner) && ts.isPropertyAccessExpression(owner.expression) && owner.expression.name.text === "shift") return "callback";
    if (ts.isIdentifier(owner) && owner.text === "Promise") return undefined; // Promise.resolve() releases nothing
    return ts.isPropertyAccessExpression(callee) && /^(release|resolve|unlock|notify)/i.test(callee.name.text) ? "promise" : undefined;
  }
  if (!ts.isIdentifier(callee) || !/release|resolve|unlock|done|notify|wake|next/i.test(callee.text)) return undefined;
  // A variable assigned from a Promise executor's resolve is a promise resolver; one taken off a queue is a callback.
  const declaration = context.fs.findDeclaration(callee)?.parent;
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
    let init = declaration.initializer;
    if (ts.isAwaitExpression(init)) init = init.expression;
    if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === "shift") return "callback";
    if (ts.isCallExpression(init) && handsOver(init, context)) return "callback";
  }
  return "promise";
}

/**
 * A library call (the release itself, or the acquire that returned it) whose release runs the next waiter
 * synchronously; in a file that uses async-mutex, also a mutex kept in a map (`(await locks.get(id).acquire())`).
 */
function handsOver(call: ts.CallExpression, context: RuleContext): boolean {
  if (context.fs.calls.some((each) => each.call === call && each.fn.handsOverSynchronously === true)) return true;
  return context.fs.usesModule("async-mutex") && ts.isPropertyAccessExpression(call.expression) && /^(acquire|release)$/.test(call.expression.name.text);
}

function containsSuspension(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current) || ts.isYieldExpression(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function swap(release: ts.Statement, deletion: ts.Statement, sourceFile: ts.SourceFile): FixProposal {
  const releaseText = release.getText(sourceFile);
  const deleteText = deletion.getText(sourceFile);
  return {
    title: "Delete the lock entry before releasing the waiters",
    edits: [
      { start: release.getStart(sourceFile), end: release.end, newText: deleteText },
      { start: deletion.getStart(sourceFile), end: deletion.end, newText: releaseText },
    ],
    runtimeImports: [],
  };
}

/**
 * Chained-queue locks (`const mine = prev.then(...); locks.set(k, mine)`): an unconditional
 * `locks.delete(k)` may remove the next holder's entry; it must check `locks.get(k) === mine`.
 */
function reportUnconditionalChainedDelete(context: RuleContext, isLockMap: (e: ts.Expression) => LockMap | undefined): void {
  const { sourceFile } = context;
  const lockCalls = context.fs.index.calls.filter((call) => ts.isPropertyAccessExpression(call.expression) && isLockMap(call.expression.expression));
  if (lockCalls.length === 0) return;
  for (const fn of context.fs.index.functions) {
    if (!("body" in fn) || fn.body === undefined) continue;
    const calls = lockCalls.filter((call) => fn.pos <= call.pos && call.end <= fn.end);
    if (calls.length === 0) continue;
    const method = (call: ts.CallExpression) => (call.expression as ts.PropertyAccessExpression).name.text;
    const set = calls.find((call) => method(call) === "set" && call.arguments[1] && /\.then\(|\.finally\(|\.catch\(/.test(call.arguments[1].getText(sourceFile) + chainedInitializer(call.arguments[1], context)));
    if (!set || !calls.some((call) => method(call) === "get" && call.pos < set.pos)) continue;
    if (setOnlyWhenAbsent(fn, set, sourceFile)) continue;
    for (const deletion of calls.filter((call) => method(call) === "delete")) {
      if (guardedByIdentity(deletion, sourceFile)) continue;
      context.report({
        node: deletion,
        message: "This unconditional delete may remove the next holder's entry: in a chained-queue lock a later caller has already replaced it. Delete only your own entry: `if (locks.get(key) === mine) locks.delete(key)`.",
        severity: "error",
      });
    }
  }
}

/**
 * `if (ops.has(k)) return ops.get(k); ops.set(k, work.finally(() => ops.delete(k)))`: an in-flight dedupe map,
 * not a queue. A new entry is set only when none exists, so the delete always removes its own. Also through the
 * entry looked up first: `const inflight = ops.get(k); if (inflight != null) return inflight;`, or the set inside
 * `if (inflight == null && …)` (scale study, seed 32).
 */
function setOnlyWhenAbsent(fn: ts.Node, set: ts.CallExpression, sourceFile: ts.SourceFile): boolean {
  const owner = (set.expression as ts.PropertyAccessExpression).expression.getText(sourceFile);
  // `const inflight = owner.get(k)`: the entry found, tested below as present (leave) or absent (set).
  const found = new Set<string>();
  let absentLeaves = false;
  const visit = (node: ts.Node): void => {
    if (absentLeaves || node.pos >= set.pos) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer?.getText(sourceFile).startsWith(`${owner}.get(`)) found.add(node.name.text);
    if (ts.isIfStatement(node) && (node.expression.getText(sourceFile).startsWith(`${owner}.has(`) || testsPresence(node.expression, found, true))) {
      const last = ts.isBlock(node.thenStatement) ? node.thenStatement.statements.at(-1) : node.thenStatement;
      if (last && ts.isReturnStatement(last)) absentLeaves = true;
    }
    if (!ts.isFunctionLike(node) || node === fn) ts.forEachChild(node, visit);
  };
  visit(fn);
  if (absentLeaves) return true;
  // `if (query == null && expired) owner.set(k, …)`: set only inside a branch that found no entry.
  // `(await owner.get(k)) ?? (async () => { …; owner.set(k, p); return p })()`: the right operand runs only when
  // the lookup found none (scale study, seed 37).
  for (let current = set.parent; current && current !== fn; current = current.parent) {
    if (ts.isBinaryExpression(current) && FALLBACK.has(current.operatorToken.kind) && set.pos >= current.right.pos && lookup(current.left).startsWith(`${owner}.get(`)) return true;
    if (ts.isIfStatement(current) && set.pos >= current.thenStatement.pos && set.end <= current.thenStatement.end && conjuncts(current.expression).some((part) => testsPresence(part, found, false))) return true;
  }
  return false;
}

const FALLBACK = new Set([ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken]);

/** The lookup under `await` and parentheses: `(await owner.get(k))` → `owner.get(k)`. */
function lookup(expression: ts.Expression): string {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAwaitExpression(inner)) inner = inner.expression;
  return inner.getText();
}

function conjuncts(expression: ts.Expression): ts.Expression[] {
  const inner = ts.isParenthesizedExpression(expression) ? expression.expression : expression;
  return ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? [...conjuncts(inner.left), ...conjuncts(inner.right)] : [inner];
}

/** `x`, `x != null`, `x !== undefined` (present) or `!x`, `x == null`, `x === undefined` (absent), for a found entry `x`. */
function testsPresence(expression: ts.Expression, found: ReadonlySet<string>, present: boolean): boolean {
  if (ts.isIdentifier(expression)) return present && found.has(expression.text);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) return !present && ts.isIdentifier(expression.operand) && found.has(expression.operand.text);
  if (!ts.isBinaryExpression(expression) || !ts.isIdentifier(expression.left) || !found.has(expression.left.text)) return false;
  if (expression.right.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(expression.right) && expression.right.text === "undefined")) return false;
  const kind = expression.operatorToken.kind;
  const testsAbsent = kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsEqualsToken;
  const testsPresent = kind === ts.SyntaxKind.ExclamationEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  return present ? testsPresent : testsAbsent;
}

function chainedInitializer(expression: ts.Expression, context: RuleContext): string {
  if (!ts.isIdentifier(expression)) return "";
  const declaration = context.fs.findDeclaration(expression)?.parent;
  return declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? declaration.initializer.getText(context.sourceFile) : "";
}

function guardedByIdentity(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if ((ts.isIfStatement(current) || ts.isConditionalExpression(current)) && /\.get\([^)]*\)\s*===|===\s*\w+\.get\(/.test((ts.isIfStatement(current) ? current.expression : current.condition).getText(sourceFile))) return true;
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && /===/.test(current.left.getText(sourceFile))) return true;
  }
  return false;
}

/** `if (locks.has(k)) await locks.get(k); locks.set(k, …)`: a woken waiter must re-check in a loop. */
function reportIfInsteadOfWhile(context: RuleContext, isLockMap: (e: ts.Expression) => LockMap | undefined): void {
  for (const statement of context.fs.index.ifStatements) {
    const awaited = findAll(statement.thenStatement, ts.isAwaitExpression).find(
      (node) => ts.isCallExpression(node.expression) && ts.isPropertyAccessExpression(node.expression.expression) && node.expression.expression.name.text === "get" && isLockMap(node.expression.expression.expression),
    );
    if (!awaited || statement.elseStatement) continue;
    // `if (pending.has(k)) return (await pending.get(k)).value`: the waiter takes the shared result and leaves;
    // it never goes on to take the entry (request coalescing, not a lock).
    if (endsInReturnOrThrow(statement.thenStatement)) continue;
    const block = statement.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block)) continue;
    const after = block.statements.slice(block.statements.indexOf(statement) + 1);
    const takes = after.some((s) => findAll(s, ts.isCallExpression).some((call) => ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "set" && isLockMap(call.expression.expression)));
    if (!takes) continue;
    context.report({
      node: statement.getChildAt(0, context.sourceFile),
      message: "A waiter woken from this await takes the lock without re-checking: when several wait, all of them wake and run together. Wait in a loop: `while (locks.has(key)) await locks.get(key);`.",
      fix: {
        title: "Re-check in a loop (while instead of if)",
        edits: [{ start: statement.getStart(context.sourceFile), end: statement.getStart(context.sourceFile) + 2, newText: "while" }],
        runtimeImports: [],
      },
      severity: "error",
    });
  }
}


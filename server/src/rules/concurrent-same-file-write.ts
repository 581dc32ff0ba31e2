import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import type { FileAccess } from "../engine/accesses";
import { endsInReturnOrThrow, isAsyncFunction, owningFunction, referencedIdentifiers, scopeOf, shorten } from "../engine/ast";
import { perItemScopesAround, variesPerIteration } from "../engine/loopItems";
import { fileHandleVariable } from "../engine/fsOperations";
import { bindingToken, keyMentions } from "../engine/paths";
import { hasRandomPart } from "../engine/freshNames";
import { cases } from "./concurrent-same-file-write.cases";

export const concurrentSameFileWrite: RuleModule = {
  id: "concurrent-same-file-write",
  defaultSeverity: "warning",
  shortDescription: "Several writes to the same file are started at once (Promise.all, un-awaited writes in a loop).",
  description:
    "Writes started together race: with plain writes they interleave into a torn file, with temp-and-rename the " +
    "last to finish wins whatever order they were called in, and with read-modify-write all but one update is " +
    "lost (seed 001: autosave saved page, header and footer in parallel, each rewriting media.json). Serialise " +
    "them, or write through the runtime, which serialises and coalesces writes to one path.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  const accesses = context.accesses();
  const writesAt = (scope: ts.Node, site: ts.Node) => {
    const list = accesses.get(scope) ?? [];
    return list.filter((access) => access.kind === "write" && access.site === site && !access.serialized && !synchronousMerge(access, list));
  };
  for (const node of context.fs.index.calls) {
    if (!isPromiseAll(node.expression) || !node.arguments[0]) continue;
    const scope = scopeOf(node);
    const argument = node.arguments[0];
    if (ts.isArrayLiteralExpression(argument)) reportArray(argument, scope, writesAt, context, node);
    else if (ts.isCallExpression(argument) && ts.isPropertyAccessExpression(argument.expression) && argument.expression.name.text === "map") {
      reportMap(argument, accesses, context, node);
    }
  }
  for (const loop of context.fs.index.loops) reportUnawaitedLoopWrites(loop, accesses, context);
  reportUnawaitedHandleWrites(context);
}

/** The path as the code spells it where it is written. */
function pathText(access: FileAccess): string {
  return shorten(access.written.getText(access.written.getSourceFile()));
}

function isPromiseAll(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === "all" || callee.name.text === "allSettled") && ts.isIdentifier(callee.expression) && callee.expression.text === "Promise";
}


function reportArray(array: ts.ArrayLiteralExpression, scope: ts.Node, writesAt: (scope: ts.Node, site: ts.Node) => FileAccess[], context: RuleContext, at: ts.Node): void {
  const seen = new Map<string, { count: number; first: FileAccess }>();
  for (const element of array.elements) {
    const call = ts.isAwaitExpression(element) ? element.expression : element;
    const writes = new Map(writesAt(scope, call).map((access) => [access.key, access]));
    for (const [key, access] of writes) {
      const entry = seen.get(key);
      if (entry) entry.count++;
      else seen.set(key, { count: 1, first: access });
    }
  }
  for (const { count, first } of seen.values()) {
    if (count < 2) continue;
    context.report({
      node: at,
      message: `${count} writes to ${pathText(first)} start at once here: they race (torn file, last-finisher-wins, or lost read-modify-write updates). Run them one after another, or write through the runtime, which serialises writes to one path.`,
    });
  }
}

/**
 * `syncPidFile()`: a function that is not async reads the file synchronously, merges and writes it back
 * synchronously. Each call runs whole before the next starts, and merges what the last one wrote: nothing
 * interleaves or is lost however many start together (scale study, seed 70: `Promise.all(ids.map(stop))`, each
 * stop ending in a synchronous rewrite of the pid file).
 */
function synchronousMerge(write: FileAccess, accesses: readonly FileAccess[]): boolean {
  if (!write.sync) return false;
  const helper = owningFunction(write.origin);
  if (!helper || isAsyncFunction(helper)) return false;
  return accesses.some((read) => read.kind === "read" && read.sync && read.key === write.key && read.origin.pos < write.origin.pos && owningFunction(read.origin) === helper);
}

/** `Promise.all(items.map(async (x) => write(sameFile)))`: the path does not depend on the item. */
function reportMap(mapCall: ts.CallExpression, accesses: ReadonlyMap<ts.Node, FileAccess[]>, context: RuleContext, at: ts.Node): void {
  const callback = mapCall.arguments[0];
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return;
  const parameters = new Set(callback.parameters.flatMap((parameter) => referencedIdentifiers(parameter.name).map((id) => id.text)));
  const list = accesses.get(callback) ?? [];
  const writes = list.filter((access) => access.kind === "write" && !access.serialized && !synchronousMerge(access, list));
  // The key too: a helper's write (`doRename(base, name + suffix)`) is keyed with the item's values substituted.
  const tokens = callback.parameters.flatMap((parameter) => referencedIdentifiers(parameter.name).map(bindingToken));
  const fixed = writes.find(
    (access) =>
      !referencedIdentifiers(access.path).some((id) => parameters.has(id.text)) && !referencedIdentifiers(access.written).some((id) => parameters.has(id.text)) && !keyMentions(access.key, tokens) &&
      !computedPerCall(access, callback) &&
      // A path with a random part made for each call (`join(await mkdtemp(…), "input.js")` in the helper each item
      // calls): every item writes its own file (scale study, seed 52).
      !hasRandomPart(context, access.written),
  );
  if (!fixed) return;
  context.report({
    node: at,
    message: `Every item writes ${pathText(fixed)} at the same time: the writes race (torn file, last-finisher-wins, or lost updates). Loop with await, or write through the runtime, which serialises writes to one path.`,
  });
}

/**
 * A path that names a binding the per-item code computes itself (`const opts = { arch, platform }` in the
 * helper each item calls, `templateShortKey("manifest", opts)`): each call builds its own value, which may
 * differ per item, so the writes are not known to share one file (scale study, seed 30).
 */
function computedPerCall(access: FileAccess, callback: ts.Node): boolean {
  let helper: ts.Node | undefined = access.origin.parent;
  while (helper && !ts.isFunctionLike(helper)) helper = helper.parent;
  const inside = (position: number) => (callback.pos <= position && position < callback.end) || (helper !== undefined && helper.pos <= position && position < helper.end);
  return [...access.key.matchAll(/⟨[^@⟩]*@(\d+)⟩/g)].some((match) => inside(Number(match[1])));
}

/**
 * After `statement`, every path leaves `loop` before its next pass: a `return` or `throw` follows it in some block
 * on the way up to the loop body (or a `break` of this loop: not one inside a nested loop or switch).
 */
function leavesLoopAfter(statement: ts.Statement, loop: ts.IterationStatement): boolean {
  let breakLeaves = true;
  for (let node: ts.Node = statement; node !== loop.statement && node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent)) return false;
    if (ts.isIterationStatement(parent, false) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) breakLeaves = false;
    if (!ts.isBlock(parent)) continue;
    const rest = parent.statements.slice(parent.statements.indexOf(node as ts.Statement) + 1);
    if (rest.some((each) => endsInReturnOrThrow(each) || (breakLeaves && ts.isBreakStatement(each) && !each.label))) return true;
  }
  return false;
}

function reportUnawaitedLoopWrites(loop: ts.IterationStatement, accesses: ReadonlyMap<ts.Node, FileAccess[]>, context: RuleContext): void {
  const scope = scopeOf(loop);
  for (const access of accesses.get(scope) ?? []) {
    if (access.kind !== "write" || !access.direct || access.serialized || !ts.isCallExpression(access.site)) continue;
    if (access.site.pos < loop.statement.pos || access.site.end > loop.statement.end) continue;
    const statement = access.site.parent;
    if (!statement || !ts.isExpressionStatement(statement)) continue; // awaited, returned or chained: not fire-and-forget
    const name = access.site.expression.getText(context.sourceFile);
    if (/Sync$/.test(name)) continue;
    // `while (true) { try { … } catch { if (empty) writeFile(p, "{}"); return } }`: the pass that writes leaves the
    // loop, so no second write starts (seed 54).
    if (leavesLoopAfter(statement, loop)) continue;
    // Per item of this loop, or of a loop nested in it around the write (each pass of the outer loop runs its own).
    const nested = perItemScopesAround(access.site).filter((inner) => loop.statement.pos <= inner.pos && inner.end <= loop.statement.end);
    if ([loop, ...nested].some((each) => variesPerIteration(access.written, each, context.fs))) continue;
    context.report({
      node: access.site.expression,
      message: `This write to ${pathText(access)} is not awaited inside a loop: every iteration starts another concurrent write of the same file. Await it (or write through the runtime, which serialises writes to one path).`,
    });
  }
}


/** Writes through a FileHandle (`const h = await fs.open(p, "w")`) that append at the current position. */
const HANDLE_WRITES = new Set(["write", "writeFile", "appendFile", "writev"]);

/**
 * `for (…) handle.write(chunk)` without await: Node documents concurrent writes through one FileHandle as
 * unsafe (they complete in any order), so the file's contents come out shuffled or interleaved.
 * Positional writes (`write(buffer, offset, length, position)`) are left alone.
 */
function reportUnawaitedHandleWrites(context: RuleContext): void {
  const { fs, sourceFile } = context;
  const handles = new Map<ts.Identifier, string>();
  for (const open of fs.calls) {
    const handle = fileHandleVariable(open);
    if (handle) handles.set(handle, shorten(open.call.arguments[0]?.getText(sourceFile) ?? "the file"));
  }
  if (handles.size === 0) return;
  for (const call of fs.index.calls) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !HANDLE_WRITES.has(callee.name.text)) continue;
    const declared = fs.findDeclaration(callee.expression);
    const file = declared && handles.get(declared);
    if (!file || !ts.isExpressionStatement(call.parent)) continue;
    const position = callee.name.text === "write" ? call.arguments[3] : undefined;
    if (position && !/^(null|undefined)$/.test(position.getText(sourceFile))) continue; // positional: order does not matter
    const loop = context.fs.index.loops.find((each) => each.statement.pos <= call.pos && call.end <= each.statement.end && scopeOf(call) === scopeOf(each));
    if (!loop) continue;
    context.report({
      node: callee,
      message: `This ${callee.name.text} through the handle of ${file} is not awaited inside a loop: the writes run concurrently and Node does not keep their order, so the file comes out shuffled or interleaved. Await each write (or build the content and write it once).`,
    });
  }
}

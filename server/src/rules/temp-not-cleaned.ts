import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { calleeName, scopeOf } from "../engine/ast";
import { within } from "../engine/existenceGuards";
import { pathKey } from "../engine/paths";
import { tempTemplate, tempWritePairsOf, renameSite } from "../engine/protocol";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { cases } from "./temp-not-cleaned.cases";

export const tempNotCleaned: RuleModule = {
  id: "temp-not-cleaned",
  defaultSeverity: "warning",
  shortDescription: "A temp file is written and renamed, but never removed when the write or rename fails.",
  description:
    "When the write (disk full, EFBIG) or the rename (EXDEV, EPERM, a missing directory) fails, the temp file " +
    "stays behind; over time they pile up beside the real file (seed 003: 'No orphaned .tmp.* files after " +
    "failures'). The fix uses atomicWriteFile, which removes its temp on every error path.",
  fixable: true,
  check,
  cases,
};

function check(context: RuleContext): void {
  for (const { protocol, pair } of tempWritePairsOf(context.protocols())) {
    // The temp itself, or the folder it sits in (`rmSync(stagingDir, { recursive: true, force: true })` in a
    // finally: scale study, seed 31).
    const cleaned = protocol.unlinks.some((unlink) => (unlink.key === pair.write.key || (pair.write.key.startsWith(`${unlink.key}/`) && /recursive|rimraf|remove|emptyDir/.test(unlink.origin.getText()))) && unlink.onErrorPath);
    if (cleaned || cleanedThroughHandle(pair.write.path, protocol.scope) || unlinkedInCleanupCallback(context, pair.write.key, protocol.scope) || sweptFolders(context).some((folder) => pair.write.key.startsWith(`${folder}/`))) continue;
    const template = tempTemplate(pair.write.path, pair.rename.toKey, context.sourceFile, context.fs);
    context.report({
      node: renameSite(pair),
      message: `If the write or this rename fails, the temp ${template.text} is left behind: nothing removes it on the error path. Use atomicWriteFile (it removes its temp on every failure).`,
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

/** What a temp handle calls the removal of its file: `tmp`'s `removeCallback`, a hand-made `{ path, cleanup }`. */
const HANDLE_CLEANUP = /^(cleanup|cleanUp|remove|removeCallback|dispose|destroy|unlink|delete|rm)$/;

/**
 * The temp is a handle's path (`temp.path`, `tmpFile.name`) and the handle's own cleanup runs on the error path:
 * `.finally(temp.cleanup)`, `.catch(() => temp.cleanup())`, `finally { temp.cleanup() }` (scale study, seed 41).
 */
function cleanedThroughHandle(path: ts.Expression, scope: ts.Node): boolean {
  if (!ts.isPropertyAccessExpression(path) || !ts.isIdentifier(path.expression)) return false;
  const handle = path.expression.text;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === handle && HANDLE_CLEANUP.test(node.name.text) && onErrorPath(node, scope)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/**
 * In a catch or finally block, or handed to (or inside a callback of) a promise's `.catch`/`.finally`, or the
 * cleanup callback of a try-finally helper (`tryFinallyAsync(write, () => unlink(temp))`: seed 45).
 */
function onErrorPath(node: ts.Node, scope: ts.Node): boolean {
  for (let current: ts.Node = node; current !== scope && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isCatchClause(parent) || (ts.isTryStatement(parent) && parent.finallyBlock === current)) return true;
    if (!ts.isCallExpression(parent)) continue;
    const index = parent.arguments.indexOf(current as ts.Expression);
    const name = calleeName(parent.expression) ?? "";
    if (index >= 0 && (/^(catch|finally)$/.test(name) || (index > 0 && /finally/i.test(name)))) return true;
  }
  return false;
}

/**
 * The temp unlinked in a callback that runs on the error path, which the protocol keeps as a function of its own:
 * also beside the write's own callback (`tryFinallyAsync(async () => { write; rename }, () => unlink(temp))`).
 */
function unlinkedInCleanupCallback(context: RuleContext, key: string, scope: ts.Node): boolean {
  let outer = scope;
  while (ts.isFunctionLike(outer) && outer.parent && ts.isCallExpression(outer.parent) && outer.parent.arguments.includes(outer as ts.Expression)) outer = scopeOf(outer.parent);
  return context.fs.calls.some((call) => call.fn.op === "unlink" && within(call.call, outer) && call.call.arguments[0] !== undefined && pathKey(call.call.arguments[0], context.sourceFile, context.fs) === key && onErrorPath(call.call, outer));
}

const sweptByContext = new WeakMap<RuleContext, string[]>();

/**
 * Folders the program empties itself: a function that lists the folder and unlinks entries one by one
 * (`readdirSync(this.tempDir).forEach((name) => unlinkSync(join(this.tempDir, name)))` at start-up). A temp
 * left there by a failed write is removed by the next sweep (scale study, seed 34).
 */
function sweptFolders(context: RuleContext): string[] {
  let folders = sweptByContext.get(context);
  if (folders) return folders;
  folders = [];
  for (const call of context.fs.index.calls) {
    const folder = call.arguments[0];
    if (!folder || !/^readdir(Sync)?$/.test(calleeName(call.expression) ?? "")) continue;
    const scope = scopeOf(call);
    const perEntry = context.fs.calls.some((other) => other.fn.op === "unlink" && within(other.call, scope) && inLoopOrCallback(other.call, scope));
    if (perEntry) folders.push(pathKey(folder, context.sourceFile, context.fs));
  }
  sweptByContext.set(context, folders);
  return folders;
}

/** Inside a loop, or a callback (`forEach`, `map`), below `scope`: run once per entry. */
function inLoopOrCallback(node: ts.Node, scope: ts.Node): boolean {
  for (let current = node.parent; current && current !== scope; current = current.parent) {
    if (ts.isIterationStatement(current, false) || ts.isFunctionLike(current)) return true;
  }
  return false;
}

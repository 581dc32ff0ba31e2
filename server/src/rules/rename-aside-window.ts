import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { calleeName, inExclusiveBranches, propertyValue, shorten } from "../engine/ast";
import { pathKey, type FunctionProtocol, type PathOp } from "../engine/protocol";
import { perItemScopesAround, variesPerIteration } from "../engine/loopItems";
import { cases } from "./rename-aside-window.cases";

export const renameAsideWindow: RuleModule = {
  id: "rename-aside-window",
  defaultSeverity: "warning",
  shortDescription: "The live file is renamed away (to a backup) before the new one is renamed in: between the two, it does not exist.",
  description:
    "Renaming the current file to a backup and then the new file into place leaves a window in which the real " +
    "path does not exist: readers get ENOENT, and a crash in between leaves nothing there at all. rename(2) " +
    "replaces the target atomically by itself, so the first rename is never needed: copy the backup instead.",
  fixable: true,
  check,
  cases,
};

const COPY_FOR: Record<string, string> = { rename: "copyFile", renameSync: "copyFileSync", move: "copy", moveSync: "copySync" };

const RENAME_FOR: Record<string, string> = { move: "rename", moveSync: "renameSync" };

/**
 * fs-extra's `move(src, dest, { overwrite: true })` removes `dest` and then renames: the same window. A plain
 * rename replaces the target atomically (fs-extra re-exports it).
 */
function checkMoveOverwrite(context: RuleContext): void {
  const { sourceFile } = context;
  const renames = [...context.protocols().values()].flatMap((protocol) => protocol.renames.map((rename) => ({ protocol, rename })));
  for (const fsCall of context.fs.calls) {
    if (fsCall.module !== "fs-extra" || !(fsCall.name in RENAME_FOR)) continue;
    const options = fsCall.call.arguments[2];
    if (propertyValue(options, "overwrite")?.kind !== ts.SyntaxKind.TrueKeyword) continue;
    // Only where new content, written by this function, is moved over the live file.
    const owner = renames.find((each) => each.rename.call === fsCall.call);
    if (!owner || !owner.protocol.writes.some((write) => write.key === owner.rename.key)) continue;
    const callee = fsCall.call.expression;
    const [from, to] = fsCall.call.arguments;
    context.report({
      node: fsCall.call,
      message: `fs-extra's ${fsCall.name} with overwrite removes ${shorten(to?.getText(sourceFile) ?? "the target", 40)} before renaming onto it: in between it does not exist (readers get ENOENT, a crash leaves nothing there). A plain rename replaces it atomically.`,
      ...(ts.isPropertyAccessExpression(callee) && from && to
        ? {
            fix: {
              title: `Replace it atomically with ${RENAME_FOR[fsCall.name]}`,
              edits: [
                { start: callee.name.getStart(sourceFile), end: callee.name.end, newText: RENAME_FOR[fsCall.name]! },
                { start: to.end, end: options!.end, newText: "" },
              ],
              runtimeImports: [],
            },
          }
        : {}),
    });
  }
}

/** New content this function wrote: by a whole-file write, through a FileHandle opened for writing, or by a stream. */
function writtenHere(protocol: FunctionProtocol, key: string): boolean {
  return (
    protocol.writes.some((write) => write.key === key) ||
    protocol.opens.some((open) => open.key === key && /^[wa]/.test(open.flag ?? "")) ||
    protocol.streams.some((stream) => !stream.reading && stream.key === key)
  );
}

/**
 * `for (const each of saved) { if (each.content === null) { unlink(each.file); continue } … rename(tmp, each.file) }`:
 * the delete's pass of the loop goes on to the next item, whose rename replaces another file (scale study, seed 71: a
 * rollback that removes the definitions that did not exist before and restores the others).
 */
function continuesPastItem(removal: PathOp, rename: ts.Node, context: RuleContext): boolean {
  const loop = perItemScopesAround(removal.call).find((scope) => ts.isIterationStatement(scope, false) && scope.statement.pos <= rename.pos && rename.end <= scope.statement.end);
  if (!loop || !ts.isIterationStatement(loop, false) || !variesPerIteration(removal.path, loop, context.fs)) return false;
  for (let node: ts.Node = removal.call; node.parent && node !== loop.statement; node = node.parent) {
    const block = node.parent;
    if (!ts.isBlock(block) || (block.pos <= rename.pos && rename.end <= block.end)) continue;
    const rest = block.statements.slice(block.statements.indexOf(node as ts.Statement) + 1);
    if (rest.some((statement) => ts.isContinueStatement(statement) && !statement.label)) return true;
  }
  return false;
}

/** `unlink(file); rename(tmp, file)`: the live file is deleted first, the same window as renaming it aside. */
function checkDeleteBeforeRename(context: RuleContext): void {
  const { sourceFile } = context;
  for (const protocol of context.protocols().values()) {
    for (const removal of protocol.unlinks) {
      if (!removal.direct || removal.onErrorPath) continue;
      // A delete that leaves the function (`if (records.length === 0) { await rm(file); return; }`) removes the file
      // for good instead of opening a window before a rename (scale study, seed 68).
      const refill = protocol.renames.find((later) => later.call.pos > removal.call.pos && later.toKey === removal.key && later.key !== removal.key && writtenHere(protocol, later.key) && !inExclusiveBranches(removal.call, later.call) && !continuesPastItem(removal, later.call, context));
      if (!refill) continue;
      context.report({
        node: removal.call,
        message: `${shorten(removal.path.getText(sourceFile), 40)} is deleted before the new file is renamed in: until then it does not exist (readers get ENOENT, a crash leaves nothing there). rename replaces the target atomically by itself: drop the delete.`,
      });
    }
  }
}

/** A copy or rename anywhere in the module from the aside path back onto the live one. */
function restoredFromAside(context: RuleContext, asideKey: string, liveKey: string): boolean {
  return context.fs.calls.some(({ call, fn }) => {
    const [source, destination] = call.arguments;
    if ((fn.op !== "copy" && fn.op !== "rename") || !source || !destination) return false;
    return pathKey(source, context.sourceFile, context.fs) === asideKey && pathKey(destination, context.sourceFile, context.fs) === liveKey;
  });
}

function check(context: RuleContext): void {
  const { sourceFile } = context;
  checkMoveOverwrite(context);
  checkDeleteBeforeRename(context);
  for (const protocol of context.protocols().values()) {
    for (const aside of protocol.renames) {
      // `aside` moves the live file away; a later rename puts new content, written by this function, at that
      // same path. (Rotating backups, whose sources this function did not write, is not a live file's window.)
      const refill = protocol.renames.find((later) => later.call.pos > aside.call.pos && later.toKey === aside.key && later.key !== aside.key && writtenHere(protocol, later.key) && !inExclusiveBranches(aside.call, later.call));
      if (!refill || !aside.direct || aside.toKey === aside.key || aside.onErrorPath) continue;
      // The module puts the aside copy back (`copyFileSync(backup, db)` when the database does not open, or a rename
      // back in a catch): a crash in the window leaves the last whole file where the program looks for it (seed 68).
      if (restoredFromAside(context, aside.toKey, aside.key)) continue;
      const name = calleeName(aside.call.expression);
      const copy = COPY_FOR[name];
      context.report({
        node: aside.call,
        message: `${shorten(aside.path.getText(sourceFile), 40)} is renamed away before the new file is renamed in: until then it does not exist (readers get ENOENT, a crash leaves nothing there). rename replaces the target atomically by itself: copy the backup instead.`,
        ...(copy && ts.isPropertyAccessExpression(aside.call.expression)
          ? {
              fix: {
                title: `Keep the backup with ${copy} (the rename below replaces the file atomically)`,
                edits: [{ start: aside.call.expression.name.getStart(sourceFile), end: aside.call.expression.name.end, newText: copy }],
                runtimeImports: [],
              },
            }
          : {}),
      });
    }
  }
}

import { ts } from "../engine/ts";
import { shorten } from "../engine/ast";
import type { RuleContext, RuleModule } from "../engine/rule";
import type { PathOp } from "../engine/protocol";
import { guardOutcomes, within } from "../engine/existenceGuards";
import { cases } from "./check-then-act.cases";

export const checkThenAct: RuleModule = {
  id: "check-then-act",
  defaultSeverity: "warning",
  shortDescription: "An existence check (existsSync, access, stat) guards a read, write or unlink of the same path: a TOCTOU race.",
  description:
    "Between the check and the use another process can create, replace or delete the file (seed 003, bug #17: " +
    "TOCTOU in config handling). The check also costs a system call for nothing: just do the operation and handle " +
    "ENOENT (or EEXIST with an exclusive flag). For JSON reads the runtime's readJsonFile(path, { default }) does " +
    "exactly that; for writes, atomicWriteFile needs no check. A guard followed only by mkdir({ recursive: true }) " +
    "is harmless and not reported.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  for (const protocol of context.protocols().values()) {
    const uses: (PathOp & { verb: string })[] = [
      ...[...protocol.reads, ...protocol.streams.filter((op) => op.reading)].map((op) => ({ ...op, verb: "read" })),
      ...protocol.unlinks.map((op) => ({ ...op, verb: "delete" })),
      ...[...protocol.writes, ...protocol.opens, ...protocol.renames, ...protocol.streams.filter((op) => !op.reading)].map((op) => ({ ...op, verb: "use" })),
    ];
    for (const guard of protocol.existenceChecks) {
      const outcomes = guardOutcomes(guard.call);
      if (!outcomes) continue;
      const guarded = [...outcomes.exists, ...outcomes.missing];
      const use = uses.find((candidate) => candidate.key === guard.key && guarded.some((region) => within(candidate.call, region)) && !handledInOneTry(guard, candidate));
      if (!use) continue;
      context.report({
        node: guard.call,
        message: `This check of ${shorten(guard.path.getText(context.sourceFile))} guards a ${use.verb} of it on line ${line(use, context)}: the file can appear, change or vanish in between (TOCTOU). Do the operation and handle ENOENT instead (readJsonFile(path, { default }) for JSON).`,
      });
    }
  }
}

/**
 * The race is already handled (the issue-9 refinement): check and use sit in one try with a catch, or a
 * read or delete sits in a try whose catch does not rethrow, so a file that vanished after the check ends
 * there like a missing one. (A write is not covered: a file created in between is overwritten silently.)
 */
function handledInOneTry(guard: PathOp, use: PathOp & { verb: string }): boolean {
  for (let node: ts.Node | undefined = use.call.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    if (!ts.isTryStatement(node) || !node.catchClause || !within(use.call, node.tryBlock)) continue;
    if (within(guard.call, node.tryBlock)) return true;
    if (use.verb !== "use" && !rethrows(node.catchClause.block)) return true;
  }
  return false;
}

function rethrows(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

function line(op: PathOp, context: RuleContext): number {
  return context.sourceFile.getLineAndCharacterOfPosition(op.call.getStart(context.sourceFile)).line + 1;
}


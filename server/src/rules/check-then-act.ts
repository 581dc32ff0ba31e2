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
    const uses: Use[] = [
      ...[...protocol.reads, ...protocol.streams.filter((op) => op.reading)].map((op) => ({ ...op, verb: "read" as const })),
      // `rm(p, { force: true })` does not mind a file that vanished.
      ...protocol.unlinks.filter((op) => !forced(op)).map((op) => ({ ...op, verb: "delete" as const })),
      ...protocol.renames.map((op) => ({ ...op, verb: "rename" as const })),
      ...protocol.renames.map((op) => ({ ...op, key: op.toKey, path: op.to, verb: "write" as const })),
      ...[...protocol.writes, ...protocol.opens, ...protocol.streams.filter((op) => !op.reading)].map((op) => ({ ...op, verb: "write" as const })),
    ];
    for (const guard of protocol.existenceChecks) {
      const outcomes = guardOutcomes(guard.call);
      if (!outcomes) continue;
      const guarded = [...outcomes.exists, ...outcomes.missing];
      // The first operation on the path after the check is what the check decides (a later write after a read
      // is guarded by that read, not by the check).
      const use = uses
        .filter((candidate) => candidate.key === guard.key && candidate.call !== guard.call && guarded.some((region) => within(candidate.call, region)))
        .sort((a, b) => a.call.pos - b.call.pos)[0];
      if (!use || handled(guard, use)) continue;
      context.report({
        node: guard.call,
        message: `This check of ${shorten(guard.path.getText(guard.path.getSourceFile()))} guards a ${use.verb === "write" || use.verb === "rename" ? "use" : use.verb} of it on line ${line(use, context)}: the file can appear, change or vanish in between (TOCTOU). Do the operation and handle ENOENT instead (readJsonFile(path, { default }) for JSON).`,
      });
    }
  }
}

/** What the guarded code does with the path: a read, delete or rename fails loudly when the file vanished; a write silently replaces one that appeared. */
type Use = PathOp & { verb: "read" | "delete" | "rename" | "write" };

function forced(op: PathOp): boolean {
  return op.direct && /\bforce\s*:\s*true\b/.test(op.origin.arguments[1]?.getText() ?? "");
}

/**
 * The race is already handled (the issue-9 refinement): a read, delete or rename that fails because the
 * file vanished after the check throws into a catch that does not rethrow (or that also covers the check),
 * and ends there like a missing file. A write is never covered: a file created in between is overwritten
 * silently.
 */
function handled(guard: PathOp, use: Use): boolean {
  if (use.verb === "write") return false;
  // A helper that tolerates the failure itself (`readOwner(p)` returns undefined when the read throws).
  if (!use.direct && caughtWithin(use.origin, undefined)) return true;
  return caughtWithin(use.call, guard.call);
}

/** Inside a try (in its own function) whose catch does not rethrow, or that also covers `guard`. */
function caughtWithin(call: ts.Node, guard: ts.Node | undefined): boolean {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    if (!ts.isTryStatement(node) || !node.catchClause || !within(call, node.tryBlock)) continue;
    if ((guard && within(guard, node.tryBlock)) || !rethrows(node.catchClause.block)) return true;
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


import { ts } from "../engine/ts";
import { shorten } from "../engine/ast";
import type { RuleContext, RuleModule } from "../engine/rule";
import type { PathOp } from "../engine/protocol";
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
      ...protocol.reads.map((op) => ({ ...op, verb: "read" })),
      ...protocol.unlinks.map((op) => ({ ...op, verb: "delete" })),
      ...[...protocol.writes, ...protocol.opens, ...protocol.renames].map((op) => ({ ...op, verb: "use" })),
    ];
    for (const guard of protocol.existenceChecks) {
      const guarded = guardedRegion(guard.call);
      if (!guarded) continue;
      const use = uses.find((candidate) => candidate.key === guard.key && guarded.some((region) => within(candidate.call, region)) && !handledInOneTry(guard, candidate));
      if (!use) continue;
      context.report({
        node: guard.call,
        message: `This check of ${shorten(guard.path.getText(context.sourceFile))} guards a ${use.verb} of it on line ${line(use, context)}: the file can appear, change or vanish in between (TOCTOU). Do the operation and handle ENOENT instead (readJsonFile(path, { default }) for JSON).`,
      });
    }
  }
}

/** Where the check's outcome decides: the branches of the `if` it is in, or what follows an early exit. */
function guardedRegion(check: ts.CallExpression): ts.Node[] | undefined {
  let node: ts.Node = check;
  for (;;) {
    const parent = node.parent;
    if (!parent) break;
    if (ts.isAwaitExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isParenthesizedExpression(parent)) node = parent;
    else if (ts.isBinaryExpression(parent) && /&&|\|\|/.test(parent.operatorToken.getText())) node = parent;
    // `stat(p).then(() => true, () => false)`
    else if (ts.isPropertyAccessExpression(parent) && /^(then|catch)$/.test(parent.name.text) && parent.parent && ts.isCallExpression(parent.parent)) node = parent.parent;
    else break;
  }
  const parent = node.parent;
  if (parent && (ts.isIfStatement(parent) || ts.isConditionalExpression(parent)) && (ts.isIfStatement(parent) ? parent.expression : parent.condition) === node) {
    const regions: ts.Node[] = ts.isIfStatement(parent) ? [parent.thenStatement, ...(parent.elseStatement ? [parent.elseStatement] : [])] : [parent.whenTrue, parent.whenFalse];
    if (ts.isIfStatement(parent) && exits(parent.thenStatement) && ts.isBlock(parent.parent)) {
      regions.push(...parent.parent.statements.slice(parent.parent.statements.indexOf(parent) + 1));
    }
    return regions;
  }
  // `const exists = fs.existsSync(p); if (exists) …`
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    const block = statement.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
    const name = parent.name.text;
    const later = block.statements.slice(block.statements.indexOf(statement as ts.Statement) + 1);
    const decision = later.find((s) => ts.isIfStatement(s) && new RegExp(`\\b${name}\\b`).test(s.expression.getText()));
    return decision && ts.isIfStatement(decision) ? [decision.thenStatement, ...(decision.elseStatement ? [decision.elseStatement] : [])] : undefined;
  }
  return undefined;
}

function exits(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last) || ts.isBreakStatement(last));
}

function within(node: ts.Node, region: ts.Node): boolean {
  return region.pos <= node.pos && node.end <= region.end;
}

/** Check and use in one try whose catch covers the race (the issue-9 refinement): nothing to report. */
function handledInOneTry(guard: PathOp, use: PathOp): boolean {
  for (let node: ts.Node | undefined = use.call.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isTryStatement(node) && node.catchClause && within(guard.call, node.tryBlock) && within(use.call, node.tryBlock)) return true;
  }
  return false;
}

function line(op: PathOp, context: RuleContext): number {
  return context.sourceFile.getLineAndCharacterOfPosition(op.call.getStart(context.sourceFile)).line + 1;
}


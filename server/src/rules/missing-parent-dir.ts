import { ts } from "../engine/ts";
import { shorten } from "../engine/ast";
import type { RuleContext, RuleModule } from "../engine/rule";
import { constInitializer, tempWritePairs } from "../engine/protocol";
import { writeApi } from "../engine/fsOperations";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { atomicWriteFix } from "./non-atomic-write";
import { cases } from "./missing-parent-dir.cases";

export const missingParentDir: RuleModule = {
  id: "missing-parent-dir",
  defaultSeverity: "hint",
  shortDescription: "A write into a directory built from runtime values, with no mkdir of it first.",
  description:
    "A path like path.join(root, projectId, 'uploads', file) points into a directory that does not exist for a " +
    "new project or user: the write fails with ENOENT (seed 003, bug #5: 'may crash if the target directory " +
    "doesn't exist'). Create the parent with mkdir({ recursive: true }) first — atomicWriteFile does it for you.",
  fixable: true,
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile, fs } = context;
  for (const protocol of context.protocols().values()) {
    const pairs = tempWritePairs(protocol);
    for (const write of protocol.writes) {
      const fsCall = fs.calls.find((call) => call.call === write.call);
      if (!fsCall || write.fn.createsParents || write.flag?.includes("a")) continue;
      if (!hasDynamicDirectory(write.path, context)) continue;
      if (protocol.mkdirs.some((mkdir) => mkdir.call.pos < write.call.pos)) continue;
      const pair = pairs.find((candidate) => candidate.write === write);
      const api = writeApi(fsCall.module, fsCall.name);
      context.report({
        node: write.call.expression,
        message: `${shorten(write.path.getText(sourceFile))} is inside a directory built from runtime values, and nothing creates it first: for a new id the write fails with ENOENT. mkdir({ recursive: true }) the parent first, or use atomicWriteFile (creates parents).`,
        fix: () => (pair ? tempWriteToAtomic(pair, fs) : api ? atomicWriteFix(fsCall, api, sourceFile) : undefined),
      });
    }
  }
}

/** path.join/resolve (or a template) where a segment between the root and the file name is a runtime value. */
function hasDynamicDirectory(expression: ts.Expression, context: RuleContext, depth = 0): boolean {
  const resolved = constInitializer(expression, context.fs);
  if (resolved && depth < 4) return hasDynamicDirectory(resolved, context, depth + 1);
  const callee = ts.isCallExpression(expression) ? expression.expression : undefined;
  const calleeName = callee && ts.isPropertyAccessExpression(callee) ? callee.name.text : callee && ts.isIdentifier(callee) ? callee.text : "";
  if (ts.isCallExpression(expression) && /^(join|resolve)$/.test(calleeName)) {
    const middle = expression.arguments.slice(1, -1);
    return middle.some((argument) => !ts.isStringLiteralLike(argument));
  }
  if (ts.isTemplateExpression(expression)) {
    // `${root}/${id}/uploads/${file}`: a substitution after the first one that a slash follows is a directory.
    // (`${file}.tmp-${pid}` stays in the caller's directory.)
    return expression.templateSpans.slice(1).some((span) => span.literal.text.includes("/"));
  }
  return false;
}


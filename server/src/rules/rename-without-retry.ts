import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { tempWritePairsOf, renameSite } from "../engine/protocol";
import { isCacheTarget } from "../engine/locations";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { cases } from "./rename-without-retry.cases";

export const renameWithoutRetry: RuleModule = {
  id: "rename-without-retry",
  defaultSeverity: "hint",
  shortDescription: "Code that runs on Windows renames over a file others read, with no retry on EPERM/EBUSY/EACCES.",
  description:
    "On Windows a rename over a file fails with EPERM, EBUSY or EACCES while another process (a reader, an " +
    "antivirus or indexer) has it open — briefly and routinely. Without a bounded retry the save fails and the " +
    "temp is left behind. atomicWriteFile retries these errors with backoff.",
  fixable: true,
  // Only files that show they run on Windows.
  mentions: (text) => /win32|isWindows|IS_WINDOWS|platform\(\)\s*===?\s*["']win/.test(text),
  check,
  cases,
};

const RETRY_CODES = /EPERM|EBUSY|EACCES/;

/** A retry is there when the rename sits in a loop, or a catch around it looks at the Windows error codes. */
function retried(rename: ts.CallExpression, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current = rename.parent; current && current !== scope; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (ts.isTryStatement(current) && current.catchClause && RETRY_CODES.test(current.catchClause.getText(sourceFile))) return true;
  }
  // promise.catch((error) => … EPERM …) chained on the rename
  const chained = rename.parent;
  return !!chained && ts.isPropertyAccessExpression(chained) && chained.name.text === "catch" && RETRY_CODES.test(chained.parent.getText(sourceFile));
}

function check(context: RuleContext): void {
  const { sourceFile } = context;
  for (const { protocol, pair } of tempWritePairsOf(context.protocols())) {
    if (retried(pair.rename.call, protocol.scope, sourceFile)) continue;
    // A cache whose save fails once is rebuilt on the next run: a compile cache, a fetched index (seed 31).
    if (isCacheTarget(pair.rename.to, pair.rename.toKey, sourceFile, context.fs)) continue;
    context.report({
      node: renameSite(pair),
      message: "This code runs on Windows, where a rename over a file that another process has open fails with EPERM/EBUSY/EACCES for a moment: the save fails and the temp stays. Retry with backoff, or use atomicWriteFile (it does).",
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

import type { RuleContext, RuleModule } from "../engine/rule";
import { tempTemplate, tempWritePairsOf } from "../engine/protocol";
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
    if (cleaned) continue;
    const template = tempTemplate(pair.write.path, pair.rename.toKey, context.sourceFile, context.fs);
    context.report({
      node: pair.rename.call.expression,
      message: `If the write or this rename fails, the temp ${template.text} is left behind: nothing removes it on the error path. Use atomicWriteFile (it removes its temp on every failure).`,
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

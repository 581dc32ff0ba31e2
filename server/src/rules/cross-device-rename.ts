import type { RuleContext, RuleModule } from "../engine/rule";
import { tempTemplate, tempWritePairsOf, renameSite } from "../engine/protocol";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { inOsTempFolder } from "../engine/locations";
import { cases } from "./cross-device-rename.cases";

export const crossDeviceRename: RuleModule = {
  id: "cross-device-rename",
  defaultSeverity: "warning",
  shortDescription: "A temp under os.tmpdir() is renamed to a target elsewhere: EXDEV when /tmp is another file system.",
  description:
    "rename(2) is atomic only within one file system. /tmp is often a tmpfs or another volume (containers, " +
    "macOS, CI), so renaming a temp from os.tmpdir() onto the real target fails with EXDEV there — and a " +
    "copy fallback is not atomic. The fix uses atomicWriteFile, which puts its temp beside the target.",
  fixable: true,
  check,
  cases,
};

function check(context: RuleContext): void {
  for (const { pair } of tempWritePairsOf(context.protocols())) {
    const template = tempTemplate(pair.write.path, pair.rename.toKey, context.sourceFile, context.fs);
    if (!template.underTmpdir || inOsTempFolder(pair.rename.toKey)) continue;
    context.report({
      node: renameSite(pair),
      message: "The temp lives under os.tmpdir() but the target is elsewhere: where /tmp is another file system this rename fails with EXDEV. Use atomicWriteFile (temp beside the target).",
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

import type { RuleContext, RuleModule } from "../engine/rule";
import { displayPath } from "../engine/paths";
import { tempWritePairsOf, type TempWritePair, renameSite } from "../engine/protocol";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { inOsTempFolder, isCacheTarget, isProcessRecord } from "../engine/locations";
import { cases } from "./rename-without-fsync.cases";

export const renameWithoutFsync: RuleModule = {
  id: "rename-without-fsync",
  defaultSeverity: "information",
  shortDescription: "A temp file is renamed over the target without an fsync first.",
  description:
    "Rename is atomic for running processes, but after a power loss or kernel crash the file system may have " +
    "persisted the rename before the temp's data: the target is then empty or garbage (seed 004: the correct " +
    "pattern is write, fsync, rename). The fix uses atomicWriteFile, which fsyncs the file before the rename and " +
    "the directory after it.",
  fixable: true,
  check,
  cases,
};

/**
 * Lock, pid and socket records describe a running process: after a power loss that process is gone and the
 * record is stale whatever its bytes, so durability buys nothing there.
 */
function isRuntimeRecord(key: string): boolean {
  return isProcessRecord(displayPath(key));
}

/**
 * A cache is rebuilt from its source when it reads back empty or garbage (scale study, seed 28: probed icon URLs),
 * so the fsync's cost buys nothing there either.
 */
function isRebuiltCache(pair: TempWritePair, context: RuleContext): boolean {
  return isCacheTarget(pair.rename.to, pair.rename.toKey, context.sourceFile, context.fs);
}


function check(context: RuleContext): void {
  for (const { protocol, pair } of tempWritePairsOf(context.protocols())) {
    // A target in the OS temp folder is not expected to survive a reboot (a tmpfs /tmp loses it whatever was synced:
    // seed 60's waybar status file). Only the folder: a target merely named like a temp (`new.tmp`) is still judged.
    if (pair.write.flush || isRuntimeRecord(pair.rename.toKey) || isRebuiltCache(pair, context) || inOsTempFolder(pair.rename.toKey)) continue;
    const synced = protocol.fsyncs.some((sync) => sync.pos > pair.write.call.pos && sync.pos < pair.rename.call.pos);
    if (synced) continue;
    context.report({
      node: renameSite(pair),
      message: "The temp is renamed over the target without an fsync first: after a power loss the target can be empty or garbage. Use atomicWriteFile (fsync, rename, directory fsync).",
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { tempTemplate, tempWritePairsOf, type FunctionProtocol } from "../engine/protocol";
import { runsUninterrupted } from "../engine/ast";
import { tempWriteToAtomic } from "../engine/fixes/tempWriteToAtomic";
import { isSharedLocation } from "../engine/locations";
import { isFreshName } from "../engine/freshNames";
import { runsAsOneProcess } from "../engine/concurrentCallers";
import { neverOverlapsItself, processLockHeldBefore, serializedTogether } from "../engine/callables";
import { cases } from "./colliding-temp-name.cases";

export const collidingTempName: RuleModule = {
  id: "colliding-temp-name",
  defaultSeverity: "warning",
  shortDescription: "A temp file name without randomness: concurrent writers collide on it.",
  description:
    "A temp path built only from Date.now(), new Date(), process.pid, a counter or a fixed suffix is the same " +
    "for two writers in the same millisecond (or the same process): one renames the other's temp away and the " +
    "second rename fails with ENOENT, or a half-written temp is renamed into place. The fix uses atomicWriteFile, " +
    "whose temp names carry the pid and random bytes.",
  fixable: true,
  check,
  cases,
};

function check(context: RuleContext): void {
  for (const { protocol, pair } of tempWritePairsOf(context.protocols())) {
    const template = tempTemplate(pair.write.path, pair.rename.toKey, context.sourceFile, context.fs);
    if (template.hasRandomness || isSafeWithoutRandomness(protocol, template)) continue;
    // A pid temp written and renamed inside one lock or promise-queue callback never overlaps itself in this
    // process, and another process has another pid (seed 38: a conversation store's per-key queue).
    if (template.hasPid && serializedTogether(context.fs, pair.write.call, pair.rename.call)) continue;
    // Any name is safe where every writer first takes a lock of every process: a lock file by an exclusive create
    // (`open(\`${file}.lock\`, O_CREAT | O_EXCL)` … write `${file}.tmp`, rename … finally unlink the lock: seed 50)
    // or a cross-process lock library's (`await lockfile.lock(file)` from proper-lockfile: seed 53). Only its
    // holder writes the temp. A stale takeover that lets two in is racy-stale-takeover's finding.
    if (processLockHeldBefore(context.fs, pair.write.call, protocol.scope, context.sourceFile)) continue;
    // `${queueFile}.tmp` where queueFile is `${dir}/${job.id}-${Date.now()}.json`: the target is a new file for
    // each write, so the temp beside it is as unique as it is (seed 38).
    if (isFreshName(context, pair.rename.to)) continue;
    // A fully synchronous writer, or a synchronous write and rename with no await between them in an async
    // function (re-entered only at an await; scale study, seed 28), never overlaps itself inside one process: only two processes (two
    // instances, a CLI run twice) can collide, so it is reported (as information) only for a file every
    // instance shares: a per-user or configured location (see the docs).
    // Likewise a writer behind a busy flag (`if (this.reloading) return; this.reloading = true`), or a helper
    // only such a writer calls: it never overlaps itself in one process.
    const oneAtATime = neverOverlapsItself(context.fs, protocol.scope, pair.write.call);
    if (oneAtATime || (pair.write.fn.style === "sync" && pair.rename.fn.style === "sync" && (isSynchronous(protocol) || runsUninterrupted(pair.write.call, pair.rename.call)))) {
      // The helper's own path, or what any caller in this file passes it.
      const targets = [...context.protocols().values()].flatMap((each) => each.renames.filter((rename) => rename.origin === pair.rename.origin));
      if (!targets.some((rename) => isSharedLocation(rename.to, rename.toKey, context.sourceFile, context.fs))) continue;
      // A chat bot runs as one process per token, a Node-RED node in the one Node-RED process: their per-user files
      // have one writer (scale study, seeds 73 and 76).
      if (runsAsOneProcess(context.sourceFile, context.program)) continue;
      context.report({
        node: pair.write.path,
        message: `Temp name ${template.text} is the same for every writer. Safe inside one process (${oneAtATime ? "a busy flag keeps the writer from overlapping itself" : "the write and rename are synchronous with no await between them, so they never overlap themselves"}), but two processes writing at once collide on it. Use atomicWriteFile (pid and random bytes in the name).`,
        severity: "information",
        fix: () => tempWriteToAtomic(pair, context.fs),
      });
      continue;
    }
    const reason = template.hasNow
      ? "Date-based names repeat within a millisecond"
      : template.hasPid
        ? "a pid alone repeats for every overlapping write in one process"
        : template.hasCounter
          ? "a counter restarts in every process"
          : "a fixed name is the same for every writer";
    context.report({
      node: pair.write.path,
      message: `Temp name ${template.text} has no randomness: ${reason}, so concurrent writers collide (ENOENT on rename, or a torn temp renamed into place). Use atomicWriteFile.`,
      fix: () => tempWriteToAtomic(pair, context.fs),
    });
  }
}

/**
 * A name with the pid in a fully synchronous writer cannot collide: no other write of this process can
 * interleave with it, and another process has another pid. (Worker threads share the pid: code that writes
 * from several threads needs randomness or the thread id.) pid + a per-process counter is unique anyway.
 */
function isSafeWithoutRandomness(protocol: FunctionProtocol, template: ReturnType<typeof tempTemplate>): boolean {
  if (template.hasPid && template.hasCounter) return true;
  return isSynchronous(protocol) && template.hasPid;
}

function isSynchronous(protocol: FunctionProtocol): boolean {
  return !protocol.isAsync && !containsAwait(protocol.scope);
}

function containsAwait(scope: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== scope && ts.isFunctionLike(node))) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

import { ts } from "../engine/ts";
import { scopeOf, shorten } from "../engine/ast";
import type { RuleContext, RuleModule } from "../engine/rule";
import { findLockMaps, lockMapName } from "../engine/lockMaps";
import { cases } from "./process-local-lock.cases";

export const processLocalLock: RuleModule = {
  id: "process-local-lock",
  defaultSeverity: "hint",
  shortDescription: "An in-process lock (Map/Set, async-mutex) guards writes to a file: it does not hold across processes or restarts.",
  description:
    "A Map of promises or a Mutex serialises writers inside one Node.js process only. A second process, a worker, " +
    "a cluster sibling or the new process started by hot reload (seed 001: 'each process has its own writeLocks Map') " +
    "writes the same file concurrently. Use a file lock that every process sees: the runtime's withFileLock.",
  fixable: false,
  mentions: (text) => /\bnew (Map|Set|Mutex|Semaphore)\b/.test(text),
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile } = context;
  const accesses = context.accesses();
  const writesIn = (scope: ts.Node) => (accesses.get(scope) ?? []).filter((access) => access.kind === "write");
  const maps = new Set(findLockMaps(sourceFile, context.fs.index).map((map) => map.name));
  const mutexes = mutexNames(sourceFile);
  if (maps.size === 0 && mutexes.size === 0) return;
  for (const call of context.fs.index.calls) {
    if (!ts.isPropertyAccessExpression(call.expression)) continue;
    const method = call.expression.name.text;
    if (method !== "set" && method !== "runExclusive") continue;
    const owner = call.expression.expression;
    const scope = scopeOf(call);
    // Taking an in-process Map lock (`locks.set(key, new Promise(...))`) in a function that writes files.
    if (method === "set" && maps.has(lockMapName(owner) ?? "") && writesIn(scope).length > 0) {
      report(context, call, writesIn(scope)[0]!.key);
    }
    // async-mutex: `mutex.runExclusive(async () => { …write… })`.
    if (method === "runExclusive" && mutexes.has(ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : "")) {
      const callback = call.arguments[call.arguments.length - 1];
      const writes = callback ? writesIn(callback) : [];
      if (writes.length > 0) report(context, call, writes[0]!.key);
    }
  }
}

function report(context: RuleContext, node: ts.Node, key: string): void {
  context.report({
    node,
    message: `This in-process lock serialises writes to ${shorten(key, 40)} only inside this process: another process, a worker or the process restarted by hot reload writes concurrently. Use a file lock (withFileLock).`,
  });
}

/** Names bound to `new Mutex()`/`new Semaphore()` (async-mutex and look-alikes) in this file. */
function mutexNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  // The pattern below backtracks at every word of the file: run it only where it can match.
  if (!/new\s+(?:Mutex|Semaphore)\b/.test(sourceFile.text)) return names;
  for (const match of sourceFile.text.matchAll(/\b(\w+)\s*(?::[^=;]+)?=\s*new\s+(?:Mutex|Semaphore)\b/g)) if (match[1]) names.add(match[1]);
  return names;
}


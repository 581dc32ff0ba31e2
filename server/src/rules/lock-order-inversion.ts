import type { RuleContext, RuleModule } from "../engine/rule";
import { shorten } from "../engine/ast";
import { LOCK_CALL_MENTION, lockAcquisitions, lockNestings } from "../engine/lockAcquisitions";
import { cases } from "./lock-order-inversion.cases";

export const lockOrderInversion: RuleModule = {
  id: "lock-order-inversion",
  defaultSeverity: "warning",
  shortDescription: "Two locks are taken nested in one order here and in the opposite order elsewhere: a deadlock waiting to happen.",
  description:
    "When one code path holds lock A while taking lock B and another holds B while taking A, two concurrent " +
    "calls can each hold one lock and wait forever for the other (with a lock timeout: both fail). Take nested " +
    "locks in one consistent order everywhere, e.g. sorted by path. The other order is looked for in the same " +
    "file as you type, and across the workspace's files on save and in the CLI.",
  fixable: false,
  // Parse only files that call a lock at all (most files without fs calls are never parsed).
  mentions: (text) => LOCK_CALL_MENTION.test(text),
  check,
  cases,
};

/** The message of a site whose opposite order is at `elsewhere` ("line 12", "store.ts:12"). */
export function lockOrderMessage(innerKey: string, outerKey: string, elsewhere: string): string {
  const [first, second] = [outerKey, innerKey].sort();
  return (
    `${shorten(innerKey, 40)} is locked while ${shorten(outerKey, 40)} is held, and ${elsewhere} locks them in the opposite order: ` +
    `two concurrent calls can each hold one and wait forever for the other. Take them in one order everywhere (e.g. ${shorten(first!, 30)} before ${shorten(second!, 30)}).`
  );
}

function check(context: RuleContext): void {
  const { sourceFile } = context;
  const pairs = lockNestings(lockAcquisitions(context.fs));
  const reported = new Set<unknown>();
  for (const { outer, inner } of pairs) {
    const opposite = pairs.find((pair) => pair.outer.key === inner.key && pair.inner.key === outer.key);
    if (!opposite || reported.has(inner.call)) continue;
    reported.add(inner.call);
    const otherLine = sourceFile.getLineAndCharacterOfPosition(opposite.inner.call.getStart(sourceFile)).line + 1;
    context.report({
      node: inner.call.expression,
      message: lockOrderMessage(inner.key, outer.key, `line ${otherLine}`),
      related: [{ node: opposite.inner.call.expression, message: `${shorten(opposite.inner.key, 40)} is locked here while ${shorten(opposite.outer.key, 40)} is held` }],
    });
  }
}

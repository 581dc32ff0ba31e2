import type { ScenarioOutcome } from "./runner";

/** The failures of one outcome in words: `311/336 torn reads, 17 rename errors (ENOENT)`; empty when it passed. */
export function describeFailures(outcome: ScenarioOutcome): string[] {
  const parts: string[] = [];
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  if (outcome.tornReads > 0) parts.push(`${outcome.tornReads}/${outcome.reads} torn reads`);
  if (outcome.corruptFinalStates > 0) parts.push(plural(outcome.corruptFinalStates, "corrupt final state"));
  if (outcome.lostUpdates > 0) parts.push(plural(outcome.lostUpdates, "lost update"));
  const codes = (prefix: string) =>
    Object.entries(outcome.errors)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key]) => key.slice(key.indexOf(":") + 1))
      .join(", ");
  if (outcome.renameErrors > 0) parts.push(`${plural(outcome.renameErrors, "rename error")} (${codes("rename:")})`);
  if (outcome.writeErrors > 0) parts.push(`${plural(outcome.writeErrors, "failed operation")} (${Object.keys(outcome.errors).filter((key) => !key.startsWith("rename:")).join(", ")})`);
  if (outcome.orphanedTemps > 0) parts.push(plural(outcome.orphanedTemps, "orphaned temp"));
  return parts;
}

import { pathToFileURL } from "node:url";
import type { StressReport } from "./check";
import { describeFailures } from "./describe";
import type { ScenarioOutcome } from "./runner";

export function failureCount(outcome: ScenarioOutcome): number {
  return outcome.tornReads + outcome.corruptFinalStates + outcome.lostUpdates + outcome.renameErrors + outcome.writeErrors + outcome.orphanedTemps;
}

function cell(outcome: ScenarioOutcome): string {
  const failures = describeFailures(outcome);
  return failures.length === 0 ? `pass (${outcome.operations} ops)` : `**FAIL**: ${failures.join(", ")}`;
}

function bar(count: number, max: number): string {
  if (count === 0) return "·";
  return "█".repeat(Math.max(1, Math.round((count / Math.max(max, 1)) * 24)));
}

/**
 * The stress report as Markdown (the editor shows it and its preview): a summary, a text chart of
 * failures per site before and after the fix, and the table. `siteLines[i]` is the 0-based line of
 * site i's table row, for diagnostics that point back into the report.
 */
export function stressReportMarkdown(report: StressReport, folderName: string, date = new Date()): { markdown: string; siteLines: number[] } {
  const lines: string[] = [];
  const failing = report.sites.filter((site) => site.before.verdict === "fail").length;
  const stillFailing = report.sites.filter((site) => site.after.verdict === "fail").length;
  lines.push(`# TornWrite stress check: ${folderName}`, "");
  lines.push(
    `${date.toISOString().slice(0, 16).replace("T", " ")} UTC · ${report.sites.length} write sites · ${report.budget.processes} processes per scenario · ${(report.durationMs / 1000).toFixed(1)} s.`,
    "Protocol replay: no workspace code ran; each site's file operations were replayed by real child processes",
    "(concurrent writers with a reader, SIGKILL crashes, concurrent increments for read-modify-write) in a scratch",
    "folder on the workspace's file system, removed afterwards; then the same with the protocol the quick-fix produces.",
    "",
    `**${failing} of ${report.sites.length} sites failed; after the quick-fix: ${stillFailing}.**`,
    "",
  );
  if (report.sites.length > 0) {
    const max = Math.max(...report.sites.flatMap((site) => [failureCount(site.before), failureCount(site.after)]));
    const width = Math.max(...report.sites.map((site) => `${site.relativePath}:${site.line + 1}`.length));
    lines.push("## Failures per site, before → after the fix", "", "```text");
    for (const site of report.sites) {
      const before = failureCount(site.before);
      const after = failureCount(site.after);
      lines.push(`${`${site.relativePath}:${site.line + 1}`.padEnd(width)}  before ${bar(before, max).padEnd(24)} ${String(before).padStart(4)}   after ${bar(after, max)} ${after}`);
    }
    lines.push("```", "");
  }
  lines.push("## Sites", "", "| site | protocol | before | after the fix |", "|---|---|---|---|");
  const siteLines: number[] = [];
  for (const site of report.sites) {
    siteLines.push(lines.length);
    const link = `${pathToFileURL(site.file).toString()}#L${site.line + 1}`;
    lines.push(`| [${site.relativePath}:${site.line + 1}](${link}) \`${site.target.replace(/\|/g, "\\|").replace(/`/g, "'")}\` | ${site.summary} | ${cell(site.before)} | ${cell(site.after)} |`);
  }
  lines.push("");
  return { markdown: lines.join("\n"), siteLines };
}

import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_BUDGET, type ScenarioOutcome } from "../stress/runner";
import { configuredTargets, stressWorkspace, type StressReport } from "../stress/check";
import { describeFailures } from "../stress/describe";
import { UsageError } from "./files";

export const STRESS_USAGE = `Usage: tornwrite stress [folder] [options]

Replays every write site's file protocol (as the analysis extracts it; no workspace code runs) with real
child processes in <folder>/.tornwrite/stress/ (removed afterwards): concurrent writers with a reader,
SIGKILL crashes, and concurrent increments for read-modify-write sites; then the same with the protocol
the quick-fix produces. Exit 1 when any site fails before the fix.

Options:
  --processes <n>        Concurrent writer processes per scenario (default: ${DEFAULT_BUDGET.processes})
  --ops <n>              Writes per writer process (default: ${DEFAULT_BUDGET.operations})
  --site <file:line>     Only this site (path relative to the folder, 1-based line)
  --suspects-only        Only sites with a finding (faster); by default sites whose protocol is already
                         correct are replayed too, so the report covers every write site
  --allow-exec           Also call the live targets of .tornwrite.json ("stress": { "targets": [{ "module",
                         "export", "args", "path", "kind" }] }) in child processes: this RUNS YOUR CODE
  --format <text|json>   Output format (default: text)
`;

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new UsageError(`Bad ${option} '${value}': expected a whole number from 1 to 64`);
  return number;
}

function verdict(outcome: ScenarioOutcome, budget: StressReport["budget"]): string {
  const failures = describeFailures(outcome);
  const reclaimable = outcome.reclaimableTemps;
  const extra = reclaimable > 0 ? `, ${reclaimable} temp${reclaimable === 1 ? "" : "s"} of killed writers, reclaimable by their pid` : "";
  return failures.length === 0
    ? `pass: proven under ${budget.processes} processes and ${budget.crashRounds} kill rounds (${outcome.operations} ops${extra})`
    : `FAIL: ${failures.join(", ")}`;
}

export function formatStressText(report: StressReport): string {
  if (report.sites.length === 0) return "No write sites found.\n";
  const lines: string[] = [];
  for (const site of report.sites) {
    lines.push(`${site.relativePath}:${site.line + 1}:${site.character + 1}  ${site.target}`);
    lines.push(`  protocol  ${site.summary}`);
    lines.push(`  before    ${verdict(site.before, report.budget)}  [${(site.before.durationMs / 1000).toFixed(1)} s]`);
    lines.push(`  after fix ${verdict(site.after, report.budget)}  [${(site.after.durationMs / 1000).toFixed(1)} s]`);
    lines.push("");
  }
  const failing = report.sites.filter((site) => site.before.verdict === "fail").length;
  const stillFailing = report.sites.filter((site) => site.after.verdict === "fail").length;
  const correct = report.sites.filter((site) => site.before.verdict === "pass").length;
  lines.push(`${failing} of ${report.sites.length} write sites failed; after the fix: ${stillFailing}. ${correct} already correct. ${(report.durationMs / 1000).toFixed(1)} s, ${report.budget.processes} processes per scenario.`);
  return `${lines.join("\n")}\n`;
}

export function formatStressJson(report: StressReport): string {
  const sites = report.sites.map((site) => ({
    file: site.relativePath,
    line: site.line + 1,
    column: site.character + 1,
    target: site.target,
    protocol: site.summary,
    rules: site.ruleIds,
    before: site.before,
    after: site.after,
  }));
  return `${JSON.stringify({ sites, budget: report.budget, durationMs: report.durationMs }, null, 2)}\n`;
}

export async function stress(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      processes: { type: "string" },
      ops: { type: "string" },
      site: { type: "string" },
      format: { type: "string", default: "text" },
      "allow-exec": { type: "boolean", default: false },
      "suspects-only": { type: "boolean", default: false },
    },
  });
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`Unknown --format '${values.format}' for stress: use text or json`);
  if (positionals.length > 1) throw new UsageError("stress takes one folder");
  const folder = positionals[0] ?? ".";
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`Not a folder: ${folder}`);
  const processes = positiveInteger(values.processes, "--processes");
  const operations = positiveInteger(values.ops, "--ops");
  if (values["allow-exec"]) {
    try {
      configuredTargets(folder);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const progress = values.format === "text" && process.stderr.isTTY === true;
  try {
    const report = await stressWorkspace(fs.realpathSync(folder), {
      budget: { ...(processes ? { processes } : {}), ...(operations ? { operations } : {}) },
      ...(values.site ? { site: values.site } : {}),
      suspectsOnly: values["suspects-only"],
      live: values["allow-exec"],
      signal: controller.signal,
      onSite: (done, total, next) => {
        if (progress) process.stderr.write(`\r\x1b[K${done}/${total} sites${next ? `: ${next.relativePath}:${next.line + 1}` : ""}`);
      },
    });
    if (progress) process.stderr.write("\r\x1b[K");
    if (values.site && report.sites.length === 0) throw new UsageError(`No write site at ${values.site}`);
    process.stdout.write(values.format === "json" ? formatStressJson(report) : formatStressText(report));
    return report.sites.some((site) => site.before.verdict === "fail") ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

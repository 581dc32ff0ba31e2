import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { scanStaleFiles, type ScanOptions, type StaleCandidate } from "../cleanup/scan";
import { workspaceSiteMatchers } from "../cleanup/workspaceSites";
import { confirmCandidates, removeCandidate } from "../cleanup/remove";
import { UsageError } from "./files";

export const CLEAN_USAGE = `Usage: tornwrite clean [folder] [options]

Finds leftover temp files and stale locks under the folder (default: .): the TornWrite runtime's own,
common patterns of other writers, and the names this workspace's own write sites produce. A dry run
unless --yes is given. Never follows symlinks; skips node_modules and .git unless --include-dependencies.

Options:
  --yes                      Remove the candidates (each is re-checked right before)
  --min-age <minutes>        Only files older than this (default: 10)
  --include-dependencies     Also scan node_modules and .git
  --format <text|json>       Output format (default: text)
`;

function humanSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function humanAge(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

function table(candidates: readonly StaleCandidate[]): string {
  const rows = candidates.map((candidate) => [
    candidate.relativePath + (candidate.isDirectory ? "/" : ""),
    humanSize(candidate.size),
    humanAge(candidate.ageSeconds),
    candidate.reason + (candidate.site ? ` (${candidate.site})` : ""),
  ]);
  const header = ["path", "size", "age", "reason"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}

export async function clean(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      yes: { type: "boolean", default: false },
      "min-age": { type: "string", default: "10" },
      "include-dependencies": { type: "boolean", default: false },
      format: { type: "string", default: "text" },
    },
  });
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`Unknown --format '${values.format}' for clean: use text or json`);
  const minAgeMinutes = Number(values["min-age"]);
  if (!Number.isFinite(minAgeMinutes) || minAgeMinutes < 0) throw new UsageError(`Bad --min-age '${values["min-age"]}': expected minutes (a number ≥ 0)`);
  if (positionals.length > 1) throw new UsageError("clean takes one folder");
  const folder = positionals[0] ?? ".";
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`Not a folder: ${folder}`);

  const options: ScanOptions = { minAgeMinutes, includeDependencies: values["include-dependencies"], siteMatchers: await workspaceSiteMatchers(folder) };
  const scan = await scanStaleFiles(folder, options);
  const removed: string[] = [];
  const skipped: { relativePath: string; why: string }[] = [];
  if (values.yes) {
    const plan = await confirmCandidates(scan.candidates, scan.root, options);
    skipped.push(...plan.skipped);
    for (const candidate of plan.confirmed) {
      if (await removeCandidate(candidate, minAgeMinutes)) removed.push(candidate.relativePath);
      else skipped.push({ relativePath: candidate.relativePath, why: "could not be removed" });
    }
  }

  if (values.format === "json") {
    const candidates = scan.candidates.map(({ relativePath, reason, ageSeconds, site, size, kind }) => ({ path: relativePath, reason, ageSeconds, kind, size, ...(site ? { site } : {}) }));
    process.stdout.write(`${JSON.stringify({ candidates, removed, kept: scan.kept.map(({ relativePath, why }) => ({ path: relativePath, why })), skipped: skipped.map(({ relativePath, why }) => ({ path: relativePath, why })) }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (scan.candidates.length === 0) lines.push(`No stale temp files or locks in ${scan.scannedEntries} entries.`);
  else lines.push(table(scan.candidates), "");
  for (const kept of scan.kept) lines.push(`kept     ${kept.relativePath}: ${kept.why}`);
  for (const skip of skipped) lines.push(`skipped  ${skip.relativePath}: ${skip.why}`);
  if (scan.openFilesNote) lines.push(`note: ${scan.openFilesNote}`);
  if (scan.candidates.length > 0) {
    lines.push(values.yes ? `Removed ${removed.length} of ${scan.candidates.length}.` : `${scan.candidates.length} stale file${scan.candidates.length === 1 ? "" : "s"}. Dry run: nothing removed; run with --yes to remove them.`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as sarif from "sarif";
import { allRules } from "../rules";
import type { Finding, Severity } from "../engine/types";
import { docsUri } from "../project/assets";

export interface FileFindings {
  file: string;
  findings: Finding[];
}

const VERSION = "0.1.0";

function relative(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join("/") || path.basename(file);
}

/** Human-readable, grouped by file, one finding a line with `line:column`, 1-based. */
export function formatText(results: readonly FileFindings[], base: string, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const severityColor: Record<Severity, string> = { error: "31", warning: "33", information: "36", hint: "2" };
  const lines: string[] = [];
  let total = 0;
  let fixable = 0;
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { file, findings } of results) {
    if (findings.length === 0) continue;
    lines.push(paint("4", relative(base, file)));
    for (const finding of findings) {
      total++;
      counts[finding.severity]++;
      if (finding.fixable) fixable++;
      const where = `${finding.range.start.line + 1}:${finding.range.start.character + 1}`.padEnd(8);
      lines.push(`  ${paint("2", where)}${paint(severityColor[finding.severity], finding.severity.padEnd(12))}${finding.message}  ${paint("2", finding.ruleId)}`);
      for (const related of finding.related ?? []) lines.push(`  ${" ".repeat(20)}${paint("2", `${relative(base, related.fileName)}:${related.range.start.line + 1}:${related.range.start.character + 1}`)} ${related.message}`);
    }
    lines.push("");
  }
  if (total === 0) return `No problems found in ${results.length} file${results.length === 1 ? "" : "s"}.\n`;
  const files = results.filter((result) => result.findings.length > 0).length;
  const breakdown = (Object.keys(counts) as Severity[]).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ");
  lines.push(`${total} problem${total === 1 ? "" : "s"} (${breakdown}) in ${files} of ${results.length} files.`);
  if (fixable > 0) lines.push(`${fixable} can be fixed with \`tornwrite fix\`.`);
  return `${lines.join("\n")}\n`;
}

/** Machine-readable: paths relative to `base`, 1-based lines and columns. */
export function formatJson(results: readonly FileFindings[], base: string): string {
  const files = results.map(({ file, findings }) => ({
    file: relative(base, file),
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      line: finding.range.start.line + 1,
      column: finding.range.start.character + 1,
      endLine: finding.range.end.line + 1,
      endColumn: finding.range.end.character + 1,
      fixable: finding.fixable,
      ...(finding.related
        ? { related: finding.related.map((entry) => ({ file: relative(base, entry.fileName), line: entry.range.start.line + 1, column: entry.range.start.character + 1, message: entry.message })) }
        : {}),
    })),
  }));
  return `${JSON.stringify({ version: VERSION, files: files.filter((file) => file.findings.length > 0), filesChecked: results.length }, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, sarif.Result.level> = { error: "error", warning: "warning", information: "note", hint: "note" };

function sarifLocation(base: string, file: string, range: Finding["range"]): sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: relative(base, file), uriBaseId: "%SRCROOT%" },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  };
}

/** SARIF 2.1.0: rule metadata with help, results with 1-based regions relative to %SRCROOT%. */
export function formatSarif(results: readonly FileFindings[], base: string): string {
  const rules: sarif.ReportingDescriptor[] = allRules.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.description },
    helpUri: docsUri(rule.id),
    help: { text: rule.description },
    defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
    properties: { tags: ["reliability", "data-integrity"] },
  }));
  const ruleIndex = new Map(allRules.map((rule, index) => [rule.id, index]));
  const sarifResults: sarif.Result[] = results.flatMap(({ file, findings }) =>
    findings.map((finding) => ({
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [sarifLocation(base, file, finding.range)],
      ...(finding.related
        ? { relatedLocations: finding.related.map((entry, id) => ({ id, ...sarifLocation(base, entry.fileName, entry.range), message: { text: entry.message } })) }
        : {}),
    })),
  );
  const log: sarif.Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "TornWrite", version: VERSION, semanticVersion: VERSION, rules } },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(base + path.sep).toString() } },
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

import { ts } from "./ts";
import { nodeRange, toRange } from "./ast";
import type { AnalyzeOptions, FileChange, Finding, Fix, ProgramFacts, Range, RuleSetting, Severity, TextEdit } from "./types";
import type { FixProposal, OffsetEdit, Report, RuleContext, RuleModule } from "./rule";
import { FS_MODULE_MENTION, FsModel } from "./fsModel";
import { extractProtocols, type FunctionProtocol } from "./protocol";
import { fileAccesses, type FileAccess } from "./accesses";
import { parseDirectives, type Directives } from "./directives";
import { runtimeAliases, runtimeImportEdit } from "./runtimeImport";
import { removeImportsMadeUnused } from "./fixes/unusedImports";
import { applyOffsetEdits } from "./fixes/edits";
import { allRules } from "../rules";
import { moduleFacts, type ModuleFacts } from "./workspace/moduleFacts";
import { importedCalls, type ImportedCall } from "./workspace/importedCalls";
import { RELATIVE_IMPORT_MENTION } from "./workspace/imports";
import { isUnreachable } from "./unreachable";

/** Findings plus the offset-level proposals behind them, kept for fix-all. */
interface RawFinding {
  rule: RuleModule;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  fix: Report["fix"];
  related: Report["related"];
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ".ts": ts.ScriptKind.TS, ".mts": ts.ScriptKind.TS, ".cts": ts.ScriptKind.TS, ".tsx": ts.ScriptKind.TSX,
  ".js": ts.ScriptKind.JS, ".mjs": ts.ScriptKind.JS, ".cjs": ts.ScriptKind.JS, ".jsx": ts.ScriptKind.JSX,
};

export const ANALYZABLE_EXTENSIONS = Object.keys(SCRIPT_KINDS);

export function isAnalyzable(fileName: string): boolean {
  return ANALYZABLE_EXTENSIONS.some((extension) => fileName.endsWith(extension));
}

/** Parses syntax only: a fresh tree per call, nothing kept alive across edits. */
export function parse(fileName: string, text: string): ts.SourceFile {
  const extension = /\.[cm]?[jt]sx?$/.exec(fileName)?.[0] ?? ".ts";
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS);
}

function severityFor(rule: RuleModule, settings: AnalyzeOptions["rules"]): RuleSetting {
  return settings?.[rule.id] ?? rule.defaultSeverity;
}

interface RuleRun {
  sourceFile: ts.SourceFile;
  fsModel: FsModel;
  directives: Directives;
  raw: RawFinding[];
  /** The rules' shared summaries (protocols, accesses), for the workspace facts drawn from the same parse. */
  context: RuleContext;
}

/** What every rule's context shares: the file, its fs model, and its summaries, each computed once on demand. */
function sharedContext(fileName: string, sourceFile: ts.SourceFile, fsModel: FsModel, program: ProgramFacts = {}): RuleContext {
  let protocols: Map<ts.Node, FunctionProtocol> | undefined;
  let accesses: Map<ts.Node, FileAccess[]> | undefined;
  return {
    fileName,
    sourceFile,
    fs: fsModel,
    protocols: () => (protocols ??= extractProtocols(fsModel)),
    accesses() {
      return (accesses ??= fileAccesses(this));
    },
    ruleIds: allRules.map((known) => known.id),
    program,
    report: () => undefined,
  };
}

function runRules(fileName: string, text: string, options: AnalyzeOptions): RuleRun | undefined {
  const mentionsFs = FS_MODULE_MENTION.test(text);
  const rules = allRules.filter((rule) => (rule.mentions ? rule.mentions(text) : mentionsFs));
  if (rules.length === 0) return undefined;
  const sourceFile = options.parser ? options.parser.parse(fileName, text) : parse(fileName, text);
  const fsModel = new FsModel(sourceFile);
  const directives = parseDirectives(sourceFile);
  const raw: RawFinding[] = [];
  const shared = sharedContext(fileName, sourceFile, fsModel, options.program);
  for (const rule of rules) {
    const setting = severityFor(rule, options.rules);
    if (setting === "off") continue;
    const reportedBefore = raw.length;
    const check = () => rule.check({
      ...shared,
      report: (report: Report) => {
        const start = report.range?.start ?? report.node.getStart(sourceFile);
        const line = sourceFile.getLineAndCharacterOfPosition(start).line;
        if (!rule.ignoresDirectives && directives.isDisabled(rule.id, line)) return;
        // Code that never runs (a module-private function nothing reaches) has nothing to report.
        if (isUnreachable(sourceFile, start)) return;
        const severity = options.rules?.[rule.id] === undefined ? report.severity ?? rule.defaultSeverity : (setting as Severity);
        raw.push({ rule, severity, start, end: report.range?.end ?? report.node.end, message: report.message, fix: report.fix, related: report.related });
      },
    });
    if (!options.onRuleError) {
      check();
      continue;
    }
    // One rule's bug on one file costs that rule's findings there, not the other rules' (its partial ones dropped).
    try {
      check();
    } catch (error) {
      raw.length = reportedBefore;
      options.onRuleError(rule.id, error);
    }
  }
  raw.sort((a, b) => a.start - b.start || a.rule.id.localeCompare(b.rule.id));
  return { sourceFile, fsModel, directives, raw: oneFindingPerSite(raw), context: shared };
}

/**
 * One finding per rule and site: a site that several paths reach (the same write through two helpers) is
 * reported once, the other paths' places as related locations. `raw` is sorted by position.
 */
function oneFindingPerSite(raw: RawFinding[]): RawFinding[] {
  const kept: RawFinding[] = [];
  const bySite = new Map<string, RawFinding>();
  for (const finding of raw) {
    const site = `${finding.rule.id}:${finding.start}:${finding.end}`;
    const first = bySite.get(site);
    if (!first) {
      bySite.set(site, finding);
      kept.push(finding);
      continue;
    }
    const known = new Set((first.related ?? []).map((entry) => entry.node));
    const added = (finding.related ?? []).filter((entry) => !known.has(entry.node));
    if (added.length > 0) first.related = [...(first.related ?? []), ...added];
  }
  return kept;
}

/** The engine's entry point: text in, findings (with fixes) out. Pure and synchronous. */
export function analyze(fileName: string, text: string, options: AnalyzeOptions = {}): Finding[] {
  const result = runRules(fileName, text, options);
  return result ? findingsOf(result, options) : [];
}

/**
 * `analyze` plus what the workspace-wide checks need from this file (its exported writers and nested
 * locks, its calls into other modules), from the same parse. Files no rule parses have no facts; their
 * calls are read only when asked (`calls: "always"`), as the CLI does for importers of a wrapper module.
 */
export function analyzeWithFacts(fileName: string, text: string, options: AnalyzeOptions = {}, calls: "if-parsed" | "always" = "if-parsed"): { findings: Finding[]; facts?: ModuleFacts; calls?: ImportedCall[] } {
  const result = runRules(fileName, text, options);
  const mentionsImports = RELATIVE_IMPORT_MENTION.test(text);
  if (!result) {
    if (calls === "if-parsed") return { findings: [] };
    const sourceFile = options.parser ? options.parser.parse(fileName, text) : parse(fileName, text);
    const fsModel = new FsModel(sourceFile);
    const directives = parseDirectives(sourceFile);
    return { findings: [], facts: moduleFacts(fsModel, new Set(), () => false), calls: importedCalls(sourceFile, fsModel, directives, sharedContext(fileName, sourceFile, fsModel, options.program), options.importedAccessors) };
  }
  const writes = new Set(result.raw.filter((finding) => finding.rule.id === "non-atomic-write").map((finding) => finding.start));
  return {
    findings: findingsOf(result, options),
    facts: moduleFacts(result.fsModel, writes, (ruleId, line) => result.directives.isDisabled(ruleId, line), result.context),
    ...(mentionsImports ? { calls: importedCalls(result.sourceFile, result.fsModel, result.directives, result.context, options.importedAccessors) } : {}),
  };
}

function findingsOf({ sourceFile, raw }: RuleRun, options: AnalyzeOptions): Finding[] {
  const wanted = options.fixes ?? "all";
  return raw.map((finding) => {
    const range = toRange(sourceFile, finding.start, finding.end);
    const related = finding.related?.map((entry) => ({ fileName: sourceFile.fileName, range: nodeRange(sourceFile, entry.node), message: entry.message }));
    if (wanted === "none") return { ruleId: finding.rule.id, message: finding.message, severity: finding.severity, range, fixable: finding.rule.fixable, fixes: [], ...(related ? { related } : {}) };
    const inRange = wanted === "all" || rangesOverlap(range, wanted);
    const fix = inRange || options.runtime === undefined ? evaluateFix(finding.fix) : undefined;
    return {
      ruleId: finding.rule.id,
      message: finding.message,
      severity: finding.severity,
      range,
      fixable: inRange ? fix !== undefined : finding.rule.fixable,
      fixes: fix && inRange && canApply(fix, options) ? [materialize(sourceFile, [fix], options, fix.title, true)] : [],
      ...(related ? { related } : {}),
    };
  });
}

/**
 * One pass of fix-all: every preferred fix whose edits do not overlap an earlier one's, one shared
 * runtime import, the runtime vendored once. Undefined when nothing is fixable.
 */
function fixAllPass(fileName: string, text: string, options: AnalyzeOptions): Fix | undefined {
  const result = runRules(fileName, text, options);
  if (!result) return undefined;
  const chosen: FixProposal[] = [];
  let lastEnd = -1;
  for (const finding of result.raw) {
    const fix = evaluateFix(finding.fix);
    if (!fix || !canApply(fix, options)) continue;
    const edits = [...fix.edits].sort((a, b) => a.start - b.start);
    const first = edits[0];
    if (!first || first.start < lastEnd) continue; // overlaps a fix already taken: next pass
    chosen.push({ ...fix, edits });
    lastEnd = Math.max(...edits.map((edit) => edit.end));
  }
  if (chosen.length === 0) return undefined;
  return materialize(result.sourceFile, chosen, options, "Fix all TornWrite problems", true);
}

/**
 * Fix-all as one fix: passes run until the text is stable (fixes can overlap, as a read-modify-write
 * wrap contains the write another rule replaces), then the change is one minimal edit of the file.
 */
export function fixAll(fileName: string, text: string, options: AnalyzeOptions = {}): Fix | undefined {
  const result = fixText(fileName, text, options);
  if (result.text === text) return undefined;
  let prefix = 0;
  while (prefix < text.length && prefix < result.text.length && text[prefix] === result.text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < text.length - prefix && suffix < result.text.length - prefix && text[text.length - 1 - suffix] === result.text[result.text.length - 1 - suffix]) suffix++;
  const sourceFile = parse(fileName, text);
  const edit: TextEdit = { range: toRange(sourceFile, prefix, text.length - suffix), newText: result.text.slice(prefix, result.text.length - suffix) };
  return { title: "Fix all TornWrite problems", isPreferred: true, changes: [{ kind: "edit", fileName, edits: [edit] }, ...result.created] };
}

/** Applies fix-all passes (fixes can overlap) until the text is stable. Returns the final text. */
export function fixText(fileName: string, text: string, options: AnalyzeOptions = {}, maxPasses = 10): { text: string; created: FileChange[]; passes: number } {
  let current = text;
  const created: FileChange[] = [];
  let passes = 0;
  for (; passes < maxPasses; passes++) {
    const fix = fixAllPass(fileName, current, options);
    if (!fix) break;
    for (const change of fix.changes) {
      if (change.kind === "create") {
        if (!created.some((c) => c.fileName === change.fileName)) created.push(change);
      } else if (change.fileName === fileName) current = applyTextEdits(current, change.edits);
    }
    // The runtime now exists: later passes must not vendor it again.
    if (options.runtime?.vendor) options = { ...options, runtime: { ...options.runtime, vendor: undefined } };
  }
  return { text: current, created, passes };
}

function evaluateFix(fix: Report["fix"]): FixProposal | undefined {
  return typeof fix === "function" ? fix() : fix;
}

function rangesOverlap(a: Range, b: Range): boolean {
  const before = (x: Range["start"], y: Range["start"]) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Calls of a runtime function in a fix's text, renamed to its alias (`atomicWriteFile(` → `tornwriteAtomicWriteFile(`). */
function withAliases(text: string, aliases: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [name, alias] of aliases) result = result.replace(new RegExp(`(?<![.\\w$])${name}(?=\\s*[(<])`, "g"), alias);
  return result;
}

/** A fix that calls the runtime needs to know how to import it. */
function canApply(fix: FixProposal, options: AnalyzeOptions): boolean {
  return fix.runtimeImports.length === 0 || options.runtime !== undefined;
}

function materialize(sourceFile: ts.SourceFile, proposals: FixProposal[], options: AnalyzeOptions, title: string, isPreferred: boolean): Fix {
  const runtime = options.runtime;
  const names = proposals.flatMap((proposal) => proposal.runtimeImports);
  // A runtime name the file already uses for something else is imported under an alias, and the fix calls that.
  const aliases = runtime && names.length > 0 ? runtimeAliases(sourceFile, runtime.importSpecifier, names) : new Map<string, string>();
  const edits: OffsetEdit[] = proposals.flatMap((proposal) => proposal.edits).map((edit) => (aliases.size === 0 ? edit : { ...edit, newText: withAliases(edit.newText, aliases) }));
  const changes: FileChange[] = [];
  if (runtime && names.length > 0) {
    const importEdit = runtimeImportEdit(sourceFile, runtime.importSpecifier, names, aliases);
    if (importEdit) edits.push(importEdit);
    if (runtime.vendor) changes.push({ kind: "create", fileName: runtime.vendor.fileName, text: runtime.vendor.text });
  }
  edits.push(...removeImportsMadeUnused(sourceFile, parse(sourceFile.fileName, applyOffsetEdits(sourceFile.text, edits))));
  const textEdits: TextEdit[] = withoutOverlaps(sourceFile.text, edits)
    .map((edit) => ({ range: toRange(sourceFile, edit.start, edit.end), newText: edit.newText }));
  changes.unshift({ kind: "edit", fileName: sourceFile.fileName, edits: textEdits });
  return { title, isPreferred, changes };
}


/**
 * The same change as `edits`, as edits that do not overlap (LSP clients and ESLint reject overlapping
 * ones): an edit inside another's range, as an import added where an unused one is removed, is merged with
 * it into one edit of their combined range. Sorted by position.
 */
function withoutOverlaps(text: string, edits: readonly OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const groups: OffsetEdit[][] = [];
  let groupEnd = -1;
  for (const edit of sorted) {
    const group = groups[groups.length - 1];
    const joins = group !== undefined && edit.start < groupEnd;
    if (joins) group.push(edit);
    else groups.push([edit]);
    groupEnd = joins ? Math.max(groupEnd, edit.end) : edit.end;
  }
  return groups.map((group) => {
    if (group.length === 1) return group[0]!;
    const start = group[0]!.start;
    const end = Math.max(...group.map((edit) => edit.end));
    const shifted = group.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start }));
    return { start, end, newText: applyOffsetEdits(text.slice(start, end), shifted) };
  });
}

/** Applies non-overlapping edits given in line/character ranges. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offset = (position: { line: number; character: number }): number =>
    Math.min((lineStarts[position.line] ?? text.length) + position.character, text.length);
  const sorted = edits
    .map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

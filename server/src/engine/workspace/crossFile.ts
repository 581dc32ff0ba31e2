import * as path from "node:path";
import type { Finding, RuleSetting, Severity } from "../types";
import type { ImportedCall } from "./importedCalls";
import { THIS_MODULE, type ModuleFacts, type NestingFact } from "./moduleFacts";
import { resolveImport } from "./resolve";
import { namesState } from "../stateFiles";
import { inPerUserFolder, isBuildOutputPath, isCacheName } from "../locations";
import { displayPath } from "../paths";
import { lockOrderMessage } from "../../rules/lock-order-inversion";
import { fixedPathExcused } from "../../rules/unlocked-read-modify-write";

/** Source order, for merging the workspace findings into a file's own. */
export function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The workspace as the cross-file checks see it: facts per file, and which files exist. */
export interface WorkspaceView {
  facts(fileName: string): ModuleFacts | undefined;
  exists(fileName: string): boolean;
  /** Rule settings of a file (its `.tornwrite.json` and the editor's or command line's). */
  rules(fileName: string): Readonly<Record<string, RuleSetting>> | undefined;
}

function severity(view: WorkspaceView, fileName: string, ruleId: string, fallback: Severity): Severity | undefined {
  const setting = view.rules(fileName)?.[ruleId];
  return setting === "off" ? undefined : setting ?? fallback;
}

/** A name for another file in a message: relative to the reporting file's folder. */
function nameFrom(fileName: string, other: string): string {
  const relative = path.relative(path.dirname(fileName), other).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/**
 * Calls of another module's exported function that writes its path argument in place: reported at the
 * call, naming the caller's path, with the wrapper's write as related information. The fix is in the
 * wrapper (its own non-atomic-write quick-fix), so the call offers none.
 */
export function wrapperCallFindings(fileName: string, calls: readonly ImportedCall[], view: WorkspaceView): Finding[] {
  const level = severity(view, fileName, "non-atomic-write", "warning");
  if (!level) return [];
  const findings: Finding[] = [];
  // One finding per writer and target in a file: the later calls that write the same file through it
  // (`saveProjectMeta(this.projectStorage)` after each command: scale study, seed 75) are related locations of
  // the first, fixed by the same change in the writer.
  const byTarget = new Map<string, Finding>();
  for (const call of calls) {
    if (call.disabled) continue;
    const module = resolveImport(fileName, call.specifier, view.exists);
    const writer = module ? view.facts(module)?.writers.find((each) => each.exported === call.imported) : undefined;
    const argument = writer ? call.argumentTexts[writer.parameter] : undefined;
    if (!module || !writer || argument === undefined || call.missingArguments?.includes(writer.parameter)) continue;
    const where = `${nameFrom(fileName, module)}:${writer.range.start.line + 1}`;
    const written = writer.targetText ? `${writer.targetText} (${writer.parameterName} = ${argument})` : argument;
    // The wrapper writes whatever it is given: the call is reported when it writes state, as the per-file rule
    // judges a write (spelled as state, or written from a function named for keeping). A generic wrapper's
    // own name (`savePlistFile`) says nothing about what this caller passes.
    if (!namesState(written) && !call.keeping) continue;
    // A cache or build output by its name (`configurationCachePath`, `distDir + "/a.js"`): rebuilt, as the
    // per-file rule judges it (seed 38: a configuration cache written through `util.writeFile`).
    // So is an argument that resolves to one in the calling module, or any path a cache module writes (`cache.js`
    // calling `writeJSON(me._pathToFile, …)`: seed 39; both judged by isCacheTarget and isBuildOutputTarget there).
    if (isCacheName(written) || isBuildOutputPath(written) || call.outputArguments?.includes(writer.parameter)) continue;
    const target = `${module}#${writer.exported}#${written}`;
    const earlier = byTarget.get(target);
    if (earlier) {
      earlier.related = [...(earlier.related ?? []), { fileName, range: call.range, message: `${call.calleeText} writes it in place here too` }];
      continue;
    }
    const finding: Finding = {
      ruleId: "non-atomic-write",
      severity: level,
      range: call.range,
      message:
        `${call.calleeText} (${where}) replaces ${written} in place with ${writer.callee}: a crash or a concurrent writer leaves it torn ` +
        `or empty. Make ${writer.exported === "default" ? "that function" : writer.exported} write atomically (its quick-fix there: atomicWriteFile).`,
      fixable: false,
      fixes: [],
      related: [{ fileName: module, range: writer.range, message: `${writer.callee} writes ${writer.targetText ?? writer.parameterName} in place here` }],
    };
    byTarget.set(target, finding);
    findings.push(finding);
  }
  return findings;
}

/**
 * A read-modify-write cycle through another module's helpers (`const teams = await data.readJSONFile(p); …
 * data.writeJSONFile(p, teams)`): reported at the write-back call, as the per-file rule would report it had the
 * helpers been in the file, with the helpers' places as related information. Judged by the per-file rule's
 * own exemptions where the calls are (importedCycles.ts); the helpers' facts say whether the cycle is synchronous.
 */
export function importedCycleFindings(fileName: string, calls: readonly ImportedCall[], view: WorkspaceView): Finding[] {
  const level = severity(view, fileName, "unlocked-read-modify-write", "warning");
  if (!level) return [];
  const findings: Finding[] = [];
  const accessor = (call: ImportedCall | undefined, kind: "read" | "write") => {
    const module = call && resolveImport(fileName, call.specifier, view.exists);
    const found = module ? view.facts(module)?.accessors?.filter((each) => each.exported === call!.imported && each.kind === kind) ?? [] : [];
    return { module, found };
  };
  for (const write of calls) {
    if (!write.readsBefore) continue;
    const writers = accessor(write, "write");
    for (const candidate of write.readsBefore) {
      const read = calls[candidate.read];
      const readers = accessor(read, "read");
      const writer = writers.found.find((each) => each.parameter === candidate.writeArgument && each.data !== undefined && candidate.dataArguments.includes(each.data));
      // A path both helpers spell themselves is one file when the keys are equal; one relative to a module's own
      // folder only within that module.
      const reader = readers.found.find((each) => each.parameter === candidate.readArgument && (each.parameter >= 0 || (each.key === writer?.key && (readers.module === writers.module || !/__dirname|import\.meta/.test(each.key ?? "")))));
      if (!read || !writer || !reader || candidate.disabled) continue;
      const fixed = writer.parameter < 0 ? writer.key ?? "" : undefined;
      if (fixed !== undefined && fixedPathExcused(fixed)) continue;
      const shared = fixed !== undefined && inPerUserFolder(fixed);
      const judged = reader.sync && writer.sync ? (shared ? candidate.ifSyncShared : candidate.ifSync) : shared ? candidate.ifAsyncShared : candidate.ifAsync;
      if (judged === undefined || judged === "excused") continue;
      const path = fixed !== undefined ? displayPath(fixed) : write.argumentTexts[candidate.writeArgument];
      findings.push({
        ruleId: "unlocked-read-modify-write",
        severity: level,
        range: write.range,
        message:
          `${path} was read on line ${candidate.readLine} (${read.calleeText}) and is written back here (${write.calleeText}) with no lock held across the cycle: ` +
          (judged === "synchronous"
            ? "the cycle is synchronous, but every running instance shares this file, and another instance doing the same at once loses one update. "
            : "two concurrent calls (or processes) read the same old content and one update is lost; a lock inside each helper does not cover the cycle. ") +
          "Hold one file lock across read, modify and write (withFileLock, or updateJsonFile).",
        fixable: false,
        fixes: [],
        related: [
          { fileName: readers.module!, range: reader.range, message: `${read.calleeText} reads the file here` },
          { fileName: writers.module!, range: writer.range, message: `${write.calleeText} writes it here` },
        ],
      });
      break;
    }
  }
  return findings;
}

/** The findings at one file's calls into other modules: in-place writers, and cycles through read and write helpers. */
export function importedCallFindings(fileName: string, calls: readonly ImportedCall[], view: WorkspaceView): Finding[] {
  return [...wrapperCallFindings(fileName, calls, view), ...importedCycleFindings(fileName, calls, view)];
}

/** A fact's lock keys with every module reference resolved to a workspace file (or its constant's value). */
function resolvedKey(key: string, fileName: string, view: WorkspaceView): string {
  return key.replace(/«([^#»]+)#([^»]+)»/g, (whole, specifier: string, name: string) => {
    if (specifier === THIS_MODULE) return `«${fileName}#${name}»`;
    const module = resolveImport(fileName, specifier, view.exists);
    if (!module) return whole;
    const value = view.facts(module)?.constants[name];
    return value !== undefined ? JSON.stringify(value) : `«${module}#${name}»`;
  });
}

export interface ResolvedNesting extends NestingFact {
  fileName: string;
}

/** One file's nested-lock sites with their keys resolved across the workspace. */
export function resolvedNestings(fileName: string, view: WorkspaceView): ResolvedNesting[] {
  const resolved: ResolvedNesting[] = [];
  for (const nesting of view.facts(fileName)?.nestings ?? []) {
    const site = { ...nesting, fileName, outer: resolvedKey(nesting.outer, fileName, view), inner: resolvedKey(nesting.inner, fileName, view) };
    if (site.outer !== site.inner) resolved.push(site);
  }
  return resolved;
}

/** Nested-lock sites by their (outer, inner) pair: built once for the files that do not change per keystroke. */
export class NestingIndex {
  private readonly byPair = new Map<string, ResolvedNesting[]>();

  add(sites: readonly ResolvedNesting[]): void {
    for (const site of sites) {
      const pair = `${site.outer}\u0000${site.inner}`;
      const list = this.byPair.get(pair);
      if (list) list.push(site);
      else this.byPair.set(pair, [site]);
    }
  }

  /** The sites in other files than `site`'s that take its two locks the other way round. */
  oppositeElsewhere(site: ResolvedNesting): ResolvedNesting[] {
    return (this.byPair.get(`${site.inner}\u0000${site.outer}`) ?? []).filter((other) => other.fileName !== site.fileName);
  }
}

/**
 * The findings at `sites` (one file's, as it is now) whose opposite order is in another file of `index`
 * (whatever the index holds of the file itself is ignored). Inversions within one file are the per-file
 * rule's: a site with an opposite order in its own file is left to it.
 */
export function lockOrderFindingsAt(sites: readonly ResolvedNesting[], index: NestingIndex, view: WorkspaceView): Finding[] {
  const findings: Finding[] = [];
  for (const site of sites) {
    if (site.disabled) continue;
    if (sites.some((other) => other.outer === site.inner && other.inner === site.outer)) continue;
    const opposite = index.oppositeElsewhere(site);
    if (opposite.length === 0) continue;
    const level = severity(view, site.fileName, "lock-order-inversion", "warning");
    if (!level) continue;
    const first = opposite[0]!;
    findings.push({
      ruleId: "lock-order-inversion",
      severity: level,
      range: site.range,
      message: lockOrderMessage(site.innerText, site.outerText, `${nameFrom(site.fileName, first.fileName)}:${first.range.start.line + 1}`),
      fixable: false,
      fixes: [],
      related: opposite.slice(0, 5).map((other) => ({
        fileName: other.fileName,
        range: other.range,
        message: `${other.innerText} is locked here while ${other.outerText} is held`,
      })),
    });
  }
  return findings;
}

/**
 * Lock-order inversions whose two orders sit in different files: each site is reported (in the files of
 * `reportIn`, default all) with the other order's sites as related information.
 */
function lockOrderFindings(files: readonly string[], view: WorkspaceView, reportIn?: ReadonlySet<string>): Map<string, Finding[]> {
  const sitesByFile = new Map(files.map((fileName) => [fileName, resolvedNestings(fileName, view)]));
  const index = new NestingIndex();
  for (const sites of sitesByFile.values()) index.add(sites);
  const findings = new Map<string, Finding[]>();
  for (const [fileName, sites] of sitesByFile) {
    if (sites.length === 0 || (reportIn && !reportIn.has(fileName))) continue;
    const found = lockOrderFindingsAt(sites, index, view);
    if (found.length > 0) findings.set(fileName, found);
  }
  return findings;
}

/** What the workspace checks know of one file. */
export interface AnalysedModule {
  facts?: ModuleFacts | undefined;
  calls?: readonly ImportedCall[] | undefined;
}

/**
 * Both workspace-wide checks over analysed modules (pure: the caller read the files). Findings are for
 * the files of `reportIn` (default: every module).
 */
export function workspaceFindings(
  modules: ReadonlyMap<string, AnalysedModule>,
  rules: WorkspaceView["rules"],
  reportIn?: ReadonlySet<string>,
  exists: (fileName: string) => boolean = (fileName) => modules.has(fileName),
): Map<string, Finding[]> {
  const view: WorkspaceView = { facts: (fileName) => modules.get(fileName)?.facts, exists, rules };
  const findings = lockOrderFindings([...modules.keys()], view, reportIn);
  for (const [fileName, module] of modules) {
    if (!module.calls || (reportIn && !reportIn.has(fileName))) continue;
    const wrapped = importedCallFindings(fileName, module.calls, view);
    if (wrapped.length > 0) findings.set(fileName, [...(findings.get(fileName) ?? []), ...wrapped]);
  }
  for (const list of findings.values()) list.sort(byPosition);
  return findings;
}

import * as fs from "node:fs";
import { analyzeWithFacts } from "../engine/analyze";
import type { AnalyzeOptions, Finding, ProgramFacts, RuleSetting } from "../engine/types";
import type { ModuleFacts } from "../engine/workspace/moduleFacts";
import type { ImportedCall } from "../engine/workspace/importedCalls";
import { byPosition, workspaceFindings, type AnalysedModule } from "../engine/workspace/crossFile";
import { resolveImport } from "../engine/workspace/resolve";
import { importableNames, mayImportAny } from "../engine/workspace/imports";
import { accessorNames, mayCallAccessors } from "../engine/workspace/importedCycles";

/** One file's findings and what the workspace-wide checks need from it (plain data: it crosses worker threads). */
export interface FileAnalysis {
  findings: Finding[];
  facts?: ModuleFacts | undefined;
  calls?: ImportedCall[] | undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    process.stderr.write(`tornwrite: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export function analyzeFile(file: string, options: AnalyzeOptions, calls: "if-parsed" | "always" = "if-parsed"): FileAnalysis {
  const text = readText(file);
  return text === undefined ? { findings: [] } : analyzeText(file, text, options, calls);
}

function analyzeText(file: string, text: string, options: AnalyzeOptions, calls: "if-parsed" | "always"): FileAnalysis {
  try {
    const onRuleError = (ruleId: string, error: unknown) => process.stderr.write(`tornwrite: rule ${ruleId} failed on ${file} (its findings there are skipped): ${error instanceof Error ? error.message : String(error)}\n`);
    return analyzeWithFacts(file, text, { rules: options.rules, onRuleError, importedAccessors: options.importedAccessors, program: options.program }, calls);
  } catch (error) {
    process.stderr.write(`tornwrite: could not analyse ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return { findings: [] };
  }
}

/**
 * Adds the workspace-wide findings (lock orders across files, calls of another module's in-place writer)
 * to each file's. Files no rule parsed are read again only when they may import a module that exports
 * such a writer, so a workspace without wrappers costs nothing more.
 */
export function addWorkspaceFindings(files: readonly string[], analyses: FileAnalysis[], rulesOf: (index: number) => Readonly<Record<string, RuleSetting>> | undefined, programOf: (index: number) => ProgramFacts | undefined = () => undefined): void {
  const wrapperNames = new Set(analyses.flatMap((analysis, index) => (analysis.facts?.writers.length ? importableNames(files[index]!) : [])));
  const modules = new Map<string, AnalysedModule>();
  files.forEach((file, index) => {
    let analysis = analyses[index]!;
    if (!analysis.facts && wrapperNames.size > 0) {
      const text = readText(file);
      if (text !== undefined && mayImportAny(text, wrapperNames)) analysis = { ...analysis, calls: analyzeText(file, text, { rules: rulesOf(index), program: programOf(index) }, "always").calls };
    }
    modules.set(file, analysis);
  });
  const indexOf = new Map(files.map((file, index) => [file, index]));
  const exists = (file: string) => modules.has(file) || fs.existsSync(file);
  // Modules the checked files call into but that were not asked for (checking one file), and modules whose
  // constants may name a lock: read for their facts only.
  const loadCallees = (entries: Iterable<[string, AnalysedModule]>) => {
    for (const [file, module] of [...entries]) {
      const specifiers = [...(module.calls ?? []), ...(module.facts?.nestings.length ? module.facts.imports : [])].map((entry) => entry.specifier);
      for (const specifier of new Set(specifiers)) {
        const imported = resolveImport(file, specifier, exists);
        if (imported && !modules.get(imported)?.facts) modules.set(imported, { ...modules.get(imported), facts: analyzeFile(imported, { rules: rulesOf(indexOf.get(imported) ?? -1), program: programOf(indexOf.get(imported) ?? -1) }, "always").facts });
      }
    }
  };
  loadCallees(modules);
  // Read-modify-write cycles through other modules' read and write helpers: the files that name both kinds are
  // analysed again with the helpers' names, which pairs their calls (importedCycles.ts). Few files do.
  const accessors = accessorNames([...modules].map(([file, module]) => [file, module.facts]));
  if (accessors.readers.size > 0 && accessors.writers.size > 0) {
    const again: [string, AnalysedModule][] = [];
    files.forEach((file, index) => {
      // A file whose imported calls are known already says whether it calls a reader and a writer; only the
      // others (no rule parsed them) are read again to tell.
      const known = modules.get(file)?.calls;
      if (known && !(known.some((call) => accessors.readers.has(call.imported)) && known.some((call) => accessors.writers.has(call.imported)))) return;
      const text = readText(file);
      if (text === undefined || !mayCallAccessors(text, accessors)) return;
      const calls = analyzeText(file, text, { rules: rulesOf(index), importedAccessors: accessors, program: programOf(index) }, "always").calls;
      const module = { ...modules.get(file)!, calls };
      modules.set(file, module);
      again.push([file, module]);
    });
    loadCallees(again);
  }
  const added = workspaceFindings(modules, (file) => rulesOf(indexOf.get(file) ?? -1), new Set(files), exists);
  for (const [file, findings] of added) {
    const analysis = analyses[indexOf.get(file)!]!;
    analysis.findings = [...analysis.findings, ...findings].sort(byPosition);
  }
}

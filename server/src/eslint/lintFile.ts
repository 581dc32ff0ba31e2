import * as fs from "node:fs";
import * as path from "node:path";
import type { Rule } from "eslint";
import { analyze, analyzeWithFacts, isAnalyzable, parse } from "../engine/analyze";
import { byPosition } from "../engine/workspace/crossFile";
import type { AnalyzeOptions, Finding } from "../engine/types";
import { loadProjectConfig, programFacts } from "../project/config";
import { findProjectRoot } from "../project/projectRoot";
import { runtimeContextFor, DEFAULT_RUNTIME_PATH } from "../project/runtimeContext";
import { loadRuntimeSources } from "../project/runtimeSources";
import { WorkspaceModules } from "../project/workspaceModules";
import { reusableTree } from "./sharedParse";

/**
 * `settings.tornwrite` in the ESLint config (shared by every rule, since one analysis serves them all);
 * unset values fall back to the nearest `.tornwrite.json`.
 */
export interface PluginSettings {
  /** Import the runtime from this module (a package the project installs) instead of a vendored file. */
  runtimeImport?: string;
  /** Where the project's vendored runtime lives, relative to its package root. */
  runtimePath?: string;
  /** `false` turns off the cross-file checks (lock orders across files, imported in-place writers). */
  crossFile?: boolean;
}

const SETTINGS_KEYS = new Set(["runtimeImport", "runtimePath", "crossFile"]);

/** One analysis per linted text: every rule's `create` asks, the first computes (ESLint makes one SourceCode per file and fix pass). */
const analyses = new WeakMap<object, Finding[]>();

/** The workspace index per folder ESLint runs in, built on first use and kept for the process (and re-checked). */
const workspaces = new Map<string, WorkspaceModules>();

const reportedProblems = new Set<string>();

export function findingsFor(context: Rule.RuleContext, program: unknown): Finding[] {
  const sourceCode = context.sourceCode;
  let findings = analyses.get(sourceCode);
  if (!findings) {
    findings = analyseFile(context, program);
    analyses.set(sourceCode, findings);
  }
  return findings;
}

/** `<text>` (stdin without a file name) is analysed as JavaScript; other extensions (.vue, .md blocks) not at all. */
function analysisName(context: Rule.RuleContext): string | undefined {
  const name = context.physicalFilename || context.filename;
  if (isAnalyzable(name)) return path.resolve(context.cwd, name);
  if (name === "<text>" || name === "<input>") return path.join(context.cwd, "__stdin__.js");
  return undefined;
}

function analyseFile(context: Rule.RuleContext, program: unknown): Finding[] {
  const fileName = analysisName(context);
  if (!fileName) return [];
  const text = context.sourceCode.text;
  try {
    const settings = pluginSettings(context);
    const tree = reusableTree(context.sourceCode.parserServices, program, text);
    const base: AnalyzeOptions = {
      fixes: "all",
      program: programFacts(fileName),
      onRuleError: (ruleId, error) => warnOnce(`tornwrite: rule ${ruleId} failed on ${fileName} (its findings there are skipped): ${error instanceof Error ? error.message : String(error)}`),
      ...(tree ? { parser: { parse: (name: string, parsed: string) => (parsed === text ? tree : parse(name, parsed)) } } : {}),
    };
    const run = (options: AnalyzeOptions): Finding[] => {
      if (settings.crossFile === false || !fs.existsSync(fileName)) return analyze(fileName, text, options);
      const workspace = workspaceFor(context.cwd);
      workspace.prepareSync([context.cwd], fileName, text);
      const importedAccessors = workspace.accessorsCalledBy(text);
      const own = analyzeWithFacts(fileName, text, { ...options, importedAccessors }, importedAccessors || workspace.mayCallWriters(text) ? "always" : "if-parsed");
      return [...own.findings, ...workspace.findingsFor(fileName, own, undefined)].sort(byPosition);
    };
    // Where fixes find the runtime takes reads of the project's manifests and tsconfig: only worth it for a
    // file with findings (most files have none), which is analysed again with it.
    const findings = run(base);
    return findings.length === 0 ? findings : run({ ...base, runtime: runtimeFor(fileName, settings, text, context.cwd) });
  } catch (error) {
    // One file the engine cannot handle must not stop the lint run: say so once and report nothing for it.
    warnOnce(`tornwrite: could not analyse ${fileName}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

function workspaceFor(cwd: string): WorkspaceModules {
  let workspace = workspaces.get(cwd);
  if (!workspace) {
    workspace = new WorkspaceModules((message) => {
      if (process.env["DEBUG"]?.includes("tornwrite")) process.stderr.write(`${message}\n`);
    });
    workspaces.set(cwd, workspace);
  }
  return workspace;
}

function pluginSettings(context: Rule.RuleContext): PluginSettings {
  const raw = (context.settings as Record<string, unknown> | undefined)?.["tornwrite"];
  if (raw === undefined) return {};
  if (!raw || typeof raw !== "object") throw new Error(`settings.tornwrite must be an object like { "runtimeImport": "..." }, not ${JSON.stringify(raw)}`);
  const settings = raw as Record<string, unknown>;
  for (const key of Object.keys(settings)) if (!SETTINGS_KEYS.has(key)) warnOnce(`tornwrite: unknown setting settings.tornwrite.${key} (known: ${[...SETTINGS_KEYS].join(", ")})`);
  const text = (key: string): string | undefined => {
    const value = settings[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw new Error(`settings.tornwrite.${key} must be a string`);
    return value;
  };
  const runtimeImport = text("runtimeImport");
  const runtimePath = text("runtimePath");
  return { ...(runtimeImport ? { runtimeImport } : {}), ...(runtimePath ? { runtimePath } : {}), ...(settings["crossFile"] === false ? { crossFile: false } : {}) };
}

/** How fixes reach the runtime: the ESLint settings, else the nearest `.tornwrite.json`, else the default vendored path. */
function runtimeFor(fileName: string, settings: PluginSettings, text: string, cwd: string) {
  const config = loadProjectConfig(path.dirname(fileName));
  for (const problem of config.problems) warnOnce(`tornwrite: ${problem}`);
  const runtimeImport = settings.runtimeImport ?? config.runtimeImport;
  const runtimePath = settings.runtimePath ?? config.runtimePath ?? DEFAULT_RUNTIME_PATH;
  return runtimeContextFor(fileName, findProjectRoot(fileName, [cwd]), { runtimePath, runtimeImport }, loadRuntimeSources(), text);
}

function warnOnce(message: string): void {
  if (reportedProblems.has(message)) return;
  reportedProblems.add(message);
  process.stderr.write(`${message}\n`);
}

import * as path from "node:path";
import { ts } from "../engine/ts";

/** A file's fix as planned by `tornwrite fix`, before anything is written. */
export interface PlannedFix {
  file: string;
  after: string;
  /** Files the fix needs created (the vendored runtime). */
  created: { fileName: string; text: string }[];
}

/** A tsconfig whose files could not be checked, and why. */
export interface Skip {
  config: string;
  reason: string;
}

/** Why a planned fix is not applied. */
export interface Refusal {
  file: string;
  reason: string;
}

/**
 * The fixes that would add type errors under the project's own tsconfig (issue 17: a fix must never leave a
 * project that no longer builds). For every tsconfig that owns a fixed TypeScript file (or a JavaScript file
 * it checks), the program is built twice, as it is on disk and with the fixes (and the vendored runtime) laid
 * over it; a fixed file that gains an error the original did not have is refused, and so is every fix that
 * needs a vendored runtime that does not compile under that tsconfig. A file that no tsconfig checks is held
 * to syntax only.
 */
export function refuseFixesThatBreakTypes(plans: readonly PlannedFix[], skipped: Skip[] = []): Refusal[] {
  const refusals: Refusal[] = [];
  const byConfig = new Map<string, PlannedFix[]>();
  for (const plan of plans) {
    const config = ts.findConfigFile(path.dirname(plan.file), ts.sys.fileExists, "tsconfig.json");
    if (config) byConfig.set(config, [...(byConfig.get(config) ?? []), plan]);
    else {
      const syntax = syntaxError(plan.file, plan.after);
      if (syntax) refusals.push({ file: plan.file, reason: `the fixed file would not parse: ${syntax}` });
    }
  }
  for (const [config, group] of byConfig) refusals.push(...checkAgainst(config, group, skipped));
  return refusals;
}

function checkAgainst(configPath: string, plans: readonly PlannedFix[], skipped: Skip[]): Refusal[] {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return [];
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const checked = (file: string) => /\.[cm]?tsx?$/.test(file) || (options.allowJs === true && options.checkJs === true);
  const relevant = plans.filter((plan) => checked(plan.file));
  const refusals: Refusal[] = plans
    .filter((plan) => !checked(plan.file))
    .flatMap((plan) => {
      const syntax = syntaxError(plan.file, plan.after);
      return syntax ? [{ file: plan.file, reason: `the fixed file would not parse: ${syntax}` }] : [];
    });
  if (relevant.length === 0) return refusals;

  const libDir = typeScriptLibDir(path.dirname(configPath));
  if (!libDir) {
    skipped.push({ config: configPath, reason: "no TypeScript lib files found to check against" });
    return refusals;
  }
  // This compiler reads the project's lib files; before TypeScript 4.5 they lack what it and the runtime need
  // (`Awaited`), and every error would be an artefact of the mix: the fixes that vendor the runtime are refused.
  const version = typeScriptVersion(libDir);
  if (version && compareVersions(version, MIN_PROJECT_TYPESCRIPT) < 0) {
    skipped.push({ config: configPath, reason: `the project's TypeScript ${version} predates ${MIN_PROJECT_TYPESCRIPT}, which the check needs` });
    for (const plan of relevant) {
      if (plan.created.length > 0) refusals.push({ file: plan.file, reason: `the vendored runtime needs TypeScript ${MIN_PROJECT_TYPESCRIPT} or later and this project has ${version} (--runtime-import can point at a compiled build)` });
    }
    return refusals;
  }
  const before = createProgram(parsed.fileNames, options, new Map(), libDir);
  const overlay = new Map<string, string>();
  for (const plan of relevant) {
    overlay.set(path.resolve(plan.file), plan.after);
    for (const created of plan.created) overlay.set(path.resolve(created.fileName), created.text);
  }
  const createdFiles = [...new Set(relevant.flatMap((plan) => plan.created.map((created) => path.resolve(created.fileName))))];
  const after = createProgram([...parsed.fileNames, ...createdFiles], options, overlay, libDir, before);

  // A project that does not build as it is (its @types not installed: TS2688) cannot tell the fix's errors
  // from its own: the check is skipped, and said so.
  const broken = [...before.getOptionsDiagnostics(), ...before.getGlobalDiagnostics()].find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (broken) {
    skipped.push({ config: configPath, reason: `the project does not type-check as it is (${describe(broken)})` });
    return refusals;
  }
  // Nor does one whose own files cannot see Node's types (no @types/node installed): the runtime would fail
  // the same way, which says nothing about the fix.
  const noNodeTypes = relevant.flatMap((plan) => errorKeys(before, path.resolve(plan.file))).find((error) => NO_NODE_TYPES.test(error));
  if (noNodeTypes) {
    skipped.push({ config: configPath, reason: `the project does not type-check as it is: no Node.js types (${noNodeTypes})` });
    return refusals;
  }
  // A vendored runtime that does not compile here would break every file that imports it.
  const brokenRuntime = createdFiles.map((file) => ({ file, error: errorKeys(after, file)[0] })).find((each) => each.error !== undefined);
  for (const plan of relevant) {
    if (brokenRuntime && plan.created.some((created) => path.resolve(created.fileName) === brokenRuntime.file)) {
      refusals.push({ file: plan.file, reason: `the runtime it needs (${path.basename(brokenRuntime.file)}) does not type-check under ${path.basename(configPath)}: ${brokenRuntime.error}` });
      continue;
    }
    const added = newErrors(before, after, path.resolve(plan.file));
    if (added.length > 0) refusals.push({ file: plan.file, reason: `the fix would add ${added.length === 1 ? "a type error" : `${added.length} type errors`}: ${added[0]}` });
  }
  return refusals;
}

const MIN_PROJECT_TYPESCRIPT = "4.5";
/** "Cannot find module 'fs'" / "Cannot find name 'process'… install @types/node". */
const NO_NODE_TYPES = /^TS(2307 Cannot find module '(node:)?(fs|path|os|crypto|fs\/promises|child_process)'|2580 |2591 )/;

/** The version of the TypeScript whose lib folder this is, from its package.json. */
function typeScriptVersion(libDir: string): string | undefined {
  try {
    const manifest = JSON.parse(ts.sys.readFile(path.join(libDir, "..", "package.json")) ?? "{}") as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.-]/).slice(0, 2).map(Number);
  const [x, y] = [parts(a), parts(b)];
  return (x[0]! - y[0]!) || (x[1]! - y[1]!);
}

/**
 * Where TypeScript's `lib.*.d.ts` files are: the project's own TypeScript (its version, its libs), else the one
 * beside this CLI. The bundle carries the compiler but not its lib files.
 */
function typeScriptLibDir(projectDir: string): string | undefined {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", "typescript", "lib");
    if (ts.sys.fileExists(path.join(candidate, "lib.es5.d.ts"))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  try {
    return path.dirname(require.resolve("typescript/lib/lib.es5.d.ts"));
  } catch {
    return undefined;
  }
}

function createProgram(rootNames: readonly string[], options: ts.CompilerOptions, overlay: ReadonlyMap<string, string>, libDir: string, oldProgram?: ts.Program): ts.Program {
  const host = ts.createCompilerHost(options, true);
  host.getDefaultLibLocation = () => libDir;
  host.getDefaultLibFileName = (compilerOptions) => path.join(libDir, ts.getDefaultLibFileName(compilerOptions));
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = overlay.get(path.resolve(fileName));
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => overlay.has(path.resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => overlay.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
  // Module resolution looks for the folder first: a vendored runtime's folder may not exist yet.
  const { directoryExists } = host;
  host.directoryExists = (dir) => [...overlay.keys()].some((file) => file.startsWith(path.resolve(dir) + path.sep)) || (directoryExists?.call(host, dir) ?? ts.sys.directoryExists(dir));
  return ts.createProgram({ rootNames: [...new Set(rootNames)], options, host, ...(oldProgram ? { oldProgram } : {}) });
}

/** Error diagnostics of one file, as position-free keys (a fix moves code, so lines shift). */
function errorKeys(program: ts.Program, file: string): string[] {
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) return [];
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => describe(diagnostic));
}

/** The errors the fixed file has that the original did not (counting repeats). */
function newErrors(before: ts.Program, after: ts.Program, file: string): string[] {
  const remaining = new Map<string, number>();
  for (const key of errorKeys(before, file)) remaining.set(key, (remaining.get(key) ?? 0) + 1);
  const added: string[] = [];
  for (const key of errorKeys(after, file)) {
    const count = remaining.get(key) ?? 0;
    if (count > 0) remaining.set(key, count - 1);
    else added.push(key);
  }
  return added;
}


function describe(diagnostic: ts.Diagnostic): string {
  return `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
}

/** The first syntax error of a file's text, if any. */
function syntaxError(file: string, text: string): string | undefined {
  const output = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true, noEmit: false } });
  const error = output.diagnostics?.find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  return error ? describe(error) : undefined;
}

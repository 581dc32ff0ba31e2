import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { fixText } from "../engine/analyze";
import { addWorkspaceFindings, analyzeFile } from "./fileAnalysis";
import type { ProgramFacts, RuleSetting } from "../engine/types";
import { allRules } from "../rules";
import { DEFAULT_RUNTIME_PATH, runtimeContextFor } from "../project/runtimeContext";
import { mockingTestFor, testsMockingFs } from "./fsMocks";
import { loadRuntimeSources } from "../project/runtimeSources";
import { findProjectRoot } from "../project/projectRoot";
import { refuseFixesThatBreakTypes, type PlannedFix, type Skip } from "./typeGuard";
import { atomicWriteFileSync } from "../../../runtime/src/tornwrite-runtime";
import { collectFiles, UsageError } from "./files";
import { loadProjectConfig, programFacts, type ProjectConfig } from "../project/config";
import { Progress } from "./progress";
import { formatJson, formatSarif, formatText, type FileFindings } from "./report";
import { analyzeAll, runAsWorkerIfNeeded } from "./parallel";
import { clean, CLEAN_USAGE } from "./clean";
import { stress, STRESS_USAGE } from "./stress";

const USAGE = `Usage: tornwrite <command> [options] [paths...]

Commands:
  check [paths...]   Report unsafe file persistence (default path: .)
  fix [paths...]     Apply every preferred fix, vendoring the runtime where needed
  clean [folder]     List leftover temp files and stale locks; remove them with --yes (see clean --help)
  stress [folder]    Replay every write site under concurrent processes and crashes, before and after
                     its fix (see stress --help)

Options:
  --format <text|json|sarif>     Output format of check (default: text)
  --rule <id>=<severity|off>     Override a rule (repeatable); severities: error, warning, information, hint
  --runtime-path <path>          Where fixes vendor the runtime, relative to the project (default: ${DEFAULT_RUNTIME_PATH})
  --runtime-import <specifier>   Import the runtime from this module instead of vendoring it
  --no-typecheck                 fix: skip the type check that refuses fixes adding type errors
  -h, --help                     Show this help
  -v, --version                  Show the version

Configuration: the nearest .tornwrite.json above each file ({ "rules": { "<id>": "off" }, "ignore": ["globs"],
"runtimePath": "...", "runtimeImport": "..." }); command-line options win over it.

Exit codes: 0 no findings, 1 findings, 2 usage or internal error.
`;

const SETTINGS = new Set<RuleSetting>(["error", "warning", "information", "hint", "off"]);

interface Options {
  format: "text" | "json" | "sarif";
  rules: Record<string, RuleSetting>;
  runtimePath: string;
  /** --runtime-path was given (it then wins over .tornwrite.json). */
  runtimePathGiven: boolean;
  runtimeImport: string | undefined;
  /** fix: type-check the fixed files under their tsconfig and refuse fixes that add errors. */
  typecheck: boolean;
  /** What the file's package.json declares about its program (set per file). */
  program?: ProgramFacts | undefined;
}

function parseOptions(argv: string[]): { command: string | undefined; paths: string[]; options: Options; help: boolean; version: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      rule: { type: "string", multiple: true, default: [] },
      "runtime-path": { type: "string" },
      "runtime-import": { type: "string" },
      "no-typecheck": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", short: "v", default: false },
    },
  });
  const format = values.format;
  if (format !== "text" && format !== "json" && format !== "sarif") throw new UsageError(`Unknown --format '${format}': use text, json or sarif`);
  const rules: Record<string, RuleSetting> = {};
  for (const entry of values.rule ?? []) {
    const [id, setting] = entry.split("=");
    if (!id || !setting || !SETTINGS.has(setting as RuleSetting)) throw new UsageError(`Bad --rule '${entry}': expected <id>=<error|warning|information|hint|off>`);
    if (!allRules.some((rule) => rule.id === id)) throw new UsageError(`Unknown rule '${id}'. Rules: ${allRules.map((rule) => rule.id).join(", ")}`);
    rules[id] = setting as RuleSetting;
  }
  const [command, ...paths] = positionals;
  return {
    command,
    paths: paths.length > 0 ? paths : ["."],
    options: { format, rules, runtimePath: values["runtime-path"] ?? DEFAULT_RUNTIME_PATH, runtimePathGiven: values["runtime-path"] !== undefined, runtimeImport: values["runtime-import"], typecheck: !values["no-typecheck"] },
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

function baseOf(paths: readonly string[]): string {
  const first = path.resolve(paths[0] ?? ".");
  return paths.length === 1 && fs.statSync(first).isDirectory() ? first : process.cwd();
}

/** `.tornwrite.json` settings under the command line's: the CLI's --rule wins, then the file. */
function effectiveOptions(file: string, options: Options, reported: Set<string>): { options: Options; config: ProjectConfig } {
  const config = loadProjectConfig(path.dirname(file));
  for (const problem of config.problems) {
    if (reported.has(problem)) continue;
    reported.add(problem);
    process.stderr.write(`tornwrite: ${problem}\n`);
  }
  return {
    config,
    options: {
      ...options,
      rules: { ...config.rules, ...options.rules, ...config.overridesFor(file) },
      runtimePath: options.runtimePathGiven ? options.runtimePath : config.runtimePath ?? options.runtimePath,
      runtimeImport: options.runtimeImport ?? config.runtimeImport,
      program: programFacts(file),
    },
  };
}

async function check(paths: string[], options: Options): Promise<number> {
  const reported = new Set<string>();
  const files = (await collectFiles(paths)).filter((file) => !loadProjectConfig(path.dirname(file)).isIgnored(file));
  const base = baseOf(paths);
  const progress = new Progress(files.length, options.format === "text" && process.stderr.isTTY === true);
  // Per-file settings (.tornwrite.json) are resolved here; workers get the common case, the CLI's own.
  const configured = files.map((file) => effectiveOptions(file, options, reported).options);
  const analyses = await analyzeAll(files, configured.map((entry) => ({ rules: entry.rules, program: entry.program })), (file, analyzeOptions) => analyzeFile(file, analyzeOptions), (done) => progress.tick(done), __filename);
  addWorkspaceFindings(files, analyses, (index) => configured[index]?.rules, (index) => configured[index]?.program);
  progress.finish();
  const results: FileFindings[] = files.map((file, index) => ({ file, findings: analyses[index]?.findings ?? [] }));
  const output =
    options.format === "json" ? formatJson(results, base) : options.format === "sarif" ? formatSarif(results, base) : formatText(results, base, process.stdout.isTTY === true);
  process.stdout.write(output);
  return results.some((result) => result.findings.length > 0) ? 1 : 0;
}

async function fix(paths: string[], cliOptions: Options): Promise<number> {
  const reported = new Set<string>();
  const files = (await collectFiles(paths)).filter((file) => !loadProjectConfig(path.dirname(file)).isIgnored(file));
  const roots = paths.map((input) => path.resolve(input));
  const sources = loadRuntimeSources();
  // Plan every file's fix first: nothing is written until the fixes that would break the build are refused.
  const plans: PlannedFix[] = [];
  for (const file of files) {
    const { options } = effectiveOptions(file, cliOptions, reported);
    const text = fs.readFileSync(file, "utf8");
    const root = findProjectRoot(file, roots);
    const runtime = runtimeContextFor(file, root, options, sources, text);
    const result = fixText(file, text, { rules: options.rules, runtime, program: options.program });
    if (result.text === text) continue;
    plans.push({ file, after: result.text, created: result.created.flatMap((created) => (created.kind === "create" ? [{ fileName: created.fileName, text: created.text }] : [])) });
  }
  const skipped: Skip[] = [];
  const refused = cliOptions.typecheck ? refuseFixesThatBreakTypes(plans, skipped) : [];
  // A fix in a file whose own test replaces the fs module would make that test reach the real disk.
  const mocking = testsMockingFs(files);
  for (const plan of plans) {
    const test = mockingTestFor(plan.file, mocking);
    if (test && !refused.some((refusal) => refusal.file === plan.file)) {
      refused.push({ file: plan.file, reason: `its test ${path.relative(process.cwd(), test)} replaces the fs module, which the runtime does not go through (the test would reach the real disk)` });
    }
  }
  for (const skip of skipped) process.stderr.write(`type check skipped for ${path.relative(process.cwd(), skip.config)}: ${skip.reason}\n`);
  for (const refusal of refused) process.stderr.write(`refused ${path.relative(process.cwd(), refusal.file)}: ${refusal.reason}; left unchanged\n`);
  let changed = 0;
  for (const plan of plans) {
    if (refused.some((refusal) => refusal.file === plan.file)) continue;
    for (const created of plan.created) {
      if (fs.existsSync(created.fileName)) continue;
      fs.mkdirSync(path.dirname(created.fileName), { recursive: true });
      fs.writeFileSync(created.fileName, created.text, { flag: "wx" });
      process.stdout.write(`created ${path.relative(process.cwd(), created.fileName)} (TornWrite runtime)\n`);
    }
    atomicWriteFileSync(plan.file, plan.after);
    changed++;
    process.stdout.write(`fixed   ${path.relative(process.cwd(), plan.file)}\n`);
  }
  process.stdout.write(`${changed} file${changed === 1 ? "" : "s"} changed${refused.length > 0 ? `, ${refused.length} refused (see above)` : ""}.\n`);
  if (changed > 0 && mocking.length > 0) {
    const shown = mocking.slice(0, 3).map((file) => path.relative(process.cwd(), file)).join(", ");
    process.stderr.write(
      `note: ${mocking.length} test file${mocking.length === 1 ? " replaces" : "s replace"} the fs module (${shown}${mocking.length > 3 ? ", …" : ""}): the runtime calls node:fs itself, ` +
        "so fixed code reaches the real disk there. Mock the runtime module too, or point those tests at a temp folder.\n",
    );
  }
  return 0;
}

/** Usage errors exit 2 with the usage text; anything else is an internal error (exit 2 with the stack). */
async function reportingErrors(usage: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`tornwrite: ${(error as Error).message}\n\n${usage}`);
    } else {
      process.stderr.write(`tornwrite: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    }
    return 2;
  }
}

export async function main(argv: string[]): Promise<number> {
  const subcommands: Record<string, [usage: string, run: (rest: string[]) => Promise<number>]> = { clean: [CLEAN_USAGE, clean], stress: [STRESS_USAGE, stress] };
  const subcommand = argv[0] === undefined ? undefined : subcommands[argv[0]];
  if (subcommand) {
    const [usage, run] = subcommand;
    const rest = argv.slice(1);
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(usage);
      return 0;
    }
    return reportingErrors(usage, () => run(rest));
  }
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`tornwrite: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.version) {
    process.stdout.write("0.1.0\n");
    return 0;
  }
  if (parsed.help || !parsed.command) {
    (parsed.help ? process.stdout : process.stderr).write(USAGE);
    return parsed.help ? 0 : 2;
  }
  const { command, paths, options } = parsed;
  return reportingErrors(USAGE, async () => {
    if (command === "check") return check(paths, options);
    if (command === "fix") return fix(paths, options);
    throw new UsageError(`Unknown command '${command}'`);
  });
}

if (runAsWorkerIfNeeded(analyzeFile)) {
  // A worker thread of `check`: it has done its share.
} else if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { ProgramFacts, RuleSetting } from "../engine/types";
import { allRules } from "../rules";
import { CHAT_BOT_CLIENT } from "../engine/library";

export const CONFIG_FILE = ".tornwrite.json";

/** `.tornwrite.json`: one configuration read by the extension and the CLI. */
export interface ProjectConfig {
  /** The file it came from; undefined when there is none. */
  file: string | undefined;
  rules: Record<string, RuleSetting>;
  runtimePath: string | undefined;
  runtimeImport: string | undefined;
  /**
   * Live stress targets (`stress.targets`): exported functions of the workspace that the stress check may
   * call in child processes, only in trusted workspaces and on explicit request (CLI: --allow-exec).
   */
  stressTargets: LiveTarget[];
  /** Whether a path (absolute) is excluded by the `ignore` globs (gitignore syntax, relative to the file). */
  isIgnored(filePath: string): boolean;
  /**
   * The rule settings that apply to one file above the global ones: the built-in defaults for tests,
   * fixtures, benchmarks and build scripts, then the file's `overrides` (later entries win).
   */
  overridesFor(filePath: string): Record<string, RuleSetting>;
  /** Mistakes found in the file (unknown rule ids, bad values): reported, never silently dropped. */
  problems: string[];
}

export interface LiveTarget {
  /** Absolute path of the module (TypeScript is transpiled on load). */
  module: string;
  export: string;
  /** Arguments; the strings `{path}` and `{payload}` are replaced per call. Default `["{path}", "{payload}"]`. */
  args: unknown[];
  /** The file the function writes, relative to the scratch folder it runs in. */
  path: string;
  /** `write`: replaces the file with the payload; `update`: adds the payload to what is there (read-modify-write). */
  kind: "write" | "update";
}

function parseStressTargets(value: unknown, file: string, problems: string[]): LiveTarget[] {
  if (value === undefined) return [];
  const targets = (value as { targets?: unknown } | null)?.targets;
  if (!Array.isArray(targets)) {
    problems.push(`${file}: 'stress' must be { "targets": [{ "module", "export", "args", "path", "kind" }] }`);
    return [];
  }
  const parsed: LiveTarget[] = [];
  targets.forEach((raw: unknown, index) => {
    const target = (raw ?? {}) as Record<string, unknown>;
    const where = `${file}: stress.targets[${index}]`;
    const kind = target["kind"] ?? "write";
    if (typeof target["module"] !== "string" || typeof target["export"] !== "string" || typeof target["path"] !== "string") {
      problems.push(`${where} needs "module", "export" and "path" strings`);
    } else if (kind !== "write" && kind !== "update") {
      problems.push(`${where}: "kind" is "write" or "update", not ${JSON.stringify(kind)}`);
    } else if (target["args"] !== undefined && !Array.isArray(target["args"])) {
      problems.push(`${where}: "args" must be an array`);
    } else if (path.isAbsolute(target["path"]) || target["path"].split(/[\\/]/).includes("..")) {
      problems.push(`${where}: "path" must stay inside the scratch folder (relative, no "..")`);
    } else {
      parsed.push({
        module: path.resolve(path.dirname(file), target["module"]),
        export: target["export"],
        args: (target["args"] as unknown[] | undefined) ?? ["{path}", "{payload}"],
        path: target["path"],
        kind,
      });
    }
  });
  return parsed;
}

const SETTINGS = new Set(["error", "warning", "information", "hint", "off"]);

/** A set of files (gitignore syntax, relative to `base`) and the rule settings they get. */
interface Override {
  base: string | undefined;
  /** A built-in default that also matches a nested package by its folder name (see applyOverrides). */
  byPackageName?: boolean;
  /** A built-in default decided by the file's package rather than its path (isPackageScript, isRootTooling, inScaffolderPackage). */
  test?: (filePath: string) => boolean;
  matcher: Ignore;
  rules: Record<string, RuleSetting | "default">;
}

/** What build scripts, tools and configs turn off: the one-off-output rules (see DEFAULT_OVERRIDES). */
const SCRIPT_RULES: Record<string, RuleSetting | "default"> = {
  "non-atomic-write": "off",
  "missing-parent-dir": "off",
  "check-then-act": "off",
  "unlocked-read-modify-write": "off",
  // A script's temp-and-rename replaces an output it regenerates: a rename that fails on Windows fails one run
  // the developer repeats, and a power loss costs a rerun, not data.
  "rename-without-retry": "off",
  "rename-without-fsync": "off",
  // One run of one process: a fixed temp name has no second writer to collide with, and a temp left by a failed
  // run sits in the developer's working copy, where the next run overwrites it.
  "colliding-temp-name": "off",
  "temp-not-cleaned": "off",
};

/**
 * What build and maintenance scripts also turn off: a script's resume or progress state reset after a failed
 * parse costs a rerun of its steps (seed 36). Not in a scaffolder (a `create-` package), which can keep a per-user
 * store of the choices it remembers across runs, where a reset after a failed parse loses them.
 */
const SCRIPT_FOLDER_RULES: Record<string, RuleSetting | "default"> = {
  ...SCRIPT_RULES,
  "parse-failure-overwrite": "off",
  // A maintainers' script runs on a developer's machine or a CI runner, where no other local user plants a symlink
  // in /tmp (seeds 37, 38, 41, 42: release notes, packaging folders, self-test bundles).
  "insecure-temp-file": "off",
};

/**
 * What a bundler or compiler plugin's code turns off (see DEFAULT_OVERRIDES): it runs inside the user's build, and
 * what it writes (extracted values, manifests, generated config) is that build's output, regenerated by the next
 * build. The races stay on: a build runs plugins in parallel workers (jest's, thread-loader's), so two of them can
 * share a temp or lose each other's update.
 */
const BUILD_PLUGIN_RULES: Record<string, RuleSetting | "default"> = {
  "non-atomic-write": "off",
  "missing-parent-dir": "off",
  "check-then-act": "off",
  "rename-without-retry": "off",
  "rename-without-fsync": "off",
};

/** npm's naming convention for bundler and compiler plugins (`babel-plugin-x`, `@scope/x-webpack-plugin`, `vite-plugin-x`). */
const BUILD_PLUGIN_NAME = /^(@[^/]+\/)?((babel|rollup|vite|esbuild|webpack)-plugin-[\w.-]+|[\w.-]+-(babel|rollup|vite|esbuild|webpack)-plugin)$/;

/** What an `init` command's folder turns off: the races and temp collisions (see DEFAULT_OVERRIDES). */
const INIT_RULES: Record<string, RuleSetting | "default"> = {
  "unlocked-read-modify-write": "off",
  "check-then-act": "off",
  "colliding-temp-name": "off",
  "temp-not-cleaned": "off",
};

/**
 * What TornWrite does not report by default, because an in-place write is normal there: tests, fixtures,
 * mocks, benchmarks and examples (every rule off), build output and backup copies (every rule off: the source
 * they were made from is what gets fixed), and build scripts, tools, configs and project templates (their
 * outputs are one-off: SCRIPT_RULES off). Matched relative to the project (its package.json folder).
 */
export const DEFAULT_OVERRIDES: readonly { files: string[]; rules: Record<string, RuleSetting | "default">; byPackageName?: boolean; caseSensitive?: boolean }[] = [
  {
    // Also end-to-end frameworks' own folders: Cypress, Playwright, and React Native's Detox and Maestro (seed 45),
    // and a `testing/` folder of test tooling (joplin's `utils/testing/`, quasar's `ui/testing/`: seeds 19, 47).
    // And test runners' configs named `.conf` (`karma.conf.js` reading coverage settings: seed 52).
    files: ["*.test.*", "*.spec.*", "*_test.*", "*-test.*", "*_spec.*", "*.e2e.*", "*.bench.*", "*.eval.*", "*.cy.*", "test.js", "test.ts", "test.mjs", "test.cjs", "test/", "tests/", "test-*/", "tests-*/", "__tests__/", "__specs__/", "__spec__/", "__mocks__/", "mock/", "mocks/", "mock-*/", "test-helpers/", "test-utils/", "testutils/", "testing/", "spec/", "e2e/", "*-e2e/", "e2e-*/", "*-e2e-*/", "Mock*.*", "*.mock.*", "cypress/", "playwright/", "detox/", ".maestro/", "*-tests/", "*_tests/", "evals/", "fixtures/", "__fixtures__/", "bench/", "benchmark/", "benchmarks/", "examples/", "example/", "karma.conf.*", "protractor.conf.*", "wdio.conf.*", "nightwatch.conf.*"],
    rules: { "*": "off" },
  },
  // A camel-case test file (`externalSortTest.js`, `parserSpec.ts`: scale study, seed 39). Case-sensitive, so
  // that `latest.js` and `manifest.ts` stay code.
  { files: ["*[a-z0-9]Test.*", "*[a-z0-9]Tests.*", "*[a-z0-9]Spec.*"], rules: { "*": "off" }, caseSensitive: true },
  // Build output, minified bundles and backup copies committed beside the source: the source is what gets fixed,
  // not its copies. Vendored code (`third-party/`, `vendor/`) is fixed upstream (scale study, seed 33).
  {
    // Not by a nested package's own name: `packages/build/` is a package of code, not output.
    byPackageName: false,
    files: ["/dist/", "/build/", "dist.*/", "dist-*/", "third-party/", "third_party/", "vendor/", "backup/", "backups/", "backup_*/", "backup-*/", "*.bak/", "*.bak.*/", "*.old/", "*.orig/", "*.min.js", "*.min.mjs", "*.min.cjs"],
    rules: { "*": "off" },
  },
  // Code kept but no longer run, in a folder at a package's top named so (`archived/credit-optimizer-mcp/`: scale
  // study, seed 70); deeper, `src/archive/` is an app's archive feature.
  { byPackageName: false, files: ["/archive/", "/archived/", "/_archive/", "/_archived/", "/deprecated/", "/attic/", "/old/"], rules: { "*": "off" } },
  // Build scripts and tools run once, in one process, on files they regenerate: no torn state, no races.
  // A lost update needs two writers at once; a build script is one run of one process (fix study: a lock added
  // around each file a test-runner script normalised).
  // Project templates (`packages/template/vite/`) run once, inside `init`, on the project they just created:
  // what they write is that new project's files (scale study, seed 27).
  // A package's root `tasks/` holds its build tasks (`tasks/post-build.ts`); deeper, `src/tasks/` is app code.
  // A `build/` folder below the root holds build code (`lib/build/internals.js`, `code/build/forge.mts`): what it
  // writes is build output (scale study, seeds 35-36); the top-level `build/` is output itself (all rules off).
  // A `docker/` folder holds image build steps and container set-up, run once per image or container (seed 39).
  // A `maintenance/` folder (`packages/cc/maintenance/generateCCExports.ts`) holds the maintainers' code
  // generators and import scripts, and a package's root `releases/` its release and translation scripts
  // (scale study, seed 40); deeper, `src/releases/` can be an app's own module. A `dev-scripts/` or
  // `build-scripts/` folder is scripts by its name (seed 41), and so is any `build-*/` folder of build code
  // (`build-tools/`, `build-config/`, `build-setup/`: seed 45). A package's root `docs/` holds its docs site and
  // the scripts that build it (a post-build pass over generated markdown, a docs plugin reading its own _meta.json:
  // seeds 48, 51); deeper, `src/docs/` can be an app's own module. So does a root `doc/` (seed 62: an annotated copy
  // of the program and its dev tools kept for reading).
  { files: ["/docs/", "/doc/", "scripts/", "script/", "/tools/", "/tasks/", "maintenance/", "/releases/", "build/", "build-*/", "*-scripts/", "*_scripts/", "build-tools.*", "build-utils.*", "template/", "templates/", "*.config.*", "gulpfile.*", "Gruntfile.*", "Jakefile.*", "Makefile.js", "build.js", "build.mjs", "build.cjs", "build.ts", "release/", "release.js", "release.mjs", "release.cjs", "release.ts", "docker/"], rules: SCRIPT_FOLDER_RULES },
  // An `init` command runs once, interactively, on the project it is setting up: no second writer races it, so
  // the concurrency rules stay quiet there; an in-place rewrite of the user's existing file still tears (scale
  // study, seeds 16 and 32: every race reported in `src/init/` and `commands/init/` was a false alarm).
  // Also a module named `init` (`commands/init.ts`, `devfile/init.ts`: seed 46).
  { files: ["init/", "init.*"], rules: INIT_RULES },
  // An `npm init <x>` scaffolder (`packages/create-app/`, `create-discord-bot/`) writes the files of the project
  // it is creating, once: every in-place write or race reported in one was a false alarm (scale study, seeds
  // 23, 33, 34).
  { files: ["create-*/"], rules: SCRIPT_RULES },
  // A bundler or compiler plugin's module or package folder (`vite-plugin-ssr-assets.ts`, `packages/vite-plugin-cloudflare/`):
  // every finding drawn from one was build output (scale study, seeds 23, 26, 36, 53).
  { files: ["babel-plugin-*", "rollup-plugin-*", "vite-plugin-*", "esbuild-plugin-*", "webpack-plugin-*", "*-babel-plugin", "*-babel-plugin.*", "*-rollup-plugin", "*-rollup-plugin.*", "*-vite-plugin", "*-vite-plugin.*", "*-esbuild-plugin", "*-esbuild-plugin.*", "*-webpack-plugin", "*-webpack-plugin.*"], rules: BUILD_PLUGIN_RULES },
];

const BUILT_IN: Override[] = [
  ...DEFAULT_OVERRIDES.map((entry) => ({ base: undefined, byPackageName: entry.byPackageName !== false, matcher: ignore({ ignorecase: entry.caseSensitive !== true }).add(entry.files), rules: entry.rules })),
  // A file the package's own npm scripts run to build, bundle, generate, release or install (`"bundle": "node
  // esbuild.js"`, `"preinstall": "node setup.js"`) is a script, wherever it lives.
  { base: undefined, test: isPackageScript, matcher: ignore(), rules: SCRIPT_FOLDER_RULES },
  // A test kept beside the code and run by the package's test scripts (`"test": "tsx src/test.ts && tsx
  // src/test-sqlite.ts"`), and a `test-*` file beside those (scale study, seed 71: 7 of 60 findings).
  { base: undefined, test: isPackageTestFile, matcher: ignore(), rules: { "*": "off" } },
  // `bin/` and `utils/` of a private monorepo root (workspaces, nothing published, no `bin` field) hold the
  // maintainers' scripts (create a test app, open a release PR, pack), not a CLI anyone installs (seeds 29-30);
  // so do those of a VS Code extension whose `main` is elsewhere (seed 49).
  { base: undefined, test: isRootTooling, matcher: ignore(), rules: SCRIPT_FOLDER_RULES },
  // A package named `create-<x>` (`npm init <x>` runs it) is a scaffolder wherever its checkout lives: the
  // `create-*/` folder pattern misses one checked out at the top (create-vue's `utils/renderTemplate.ts`, seed 43).
  { base: undefined, test: inScaffolderPackage, matcher: ignore(), rules: SCRIPT_RULES },
  // Likewise a package named as a build plugin, wherever its checkout lives (`@hh.ru/babel-plugin-static-value-extractor`'s
  // `src/index.js`: seed 53).
  { base: undefined, test: inBuildPluginPackage, matcher: ignore(), rules: BUILD_PLUGIN_RULES },
  // A backup copy of a module kept beside it (`memory-extension-backup.ts` next to `memory-extension.ts`): the
  // original is what runs and gets fixed (scale study, seed 62). Only with the original there: `auto-backup.ts`
  // alone is code that makes backups.
  { base: undefined, test: isBackupCopy, matcher: ignore(), rules: { "*": "off" } },
  // A compiled copy committed beside its TypeScript source (`out/storage.js` from `src/storage.ts`, `lib/index.js`
  // from `src/index.ts`, or `routes/config.js` from `routes/config.ts` in the same folder, tsc with no outDir): the
  // source is what gets reported and fixed (scale study, seed 64: tsc's `out/`; seed 77: twins in `src/routes/`).
  { base: undefined, test: isCompiledCopy, matcher: ignore(), rules: { "*": "off" } },
];

/** Output folders a compiler writes beside `src/`. */
const COMPILED_FOLDER = /^(out|lib|cjs|esm|es|es5|es6|commonjs)$/;

/**
 * A `.js` file whose `.ts` source sits beside it (`config.routes.js` ← `config.routes.ts`), or in an output folder
 * whose `.ts` source has the same path under `src/` (`out/a/b.js` ← `src/a/b.ts`).
 */
function isCompiledCopy(filePath: string): boolean {
  const parts = path.resolve(filePath).split(path.sep);
  const extension = /\.([cm]?)js$/.exec(parts.at(-1)!);
  if (!extension) return false;
  const typed = extension[1] ? [`.${extension[1]}ts`] : [".ts", ".tsx"];
  const twin = parts.join(path.sep).replace(/\.[cm]?js$/, "");
  if (typed.some((each) => fs.existsSync(twin + each))) return true;
  for (let index = parts.length - 2; index > 0; index--) {
    if (!COMPILED_FOLDER.test(parts[index]!)) continue;
    const source = [...parts.slice(0, index), "src", ...parts.slice(index + 1)].join(path.sep).replace(/\.[cm]?js$/, "");
    return typed.some((each) => fs.existsSync(source + each));
  }
  return false;
}

/** `name-backup.ts`, `name.bak.js`, `name_old.ts`, `name-orig.js`, `name copy.ts` … beside `name.ts` (or `.js`). */
const BACKUP_COPY = /^(.+?)(?:[-_.](?:backup|bak|old|orig|original|copy)\d*| copy(?: \d+)?)(\.[cm]?[jt]sx?)$/i;

function isBackupCopy(filePath: string): boolean {
  const match = BACKUP_COPY.exec(path.basename(filePath));
  if (!match) return false;
  const folder = path.dirname(filePath);
  return [match[2]!, ".ts", ".js", ".tsx", ".jsx", ".mjs", ".cjs"].some((extension) => fs.existsSync(path.join(folder, match[1]! + extension)));
}

/** npm scripts that serve or watch (long-running code) or test: not one-off scripts. */
const LONG_RUNNING_SCRIPT = /^(start|serve|server|dev|develop|watch|preview|test|run|app|electron|debug)([:-]|$)/;

const scriptFilesByPackage = new Map<string, Set<string>>();

/** Whether the package.json nearest to a file runs it from a one-off npm script. */
function isPackageScript(filePath: string): boolean {
  return scriptFilesOf(scriptFilesByPackage, projectFolder(filePath), oneOffScripts).has(path.resolve(filePath));
}

/** The files a package's chosen npm scripts run, found once per package folder. */
function scriptFilesOf(cache: Map<string, Set<string>>, folder: string, commands: (manifest: Manifest | undefined) => string[]): Set<string> {
  let files = cache.get(folder);
  if (!files) {
    // No package.json, or not JSON: no scripts.
    files = new Set(commands(manifestOf(folder)).flatMap((command) => filesRunBy(command, folder)));
    cache.set(folder, files);
  }
  return files;
}

/** npm scripts that build or install: what they run, also through another script, is a build or install step. */
const BUILD_SCRIPT = /^(pre|post)?(build|compile|bundle|generate|gen|prepare|pack|dist|install)([:-]|$)/;

/** npm scripts that run tests. */
const TEST_SCRIPT = /^(pre|post)?(test|tests|spec|e2e|smoke)([:-]|$)/;

/** A `test-*` or `test_*` module: a test by its name when its siblings of the kind are run as tests. */
const TEST_FILE_NAME = /^tests?[-_][\w.-]+\.[cm]?[jt]sx?$/;

const testFilesByPackage = new Map<string, Set<string>>();

/**
 * A `test-*` module that the nearest package's test scripts run, or one in a folder where they run another
 * (`src/test-sqlite.ts` beside `src/test-kusabi-fleet-rollout.ts`). Named so: small projects' `"test": "node
 * src/TicketBot.js debug"` runs the program itself (seeds 62 and 66), and a test runner's own `test-run.ts` is
 * code that no test script runs beside.
 */
function isPackageTestFile(filePath: string): boolean {
  const file = path.resolve(filePath);
  if (!TEST_FILE_NAME.test(path.basename(file))) return false;
  const files = scriptFilesOf(testFilesByPackage, projectFolder(filePath), testScripts);
  return [...files].some((each) => path.dirname(each) === path.dirname(file) && TEST_FILE_NAME.test(path.basename(each)));
}

/** The commands of a manifest's test scripts. */
function testScripts(manifest: Manifest | undefined): string[] {
  const scripts = typeof manifest?.scripts === "object" && manifest.scripts !== null ? Object.entries(manifest.scripts) : [];
  return scripts.filter(([name, command]) => typeof command === "string" && TEST_SCRIPT.test(name)).map(([, command]) => command as string);
}

/**
 * The commands of a manifest's one-off scripts: those not named as long-running, and those a build script runs in
 * turn (`"build": "yarn start:twemoji-sheet && …"` makes `start:twemoji-sheet`'s `node download-emoji-sheet.js` a
 * build step: scale study, seed 70), or an install runs (`"postinstall": "npm run start"`: the program runs once, at
 * install, seed 59). Only from those: `"deploy": "npm run build && npm run start:prod"` still starts the program.
 */
function oneOffScripts(manifest: Manifest | undefined): string[] {
  const scripts = typeof manifest?.scripts === "object" && manifest.scripts !== null ? (manifest.scripts as Record<string, unknown>) : {};
  const commands = new Map(Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const chosen = new Set([...commands.keys()].filter((name) => !LONG_RUNNING_SCRIPT.test(name)));
  const building = new Set([...commands.keys()].filter((name) => BUILD_SCRIPT.test(name)));
  for (const name of building) {
    for (const [, called] of commands.get(name)!.matchAll(/(?:^|[\s;&|])(?:npm run|yarn run|yarn|pnpm run|pnpm|bun run)\s+([\w:.-]+)/g)) {
      if (!commands.has(called!)) continue;
      building.add(called!);
      chosen.add(called!);
    }
  }
  return [...chosen].map((name) => commands.get(name)!);
}

/** The script files an npm script's command runs, resolved against the package folder. */
function filesRunBy(command: string, folder: string): string[] {
  const files: string[] = [];
  for (const [, file] of command.matchAll(/(?:^|[\s=])(?:\.\/)?([\w@./-]+\.(?:c|m)?[jt]s)(?=\s|$|&|;|\|)/g)) files.push(path.resolve(folder, file!));
  // `node setCurrentVersion`: Node resolves a script named without its extension (scale study, seed 39).
  for (const [, file] of command.matchAll(/(?:^|[\s;&|])node\s+(?:\.\/)?([\w@./-]*[\w-])(?=\s|$|&|;|\|)/g)) {
    if (/\.[cm]?[jt]s$/.test(file!)) continue;
    const found = [".js", ".mjs", ".cjs"].map((extension) => path.resolve(folder, file! + extension)).find((candidate) => fs.existsSync(candidate));
    if (found) files.push(found);
  }
  return files;
}

interface Manifest {
  name?: unknown;
  scripts?: unknown;
  private?: unknown;
  workspaces?: unknown;
  bin?: unknown;
  main?: unknown;
  engines?: unknown;
  dependencies?: unknown;
  "node-red"?: unknown;
}

/** Argument parsers and prompt libraries (oclif under both its names, v1's `@oclif/command` too: seed 63): a package that depends on one and declares `bin` is a command-line tool. */
const COMMAND_LINE_LIBRARY = /^(yargs|commander|meow|cac|sade|citty|clipanion|minimist|mri|arg|caporal|vorpal|@oclif\/core|@oclif\/command|oclif|inquirer|@inquirer\/prompts|prompts|enquirer|@clack\/prompts)$/;

/**
 * Libraries whose programs serve many callers at once (a server, an editor, a bot, a desktop app): a package that
 * depends on one is not run once per command, whatever its `bin` says.
 */
const LONG_LIVED_LIBRARY = /^(express|fastify|koa|@hapi\/hapi|hapi|@nestjs\/core|next|hono|restify|polka|socket\.io|ws|electron|vscode-languageserver|discord\.js|telegraf|node-telegram-bot-api|chokidar)$/;

/**
 * What a file's package declares about its program (scale study, seed 51: a CLI's config and history helpers sit
 * in modules that import no argument parser themselves). Read from the nearest package.json.
 */
export function programFacts(filePath: string): ProgramFacts {
  const manifest = manifestOf(projectFolder(filePath));
  if (!manifest) return {};
  const engines = typeof manifest.engines === "object" && manifest.engines !== null ? Object.keys(manifest.engines) : [];
  // An editor extension (scale study, seed 69: a VS Code extension's settings and usage helpers import no vscode API).
  if (engines.includes("vscode")) return { editorExtension: true };
  // Nodes that a Node-RED runtime loads (scale study, seed 76: a node persisting its devices' state with a fixed temp).
  if (typeof manifest["node-red"] === "object" && manifest["node-red"] !== null) return { nodeRed: true };
  const dependencies = typeof manifest.dependencies === "object" && manifest.dependencies !== null ? Object.keys(manifest.dependencies) : [];
  // A bot's modules that import no client themselves (scale study, seed 73: a WhatsApp bot's game-stats helpers).
  const chatBot = dependencies.some((name) => CHAT_BOT_CLIENT.test(name));
  if (manifest.bin === undefined) return chatBot ? { chatBot } : {};
  const commandLine = dependencies.some((name) => COMMAND_LINE_LIBRARY.test(name)) && !dependencies.some((name) => LONG_LIVED_LIBRARY.test(name));
  return commandLine ? { commandLine } : chatBot ? { chatBot } : {};
}

const manifests = new Map<string, Manifest | undefined>();

/** A folder's package.json, read once (undefined when there is none or it is not JSON). */
function manifestOf(folder: string): Manifest | undefined {
  if (manifests.has(folder)) return manifests.get(folder);
  let manifest: Manifest | undefined;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
    manifest = typeof parsed === "object" && parsed !== null ? (parsed as Manifest) : undefined;
  } catch {
    manifest = undefined;
  }
  manifests.set(folder, manifest);
  return manifest;
}

/** A private package with workspaces and no `bin` of its own: a monorepo's root, which publishes nothing. */
function isPrivateMonorepoRoot(folder: string): boolean {
  const manifest = manifestOf(folder);
  return manifest !== undefined && manifest.private === true && manifest.bin === undefined && (manifest.workspaces !== undefined || fs.existsSync(path.join(folder, "pnpm-workspace.yaml")));
}

/** npm's convention for `npm init <x>` / `npm create <x>`: the package `create-<x>` (or `@scope/create-<x>`). */
const SCAFFOLDER_NAME = /^(@[^/]+\/)?create-[\w.-]+$/;

/** A file of a package named as an `npm init` scaffolder. */
function inScaffolderPackage(filePath: string): boolean {
  const name = manifestOf(projectFolder(filePath))?.name;
  return typeof name === "string" && SCAFFOLDER_NAME.test(name);
}

/** A file of a package named as a bundler or compiler plugin. */
function inBuildPluginPackage(filePath: string): boolean {
  const name = manifestOf(projectFolder(filePath))?.name;
  return typeof name === "string" && BUILD_PLUGIN_NAME.test(name);
}

/** Folders of a private monorepo root that hold its maintainers' tooling (`utils/pack.ts`: scale study, seed 30). */
const MONOREPO_ROOT_TOOLING = /^(bin|utils?)$/;

/**
 * A file under `bin/` or `utils/` of a private monorepo root, or of a VS Code extension whose entry point lies
 * elsewhere; or a file directly in a private monorepo root that the root neither names as `main` nor starts
 * from a script (`apply-mcp-fixes.mjs` beside `packages/`: the code that ships lives in the workspaces, scale
 * study, seed 70).
 */
function isRootTooling(filePath: string): boolean {
  return enclosingProjectFolders(filePath).some((folder) => {
    const relative = path.relative(folder, filePath).split(path.sep);
    if (relative.length === 1) return isPrivateMonorepoRoot(folder) && !startedByRoot(folder, filePath);
    return MONOREPO_ROOT_TOOLING.test(relative[0]!) && (isPrivateMonorepoRoot(folder) || isExtensionOutside(folder, relative[0]!));
  });
}

/** The root's `main`, or a file any of its scripts runs (`"start": "node server.js"`): the root's own program. */
function startedByRoot(folder: string, filePath: string): boolean {
  const manifest = manifestOf(folder)!;
  const file = path.resolve(filePath);
  if (typeof manifest.main === "string" && path.resolve(folder, manifest.main) === file) return true;
  return scriptFilesOf(allScriptFilesByPackage, folder, everyScript).has(file);
}

const allScriptFilesByPackage = new Map<string, Set<string>>();

/** The commands of all a manifest's scripts. */
function everyScript(manifest: Manifest | undefined): string[] {
  const scripts = typeof manifest?.scripts === "object" && manifest.scripts !== null ? Object.values(manifest.scripts) : [];
  return scripts.filter((command): command is string => typeof command === "string");
}

/**
 * A VS Code extension (`engines.vscode`) ships the code its `main` starts from: its root `utils/` beside that (a
 * roll or copyright script) is the maintainers' tooling, since an extension installs no command line (scale study,
 * seed 49: playwright-vscode's `utils/roll-locally.js`).
 */
function isExtensionOutside(folder: string, tooling: string): boolean {
  const manifest = manifestOf(folder);
  const engines = manifest?.engines;
  if (typeof engines !== "object" || engines === null || !("vscode" in engines)) return false;
  const main = typeof manifest!.main === "string" ? path.normalize(manifest!.main) : "";
  return main !== "" && main.split(path.sep)[0] !== tooling;
}

function applyOverrides(overrides: readonly Override[], filePath: string): Record<string, RuleSetting> {
  const result: Record<string, RuleSetting> = {};
  for (const override of overrides) {
    if (override.test) {
      if (override.test(filePath)) apply(result, override.rules);
      continue;
    }
    // Built-in defaults match from every package folder around the file: `e2e/global-setup.ts` is a test and
    // `scripts/agent-evals/src/run.ts` a script although `e2e/` and `scripts/agent-evals/` have package.json
    // files of their own (scale study).
    const bases = override.base !== undefined ? [override.base] : enclosingProjectFolders(filePath);
    const matches = bases.some((base, index) => {
      const relative = path.relative(base, filePath);
      if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return false;
      const posix = relative.split(path.sep).join("/");
      // A package inside another is also matched by its own folder name: `packages/tools/` is a tools
      // package, `packages/test-utils/` test code (not the outermost project's folder name: a checkout
      // called `scripts` is not a script).
      const nested = override.byPackageName === true && index < bases.length - 1 ? [`${path.basename(base)}/${posix}`] : [];
      return [posix, ...nested].some((candidate) => override.matcher.ignores(candidate));
    });
    if (matches) apply(result, override.rules);
  }
  return result;
}

function apply(result: Record<string, RuleSetting>, rules: Record<string, RuleSetting | "default">): void {
  for (const [id, setting] of Object.entries(rules)) {
    for (const rule of id === "*" ? allRules : allRules.filter((each) => each.id === id)) result[rule.id] = setting === "default" ? rule.defaultSeverity : setting;
  }
}

const enclosingByFolder = new Map<string, string[]>();

/**
 * The nearest project folder, then every folder above it that has a package.json (a monorepo's root), up to
 * one that has a .tornwrite.json: a project that configures itself is a root of its own (a sample project kept
 * in another's `test/fixtures/` is checked as a project when it says so).
 */
function enclosingProjectFolders(filePath: string): string[] {
  // Asked for every file on every analysis (the workspace pass asks again for each open document): cached per
  // folder, like projectFolder.
  const start = path.dirname(filePath);
  const cached = enclosingByFolder.get(start);
  if (cached) return cached;
  const folders = [projectFolder(filePath)];
  for (;;) {
    const last = folders[folders.length - 1]!;
    const parent = path.dirname(last);
    if (parent === last || fs.existsSync(path.join(last, CONFIG_FILE))) break;
    // projectFolder answers the start folder itself when nothing above has a package.json.
    const above = projectFolder(path.join(parent, "package.json"));
    if (!fs.existsSync(path.join(above, "package.json"))) break;
    folders.push(above);
  }
  enclosingByFolder.set(start, folders);
  return folders;
}

const projectFolders = new Map<string, string>();

/** The nearest folder with a package.json above a file (the file's folder when there is none). */
function projectFolder(filePath: string): string {
  const start = path.dirname(filePath);
  const cached = projectFolders.get(start);
  if (cached) return cached;
  let found = start;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) {
      found = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  projectFolders.set(start, found);
  return found;
}

const EMPTY: ProjectConfig = { file: undefined, rules: {}, runtimePath: undefined, runtimeImport: undefined, stressTargets: [], isIgnored: () => false, overridesFor: (filePath) => applyOverrides(BUILT_IN, filePath), problems: [] };

const cache = new Map<string, { mtimeMs: number; config: ProjectConfig }>();

/** The nearest `.tornwrite.json` at or above `startDir`, parsed and validated (cached by mtime). */
export function loadProjectConfig(startDir: string): ProjectConfig {
  const file = findUp(startDir);
  if (!file) return EMPTY;
  const mtimeMs = fs.statSync(file).mtimeMs;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.config;
  const config = parseConfig(file, fs.readFileSync(file, "utf8"));
  cache.set(file, { mtimeMs, config });
  return config;
}

/** `overrides: [{ "files": ["test/**"], "rules": { "*": "default" } }]`: per-file rule settings; `*` is every rule, `default` its default level. */
function parseOverrides(value: unknown, file: string, known: ReadonlySet<string>, problems: string[]): Override[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${file}: 'overrides' must be an array of { "files": [globs], "rules": { "<id>|*": "<level>|default|off" } }`);
    return [];
  }
  const parsed: Override[] = [];
  value.forEach((raw: unknown, index) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const where = `${file}: overrides[${index}]`;
    const files = Array.isArray(entry["files"]) ? (entry["files"] as unknown[]).filter((glob): glob is string => typeof glob === "string") : [];
    if (files.length === 0) {
      problems.push(`${where} needs "files": a list of globs`);
      return;
    }
    const rules: Record<string, RuleSetting | "default"> = {};
    for (const [id, setting] of Object.entries((entry["rules"] as Record<string, unknown> | undefined) ?? {})) {
      if (id !== "*" && !known.has(id)) problems.push(`${where}: unknown rule '${id}'`);
      else if (typeof setting !== "string" || (!SETTINGS.has(setting) && setting !== "default")) problems.push(`${where}: rule '${id}' has setting ${JSON.stringify(setting)}; use error, warning, information, hint, off or default`);
      else rules[id] = setting as RuleSetting | "default";
    }
    parsed.push({ base: path.dirname(file), matcher: ignore().add(files), rules });
  });
  return parsed;
}

function findUp(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function parseConfig(file: string, text: string): ProjectConfig {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ...EMPTY, file, problems: [`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const value = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const known = new Set(allRules.map((rule) => rule.id));
  const rules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries((value["rules"] as Record<string, unknown> | undefined) ?? {})) {
    if (!known.has(id)) problems.push(`${file}: unknown rule '${id}' (rules: ${[...known].join(", ")})`);
    else if (typeof setting !== "string" || !SETTINGS.has(setting)) problems.push(`${file}: rule '${id}' has setting ${JSON.stringify(setting)}; use error, warning, information, hint or off`);
    else rules[id] = setting as RuleSetting;
  }
  for (const key of Object.keys(value)) {
    if (!["rules", "ignore", "overrides", "runtimePath", "runtimeImport", "stress", "$schema"].includes(key)) problems.push(`${file}: unknown setting '${key}'`);
  }
  const overrides = [...BUILT_IN, ...parseOverrides(value["overrides"], file, known, problems)];
  const globs = Array.isArray(value["ignore"]) ? (value["ignore"] as unknown[]).filter((glob): glob is string => typeof glob === "string") : [];
  const matcher: Ignore = ignore().add(globs);
  const base = path.dirname(file);
  return {
    file,
    rules,
    runtimePath: typeof value["runtimePath"] === "string" ? value["runtimePath"] : undefined,
    runtimeImport: typeof value["runtimeImport"] === "string" ? value["runtimeImport"] : undefined,
    stressTargets: parseStressTargets(value["stress"], file, problems),
    isIgnored: (filePath) => {
      const relative = path.relative(base, filePath);
      return globs.length > 0 && relative !== "" && !relative.startsWith("..") && matcher.ignores(relative.split(path.sep).join("/"));
    },
    overridesFor: (filePath) => applyOverrides(overrides, filePath),
    problems,
  };
}

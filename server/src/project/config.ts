import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { RuleSetting } from "../engine/types";
import { allRules } from "../rules";

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
const EMPTY: ProjectConfig = { file: undefined, rules: {}, runtimePath: undefined, runtimeImport: undefined, stressTargets: [], isIgnored: () => false, problems: [] };

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
    if (!["rules", "ignore", "runtimePath", "runtimeImport", "stress", "$schema"].includes(key)) problems.push(`${file}: unknown setting '${key}'`);
  }
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
    problems,
  };
}

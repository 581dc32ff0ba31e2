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
  /** Whether a path (absolute) is excluded by the `ignore` globs (gitignore syntax, relative to the file). */
  isIgnored(filePath: string): boolean;
  /** Mistakes found in the file (unknown rule ids, bad values): reported, never silently dropped. */
  problems: string[];
}

const SETTINGS = new Set(["error", "warning", "information", "hint", "off"]);
const EMPTY: ProjectConfig = { file: undefined, rules: {}, runtimePath: undefined, runtimeImport: undefined, isIgnored: () => false, problems: [] };

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
    isIgnored: (filePath) => {
      const relative = path.relative(base, filePath);
      return globs.length > 0 && relative !== "" && !relative.startsWith("..") && matcher.ignores(relative.split(path.sep).join("/"));
    },
    problems,
  };
}

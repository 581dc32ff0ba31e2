import type { ProgramFacts, RuleSetting } from "../engine/types";
import { DEFAULT_RUNTIME_PATH } from "../project/runtimeContext";
import { programFacts, type ProjectConfig } from "../project/config";

/** The `tornwrite.*` settings, as the client reports them for one document's scope. */
export interface Settings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  runtimePath: string;
  runtimeImport: string | undefined;
  debounceMs: number;
  /** What the file's package.json declares about its program (set per file from the project, never by the client). */
  program?: ProgramFacts | undefined;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  runtimePath: DEFAULT_RUNTIME_PATH,
  runtimeImport: undefined,
  debounceMs: 150,
};

const SEVERITIES = new Set(["error", "warning", "information", "hint", "off"]);

/** Accepts what a client sends and falls back to defaults field by field: bad settings never break analysis. */
export function normalizeSettings(raw: unknown): Settings {
  const value = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (value["rules"] && typeof value["rules"] === "object") {
    for (const [id, setting] of Object.entries(value["rules"] as Record<string, unknown>)) {
      if (typeof setting === "string" && SEVERITIES.has(setting)) rules[id] = setting as RuleSetting;
    }
  }
  const debounce = value["debounceMs"];
  return {
    enable: value["enable"] !== false,
    rules,
    runtimePath: typeof value["runtimePath"] === "string" && value["runtimePath"] ? value["runtimePath"] : DEFAULT_RUNTIME_PATH,
    runtimeImport: typeof value["runtimeImport"] === "string" && value["runtimeImport"] ? value["runtimeImport"] : undefined,
    debounceMs: typeof debounce === "number" && debounce >= 0 ? Math.min(debounce, 5000) : DEFAULT_SETTINGS.debounceMs,
  };
}

/**
 * `.tornwrite.json` under the editor's settings: VS Code's `tornwrite.rules` entries win per rule, and the
 * per-file overrides (the built-in ones for tests and build scripts, then the file's `overrides`) win over
 * both for the files they match; the runtime path from the file applies unless the editor setting was
 * changed from its default.
 */
export function withProjectConfig(settings: Settings, config: ProjectConfig, filePath?: string): Settings {
  return {
    ...settings,
    rules: { ...config.rules, ...settings.rules, ...(filePath ? config.overridesFor(filePath) : {}) },
    runtimePath: settings.runtimePath === DEFAULT_RUNTIME_PATH ? config.runtimePath ?? settings.runtimePath : settings.runtimePath,
    runtimeImport: settings.runtimeImport ?? config.runtimeImport,
    program: filePath ? programFacts(filePath) : undefined,
  };
}

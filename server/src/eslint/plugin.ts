import type { ESLint, Linter, Rule } from "eslint";
import type { Severity } from "../engine/types";
import { allRules } from "../rules";
import { eslintRuleFor } from "./eslintRule";

declare const TORNWRITE_VERSION: string | undefined;

/**
 * eslint-plugin-tornwrite: every TornWrite rule as an ESLint rule (`tornwrite/<id>`), from the same engine
 * as the extension and the CLI. Flat config only (ESLint 9+).
 */
const rules: Record<string, Rule.RuleModule> = Object.fromEntries(allRules.map((rule) => [rule.id, eslintRuleFor(rule)]));

/** ESLint has two levels: the engine's errors stay errors; warnings and information warn; hints are off in `recommended`. */
const RECOMMENDED: Record<Severity, Linter.RuleSeverity> = { error: "error", warning: "warn", information: "warn", hint: "off" };

const plugin: ESLint.Plugin & { configs: Record<"recommended" | "strict" | "all", Linter.Config> } = {
  meta: { name: "eslint-plugin-tornwrite", version: typeof TORNWRITE_VERSION === "string" ? TORNWRITE_VERSION : "0.0.0-development" },
  rules,
  configs: {} as Record<"recommended" | "strict" | "all", Linter.Config>,
};

const config = (name: string, level: (severity: Severity) => Linter.RuleSeverity): Linter.Config => ({
  name: `tornwrite/${name}`,
  plugins: { tornwrite: plugin },
  rules: Object.fromEntries(allRules.map((rule) => [`tornwrite/${rule.id}`, level(rule.defaultSeverity)])),
});

plugin.configs.recommended = config("recommended", (severity) => RECOMMENDED[severity]);
plugin.configs.strict = config("strict", () => "error");
plugin.configs.all = config("all", (severity) => (severity === "error" ? "error" : "warn"));

export = plugin;

// Types of eslint-plugin-tornwrite (shipped as is beside the bundle).
import type { ESLint, Linter } from "eslint";

declare const plugin: ESLint.Plugin & {
  meta: { name: "eslint-plugin-tornwrite"; version: string };
  configs: { recommended: Linter.Config; strict: Linter.Config; all: Linter.Config };
};

export = plugin;

// Every rule's own valid/invalid cases (the same case modules the engine's RuleTester runs) through the
// built ESLint plugin, with ESLint's RuleTester: ESLint's parser (espree) for JavaScript, typescript-eslint's
// for TypeScript. The fix output is checked twice: ESLint's single pass (what RuleTester applies), and
// ESLint's own multi-pass `--fix` loop (Linter.verifyAndFix), which must give the case's recorded output.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Linter, RuleTester } from "eslint";
import type { Rule } from "eslint";
import { allRules } from "../../server/src/rules";
import type { InvalidCase, RuleModule, ValidCase } from "../../server/src/engine/rule";
import type { ProgramFacts, Severity } from "../../server/src/engine/types";
import { analyze } from "../../server/src/engine/analyze";
import { CASE_RUNTIME } from "../ruleTester";
import { REPO } from "../workspace";

const plugin = require(path.join(REPO, "dist", "eslint-plugin-tornwrite")) as { rules: Record<string, Rule.RuleModule> };
const typescriptParser = require("@typescript-eslint/parser") as Linter.Parser;

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const settings = { tornwrite: { runtimeImport: CASE_RUNTIME.importSpecifier, crossFile: false } };
const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

function languageOptions(fileName: string): Linter.LanguageOptions {
  if (/\.[cm]?tsx?$/.test(fileName)) return { parser: typescriptParser, parserOptions: { ecmaFeatures: { jsx: fileName.endsWith(".tsx") } } };
  return { ecmaVersion: "latest", sourceType: fileName.endsWith(".cjs") ? "commonjs" : "module", parserOptions: { ecmaFeatures: { jsx: fileName.endsWith(".jsx") } } };
}

const escape = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/** ESLint shows one level per rule: findings the engine rates below the rule's level are left out (see the plugin's README). */
function expectedErrors(rule: RuleModule, testCase: InvalidCase): RuleTester.TestCaseError[] {
  return testCase.errors
    .filter((error) => RANK[error.severity ?? rule.defaultSeverity] >= RANK[rule.defaultSeverity])
    .map((error) => ({ ...(error.messageIncludes ? { message: escape(error.messageIncludes) } : { messageId: "finding" }), ...(error.line !== undefined ? { line: error.line } : {}) }));
}

/**
 * What one ESLint pass makes of the engine's fixes for this rule: each fix's edits merged into one span, spans
 * taken in order and skipped when they overlap an earlier one (ESLint's SourceCodeFixer), the rest left for
 * the next pass. Derived from the engine, independently of the plugin's translation into ESLint fixes.
 */
function singlePassOutput(rule: RuleModule, fileName: string, code: string, program?: ProgramFacts): string {
  const others = Object.fromEntries(allRules.filter((other) => other !== rule).map((other) => [other.id, "off" as const]));
  const lineStarts = [0, ...[...code.matchAll(/\r\n|[\r\n\u2028\u2029]/g)].map((match) => match.index! + match[0].length)];
  const offset = (position: { line: number; character: number }) => lineStarts[position.line]! + position.character;
  const spans = analyze(path.join(REPO, fileName), code, { rules: others, runtime: CASE_RUNTIME, program })
    .filter((finding) => RANK[finding.severity] >= RANK[rule.defaultSeverity])
    .flatMap((finding) => finding.fixes.slice(0, 1))
    .map((fix) => {
      const edits = fix.changes.flatMap((change) => (change.kind === "edit" ? change.edits : [])).map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: edit.newText }));
      edits.sort((a, b) => a.start - b.start);
      const start = edits[0]!.start;
      const end = Math.max(...edits.map((edit) => edit.end));
      let text = "";
      let at = start;
      for (const edit of edits) {
        text += code.slice(at, edit.start) + edit.text;
        at = Math.max(at, edit.end);
      }
      return { start, end, text: text + code.slice(at, end) };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let output = "";
  let last = -Infinity;
  for (const span of spans) {
    if (span.start <= last && last !== -Infinity) continue;
    output += code.slice(Math.max(last, 0), span.start) + span.text;
    last = span.end;
  }
  return output + code.slice(Math.max(last, 0));
}

/**
 * Where a case runs: a case that declares what its package.json says (`program: { commandLine: true }`) runs as a
 * file of a fixture package that says it, since the plugin reads the nearest package.json like the CLI does; any
 * other case runs in a package that declares nothing (not the repository's own, a VS Code extension's).
 */
function caseFileName(testCase: ValidCase): string {
  const fileName = testCase.fileName ?? "case.ts";
  const fixture = testCase.program?.commandLine ? "cli-package" : testCase.program?.editorExtension ? "extension-package" : testCase.program?.chatBot ? "bot-package" : testCase.program?.nodeRed ? "node-red-package" : "plain-package";
  return path.join("test", "fixtures", fixture, fileName);
}

function asValid(testCase: ValidCase): RuleTester.ValidTestCase {
  const filename = caseFileName(testCase);
  return { name: testCase.name ?? testCase.code.slice(0, 60), code: testCase.code, filename, languageOptions: languageOptions(filename), settings };
}

for (const rule of allRules) {
  const eslintRule = plugin.rules[rule.id]!;
  const valid: RuleTester.ValidTestCase[] = rule.cases.valid.map(asValid);
  const invalid: RuleTester.InvalidTestCase[] = [];
  for (const testCase of rule.cases.invalid) {
    const errors = expectedErrors(rule, testCase);
    if (errors.length === 0) {
      valid.push(asValid(testCase));
      continue;
    }
    const filename = caseFileName(testCase);
    const once = singlePassOutput(rule, filename, testCase.code, testCase.program);
    invalid.push({ ...asValid(testCase), errors, output: once === testCase.code ? null : once });
  }
  new RuleTester().run(`tornwrite/${rule.id}`, eslintRule, { valid, invalid });

  describe(`tornwrite/${rule.id}: eslint --fix (ESLint's multi-pass loop) gives each case's recorded output`, () => {
    for (const testCase of rule.cases.invalid) {
      // Findings ESLint leaves out (below the rule's level) keep their code: the recorded output fixes them.
      if (testCase.output === undefined || expectedErrors(rule, testCase).length < testCase.errors.length) continue;
      const filename = caseFileName(testCase);
      it(testCase.name ?? testCase.code.slice(0, 60), () => {
        const linter = new Linter({ configType: "flat", cwd: REPO });
        const config: Linter.Config[] = [{ files: ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"], plugins: { tornwrite: plugin }, rules: { [`tornwrite/${rule.id}`]: "warn" }, languageOptions: languageOptions(filename), settings }];
        const result = linter.verifyAndFix(testCase.code, config, { filename: path.join(REPO, filename) });
        assert.deepEqual(result.messages.filter((message) => message.ruleId === null), [], "the code parses and the config applies");
        assert.equal(result.output, testCase.output ?? testCase.code);
      });
    }
  });
}

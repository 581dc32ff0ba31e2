import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import type { RuleModule } from "../server/src/engine/rule";
import type { AnalyzeOptions, ProgramFacts } from "../server/src/engine/types";
import { analyze, fixText } from "../server/src/engine/analyze";
import { allRules } from "../server/src/rules";

/** The runtime specifier fixes import in rule cases. */
export const CASE_RUNTIME = { importSpecifier: "./tornwrite-runtime" };

/** ESLint-style RuleTester over a rule module's own valid/invalid cases; only that rule runs. */
export function testRule(rule: RuleModule): void {
  // Only this rule runs, at the severities it reports itself.
  const others = Object.fromEntries(allRules.filter((other) => other !== rule).map((other) => [other.id, "off" as const]));
  const options: AnalyzeOptions = { rules: others, runtime: CASE_RUNTIME };
  const findingsOf = (fileName: string, code: string, program?: ProgramFacts) => analyze(fileName, code, { ...options, program }).filter((f) => f.ruleId === rule.id);

  describe(`rule ${rule.id}`, () => {
    for (const [index, testCase] of rule.cases.valid.entries()) {
      it(`valid #${index}: ${testCase.name ?? testCase.code.slice(0, 40)}`, () => {
        const findings = findingsOf(testCase.fileName ?? "case.ts", testCase.code, testCase.program);
        assert.deepEqual(findings.map((f) => f.message), []);
      });
    }
    for (const [index, testCase] of rule.cases.invalid.entries()) {
      it(`invalid #${index}: ${testCase.name ?? testCase.code.slice(0, 40)}`, () => {
        const fileName = testCase.fileName ?? "case.ts";
        const findings = findingsOf(fileName, testCase.code, testCase.program);
        assert.equal(findings.length, testCase.errors.length, `findings: ${JSON.stringify(findings.map((f) => f.message))}`);
        testCase.errors.forEach((expected, i) => {
          const finding = findings[i];
          assert.ok(finding);
          assert.equal(finding.severity, expected.severity ?? rule.defaultSeverity);
          if (expected.messageIncludes) assert.ok(finding.message.includes(expected.messageIncludes), finding.message);
          if (expected.line !== undefined) assert.equal(finding.range.start.line + 1, expected.line);
        });
        if (testCase.output === undefined) return;
        const fixed = fixText(fileName, testCase.code, { ...options, program: testCase.program });
        if (testCase.output === null) {
          assert.equal(fixed.text, testCase.code, "expected no fix");
          return;
        }
        assert.equal(fixed.text, testCase.output);
        assert.deepEqual(findingsOf(fileName, fixed.text, testCase.program).map((f) => f.message), [], "the fix must remove the finding");
        assert.equal(fixText(fileName, fixed.text, { ...options, program: testCase.program }).text, fixed.text, "a second fix must change nothing");
      });
    }
  });
}

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "in a tornwrite directive" };

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "known id", code: `// tornwrite-disable-next-line non-atomic-write\nexport const a = 1;` },
    { name: "several known ids", code: `/* tornwrite-disable check-then-act, missing-parent-dir */\nexport const a = 1;\n/* tornwrite-enable */` },
    { name: "no ids", code: `// tornwrite-disable-next-line\nexport const a = 1;` },
    { name: "same-line form", code: `export const a = 1; // tornwrite-disable-line colliding-temp-name` },
    { name: "text in a string is not a directive", code: `export const s = "tornwrite-disable-next-line nothing-here";` },
    { name: "file-level disable", code: `/* tornwrite-disable */\nexport const a = 1;` },
    { name: "enable with ids", code: `/* tornwrite-disable insecure-temp-file */\nexport const a = 1;\n/* tornwrite-enable insecure-temp-file */` },
    { name: "JSDoc mention", code: `/** tornwrite-disable-next-line lock-release-order */\nexport const a = 1;` },
  ],
  invalid: [
    { name: "typo", code: `// tornwrite-disable-next-line non-atomic-writes\nexport const a = 1;`, errors: [{ messageIncludes: "Unknown rule 'non-atomic-writes'", line: 1 }] },
    { name: "one of two unknown", code: `// tornwrite-disable-next-line non-atomic-write, atomic-write\nexport const a = 1;`, errors: [{ messageIncludes: "'atomic-write'" }] },
    { name: "block disable", code: `/* tornwrite-disable toctou */\nexport const a = 1;`, errors: [flagged] },
    { name: "enable", code: `/* tornwrite-disable */\nexport const a = 1;\n/* tornwrite-enable nope */`, errors: [flagged] },
    { name: "same-line", code: `export const a = 1; // tornwrite-disable-line temp-cleanup`, errors: [flagged] },
    { name: "two unknown ids", code: `// tornwrite-disable-next-line foo bar\nexport const a = 1;`, errors: [flagged, flagged] },
    { name: "JavaScript file", fileName: "a.js", code: `// tornwrite-disable-next-line fsync\nmodule.exports = 1;`, errors: [flagged] },
    { name: "inside a function", code: `export function f() {\n  // tornwrite-disable-next-line old-rule-name\n  return 1;\n}`, errors: [{ messageIncludes: "'old-rule-name'", line: 2 }] },
  ],
};

import type { RuleContext, RuleModule } from "../engine/rule";
import { parseDirectives } from "../engine/directives";
import { cases } from "./invalid-directive.cases";

export const invalidDirective: RuleModule = {
  id: "invalid-directive",
  defaultSeverity: "warning",
  shortDescription: "A tornwrite-disable comment names a rule that does not exist.",
  description:
    "A typo in a disable comment silently disables nothing, and the finding it meant to silence keeps " +
    "coming back (or, worse, a renamed rule stays enabled). Unknown rule ids are reported instead of ignored.",
  fixable: false,
  mentions: (text) => text.includes("tornwrite-"),
  ignoresDirectives: true,
  check,
  cases,
};

function check(context: RuleContext): void {
  const known = new Set(context.ruleIds);
  for (const mention of parseDirectives(context.sourceFile).mentioned) {
    if (known.has(mention.id)) continue;
    context.report({
      node: context.sourceFile,
      range: { start: mention.start, end: mention.end },
      message: `Unknown rule '${mention.id}' in a tornwrite directive: it disables nothing. Known rules: ${context.ruleIds.join(", ")}.`,
    });
  }
}

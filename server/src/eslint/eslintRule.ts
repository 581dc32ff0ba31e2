import * as path from "node:path";
import type { Rule } from "eslint";
import type { RuleModule } from "../engine/rule";
import type { Finding, Fix, Position, Severity, TextEdit } from "../engine/types";
import { docsUri } from "../project/assets";
import { findingsFor } from "./lintFile";

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Every message is the engine's own text (it names the paths and lines involved). */
const MESSAGE_ID = "finding";

/** The TornWrite rule as an ESLint rule: same id, docs and message; the analysis is shared by all rules. */
export function eslintRuleFor(rule: RuleModule): Rule.RuleModule {
  return {
    meta: {
      type: "problem",
      docs: { description: rule.shortDescription, url: docsUri(rule.id) },
      messages: { [MESSAGE_ID]: "{{ message }}" },
      schema: [],
      ...(rule.fixable ? { fixable: "code" as const, hasSuggestions: true } : {}),
    },
    create(context) {
      return {
        Program(program) {
          // ESLint has one level per rule: a finding the engine rates below its rule's level (lock-release-order's
          // fragile-but-safe-today shape, information in the editor) is left to the editor and the CLI.
          for (const finding of findingsFor(context, program)) {
            if (finding.ruleId === rule.id && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[rule.defaultSeverity]) report(context, finding);
          }
        },
      };
    },
  };
}

function report(context: Rule.RuleContext, finding: Finding): void {
  const sourceCode = context.sourceCode;
  const loc = (position: Position) => ({ line: position.line + 1, column: position.character });
  const offset = (position: Position) => sourceCode.getIndexFromLoc(loc(position));
  const fix = finding.fixes[0];
  const edits = fix ? editsOf(fix) : undefined;
  const toFix = edits && ((fixer: Rule.RuleFixer) => edits.map((edit) => fixer.replaceTextRange([offset(edit.range.start), offset(edit.range.end)], edit.newText)));
  const created = fix?.changes.find((change) => change.kind === "create");
  context.report({
    loc: { start: loc(finding.range.start), end: loc(finding.range.end) },
    messageId: MESSAGE_ID,
    data: { message: finding.message },
    // A fix that also creates the runtime file cannot be an ESLint fix (those edit this file only): it becomes
    // a suggestion that says which file to add first, and `eslint --fix` leaves the code as it was.
    ...(toFix && !created ? { fix: toFix } : {}),
    ...(toFix && created ? { suggest: [{ desc: vendorFirst(fix!, created.fileName, context.cwd), fix: toFix }] } : {}),
  });
}

/** The edits a fix makes to the linted file. */
function editsOf(fix: Fix): TextEdit[] | undefined {
  const edits = fix.changes.flatMap((change) => (change.kind === "edit" ? change.edits : []));
  return edits.length > 0 ? edits : undefined;
}

function vendorFirst(fix: Fix, runtimeFile: string, cwd: string): string {
  const relative = path.relative(cwd, runtimeFile).split(path.sep).join("/");
  return `${fix.title}; it imports the TornWrite runtime, which this project does not have yet: add it with \`npx tornwrite-runtime ${relative}\` (or set settings.tornwrite.runtimeImport)`;
}

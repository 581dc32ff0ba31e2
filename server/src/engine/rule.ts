import type { ts } from "./ts";
import type { ProgramFacts, Severity } from "./types";
import type { FsModel } from "./fsModel";
import type { FunctionProtocol } from "./protocol";
import type { FileAccess } from "./accesses";

/** An edit in offsets of the analysed text; the engine turns these into ranges. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** What a rule proposes; the engine adds the runtime import (and vendoring) it needs. */
export interface FixProposal {
  title: string;
  edits: OffsetEdit[];
  /** Names the edits use from the TornWrite runtime, e.g. `atomicWriteFile`. */
  runtimeImports: string[];
}

export interface Report {
  node: ts.Node;
  /** A range (offsets) to report instead of the node's, e.g. inside a comment. */
  range?: { start: number; end: number } | undefined;
  message: string;
  /** The fix, or a function computing it: only evaluated when a fix is asked for (never per keystroke). */
  fix?: FixProposal | (() => FixProposal | undefined) | undefined;
  /** This finding's severity when it differs from the rule's default (a user's setting still wins). */
  severity?: Severity | undefined;
  /** Other places that make this a problem (the opposite lock order, the write inside a wrapper). */
  related?: { node: ts.Node; message: string }[] | undefined;
}

export interface RuleContext {
  readonly fileName: string;
  readonly sourceFile: ts.SourceFile;
  readonly fs: FsModel;
  /** File operations per function, computed once per analysis and shared by the rules. */
  protocols(): ReadonlyMap<ts.Node, FunctionProtocol>;
  /** Reads and writes per function, through same-file helpers; computed once per analysis. */
  accesses(): ReadonlyMap<ts.Node, FileAccess[]>;
  /** Ids of every rule (for rules about configuration). */
  readonly ruleIds: readonly string[];
  /** What the file's package declares about its program (empty when nothing told the engine). */
  readonly program: ProgramFacts;
  report(report: Report): void;
}

/** A test case in the style of ESLint's RuleTester. */
export interface ValidCase {
  name?: string;
  code: string;
  fileName?: string;
  /** What the case's package.json would declare (a command-line tool's package). */
  program?: ProgramFacts;
}

export interface InvalidCase extends ValidCase {
  /** Expected findings of this rule, in order, by a substring of the message. */
  errors: { messageIncludes?: string; line?: number; severity?: Severity }[];
  /** Text after applying every preferred fix; `null` when the rule offers none here. */
  output?: string | null;
}

export interface RuleModule {
  id: string;
  defaultSeverity: Severity;
  /** One line for tables, SARIF `shortDescription` and the settings UI. */
  shortDescription: string;
  /** A paragraph: what goes wrong and what the fix does. */
  description: string;
  /** Whether the rule offers a mechanical fix. */
  fixable: boolean;
  /**
   * Cheap textual pre-check: a file is parsed for this rule only if its text passes. Default: the
   * file mentions a file-system module (most files of a workspace are never parsed).
   */
  mentions?: (text: string) => boolean;
  /** Findings about the directives themselves cannot be silenced by directives. */
  ignoresDirectives?: boolean;
  check(context: RuleContext): void;
  cases: { valid: ValidCase[]; invalid: InvalidCase[] };
}

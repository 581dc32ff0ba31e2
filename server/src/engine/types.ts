/** Engine data types: plain data only, no LSP or vscode types, so the CLI, server and tests share them. */

export type Severity = "error" | "warning" | "information" | "hint";
export type RuleSetting = Severity | "off";

/** Zero-based line and UTF-16 column, the convention of both TypeScript and LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** One file touched by a fix: edits to an existing file, or a file the fix creates (the vendored runtime). */
export type FileChange =
  | { kind: "edit"; fileName: string; edits: TextEdit[] }
  | { kind: "create"; fileName: string; text: string };

export interface Fix {
  title: string;
  isPreferred: boolean;
  changes: FileChange[];
}

/** Another place that is part of a finding, possibly in another file. */
export interface RelatedLocation {
  fileName: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  range: Range;
  /** A mechanical fix exists (it is in `fixes` when the runtime context was given). */
  fixable: boolean;
  fixes: Fix[];
  related?: RelatedLocation[] | undefined;
}

/** How fixes reach the TornWrite runtime from the analysed file. Computed outside the pure core. */
export interface RuntimeContext {
  /** Module specifier written into the import, e.g. `./lib/tornwrite-runtime.js`. */
  importSpecifier: string;
  /** The runtime source to create when the project has none yet. */
  vendor?: { fileName: string; text: string } | undefined;
}

export interface AnalyzeOptions {
  /** Per-rule severity or `off`; rules not named use their default severity. */
  rules?: Readonly<Record<string, RuleSetting>> | undefined;
  /** Without it, findings carry no fixes that need the runtime. */
  runtime?: RuntimeContext | undefined;
  /**
   * Which findings get their fixes computed: "none" on the keystroke path (then `fixable` tells whether
   * the rule offers fixes at all), a range for code actions, "all" by default.
   */
  fixes?: "none" | "all" | Range | undefined;
  /** Re-parse incrementally from earlier trees of the same file (the language server passes one). */
  parser?: { parse(fileName: string, text: string): import("./ts").ts.SourceFile } | undefined;
  /**
   * Told when one rule throws on this file; the other rules' findings are kept. Without it the error
   * propagates (the rule tests want to see it).
   */
  onRuleError?: ((ruleId: string, error: unknown) => void) | undefined;
  /**
   * The exported names of other workspace modules' read and write helpers (see workspace/importedCycles.ts):
   * only calls of these are paired into read-modify-write candidates. Without it, none are.
   */
  importedAccessors?: ImportedAccessors | undefined;
  /** What the file's package says about its program (the project layer reads its package.json). */
  program?: ProgramFacts | undefined;
}

/** The program a file belongs to, as its package manifest declares it. */
export interface ProgramFacts {
  /**
   * A command-line tool: the package declares `bin`, depends on an argument parser or prompt library, and on no
   * server or editor framework. Its modules run once per command a person types.
   */
  commandLine?: boolean | undefined;
  /**
   * An editor extension: the package declares `engines.vscode`. Each window runs its own extension host, and its
   * code runs on the person's commands and the editor's events in that window.
   */
  editorExtension?: boolean | undefined;
  /**
   * A chat bot: the package depends on a chat platform's bot client (discord.js, grammy, baileys…). It runs as one
   * process per token, so its own files have one writer, whichever of its modules writes them.
   */
  chatBot?: boolean | undefined;
  /**
   * A Node-RED node package: the package declares `node-red` (the nodes it adds). Node-RED runs every flow of a user
   * directory in one process, so the nodes' own files have one writer.
   */
  nodeRed?: boolean | undefined;
}

/** Names of helpers other modules export that read, or write back, a file (workspace facts). */
export interface ImportedAccessors {
  readers: ReadonlySet<string>;
  writers: ReadonlySet<string>;
  /** How importers name the modules that export them (`importableNames`): a cheap filter before a parse. */
  modules: ReadonlySet<string>;
}

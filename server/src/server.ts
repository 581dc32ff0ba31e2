import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyze, analyzeWithFacts, fixAll, isAnalyzable } from "./engine/analyze";
import type { AnalyzeOptions, Finding, Fix } from "./engine/types";
import { DEFAULT_SETTINGS, normalizeSettings, withProjectConfig, type Settings } from "./lsp/settings";
import { loadProjectConfig } from "./project/config";
import { createdThroughEdit, toDiagnostic, toWorkspaceEdit, type EditCapabilities } from "./lsp/convert";
import { docsUri } from "./project/assets";
import { runtimeContextFor } from "./project/runtimeContext";
import { loadRuntimeSources } from "./project/runtimeSources";
import { findProjectRoot } from "./project/projectRoot";
import { SourceFileCache } from "./engine/incremental";
import { registerCleanupRequests } from "./lsp/cleanupRequests";
import { registerStressRequests } from "./lsp/stressRequests";
import { WorkspaceModules } from "./project/workspaceModules";
import { byPosition } from "./engine/workspace/crossFile";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.tornwrite`;
const SHOW_DOCUMENTATION = "tornwrite.showDocumentation";
/** Creates the vendored runtime for clients whose workspace edits cannot create files. */
const CREATE_RUNTIME_FILES = "tornwrite.createRuntimeFiles";
/** Larger documents are generated or minified: not worth a parse on every keystroke. */
const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let editCapabilities: EditCapabilities = { documentChanges: false, createFiles: false };
const settingsCache = new Map<string, Promise<Settings>>();
/** Syntax trees of recently analysed documents: keystrokes re-parse incrementally. */
const trees = new SourceFileCache(16);
const pendingTimers = new Map<string, NodeJS.Timeout>();
const workspaceModules = new WorkspaceModules((message) => connection.console.info(message));

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const capabilities = params.capabilities;
  canPullConfiguration = capabilities.workspace?.configuration === true;
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  editCapabilities = {
    // Resource operations exist only inside documentChanges: a client announcing them applies those
    // (Neovim 0.7 does so without announcing documentChanges itself).
    documentChanges: workspaceEdit?.documentChanges === true || (workspaceEdit?.resourceOperations?.length ?? 0) > 0,
    createFiles: workspaceEdit?.resourceOperations?.includes("create") === true,
  };
  workspaceFolders = (params.workspaceFolders ?? [])
    .map((folder) => fileURLToPath(folder.uri))
    .concat(params.rootUri ? [fileURLToPath(params.rootUri)] : []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [SHOW_DOCUMENTATION, CREATE_RUNTIME_FILES] },
    },
    serverInfo: { name: "tornwrite", version: "0.1.0" },
  };
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  for (const document of documents.all()) schedule(document, 0);
});

function editorSettingsFor(uri: string): Promise<Settings> {
  if (!canPullConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
  let settings = settingsCache.get(uri);
  if (!settings) {
    settings = connection.workspace
      .getConfiguration({ scopeUri: uri, section: "tornwrite" })
      .then(normalizeSettings, () => DEFAULT_SETTINGS);
    settingsCache.set(uri, settings);
  }
  return settings;
}

const reportedConfigProblems = new Set<string>();

/** Editor settings over the project's `.tornwrite.json` (re-read when it changes on disk). */
async function settingsFor(uri: string): Promise<Settings & { ignored: boolean }> {
  const settings = await editorSettingsFor(uri);
  const filePath = uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  if (!filePath) return { ...settings, ignored: false };
  const config = loadProjectConfig(path.dirname(filePath));
  const fresh = config.problems.filter((problem) => !reportedConfigProblems.has(problem));
  if (fresh.length > 0) {
    for (const problem of fresh) reportedConfigProblems.add(problem);
    connection.console.warn(fresh.join("\n"));
    void connection.window.showWarningMessage(`TornWrite: ${fresh[0]}${fresh.length > 1 ? ` (and ${fresh.length - 1} more; see the output)` : ""}`);
  }
  return { ...withProjectConfig(settings, config, filePath), ignored: config.isIgnored(filePath) };
}

function filePathOf(document: TextDocument): string | undefined {
  return document.uri.startsWith("file:") ? fileURLToPath(document.uri) : undefined;
}

/** Analysis name: the real path, or a synthetic one with the language's extension for untitled buffers. */
function analysisName(document: TextDocument): string | undefined {
  const filePath = filePathOf(document);
  if (filePath) return isAnalyzable(filePath) ? filePath : undefined;
  const extension = { typescript: ".ts", typescriptreact: ".tsx", javascript: ".js", javascriptreact: ".jsx" }[document.languageId];
  return extension ? `/untitled/${encodeURIComponent(document.uri)}${extension}` : undefined;
}

/**
 * Runs the engine, with the workspace-wide checks against the other files' facts as last read from disk
 * (on open and save); an exception is logged and yields no findings: one bad file never stops the server.
 */
function safeAnalyze(document: TextDocument, options: AnalyzeOptions): Finding[] {
  const name = analysisName(document);
  const text = document.getText();
  if (!name || text.length > MAX_DOCUMENT_CHARS) return [];
  const onRuleError = (ruleId: string, error: unknown) => connection.console.error(`TornWrite rule ${ruleId} failed on ${document.uri} (its findings there are skipped): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  try {
    if (!filePathOf(document)) return analyze(name, text, { ...options, parser: trees, onRuleError });
    const importedAccessors = workspaceModules.accessorsCalledBy(text);
    const own = analyzeWithFacts(name, text, { ...options, parser: trees, onRuleError, importedAccessors }, importedAccessors || workspaceModules.mayCallWriters(text) ? "always" : "if-parsed");
    return [...own.findings, ...workspaceModules.findingsFor(name, own, options.rules)].sort(byPosition);
  } catch (error) {
    connection.console.error(`TornWrite could not analyse ${document.uri}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return [];
  }
}

function schedule(document: TextDocument, delayMs: number): void {
  const previous = pendingTimers.get(document.uri);
  if (previous) clearTimeout(previous);
  const timer = setTimeout(() => {
    pendingTimers.delete(document.uri);
    void publish(document.uri, document.version);
  }, delayMs);
  pendingTimers.set(document.uri, timer);
}

async function publish(uri: string, version: number): Promise<void> {
  const settings = await settingsFor(uri);
  const document = documents.get(uri);
  // A newer version arrived while settings were fetched: its own run will publish.
  if (!document || document.version !== version) return;
  // The keystroke path is syntax-only: no runtime context (and so no disk access) for diagnostics.
  const diagnostics: Diagnostic[] = settings.enable && !settings.ignored ? safeAnalyze(document, { rules: settings.rules, program: settings.program, fixes: "none" }).map((finding) => toDiagnostic(finding, uriFor(document))) : [];
  await connection.sendDiagnostics({ uri, version, diagnostics });
}

/** Related locations in the analysed document itself keep its URI (an untitled buffer's name is synthetic). */
function uriFor(document: TextDocument): (fileName: string) => string {
  const name = analysisName(document);
  return (fileName) => (fileName === name ? document.uri : pathToFileURL(fileName).toString());
}

/**
 * Re-reads what the workspace checks need from disk for one document, then re-publishes it; after a save,
 * every open document (the saved file may be another one's wrapper or hold the other lock order).
 */
function refreshWorkspace(document: TextDocument, saved: boolean): void {
  const filePath = filePathOf(document);
  if (!filePath || !isAnalyzable(filePath)) return;
  workspaceModules
    .refresh(workspaceFolders, filePath, document.getText(), saved)
    .then(() => {
      for (const open of saved ? documents.all() : [document]) schedule(open, 0);
    })
    .catch((error: unknown) => connection.console.error(`TornWrite workspace check failed: ${String(error)}`));
}

documents.onDidOpen(({ document }) => {
  schedule(document, 0);
  refreshWorkspace(document, false);
});
documents.onDidSave(({ document }) => {
  schedule(document, 0);
  refreshWorkspace(document, true);
});
documents.onDidChangeContent(({ document }) => {
  workspaceModules.noteActivity();
  // Only the debounce is needed here (editor settings, cached); publish() resolves the rest once.
  void editorSettingsFor(document.uri).then((settings) => schedule(document, settings.debounceMs));
});
documents.onDidClose(({ document }) => {
  const timer = pendingTimers.get(document.uri);
  if (timer) clearTimeout(timer);
  pendingTimers.delete(document.uri);
  settingsCache.delete(document.uri);
  const name = analysisName(document);
  if (name) trees.forget(name);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

// ---------------------------------------------------------------------------------------------
// Code actions: a fix per finding, fix-all, disable for this line, show documentation.

function fixOptions(document: TextDocument, settings: Settings): AnalyzeOptions {
  const filePath = filePathOf(document);
  if (!filePath) return { rules: settings.rules };
  const root = findProjectRoot(filePath, workspaceFolders);
  const program = settings.program;
  try {
    const runtime = runtimeContextFor(filePath, root, settings, loadRuntimeSources(), document.getText());
    return { rules: settings.rules, runtime, program };
  } catch (error) {
    connection.console.error(`TornWrite cannot offer runtime fixes: ${error instanceof Error ? error.message : String(error)}`);
    return { rules: settings.rules, program };
  }
}

function overlaps(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  const before = (x: typeof a.start, y: typeof a.start) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function kindRequested(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const settings = await settingsFor(document.uri);
  if (!settings.enable || settings.ignored) return [];
  const options = fixOptions(document, settings);
  const actions: CodeAction[] = [];
  const only = params.context.only;

  if (kindRequested(only, CodeActionKind.QuickFix)) {
    const findings = safeAnalyze(document, { ...options, fixes: params.range }).filter((finding) => overlaps(finding.range, params.range));
    for (const finding of findings) {
      const diagnostic = toDiagnostic(finding, uriFor(document));
      for (const fix of finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.isPreferred,
          diagnostics: [diagnostic],
          edit: toWorkspaceEdit(fix, document.uri, document.version, editCapabilities),
          ...createFilesCommand(fix),
        });
      }
    }
    for (const finding of findings) actions.push(disableForLine(document, finding), showDocumentation(finding));
  }
  if (kindRequested(only, FIX_ALL_KIND)) {
    const name = analysisName(document);
    const fix = name ? safeFixAll(name, document, options) : undefined;
    if (fix) {
      actions.push({ title: fix.title, kind: FIX_ALL_KIND, edit: toWorkspaceEdit(fix, document.uri, document.version, editCapabilities), ...createFilesCommand(fix) });
    }
  }
  return actions;
});

function safeFixAll(name: string, document: TextDocument, options: AnalyzeOptions) {
  try {
    return fixAll(name, document.getText(), options);
  } catch (error) {
    connection.console.error(`TornWrite fix-all failed for ${document.uri}: ${String(error)}`);
    return undefined;
  }
}

function disableForLine(document: TextDocument, finding: Finding): CodeAction {
  const line = finding.range.start.line;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^\s*/.exec(lineText)?.[0].replace(/[\r\n]/g, "") ?? "";
  return {
    title: `Disable ${finding.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    edit: {
      changes: {
        [document.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// tornwrite-disable-next-line ${finding.ruleId}\n` }],
      },
    },
  };
}

function showDocumentation(finding: Finding): CodeAction {
  return {
    title: `Show documentation for ${finding.ruleId}`,
    kind: CodeActionKind.QuickFix,
    command: { title: `Show documentation for ${finding.ruleId}`, command: SHOW_DOCUMENTATION, arguments: [finding.ruleId] },
  };
}

/**
 * A client that cannot create files through a workspace edit still must not end up importing a runtime
 * that does not exist: the action also carries a command (run after the edit) that writes it.
 */
function createFilesCommand(fix: Fix): Pick<CodeAction, "command"> {
  const files = fix.changes.flatMap((change) =>
    change.kind === "create" && !createdThroughEdit(change.fileName, editCapabilities) ? [{ fileName: change.fileName, text: change.text }] : [],
  );
  return files.length === 0 ? {} : { command: { title: "Create the TornWrite runtime", command: CREATE_RUNTIME_FILES, arguments: files } };
}

function createRuntimeFiles(files: readonly unknown[]): void {
  for (const file of files) {
    const { fileName, text } = (file ?? {}) as { fileName?: unknown; text?: unknown };
    if (typeof fileName !== "string" || typeof text !== "string" || !path.isAbsolute(fileName)) continue;
    try {
      fs.mkdirSync(path.dirname(fileName), { recursive: true });
      fs.writeFileSync(fileName, text, { flag: "wx" }); // an existing runtime is never overwritten
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") connection.console.error(`TornWrite could not create ${fileName}: ${String(error)}`);
    }
  }
}

connection.onExecuteCommand(async (params) => {
  if (params.command === CREATE_RUNTIME_FILES) return createRuntimeFiles(params.arguments ?? []);
  if (params.command !== SHOW_DOCUMENTATION) return;
  const ruleId = String(params.arguments?.[0] ?? "");
  if (!/^[a-z-]+$/.test(ruleId)) return;
  await connection.window.showDocument({ uri: docsUri(ruleId), takeFocus: true });
});

/**
 * Diagnostics for memory measurements (`npm run bench`): a full garbage collection, then the process's
 * memory. Lets the benchmark tell retained memory from heap V8 has not collected yet.
 */
let collectGarbage: (() => void) | undefined;
connection.onRequest("tornwrite/collectGarbage", () => {
  // One context for the gc function: a new context per request would itself be memory the benchmark measures.
  if (!collectGarbage) {
    v8.setFlagsFromString("--expose-gc");
    collectGarbage = vm.runInNewContext("gc") as () => void;
  }
  collectGarbage();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20 };
});

registerCleanupRequests(connection);
registerStressRequests(connection);

process.on("uncaughtException", (error) => connection.console.error(`TornWrite internal error: ${error.stack ?? error.message}`));

documents.listen(connection);
connection.listen();
connection.console.info(`TornWrite server started (node ${process.version}, ${path.basename(__filename)})`);

import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  CreateFile,
  DiagnosticSeverity,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type Diagnostic,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import type { Finding, Fix, Severity } from "../engine/types";
import { docsUri } from "../project/assets";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `uriOf` names the analysed document's own file (untitled buffers are analysed under a synthetic name). */
export function toDiagnostic(finding: Finding, uriOf: (fileName: string) => string = (fileName) => pathToFileURL(fileName).toString()): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: "tornwrite",
    code: finding.ruleId,
    codeDescription: { href: docsUri(finding.ruleId) },
    message: finding.message,
    ...(finding.related ? { relatedInformation: finding.related.map((entry) => ({ location: { uri: uriOf(entry.fileName), range: entry.range }, message: entry.message })) } : {}),
  };
}

export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
}

/** A fix as an LSP WorkspaceEdit: creates the vendored runtime first, then edits the document. */
/**
 * Whether a new file goes into the workspace edit (undoable in the editor) or is written by the server's
 * command instead: only when the client can create files and its folder exists, because clients differ
 * on creating missing parent folders (VS Code does, Neovim 0.7 fails).
 */
export function createdThroughEdit(fileName: string, capabilities: EditCapabilities): boolean {
  return capabilities.documentChanges && capabilities.createFiles && fs.existsSync(path.dirname(fileName));
}

export function toWorkspaceEdit(fix: Fix, documentUri: string, version: number, capabilities: EditCapabilities): WorkspaceEdit {
  const uriOf = (fileName: string, isDocument: boolean) => (isDocument ? documentUri : pathToFileURL(fileName).toString());
  if (!capabilities.documentChanges) {
    const changes: WorkspaceEdit["changes"] = {};
    for (const change of fix.changes) if (change.kind === "edit") changes[uriOf(change.fileName, true)] = change.edits;
    return { changes };
  }
  const documentChanges: WorkspaceEdit["documentChanges"] = [];
  for (const change of fix.changes) {
    if (change.kind === "create") {
      if (!createdThroughEdit(change.fileName, capabilities)) continue;
      const uri = uriOf(change.fileName, false);
      // No overwrite/ignoreIfExists: if the file appeared since the analysis the editor rejects the
      // whole edit instead of inserting a second copy of the runtime into it.
      documentChanges.push(CreateFile.create(uri));
      documentChanges.push(
        TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.text },
        ]),
      );
    }
  }
  for (const change of fix.changes) {
    if (change.kind === "edit") {
      documentChanges.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(documentUri, version), change.edits));
    }
  }
  return { documentChanges };
}

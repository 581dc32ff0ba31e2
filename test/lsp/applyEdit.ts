import * as fs from "node:fs";
import * as path from "node:path";
import type { TextEdit, WorkspaceEdit } from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { uriToPath } from "../workspace";

/**
 * Applies a WorkspaceEdit the way an editor does: resource operations on disk, text edits to the
 * open documents given (returned updated) or else to the files on disk.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, open: Map<string, string>): Map<string, string> {
  const result = new Map(open);
  const applyText = (uri: string, edits: TextEdit[]) => {
    const current = result.get(uri) ?? fs.readFileSync(uriToPath(uri), "utf8");
    const updated = TextDocument.applyEdits(TextDocument.create(uri, "typescript", 0, current), edits);
    if (result.has(uri)) result.set(uri, updated);
    else fs.writeFileSync(uriToPath(uri), updated);
  };
  for (const change of edit.documentChanges ?? []) {
    if ("kind" in change) {
      if (change.kind !== "create") throw new Error(`unexpected resource operation ${change.kind}`);
      const file = uriToPath(change.uri);
      if (fs.existsSync(file)) {
        if (change.options?.ignoreIfExists) continue;
        if (!change.options?.overwrite) throw new Error(`create: ${file} exists`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, "");
    } else {
      applyText(change.textDocument.uri, change.edits as TextEdit[]);
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) applyText(uri, edits);
  return result;
}

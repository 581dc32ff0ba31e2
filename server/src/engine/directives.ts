import { ts } from "./ts";

/**
 * Comment directives, checked against the parsed file so text inside strings never counts:
 *   // tornwrite-disable-next-line [ids]   // tornwrite-disable-line [ids]
 *   /* tornwrite-disable [ids] *\/ … /* tornwrite-enable [ids] *\/   (a disable with no enable runs to the end)
 * No ids means every rule.
 */
export interface Directives {
  isDisabled(ruleId: string, line: number): boolean;
  /** Rule ids named in directives, with where, so unknown ones can be reported. */
  mentioned: { id: string; start: number; end: number }[];
}

const DIRECTIVE = /tornwrite-(disable-next-line|disable-line|disable|enable)\b([^\n*]*)/g;
const NONE: Directives = { isDisabled: () => false, mentioned: [] };

interface Span {
  ids: Set<string> | "all";
  fromLine: number;
  toLine: number;
}

export function parseDirectives(sourceFile: ts.SourceFile): Directives {
  const text = sourceFile.text;
  if (!text.includes("tornwrite-")) return NONE;
  const spans: Span[] = [];
  const open: { ids: Set<string> | "all"; fromLine: number }[] = [];
  const mentioned: Directives["mentioned"] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const at = match.index ?? 0;
    if (!isInComment(sourceFile, at)) continue;
    const kind = match[1];
    const list = (match[2] ?? "").split(/[\s,]+/).filter((id) => /^[a-z][a-z-]*$/.test(id));
    let offset = at + match[0].length - (match[2] ?? "").length;
    for (const id of list) {
      const idAt = text.indexOf(id, offset);
      mentioned.push({ id, start: idAt, end: idAt + id.length });
      offset = idAt + id.length;
    }
    const ids: Set<string> | "all" = list.length ? new Set(list) : "all";
    const line = sourceFile.getLineAndCharacterOfPosition(at).line;
    if (kind === "disable-next-line") spans.push({ ids, fromLine: line + 1, toLine: line + 1 });
    else if (kind === "disable-line") spans.push({ ids, fromLine: line, toLine: line });
    else if (kind === "disable") open.push({ ids, fromLine: line });
    else {
      // An enable closes the disables it names (all of them when it names none).
      for (let i = open.length - 1; i >= 0; i--) {
        const block = open[i];
        if (!block || (ids !== "all" && block.ids !== "all" && ![...block.ids].some((id) => ids.has(id)))) continue;
        spans.push({ ids: block.ids, fromLine: block.fromLine, toLine: line });
        open.splice(i, 1);
      }
    }
  }
  for (const block of open) spans.push({ ids: block.ids, fromLine: block.fromLine, toLine: Number.MAX_SAFE_INTEGER });
  return {
    mentioned,
    isDisabled: (ruleId, line) =>
      spans.some((span) => line >= span.fromLine && line <= span.toLine && (span.ids === "all" || span.ids.has(ruleId))),
  };
}

/** True when `position` lies in a comment, not inside any token such as a string or template. */
function isInComment(sourceFile: ts.SourceFile, position: number): boolean {
  let node: ts.Node = sourceFile;
  descend: for (;;) {
    for (const child of node.getChildren(sourceFile)) {
      if (position < child.pos || position >= child.end) continue;
      if (ts.isJSDoc(child)) return true;
      if (position < child.getStart(sourceFile)) {
        // A comment on the previous token's line is a *trailing* comment of it, not a leading one.
        const comments = [...(ts.getTrailingCommentRanges(sourceFile.text, child.pos) ?? []), ...(ts.getLeadingCommentRanges(sourceFile.text, child.pos) ?? [])];
        return comments.some((range) => range.pos <= position && position < range.end);
      }
      node = child;
      continue descend;
    }
    return false;
  }
}

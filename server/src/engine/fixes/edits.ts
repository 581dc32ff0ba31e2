import { ts } from "../ts";
import type { OffsetEdit } from "../rule";

/** The statement that is exactly `call;` or `await call;`, if the call stands alone like that. */
export function standaloneStatement(call: ts.CallExpression): ts.ExpressionStatement | undefined {
  let node: ts.Node = call;
  if (node.parent && ts.isAwaitExpression(node.parent)) node = node.parent;
  return node.parent && ts.isExpressionStatement(node.parent) ? node.parent : undefined;
}

/** Removes a statement with its line when it stands on lines of its own, else just its text. */
export function removeStatement(statement: ts.Statement, sourceFile: ts.SourceFile): OffsetEdit {
  const text = sourceFile.text;
  let start = statement.getStart(sourceFile);
  let end = statement.end;
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === " " || text[lineStart - 1] === "\t")) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === " " || text[lineEnd] === "\t")) lineEnd++;
  const ownsLine = (lineStart === 0 || text[lineStart - 1] === "\n") && (lineEnd === text.length || text[lineEnd] === "\n" || text[lineEnd] === "\r");
  if (ownsLine) {
    start = lineStart;
    end = text[lineEnd] === "\r" ? lineEnd + 2 : Math.min(lineEnd + 1, text.length);
  }
  return { start, end, newText: "" };
}

/** Source text of a run of arguments, keeping the user's formatting between them. */
export function argumentsText(args: readonly ts.Expression[], sourceFile: ts.SourceFile): string {
  const first = args[0];
  const last = args[args.length - 1];
  return first && last ? sourceFile.text.slice(first.getStart(sourceFile), last.end) : "";
}

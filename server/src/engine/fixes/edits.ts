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
  // A comment after the statement on its line spoke about it: it goes too (fix study: `rename(tmp, file); // atomic`
  // left the comment dangling on a line of its own).
  if (text.startsWith("//", lineEnd)) {
    const newline = text.indexOf("\n", lineEnd);
    lineEnd = newline < 0 ? text.length : text[newline - 1] === "\r" ? newline - 1 : newline;
  }
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

/**
 * One level of the file's own indentation, as the block around `statement` shows it (its statements' indent
 * minus the indent of the line that opens it): four-space and tab files keep their style when a fix nests code.
 */
export function indentStep(statement: ts.Statement, sourceFile: ts.SourceFile): string {
  const text = sourceFile.text;
  const lineIndent = (position: number) => /^[ \t]*/.exec(text.slice(text.lastIndexOf("\n", position - 1) + 1))![0];
  const inner = lineIndent(statement.getStart(sourceFile));
  const outer = lineIndent(statement.parent.getStart(sourceFile));
  const step = inner.startsWith(outer) ? inner.slice(outer.length) : "";
  return step === "" ? "  " : step;
}

/** Applies non-overlapping offset edits to a text. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/**
 * `try { …; } catch (error) { cleanup(tmp); throw error; }` whose cleanup the fix removed leaves a catch that
 * only rethrows (ESLint's no-useless-catch): the try goes too, its statements kept at its indentation. The
 * fix's edits inside the try are folded into that one replacement. A catch that only rethrew before the fix
 * is the author's and stays.
 */
export function unwrapUselessTry(edits: readonly OffsetEdit[], inside: ts.Node, sourceFile: ts.SourceFile): OffsetEdit[] {
  let tryStatement: ts.TryStatement | undefined;
  for (let node: ts.Node | undefined = inside.parent; node && !ts.isFunctionLike(node); node = node.parent) {
    if (ts.isTryStatement(node) && node.tryBlock.pos <= inside.pos && inside.end <= node.tryBlock.end) {
      tryStatement = node;
      break;
    }
  }
  const parameter = tryStatement?.catchClause?.variableDeclaration?.name;
  if (!tryStatement || tryStatement.finallyBlock || !parameter || !ts.isIdentifier(parameter) || onlyRethrows(tryStatement.catchClause!.block, parameter.text)) return [...edits];
  const start = tryStatement.getStart(sourceFile);
  const end = tryStatement.end;
  const within = edits.filter((edit) => edit.start >= start && edit.end <= end);
  if (edits.some((edit) => edit.start < end && edit.end > start && !within.includes(edit))) return [...edits];
  const rewritten = applyOffsetEdits(sourceFile.text.slice(start, end), within.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start })));
  const statement = ts.createSourceFile("try.ts", rewritten, ts.ScriptTarget.Latest, true).statements[0];
  if (!statement || !ts.isTryStatement(statement) || !statement.catchClause || !onlyRethrows(statement.catchClause.block, parameter.text)) return [...edits];
  const indentation = /[ \t]*$/.exec(sourceFile.text.slice(0, start))![0];
  const body = rewritten.slice(statement.tryBlock.getStart() + 1, statement.tryBlock.end - 1).split(/\r?\n/);
  while (body.length > 0 && body[0]!.trim() === "") body.shift();
  while (body.length > 0 && body[body.length - 1]!.trim() === "") body.pop();
  if (body.length === 0) return [...edits];
  const inner = /^[ \t]*/.exec(body[0]!)![0];
  const lines = body.map((line, index) => {
    const dedented = line.startsWith(inner) ? line.slice(inner.length) : line.trimStart();
    return index === 0 ? dedented : dedented === "" ? "" : indentation + dedented;
  });
  return [...edits.filter((edit) => !within.includes(edit)), { start, end, newText: lines.join(sourceFile.text.includes("\r\n") ? "\r\n" : "\n") }];
}

function onlyRethrows(block: ts.Block, name: string): boolean {
  const [only] = block.statements;
  return block.statements.length === 1 && only !== undefined && ts.isThrowStatement(only) && only.expression !== undefined && ts.isIdentifier(only.expression) && only.expression.text === name;
}

import { ts } from "../ts";
import type { OffsetEdit } from "../rule";
import { removeStatement } from "./edits";

/** Modules whose import has no side effects worth keeping: the only ones a fix may drop. */
const DROPPABLE_MODULES = new Set(["fs", "fs/promises", "path", "os", "crypto", "util", "fs-extra", "jsonfile", "graceful-fs", "uuid", "nanoid", "proper-lockfile", "write-file-atomic"]);

function isDroppable(specifier: ts.Expression | undefined): boolean {
  return specifier !== undefined && ts.isStringLiteralLike(specifier) && DROPPABLE_MODULES.has(specifier.text.replace(/^node:/, ""));
}

/**
 * Edits that remove imports a fix made unused: bindings referenced in `before` and no longer in
 * `after` (the text with the fix applied). Keeps `noUnusedLocals` projects compiling after a fix.
 * A statement left with no used binding goes; otherwise its specifier list is rebuilt.
 */
export function removeImportsMadeUnused(before: ts.SourceFile, after: ts.SourceFile): OffsetEdit[] {
  const usedBefore = referenceCounts(before);
  const usedAfter = referenceCounts(after);
  const madeUnused = (name: ts.Identifier) => (usedBefore.get(name.text) ?? 0) > 0 && (usedAfter.get(name.text) ?? 0) === 0;
  const edits: OffsetEdit[] = [];
  for (const statement of before.statements) {
    const shape = importShape(statement);
    if (!shape) continue;
    const unused = shape.names.filter(madeUnused);
    if (unused.length === 0) continue;
    if (unused.length === shape.names.length) {
      edits.push(removeStatement(statement, before));
      continue;
    }
    // Only a named list (or destructuring pattern) can lose some of its members.
    if (!shape.list || shape.names.some((name) => unused.includes(name) && !shape.list!.elements.some((element) => element.name === name))) continue;
    const remaining = shape.list.elements.filter((element) => !unused.includes(element.name as ts.Identifier));
    edits.push({ start: shape.list.node.getStart(before), end: shape.list.node.end, newText: listText(shape.list.node, remaining, before) });
  }
  return edits;
}

/** The rebuilt `{ a, b }`, one name per line when the list was written that way (the project's formatter's choice). */
function listText(list: ts.Node, remaining: readonly ts.Node[], sourceFile: ts.SourceFile): string {
  const text = list.getText(sourceFile);
  const names = remaining.map((element) => element.getText(sourceFile));
  if (!text.includes("\n") || remaining.length === 0) return `{ ${names.join(", ")} }`;
  const lineIndent = (position: number) => /^[ \t]*/.exec(sourceFile.text.slice(sourceFile.text.lastIndexOf("\n", position - 1) + 1))![0];
  const indent = lineIndent(remaining[0]!.getStart(sourceFile));
  const closingIndent = lineIndent(list.end - 1);
  const trailingComma = /,\s*}$/.test(text) ? "," : "";
  return `{\n${names.map((name) => indent + name).join(",\n")}${trailingComma}\n${closingIndent}}`;
}

interface ImportShape {
  names: ts.Identifier[];
  list: { node: ts.Node; elements: readonly (ts.ImportSpecifier | ts.BindingElement)[] } | undefined;
}

function importShape(statement: ts.Statement): ImportShape | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly || !isDroppable(statement.moduleSpecifier)) return undefined;
    const names: ts.Identifier[] = clause.name ? [clause.name] : [];
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) names.push(named.name);
    if (named && ts.isNamedImports(named)) {
      const elements = named.elements.filter((element) => !element.isTypeOnly);
      names.push(...elements.map((element) => element.name));
      return { names, list: { node: named, elements } };
    }
    return { names, list: undefined };
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    const reference = statement.moduleReference;
    const droppable = ts.isExternalModuleReference(reference) && isDroppable(reference.expression);
    return droppable && !statement.isTypeOnly ? { names: [statement.name], list: undefined } : undefined;
  }
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const declaration = statement.declarationList.declarations[0]!;
  const init = declaration.initializer;
  const isRequire = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require" && isDroppable(init.arguments[0]);
  if (!isRequire) return undefined;
  if (ts.isIdentifier(declaration.name)) return { names: [declaration.name], list: undefined };
  if (!ts.isObjectBindingPattern(declaration.name)) return undefined;
  const elements = declaration.name.elements.filter((element) => ts.isIdentifier(element.name) && !element.dotDotDotToken);
  if (elements.length !== declaration.name.elements.length) return undefined;
  return { names: elements.map((element) => element.name as ts.Identifier), list: { node: declaration.name, elements } };
}

/** How often each name is referenced as a value or type, declarations excluded. */
function referenceCounts(sourceFile: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isReference(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return counts;
}

function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isImportEqualsDeclaration(parent) && parent.name === identifier) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && (parent.name === identifier || parent.propertyName === identifier)) {
    // `const { x } = require(...)` declares x; `const { a: x } = obj` reads nothing by name.
    return false;
  }
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isParameter(parent)) && parent.name === identifier) return false;
  return true;
}

import { ts } from "./ts";
import type { OffsetEdit } from "./rule";

/**
 * The edit that makes `names` available from the runtime module in this file: extends an existing
 * import/require of the specifier, or adds one in the file's own module style (ESM or CommonJS).
 */
export function runtimeImportEdit(sourceFile: ts.SourceFile, specifier: string, names: readonly string[], aliases: ReadonlyMap<string, string> = new Map()): OffsetEdit | undefined {
  const wanted = [...new Set(names)].sort();
  if (wanted.length === 0) return undefined;
  const commonJs = usesCommonJs(sourceFile);
  const element = (name: string) => {
    const alias = aliases.get(name);
    return alias === undefined ? name : commonJs ? `${name}: ${alias}` : `${name} as ${alias}`;
  };
  const existing = findExisting(sourceFile, specifier);
  if (existing) {
    const missing = wanted.filter((name) => !existing.names.includes(aliases.get(name) ?? name));
    if (missing.length === 0) return undefined;
    const prefix = existing.names.length > 0 ? ", " : " ";
    return { start: existing.insertAt, end: existing.insertAt, newText: `${prefix}${missing.map(element).join(", ")}` };
  }
  const quote = preferredQuote(sourceFile);
  const statement = commonJs
    ? `const { ${wanted.map(element).join(", ")} } = require(${quote}${specifier}${quote});`
    : `import { ${wanted.map(element).join(", ")} } from ${quote}${specifier}${quote};`;
  const anchor = lastModuleStatement(sourceFile);
  if (anchor) return { start: anchor.end, end: anchor.end, newText: `\n${statement}` };
  const at = headerEnd(sourceFile);
  return { start: at, end: at, newText: `${statement}\n${at > 0 ? "" : "\n"}` };
}

/**
 * Runtime names this file already binds to something else at its top level (its own `atomicWriteFile`, one
 * imported from another module): each gets an alias (`tornwriteAtomicWriteFile`) so the fix calls the
 * runtime, not the file's function, and adds no duplicate identifier.
 */
export function runtimeAliases(sourceFile: ts.SourceFile, specifier: string, names: readonly string[]): Map<string, string> {
  const taken = topLevelBindings(sourceFile, specifier);
  const aliases = new Map<string, string>();
  for (const name of new Set(names)) {
    if (!taken.has(name)) continue;
    let alias = `tornwrite${name[0]!.toUpperCase()}${name.slice(1)}`;
    for (let n = 2; taken.has(alias); n++) alias = `tornwrite${name[0]!.toUpperCase()}${name.slice(1)}${n}`;
    aliases.set(name, alias);
  }
  return aliases;
}

/** Names declared or imported at the top level, except imports of the runtime itself. */
function topLevelBindings(sourceFile: ts.SourceFile, specifier: string): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === specifier) continue;
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isImportEqualsDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      if (statement.name) names.add(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        const fromRuntime = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require" && init.arguments[0] && ts.isStringLiteral(init.arguments[0]) && init.arguments[0].text === specifier;
        if (!fromRuntime) addBinding(declaration.name);
      }
    }
  }
  return names;
}

interface ExistingImport {
  names: string[];
  insertAt: number;
}

function findExisting(sourceFile: ts.SourceFile, specifier: string): ExistingImport | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === specifier) {
      const named = statement.importClause?.namedBindings;
      if (named && ts.isNamedImports(named) && !statement.importClause?.isTypeOnly) {
        return fromElements(named.elements, named.elements.map((element) => element.name.text), named.end - 1);
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (
          init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require" &&
          init.arguments[0] && ts.isStringLiteral(init.arguments[0]) && init.arguments[0].text === specifier &&
          ts.isObjectBindingPattern(declaration.name)
        ) {
          const pattern = declaration.name;
          const names = pattern.elements.map((element) => (ts.isIdentifier(element.name) ? element.name.text : ""));
          return fromElements(pattern.elements, names, pattern.end - 1);
        }
      }
    }
  }
  return undefined;
}

function fromElements(elements: ts.NodeArray<ts.Node>, names: string[], closeBrace: number): ExistingImport {
  const last = elements[elements.length - 1];
  // Right after the last element: `{ a, }` becomes `{ a, b, }`, still valid.
  return { names, insertAt: last ? last.end : closeBrace };
}

/** CommonJS when the file requires modules and has no import/export syntax. */
export function usesCommonJs(sourceFile: ts.SourceFile): boolean {
  const name = sourceFile.fileName;
  if (/\.(mjs|mts)$/.test(name)) return false;
  if (/\.(cjs|cts)$/.test(name)) return true;
  let esm = false;
  let requires = false;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) esm = true;
    else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) esm = true;
    else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => d.initializer && isRequireLike(d.initializer))) requires = true;
  }
  return !esm && requires;
}

function isRequireLike(node: ts.Expression): boolean {
  let current: ts.Node = node;
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) {
    if (ts.isCallExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === "require") return true;
    current = current.expression;
  }
  return false;
}

/** The last top-level import or require statement: new imports go after it. */
function lastModuleStatement(sourceFile: ts.SourceFile): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) last = statement;
    else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => d.initializer && isRequireLike(d.initializer))) last = statement;
    else if (last) break;
  }
  return last;
}

/** After a shebang, a directive prologue ("use strict") and a leading license comment. */
function headerEnd(sourceFile: ts.SourceFile): number {
  const text = sourceFile.text;
  let at = 0;
  const first = sourceFile.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)) {
    return endOfLine(text, first.end);
  }
  if (text.startsWith("#!")) at = endOfLine(text, 0);
  const comments = ts.getLeadingCommentRanges(text, at) ?? [];
  const header = comments[0];
  // A comment followed by a blank line is a file header; one directly above code documents that code.
  if (header && /^\r?\n\s*\r?\n/.test(text.slice(header.end))) at = endOfLine(text, header.end);
  return at;
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  return newline === -1 ? text.length : newline + 1;
}

function preferredQuote(sourceFile: ts.SourceFile): string {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) return sourceFile.text[statement.moduleSpecifier.getStart(sourceFile)] === "'" ? "'" : '"';
  }
  const sample = sourceFile.text.slice(0, 2000);
  return (sample.match(/'/g)?.length ?? 0) > (sample.match(/"/g)?.length ?? 0) ? "'" : '"';
}

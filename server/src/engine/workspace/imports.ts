import * as path from "node:path";
import { ts } from "../ts";

/** A name bound to another module of the workspace (relative specifiers only: packages are not analysed). */
export interface ModuleImport {
  local: string;
  specifier: string;
  /** The export it names: a name, "default", or "*" for the whole module (namespace import, `require`). */
  imported: string;
}

/** `./x` or `../x`: another module of the workspace, not a package. */
export const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");

/** Cheap textual pre-check: the file imports or requires a relative module at all. */
export const RELATIVE_IMPORT_MENTION = /(?:from|require\(|import\()\s*["'`]\.\.?\//;

/** Relative specifiers of imports and requires, read without a parse (enough to know where to look). */
export function relativeSpecifiers(text: string): Set<string> {
  return new Set([...text.matchAll(/(?:\bfrom|\brequire\(|\bimport\()\s*["'`](\.\.?\/[^"'`]+)["'`]/g)].map((match) => match[1]!));
}

/** `store` for `./lib/store.js`, `/w/src/lib/store.ts` and `./lib/store`: how an importer's specifier names a module. */
function moduleBaseName(file: string): string {
  return path.basename(file).replace(/\.[cm]?[jt]sx?$/, "");
}

/** The names importers may use for a module: its base name, and for a folder's index the folder's. */
export function importableNames(file: string): string[] {
  return [moduleBaseName(file), path.basename(path.dirname(file))];
}

/** Whether the text imports a module by one of `names` (a cheap filter before a parse). */
export function mayImportAny(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (const specifier of relativeSpecifiers(text)) if (names.has(moduleBaseName(specifier))) return true;
  return false;
}

/** `require("./x")` or `import("./x")` (awaited), as a top-level binding's initializer. */
function requiredSpecifier(node: ts.Expression | undefined): string | undefined {
  let current = node;
  while (current && (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current))) current = current.expression;
  if (!current || !ts.isCallExpression(current) || current.arguments.length !== 1) return undefined;
  const isRequire = ts.isIdentifier(current.expression) && current.expression.text === "require";
  const isImport = current.expression.kind === ts.SyntaxKind.ImportKeyword;
  const specifier = current.arguments[0];
  return (isRequire || isImport) && specifier && ts.isStringLiteralLike(specifier) && isRelative(specifier.text) ? specifier.text : undefined;
}

export function moduleImports(sourceFile: ts.SourceFile): ModuleImport[] {
  const imports: ModuleImport[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && isRelative(statement.moduleSpecifier.text)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) imports.push({ local: clause.name.text, specifier, imported: "default" });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) imports.push({ local: named.name.text, specifier, imported: "*" });
      else if (named) for (const element of named.elements) imports.push({ local: element.name.text, specifier, imported: (element.propertyName ?? element.name).text });
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const specifier = statement.moduleReference.expression;
      if (ts.isStringLiteral(specifier) && isRelative(specifier.text)) imports.push({ local: statement.name.text, specifier: specifier.text, imported: "*" });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const specifier = requiredSpecifier(declaration.initializer);
        if (!specifier) continue;
        if (ts.isIdentifier(declaration.name)) imports.push({ local: declaration.name.text, specifier, imported: "*" });
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            const property = element.propertyName ?? element.name;
            if (ts.isIdentifier(element.name) && ts.isIdentifier(property)) imports.push({ local: element.name.text, specifier, imported: property.text });
          }
        }
      }
    }
  }
  return imports;
}

import { ts } from "../ts";

/**
 * The functions a module exports, with their exported names: `export function f`, `export const f = () =>`,
 * `export { f as g }`, `export default f`, `module.exports = { f }`, `module.exports.f = …`, `exports.f = …`
 * and `module.exports = f` (as "default", which is what `require` and a default import both call).
 */
export function exportedNames(sourceFile: ts.SourceFile): Map<ts.Node, string[]> {
  const functionsByName = new Map<string, ts.Node>();
  const exported = new Map<ts.Node, string[]>();
  const add = (node: ts.Node | undefined, name: string) => {
    if (!node) return;
    const names = exported.get(node) ?? [];
    if (!names.includes(name)) names.push(name);
    exported.set(node, names);
  };
  const functionOf = (expression: ts.Expression): ts.Node | undefined => {
    let current = expression;
    while (ts.isParenthesizedExpression(current)) current = current.expression;
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) return current;
    return ts.isIdentifier(current) ? functionsByName.get(current.text) : undefined;
  };
  const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword);

  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      functionsByName.set(statement.name.text, statement);
      if (isExported(statement)) add(statement, isDefault(statement) ? "default" : statement.name.text);
    } else if (ts.isFunctionDeclaration(statement) && isDefault(statement)) {
      add(statement, "default");
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const fn = functionOf(declaration.initializer);
        if (!fn) continue;
        functionsByName.set(declaration.name.text, fn);
        if (isExported(statement)) add(fn, declaration.name.text);
      }
    }
  }
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) add(functionsByName.get((element.propertyName ?? element.name).text), element.name.text);
    } else if (ts.isExportAssignment(statement)) {
      add(functionOf(statement.expression), "default");
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const { left, right } = statement.expression;
      const target = left.getText(sourceFile).replace(/\s+/g, "");
      const member = /^(?:module\.exports|exports)\.([A-Za-z_$][\w$]*)$/.exec(target);
      if (member) add(functionOf(right), member[1]!);
      else if (target === "module.exports" && ts.isObjectLiteralExpression(right)) {
        for (const property of right.properties) {
          if (ts.isShorthandPropertyAssignment(property)) add(functionsByName.get(property.name.text), property.name.text);
          else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) add(functionOf(property.initializer), property.name.text);
          else if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name)) add(property, property.name.text);
        }
      } else if (target === "module.exports") add(functionOf(right), "default");
    }
  }
  return exported;
}

import { ts } from "./ts";
import { topLevelModuleSpecifiers } from "./ast";
import { CHAT_BOT_CLIENT } from "./library";

/**
 * Module-private functions that never run: in a module with explicit exports (ESM `export`, `module.exports`,
 * `exports.x =`), a top-level function declaration or a `const` bound to a function that nothing exported and
 * nothing at the top level reaches, directly or through other such functions. Each module has its own scope, so
 * no other file can call them either (scale study, seed 62: a folder database's `reader.js` exports one of its
 * six functions; the other five, and their in-place writes, are dead code). A plain script has no such scope
 * (an Electron page's `onclick="save()"` calls its globals), so it has none.
 *
 * References are counted by name, over-approximated on purpose: any identifier spelled like a candidate outside
 * a property name counts, and so does a string equal to it (`exports[name]`), so shadowing and dynamic access
 * keep a function alive rather than hide a finding. Counted on the tree, not the text as `onlyCalledHere`
 * (callables.ts) counts spellings: a commented-out export list (`// module.exports = { save }`) must not keep
 * code alive, and a function reached only from other dead functions is dead too.
 */
export function unreachableFunctions(sourceFile: ts.SourceFile): readonly ts.Node[] {
  let found = cache.get(sourceFile);
  if (!found) cache.set(sourceFile, (found = compute(sourceFile)));
  return found;
}

/** Whether `position` lies inside a function that never runs. */
export function isUnreachable(sourceFile: ts.SourceFile, position: number): boolean {
  return unreachableFunctions(sourceFile).some((fn) => fn.pos <= position && position < fn.end);
}

const cache = new WeakMap<ts.SourceFile, readonly ts.Node[]>();
const LIVE = "";

function compute(sourceFile: ts.SourceFile): readonly ts.Node[] {
  return [...deadModuleFunctions(sourceFile), ...uncalledPrivateMethods(sourceFile)];
}

/**
 * A class's private methods (`private save()`, `#save()`) that nothing in the file names: only the class can call
 * them, so one its own code never mentions never runs (scale study, seed 67: a store's private
 * `createWriteStream()` nothing calls). Counted by name, over-approximated like the module's functions: any
 * member access, destructured binding or string spelled like the method keeps it alive, and so does a name any class
 * declares twice.
 */
function uncalledPrivateMethods(sourceFile: ts.SourceFile): readonly ts.Node[] {
  // The names the text declares as private methods: most files have none, and they skip the walk (it costs a few
  // milliseconds on a 2,000-line module).
  const spelled = new Set([...sourceFile.text.matchAll(PRIVATE_METHOD)].map((match) => match[1] ?? match[2]!));
  if (spelled.size === 0) return [];
  const methods = new Map<string, ts.MethodDeclaration[]>();
  const named = new Set<string>();
  const visit = (node: ts.Node): void => {
    // A decorated method is called by its framework (`@Cron(…) private tick()`, `@HostListener(…) private onResize()`).
    if (ts.isMethodDeclaration(node) && node.body && !ts.getDecorators(node)?.length && (ts.isPrivateIdentifier(node.name) || (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword))) {
      const name = node.name.getText(sourceFile);
      methods.set(name, [...(methods.get(name) ?? []), node]);
    } else if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && spelled.has(node.text)) {
      // A method is reached through a member (`this.save`, `obj.#save`) or a destructured binding, not a plain
      // identifier: `createWriteStream(…)` inside a private `createWriteStream()` is fs's function.
      const parent = node.parent;
      const member = ts.isPropertyAccessExpression(parent) && parent.name === node;
      const destructured = ts.isBindingElement(parent) && (parent.propertyName ?? parent.name) === node;
      if (member || destructured) named.add(node.text);
    } else if (ts.isStringLiteralLike(node) && spelled.has(node.text)) named.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...methods].filter(([name, declared]) => !named.has(name) && declared.length === 1).map(([, declared]) => declared[0]!);
}

/** `private save(`, `private async *load<T>(`, `#flush(`: a private method's name, as written (also matches calls of `#x(`, harmless). */
const PRIVATE_METHOD = /\bprivate\s+(?:(?:static|async|override)\s+)*\*?\s*([\w$]+)\s*[<(]|(#[\w$]+)\s*[<(]/g;

function deadModuleFunctions(sourceFile: ts.SourceFile): readonly ts.Node[] {
  if (!hasModuleScope(sourceFile)) return [];
  const candidates = privateFunctions(sourceFile);
  if (candidates.size === 0) return [];
  const byNode = new Map([...candidates].map(([name, node]) => [node, name]));
  // Which names each candidate's body mentions, and which the live code (everything else) mentions.
  const mentions = new Map<string, Set<string>>([[LIVE, new Set()]]);
  const visit = (node: ts.Node, context: string): void => {
    const own = byNode.get(node);
    if (own !== undefined) {
      context = own;
      if (!mentions.has(own)) mentions.set(own, new Set());
    }
    if ((ts.isIdentifier(node) && isReference(node, candidates)) || (ts.isStringLiteralLike(node) && candidates.has(node.text))) {
      mentions.get(context)!.add(node.text);
    }
    ts.forEachChild(node, (child) => visit(child, context));
  };
  visit(sourceFile, LIVE);
  const live = new Set<string>();
  const pending = [...mentions.get(LIVE)!];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (live.has(name) || !candidates.has(name)) continue;
    live.add(name);
    pending.push(...(mentions.get(name) ?? []));
  }
  return [...candidates].filter(([name]) => !live.has(name)).map(([, node]) => node);
}

/** An identifier that names a binding, not a property or the candidate's own declaration. */
function isReference(node: ts.Identifier, candidates: ReadonlyMap<string, ts.Node>): boolean {
  if (!candidates.has(node.text)) return false;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if ((ts.isFunctionDeclaration(parent) || ts.isVariableDeclaration(parent)) && parent.name === node && candidates.get(node.text) === declarationOf(parent)) return false;
  return true;
}

function declarationOf(node: ts.FunctionDeclaration | ts.VariableDeclaration): ts.Node {
  return ts.isFunctionDeclaration(node) ? node : node.initializer ?? node;
}

/** Top-level functions without an export, by name; a name declared twice is left out. */
function privateFunctions(sourceFile: ts.SourceFile): Map<string, ts.Node> {
  const found = new Map<string, ts.Node>();
  const declaredTwice = new Set<string>();
  const add = (name: string, node: ts.Node) => (found.has(name) ? declaredTwice.add(name) : found.set(name, node));
  for (const statement of sourceFile.statements) {
    if (isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) add(statement.name.text, statement);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer;
      if (ts.isIdentifier(declaration.name) && value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value))) add(declaration.name.text, value);
    }
  }
  for (const name of declaredTwice) found.delete(name);
  return found;
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** `export …`, `module.exports = …` or `exports.x = …` at the top level. */
/**
 * The file runs in a module scope of its own: it exports, imports (`import … from`), or is a Node server's or bot's
 * program (it requires express, http, discord.js, a Telegram client…): an express server's entry file whose
 * `writeProducts` nothing calls (scale study, seed 65). A page's script with Node integration (an Electron renderer
 * loaded by a `<script>` tag) requires modules too, and its functions are the page's globals: a file that only
 * requires is left alone.
 */
function hasModuleScope(sourceFile: ts.SourceFile): boolean {
  if (hasExplicitExports(sourceFile)) return true;
  if (sourceFile.statements.some((statement) => ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement))) return true;
  return topLevelModuleSpecifiers(sourceFile).some((specifier) => SERVER.test(specifier) || CHAT_BOT_CLIENT.test(specifier));
}

const SERVER = /^(node:)?(http|https|http2|net)$|^(express|fastify|koa|@hapi\/hapi|hapi|restify|polka|socket\.io|ws)$/;

function hasExplicitExports(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => {
    if (isExported(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) return true;
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    return /^(module\.exports|exports)\b/.test(statement.expression.left.getText(sourceFile));
  });
}

import { ts } from "./ts";
import { expressionKey } from "./ast";
import type { FsModel } from "./fsModel";

/**
 * Path identity, syntactically: a comparable key for a path expression, so that the same path written
 * different ways gets the same key. Names are resolved by scope to their declarations: a `const` (or a
 * `let` never assigned again) stands for its initializer, a property of a `const` object literal for its
 * value, a call of a same-file helper that returns a path for what it returns. Parameters and other
 * bindings become tokens `⟨name@position⟩` unique to their declaration, which a call of the function can
 * replace by its arguments' keys (`substitute`). `path.join`, `path.resolve`, templates and `+` all build
 * the same `a/b` form, so `join(dir, "a.json")`, `` `${dir}/a.json` `` and `dir + "/a.json"` agree.
 */
export function pathKey(expression: ts.Expression, sourceFile: ts.SourceFile, fsModel: FsModel): string {
  // Rules and summaries ask for the same expressions' keys many times in one analysis: computed once per model.
  let keys = keyCaches.get(fsModel);
  if (!keys) keyCaches.set(fsModel, (keys = new WeakMap()));
  let key = keys.get(expression);
  if (key === undefined) keys.set(expression, (key = new KeyBuilder(sourceFile, fsModel).key(expression, 0)));
  return key;
}

const keyCaches = new WeakMap<FsModel, WeakMap<ts.Expression, string>>();

/** The declaration token a binding's key is made of (for substituting parameters). */
export function bindingToken(name: ts.Identifier): string {
  return `⟨${name.text}@${name.pos}⟩`;
}

/** Replaces binding tokens by keys: a helper's path in terms of one call's arguments. */
export function substitute(key: string, replacements: ReadonlyMap<string, string>): string {
  if (replacements.size === 0 || !key.includes("⟨")) return key;
  return key.replace(/⟨[^⟩]*⟩/g, (token) => replacements.get(token) ?? token);
}

/**
 * The folder of the running module, as CommonJS and ES modules spell it: `__dirname`, `import.meta.dirname`,
 * `path.dirname(fileURLToPath(import.meta.url))` (seed 42).
 */
const OWN_CODE_FOLDER = String.raw`(__dirname|import\.meta\.dirname|([\w$]+\.)?dirname\(([\w$]+\.)?fileURLToPath\(import\.meta\.url\)\))`;
export const OWN_CODE_FOLDER_EXACTLY = new RegExp(`^${OWN_CODE_FOLDER}$`);
/** A displayed path under the running module's folder (a file the program ships beside its code). */
export const UNDER_OWN_CODE = new RegExp(`^${OWN_CODE_FOLDER}/`);

/** A key as people read it: tokens back to their names. */
export function displayPath(key: string): string {
  return key.replace(/⟨([^@⟩]*)@\d+⟩/g, "$1");
}

/** Whether a key names a binding of `names` (declaration tokens), e.g. a callback's parameter. */
export function keyMentions(key: string, tokens: Iterable<string>): boolean {
  for (const token of tokens) if (key.includes(token)) return true;
  return false;
}

/** The initializer of a `const` (or never-reassigned `let`) the identifier refers to. */
export function constInitializer(expression: ts.Expression, fsModel: FsModel): ts.Expression | undefined {
  const node = skipExpressionWrappers(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const name = fsModel.findDeclaration(node);
  const declaration = name?.parent;
  if (!name || !declaration || !ts.isVariableDeclaration(declaration) || declaration.name !== name || !declaration.initializer) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list)) return undefined;
  if ((list.flags & ts.NodeFlags.Const) === 0 && isReassigned(name, fsModel)) return undefined;
  return declaration.initializer;
}

/**
 * Content fixed in the source: literals, and arrays, objects, concatenations, joins and `JSON.stringify` of
 * literals, also through consts (`const quotes = ["…", "…"]; write(file, quotes.join("\n"))`). Bytes the program
 * writes the same way every time: defaults, not anything it was given or read.
 */
export function isFixedContent(expression: ts.Expression, fsModel: FsModel, depth = 0): boolean {
  if (depth > 4) return false;
  const node = skipExpressionWrappers(expression);
  const fixed = (each: ts.Expression) => isFixedContent(each, fsModel, depth + 1);
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(fixed);
  if (ts.isObjectLiteralExpression(node)) return node.properties.every((property) => ts.isPropertyAssignment(property) && !ts.isComputedPropertyName(property.name) && fixed(property.initializer));
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return fixed(node.left) && fixed(node.right);
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const stringifies = callee.getText() === "JSON.stringify" && node.arguments.length >= 1;
    const joins = ts.isPropertyAccessExpression(callee) && callee.name.text === "join" && fixed(callee.expression);
    return (stringifies || joins) && node.arguments.every(fixed);
  }
  const initializer = constInitializer(node, fsModel);
  return initializer !== undefined && fixed(initializer);
}

function skipExpressionWrappers(expression: ts.Expression): ts.Expression {
  let node = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
    else return node;
  }
}

/** A `let`/`var` assigned anywhere after its declaration (in its scope) does not stand for its initializer. */
function isReassigned(name: ts.Identifier, fsModel: FsModel): boolean {
  return assignmentsIn(scopeOf(name), fsModel).has(name);
}

function scopeOf(name: ts.Node): ts.Node {
  let scope: ts.Node = name;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  return scope;
}

/**
 * Every value a reassigned `let`/`var` is given (`let dest = ""; … dest = tmpName(base)`, `let name = random();
 * name = join(dir, name)`): its initializer unless that is a placeholder (`""`, `null`, `undefined`), then each
 * plain `=`; undefined when it is not reassigned or has a compound assignment (`+=`, `++`).
 */
export function assignedValues(expression: ts.Expression, fsModel: FsModel): ts.Expression[] | undefined {
  const declaration = variableDeclaration(expression, fsModel);
  if (!declaration) return undefined;
  const later = assignmentsIn(scopeOf(declaration.name), fsModel).get(declaration.name);
  if (!later || later.length === 0 || later.some((value) => value === undefined)) return undefined;
  const initial = declaration.initializer;
  const placeholder = !initial || (ts.isStringLiteralLike(initial) && initial.text === "") || initial.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(initial) && initial.text === "undefined");
  return [...(placeholder ? [] : [initial]), ...(later as ts.Expression[])];
}

/**
 * The value a reassigned variable holds where it is used, when the code shows it: the nearest earlier `x = value`
 * statement in a block around the use, with no other assignment to `x` in between (`mediaPath = join(dir, id);
 * await writeFile(mediaPath, …)`). Undefined when an assignment sits in a nested branch or across a function.
 */
export function dominatingAssignment(use: ts.Identifier, fsModel: FsModel): ts.Expression | undefined {
  const declaration = fsModel.findDeclaration(use);
  if (!declaration) return undefined;
  const assigns = (node: ts.Node): boolean => (assignmentsIn(node, fsModel).get(declaration)?.length ?? 0) > 0;
  for (let node: ts.Node = use; node.parent && !ts.isFunctionLike(node); node = node.parent) {
    // A loop that assigns it later in its body hands the next pass that value instead.
    if (ts.isIterationStatement(node, false) && assigns(node)) return undefined;
    const parent = node.parent;
    if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isCaseClause(parent) && !ts.isDefaultClause(parent)) continue;
    const statements = parent.statements as ts.NodeArray<ts.Statement>;
    for (let index = statements.indexOf(node as ts.Statement) - 1; index >= 0; index--) {
      const statement = statements[index]!;
      if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(statement.expression.left) && fsModel.findDeclaration(statement.expression.left) === declaration) return statement.expression.right;
      if (statement === declaration.parent?.parent?.parent || assigns(statement)) return undefined;
    }
  }
  return undefined;
}

/** The variable declaration an identifier names (`let x`, `const x = …`), not a destructured one. */
function variableDeclaration(expression: ts.Expression, fsModel: FsModel): ts.VariableDeclaration | undefined {
  const node = skipExpressionWrappers(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const name = fsModel.findDeclaration(node);
  const declaration = name?.parent;
  return name && declaration && ts.isVariableDeclaration(declaration) && declaration.name === name ? declaration : undefined;
}

/** Per declaration, the right-hand side of each assignment to it (undefined for `+=`, `++` and the like). */
type Assignments = Map<ts.Node, (ts.Expression | undefined)[]>;

const assignmentsByScope = new WeakMap<ts.Node, Assignments>();

/**
 * The declarations assigned (`=`, `+=`, `++`…) anywhere in a scope, with what they are given, found in one walk of
 * it: asking per name walked the scope once per variable, quadratic in a bundled file that is one huge function.
 */
function assignmentsIn(scope: ts.Node, fsModel: FsModel): Assignments {
  let assigned = assignmentsByScope.get(scope);
  if (assigned) return assigned;
  const found: Assignments = new Map();
  const visit = (node: ts.Node): void => {
    let target: ts.Node | undefined;
    let value: ts.Expression | undefined;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      target = node.left;
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) value = node.right;
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      target = node.operand;
    }
    if (target && ts.isIdentifier(target)) {
      const declaration = fsModel.findDeclaration(target);
      if (declaration) found.set(declaration, [...(found.get(declaration) ?? []), value]);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  assignmentsByScope.set(scope, (assigned = found));
  return assigned;
}

const STRING_METHODS = new Set(["replace", "replaceAll", "slice", "substring", "toLowerCase", "toUpperCase", "trim", "concat", "padStart", "padEnd"]);
const PATH_NORMALIZERS = /^((posix|win32)\.)?(normalize|normalise|normalizePath|normalisePath|toPosixPath|toUnixPath)$/;
const PATH_JOINS = new Set(["join", "resolve", "posix.join", "posix.resolve", "win32.join", "win32.resolve"]);
// Deep enough for a helper's folder helper (`tmp = file + ".tmp"`, `file = join(dir(), …)`, `dir = () => join(app.getPath(…), …)`).
const MAX_DEPTH = 10;

class KeyBuilder {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly fs: FsModel,
    private readonly replacements: Map<string, string> = new Map(),
  ) {}

  /** Reassigned lets already resolved by this builder (see identifier). */
  private readonly assigned = new Map<string, string>();

  key(expression: ts.Expression, depth: number): string {
    const node = skipExpressionWrappers(expression);
    // A literal is itself at any depth: cut off mid-way, `"specs"` and `specs` would be two paths.
    if (ts.isStringLiteralLike(node)) return normalise(node.text);
    if (depth > MAX_DEPTH) return this.cutOff(node);
    if (ts.isIdentifier(node)) return this.identifier(node, depth);
    if (ts.isTemplateExpression(node)) {
      let text = node.head.text;
      for (const span of node.templateSpans) text += this.key(span.expression, depth + 1) + span.literal.text;
      return normalise(text);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return normalise(this.key(node.left, depth + 1) + this.key(node.right, depth + 1));
    if (ts.isPropertyAccessExpression(node) || (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))) return this.member(node, depth);
    if (ts.isCallExpression(node)) return this.call(node, depth);
    // Anything else keeps its shape with its names resolved, so a call's arguments still substitute into it
    // (`scope === "global" ? a : b` differs per call).
    return this.shape(node, depth);
  }

  /**
   * Past the depth budget the expression keeps its text, with its literals keyed as at any depth: a call cut off
   * one level deeper (`path.dirname(file)` of a file resolved through three helpers) then still reads
   * `app.getPath(userData)` as the file's own key does (scale study, seed 68).
   */
  private cutOff(node: ts.Expression): string {
    const text = expressionKey(node, this.sourceFile);
    if (!/["'`]/.test(text)) return text;
    const start = node.getStart(this.sourceFile);
    const literals: ts.StringLiteralLike[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isStringLiteralLike(child)) literals.push(child);
      else ts.forEachChild(child, visit);
    };
    visit(node);
    let result = node.getText(this.sourceFile);
    for (const literal of literals.reverse()) result = result.slice(0, literal.getStart(this.sourceFile) - start) + normalise(literal.text) + result.slice(literal.end - start);
    return result.replace(/\s+/g, "");
  }

  private shape(node: ts.Expression, depth: number): string {
    const text = node.getText(this.sourceFile);
    if (text.length > 200) return expressionKey(node, this.sourceFile);
    const start = node.getStart(this.sourceFile);
    const parts: { start: number; end: number; key: string }[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        const parent = child.parent;
        const isName = parent && ((ts.isPropertyAccessExpression(parent) && parent.name === child) || (ts.isPropertyAssignment(parent) && parent.name === child));
        if (!isName) parts.push({ start: child.getStart(this.sourceFile) - start, end: child.end - start, key: this.identifier(child, depth + 1) });
        return;
      }
      if (ts.isFunctionLike(child)) return;
      ts.forEachChild(child, visit);
    };
    visit(node);
    let result = text;
    for (const part of parts.sort((a, b) => b.start - a.start)) result = result.slice(0, part.start) + part.key + result.slice(part.end);
    return result.replace(/\s+/g, "").replace(/'/g, '"');
  }

  private identifier(node: ts.Identifier, depth: number): string {
    const declared = this.fs.findDeclaration(node);
    if (!declared) return node.text; // a global: __dirname, process
    const token = bindingToken(declared);
    const replaced = this.replacements.get(token);
    if (replaced !== undefined) return replaced;
    const initializer = constInitializer(node, this.fs);
    if (initializer && !ts.isFunctionLike(initializer) && !ts.isObjectLiteralExpression(initializer) && !ts.isNewExpression(initializer)) return this.key(initializer, depth + 1);
    // A `let` every assignment of which spells the same path (`let STORE = DIR + "/store.json"`, reassigned as
    // `STORE = DIR + "/store.json"` when DIR is configured) names that path (scale study, seed 65).
    // Bounded: a few assignments, each let resolved once per key (lets built on each other in a bundle would
    // otherwise multiply at every level), and one being resolved stands for itself (a cycle).
    if (this.assigned.has(token)) return this.assigned.get(token)!;
    const values = depth <= 4 ? assignedValues(node, this.fs) : undefined;
    this.assigned.set(token, token);
    if (values && values.length > 0 && values.length <= 4 && values.every((value) => !ts.isFunctionLike(value) && !ts.isObjectLiteralExpression(value))) {
      const keys = new Set(values.map((value) => this.key(value, depth + 1)));
      const [only] = keys;
      if (keys.size === 1 && !only!.includes(token)) this.assigned.set(token, only!);
    }
    return this.assigned.get(token)!;
  }

  private member(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): string {
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : (node.argumentExpression as ts.StringLiteralLike).text;
    const object = skipExpressionWrappers(node.expression);
    if (object.kind === ts.SyntaxKind.ThisKeyword) return `this.${name}`;
    // `CONFIG.dataFile` where `const CONFIG = { dataFile: join(…) }`.
    const literal = ts.isIdentifier(object) ? constInitializer(object, this.fs) : undefined;
    if (literal && ts.isObjectLiteralExpression(literal)) {
      const property = literal.properties.find((each) => (ts.isPropertyAssignment(each) || ts.isShorthandPropertyAssignment(each)) && propertyName(each.name) === name);
      if (property && ts.isPropertyAssignment(property)) return this.key(property.initializer, depth + 1);
      if (property && ts.isShorthandPropertyAssignment(property)) return this.key(property.name, depth + 1);
    }
    return `${this.key(object, depth + 1)}.${name}`;
  }

  private call(node: ts.CallExpression, depth: number): string {
    const callee = node.expression;
    const calleeText = ts.isPropertyAccessExpression(callee) ? `${ts.isPropertyAccessExpression(callee.expression) ? `${callee.expression.name.text}.` : ""}${callee.name.text}` : ts.isIdentifier(callee) ? callee.text : "";
    // path.format({ dir, name, ext }) is dir/name+ext (or dir/base).
    if (calleeText === "format" && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
      const part = (name: string) => {
        const property = (node.arguments[0] as ts.ObjectLiteralExpression).properties.find((each) => ts.isPropertyAssignment(each) && propertyName(each.name) === name) as ts.PropertyAssignment | undefined;
        return property ? this.key(property.initializer, depth + 1) : "";
      };
      return normalise(`${part("dir") || part("root")}/${part("base") || part("name") + part("ext")}`);
    }
    // A normaliser (`path.normalize(p)`, a project's `normalizePath(p)`) names the same file.
    if (PATH_NORMALIZERS.test(calleeText) && node.arguments.length === 1) return this.key(node.arguments[0]!, depth + 1);
    // `require.resolve("x")` and `import.meta.resolve("x")` find an installed module, they do not join paths.
    const moduleResolution = ts.isPropertyAccessExpression(callee) && /^(require|import\.meta)$/.test(callee.expression.getText(this.sourceFile));
    const joined = !moduleResolution && (PATH_JOINS.has(calleeText) || (ts.isIdentifier(callee) && (calleeText === "join" || calleeText === "resolve") && !this.isLocalFunction(callee)));
    if (joined) {
      const parts = node.arguments.map((argument) => this.key(argument, depth + 1));
      return normalise(parts.join("/"));
    }
    // A same-file helper that returns a path: `mediaFilePath(id)` stands for `join(ROOT, id, "media.json")`.
    const returned = this.returnedPath(node, depth);
    if (returned !== undefined) return returned;
    // A string method on a path (`base.replace(".deb", ".apt")`): the object keyed like any path, so its bindings
    // stay substitutable (scale study, seed 30: a per-architecture folder).
    const calleeKey = ts.isPropertyAccessExpression(callee) && STRING_METHODS.has(callee.name.text) ? `${this.key(callee.expression, depth + 1)}.${callee.name.text}` : expressionKey(callee, this.sourceFile);
    return `${calleeKey}(${node.arguments.map((argument) => this.key(argument, depth + 1)).join(",")})`;
  }

  private isLocalFunction(callee: ts.Identifier): boolean {
    const declared = this.fs.findDeclaration(callee)?.parent;
    return declared !== undefined && (ts.isFunctionDeclaration(declared) || (ts.isVariableDeclaration(declared) && declared.initializer !== undefined && ts.isFunctionLike(declared.initializer)));
  }

  private returnedPath(node: ts.CallExpression, depth: number): string | undefined {
    const fn = this.calledFunction(node.expression);
    if (!fn) return undefined;
    const returned = singleReturn(fn);
    if (!returned) return undefined;
    const replacements = new Map(this.replacements);
    fn.parameters.forEach((parameter, index) => {
      const argument = node.arguments[index];
      if (ts.isIdentifier(parameter.name) && argument) replacements.set(bindingToken(parameter.name), this.key(argument, depth + 1));
    });
    return new KeyBuilder(this.sourceFile, this.fs, replacements).key(returned, depth + 1);
  }

  /** A same-file function by its name, or a method of a `const` object literal (`Config.path()`). */
  private calledFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
    const isFunction = (node: ts.Node | undefined): node is ts.FunctionLikeDeclaration => node !== undefined && (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node));
    if (ts.isIdentifier(callee)) {
      const declared = this.fs.findDeclaration(callee)?.parent;
      if (declared && ts.isFunctionDeclaration(declared)) return declared;
      return declared && ts.isVariableDeclaration(declared) && isFunction(declared.initializer) ? declared.initializer : undefined;
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    // `this.getFilePath(uuid, ext)`: a method of the class the call sits in.
    if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const member = enclosingClass(callee)?.members.find((each) => each.name !== undefined && propertyName(each.name) === callee.name.text);
      if (member && ts.isMethodDeclaration(member)) return member;
      return member && ts.isPropertyDeclaration(member) && isFunction(member.initializer) ? member.initializer : undefined;
    }
    if (!ts.isIdentifier(callee.expression)) return undefined;
    const literal = constInitializer(callee.expression, this.fs);
    if (!literal || !ts.isObjectLiteralExpression(literal)) return undefined;
    const member = literal.properties.find((property) => property.name !== undefined && propertyName(property.name) === callee.name.text);
    if (member && ts.isMethodDeclaration(member)) return member;
    return member && ts.isPropertyAssignment(member) && isFunction(member.initializer) ? member.initializer : undefined;
  }
}

/**
 * The expression a function returns when it is its only statement (or an arrow's expression body), also after
 * `const` locals and guards that only throw (`if (!/^\w+$/.test(ext)) throw new Error(…); return join(dir, name)`).
 */
function singleReturn(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return body;
  const statements = body.statements;
  const last = statements[statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
  // Also after `const` locals the returned path is built from (`const name = …; return join(this.tempDir, name)`):
  // the key resolves them to their initializers (scale study, seed 34).
  return statements.slice(0, -1).every((statement) => throwingGuard(statement) || constLocals(statement)) ? last.expression : undefined;
}

function constLocals(statement: ts.Statement): boolean {
  return ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 && statement.declarationList.declarations.every((declaration) => ts.isIdentifier(declaration.name));
}

function throwingGuard(statement: ts.Statement): boolean {
  if (!ts.isIfStatement(statement) || statement.elseStatement) return false;
  const then = statement.thenStatement;
  return ts.isThrowStatement(then) || (ts.isBlock(then) && then.statements.length > 0 && ts.isThrowStatement(then.statements[then.statements.length - 1]!));
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isClassLike(current)) return current;
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/**
 * One form for paths: no doubled or trailing-dot segments, and no leading `./` (`./cards.json` and `cards.json`
 * are one file, both relative to the working directory: seed 59).
 */
function normalise(text: string): string {
  return text.replace(/\/\.\//g, "/").replace(/\/{2,}/g, "/").replace(/\/\.$/, "").replace(/^(\.\/)+(?=[^/])/, "");
}

import { ts } from "./ts";
import { calleeName, isRequireCallee, scopeOf, thisAssignments } from "./ast";
import { isRelative } from "./workspace/imports";
import { instanceMethod, libraryFunction, makesInstances, LIBRARY_FUNCTION_NAMES, LIBRARY_MENTION, moduleIdOf, type LibraryFunction, type LibraryModuleId } from "./library";

/** A helper that runs a callback until it stops throwing (`retry`, `pRetry`, `retryAsyncOperation`, `withRetries`). */
export const RETRY_HELPER = /retry|retries/i;

/**
 * Which library module an expression is bound to (fs, fs-extra, write-file-atomic, async-mutex, …; see
 * library.ts), resolved syntactically from the file's own imports and requires (no type checker: this runs
 * on every keystroke). Shadowing is respected: a parameter or local named `fs` is not the fs module.
 */
export type FsModuleId = LibraryModuleId;

/** Cheap textual pre-check: files that mention no persistence library are never parsed. */
// Also a bare `fs.writeFileSync(…)` on an `fs` no import binds (a script's global, a handed-in parameter).
export const FS_MODULE_MENTION = new RegExp(`${LIBRARY_MENTION.source}|(^|[^.\\w$])fs\\.[A-Za-z]+\\(`);

/** Nodes of interest, in source order. */
export interface SyntaxIndex {
  calls: ts.CallExpression[];
  blocks: ts.Block[];
  ifStatements: ts.IfStatement[];
  loops: ts.IterationStatement[];
  functions: ts.SignatureDeclaration[];
  declarations: (ts.VariableDeclaration | ts.PropertyDeclaration)[];
}

/** What an expression is: a module, one of its functions, or an instance one of them made (`new Mutex()`). */
type Binding =
  | { kind: "module"; module: FsModuleId }
  | { kind: "member"; module: FsModuleId; name: string }
  | { kind: "instance"; module: FsModuleId; maker: string; exclusive: boolean; args: readonly ts.Expression[] };

/** A call resolved to a library function (for instances, `name` is the method; a p-limit instance's own call is "call"). */
export interface FsCall {
  module: FsModuleId;
  name: string;
  call: ts.CallExpression;
  fn: LibraryFunction;
  /** For an instance's method: what made the instance and with which arguments (a steno Writer's file). */
  instance?: { maker: string; exclusive: boolean; args: readonly ts.Expression[] } | undefined;
}

export class FsModel {
  private readonly bindings = new Map<ts.Identifier, Binding>();
  private readonly scopeNames = new Map<ts.Node, Map<string, ts.Identifier>>();
  /** Every call in the file that resolves to an fs function, in source order. */
  readonly calls: FsCall[] = [];

  /** `handle.sync()` / `handle.datasync()` calls (FileHandle fsync), wherever they are. */
  readonly syncCalls: ts.CallExpression[] = [];
  /** Nodes the rules look for, collected in this one walk so that no rule walks the tree again. */
  readonly index: SyntaxIndex = { calls: [], blocks: [], ifStatements: [], loops: [], functions: [], declarations: [] };

  constructor(readonly sourceFile: ts.SourceFile) {
    const callNodes: ts.CallExpression[] = [];
    const index = this.index;
    // Replays each top-level statement's nodes of interest, in source order. A keystroke re-parses
    // incrementally and keeps every statement it did not touch as the same node, so only the edited
    // statement is walked again; bindings are always recomputed (an edited import changes them all).
    for (const statement of sourceFile.statements) {
      for (const node of nodesOfInterest(statement)) {
        switch (node.kind) {
          case ts.SyntaxKind.ImportDeclaration:
            this.bindImport(node as ts.ImportDeclaration);
            break;
          case ts.SyntaxKind.ImportEqualsDeclaration:
            this.bindImportEquals(node as ts.ImportEqualsDeclaration);
            break;
          case ts.SyntaxKind.VariableDeclaration: {
            const declaration = node as ts.VariableDeclaration;
            index.declarations.push(declaration);
            if (declaration.initializer) this.bindPattern(declaration.name, this.evaluate(declaration.initializer));
            break;
          }
          case ts.SyntaxKind.PropertyDeclaration:
            index.declarations.push(node as ts.PropertyDeclaration);
            break;
          case ts.SyntaxKind.CallExpression:
            callNodes.push(node as ts.CallExpression);
            break;
          case ts.SyntaxKind.Block:
            index.blocks.push(node as ts.Block);
            break;
          case ts.SyntaxKind.IfStatement:
            index.ifStatements.push(node as ts.IfStatement);
            break;
          case ts.SyntaxKind.ForStatement:
          case ts.SyntaxKind.ForOfStatement:
          case ts.SyntaxKind.ForInStatement:
          case ts.SyntaxKind.WhileStatement:
          case ts.SyntaxKind.DoStatement:
            index.loops.push(node as ts.IterationStatement);
            break;
          default:
            index.functions.push(node as ts.SignatureDeclaration);
        }
      }
    }
    index.calls = callNodes;
    // Only calls that can name a library function are resolved: most calls in real code cannot.
    const boundNames = new Set([...this.bindings.keys()].map((identifier) => identifier.text));
    for (const call of callNodes) {
      const callee = call.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isElementAccessExpression(callee) ? "[]" : "";
      // FileHandle.sync()/datasync() (write-file-atomic's `.sync(p, d)` takes arguments and resolves below).
      if ((name === "sync" || name === "datasync") && call.arguments.length === 0) {
        this.syncCalls.push(call);
        continue;
      }
      if (isScriptRequireOfData(call, boundNames)) {
        this.calls.push({ module: "fs", name: "require", fn: REQUIRE_READ, call });
        continue;
      }
      if (ts.isIdentifier(callee) ? !boundNames.has(name) : name !== "[]" && !LIBRARY_FUNCTION_NAMES.has(name)) continue;
      const resolved = this.resolveCall(callee);
      if (resolved) this.calls.push({ ...resolved, call });
    }
  }

  private fsCallNodes: Set<ts.CallExpression> | undefined;

  /** The `this` fields being resolved through their assignment, to stop at one that refers to itself. */
  private readonly resolvingFields = new Set<string>();
  private instanceMakers: boolean | undefined;

  /** Whether the file imports a module that makes lock or store instances (only then can a field hold one). */
  private importsInstanceMakers(): boolean {
    return (this.instanceMakers ??= [...this.bindings.values()].some((binding) => makesInstances(binding.module)));
  }

  /**
   * The function whose file protocol a node belongs to: its enclosing function, except that a callback
   * continuing an fs call (`writeFile(tmp, d, () => rename(tmp, p))`, `readFile(p).then((d) => …)`) belongs
   * to the function that made the call: the rename or write in it is the next step of the same protocol.
   */
  protocolScopeOf(node: ts.Node): ts.Node {
    // Continuations of file operations only: a lock's callback (`mutex.runExclusive(fn)`) is a scope of its own.
    this.fsCallNodes ??= new Set(this.calls.filter((each) => !LOCKING_OPS.has(each.fn.op)).map((each) => each.call));
    let scope = scopeOf(node);
    while (ts.isFunctionLike(scope) && scope.parent && (ts.isCallExpression(scope.parent) ? scope.parent.arguments.includes(scope as ts.Expression) && this.continuesFsCall(scope.parent) : isPromiseExecutor(scope))) {
      scope = scopeOf(scope.parent);
    }
    return scope;
  }

  private continuesFsCall(call: ts.CallExpression): boolean {
    if (this.fsCallNodes!.has(call)) return true;
    // A retry helper's callback (`await retryAsyncOperation(async () => rename(tmp, file), 10, 100)`, `pRetry(fn)`)
    // runs in its caller's flow, once or again: the rename there is the caller's (labelled study: steno).
    if (RETRY_HELPER.test(calleeName(call.expression))) return true;
    const callee = call.expression;
    return ts.isPropertyAccessExpression(callee) && /^(then|catch|finally)$/.test(callee.name.text) && ts.isCallExpression(callee.expression) && this.continuesFsCall(callee.expression);
  }

  private callsByNode: Map<ts.CallExpression, FsCall> | undefined;

  /** The library function a call resolves to, if any. */
  fsCallOf(call: ts.CallExpression): FsCall | undefined {
    this.callsByNode ??= new Map(this.calls.map((each) => [each.call, each]));
    return this.callsByNode.get(call);
  }

  /** Whether the file imports or requires `module` at all. */
  usesModule(module: FsModuleId): boolean {
    for (const binding of this.bindings.values()) if (binding.module === module) return true;
    return false;
  }

  /** The library function an expression names, e.g. `fs.promises.writeFile` or an imported `wf`. */
  resolveCallee(expression: ts.Expression): { module: FsModuleId; name: string } | undefined {
    const value = this.evaluate(expression);
    return value?.kind === "member" ? { module: value.module, name: value.name } : undefined;
  }

  /** What calling `callee` does: a module's function, an instance's method, or a p-limit instance itself. */
  private resolveCall(callee: ts.Expression): Omit<FsCall, "call"> | undefined {
    const value = this.evaluate(callee);
    // A module called as a function is its default export (`writeFileAtomic(p, d)`).
    if (value?.kind === "member" || value?.kind === "module") {
      const name = value.kind === "member" ? value.name : "default";
      const fn = libraryFunction(value.module, name);
      return fn && { module: value.module, name, fn };
    }
    if (value?.kind === "instance") {
      const fn = instanceMethod(value.module, value.maker, "call");
      return fn && { module: value.module, name: "call", fn, instance: value };
    }
    const member = memberAccess(callee);
    if (!member) return undefined;
    const owner = this.evaluate(member.object);
    if (owner?.kind !== "instance") return undefined;
    const fn = instanceMethod(owner.module, owner.maker, member.name);
    return fn && { module: owner.module, name: member.name, fn, instance: owner };
  }

  /** The fs module an expression evaluates to, if any. */
  moduleOf(expression: ts.Expression): FsModuleId | undefined {
    const value = this.evaluate(expression);
    return value?.kind === "module" ? value.module : undefined;
  }

  private evaluate(expression: ts.Expression): Binding | undefined {
    const node = skipWrappers(expression);
    if (ts.isIdentifier(node)) return this.resolveIdentifier(node) ?? this.conventionalFs(node);
    const required = requiredModule(node);
    if (required) return { kind: "module", module: required };
    // `options.fs ?? fs`: an injectable file system whose default is the real one (tests pass a fake).
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      const fallback = this.evaluate(node.right);
      if (fallback?.kind === "module") return fallback;
    }
    // Compiled ES module interop: __importStar(require("fs")), __importDefault(...), tslib's helpers.
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isIdentifier(node.expression)) {
      const helper = node.expression.text;
      if (/^__import(Star|Default)$/.test(helper) && node.arguments[0]) return this.evaluate(node.arguments[0]);
    }
    // util.promisify(fs.writeFile): the promise form of the same function.
    if (ts.isCallExpression(node) && node.arguments.length === 1 && node.arguments[0] && /^promisify$/.test(ts.isIdentifier(node.expression) ? node.expression.text : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : "")) {
      const wrapped = this.evaluate(node.arguments[0]);
      if (wrapped?.kind === "member" && wrapped.module === "fs") return { kind: "member", module: "fs/promises", name: wrapped.name };
      return wrapped;
    }
    // `new Mutex()`, `pLimit(1)`, `withTimeout(new Mutex(), ms)`, `new Writer(file)`: an instance of the library's.
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const evaluated = this.evaluate(node.expression);
      const maker = evaluated?.kind === "module" ? { kind: "member" as const, module: evaluated.module, name: "default" } : evaluated;
      if (maker?.kind === "member") {
        const fn = libraryFunction(maker.module, maker.name);
        if (fn && (fn.op === "make-lock" || fn.op === "make-store")) {
          const args = node.arguments ?? [];
          const wrapped = fn.wrapsItsArgument && args[0] ? this.evaluate(args[0]) : undefined;
          if (wrapped?.kind === "instance") return wrapped;
          return { kind: "instance", module: maker.module, maker: maker.name, exclusive: !fn.exclusiveWhenOne || concurrencyIsOne(args[0]), args };
        }
      }
    }
    // `this.queue`, a field that holds one library instance (`private readonly queue = new PQueue({ concurrency: 1 })`,
    // or one `this.queue = …` in the constructor): that instance (seed 42).
    // (Not through itself: `this.onClick = this.onClick.bind(this)`.)
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && this.importsInstanceMakers() && !this.resolvingFields.has(node.name.text)) {
      const values = thisAssignments(this.sourceFile).get(node.name.text) ?? [];
      if (values.length === 1) {
        this.resolvingFields.add(node.name.text);
        const only = this.evaluate(values[0]!);
        this.resolvingFields.delete(node.name.text);
        if (only?.kind === "instance") return only;
      }
    }
    const member = memberAccess(node);
    if (member) {
      const owner = this.evaluate(member.object);
      if (owner?.kind !== "module") return undefined;
      return memberOf(owner.module, member.name);
    }
    return undefined;
  }

  /**
   * `fs` that no import binds: a global of a script that another script loaded (Electron renderers with node
   * integration), or a parameter named `fs` that a command loader hands in (`execute({ message, fs })`). Node's
   * fs by its conventional name (real-world study, batch E). A local `const fs = …` of something else is not.
   */
  private conventionalFs(identifier: ts.Identifier): Binding | undefined {
    if (identifier.text !== "fs") return undefined;
    let declaration: ts.Node | undefined = this.findDeclaration(identifier)?.parent;
    if (!declaration) return { kind: "module", module: "fs" };
    // `import { fs } from "./utils"` (a utils module that re-exports node's fs: `export * as fs from "fs"`), or
    // `const { fs } = require("../lib")`: the project's own facade, by the conventional name (scale study, seed 62).
    if (fromRelativeModule(declaration)) return { kind: "module", module: "fs" };
    while (ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
    if (!ts.isParameter(declaration)) return undefined;
    // A typed parameter is what its type says: only `typeof fs` / `typeof import("fs")` is the module.
    const type = declaration.type?.getText(this.sourceFile);
    return type === undefined || /^typeof\s+(fs|import\(\s*["'](node:)?fs["']\s*\))$/.test(type) ? { kind: "module", module: "fs" } : undefined;
  }

  private resolveIdentifier(identifier: ts.Identifier): Binding | undefined {
    const declaration = this.findDeclaration(identifier);
    return declaration ? this.bindings.get(declaration) : undefined;
  }

  /** The nearest declaration of the identifier's name, walking out through the enclosing scopes. */
  findDeclaration(identifier: ts.Identifier): ts.Identifier | undefined {
    return identifier.parent ? this.findDeclarationOfName(identifier.text, identifier.parent) : undefined;
  }

  /** The declaration `name` refers to at `at` (undefined for globals and unknown names). */
  findDeclarationOfName(name: string, at: ts.Node): ts.Identifier | undefined {
    for (let node: ts.Node | undefined = at; node; node = node.parent) {
      if (!isScope(node)) continue;
      const declared = this.namesDeclaredIn(node).get(name);
      if (declared) return declared;
    }
    return undefined;
  }

  isNameVisible(name: string, at: ts.Node): boolean {
    return this.findDeclarationOfName(name, at) !== undefined;
  }

  private namesDeclaredIn(scope: ts.Node): Map<string, ts.Identifier> {
    let names = this.scopeNames.get(scope);
    if (!names) {
      names = collectScopeNames(scope);
      this.scopeNames.set(scope, names);
    }
    return names;
  }

  private bindImport(node: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return;
    const module = moduleIdOf(node.moduleSpecifier.text);
    const clause = node.importClause;
    if (!module || !clause || clause.isTypeOnly) return;
    if (clause.name) this.bindings.set(clause.name, { kind: "module", module });
    const named = clause.namedBindings;
    if (!named) return;
    if (ts.isNamespaceImport(named)) {
      this.bindings.set(named.name, { kind: "module", module });
      return;
    }
    for (const element of named.elements) {
      if (element.isTypeOnly) continue;
      const imported = (element.propertyName ?? element.name).text;
      this.bindings.set(element.name, memberOf(module, imported));
    }
  }

  private bindImportEquals(node: ts.ImportEqualsDeclaration): void {
    const reference = node.moduleReference;
    if (!ts.isExternalModuleReference(reference) || !ts.isStringLiteral(reference.expression)) return;
    const module = moduleIdOf(reference.expression.text);
    if (module) this.bindings.set(node.name, { kind: "module", module });
  }

  private bindPattern(name: ts.BindingName, value: Binding | undefined): void {
    if (!value) return;
    if (ts.isIdentifier(name)) {
      this.bindings.set(name, value);
      return;
    }
    if (!ts.isObjectBindingPattern(name) || value.kind !== "module") return;
    for (const element of name.elements) {
      if (element.dotDotDotToken) continue;
      const key = element.propertyName ?? element.name;
      const keyText = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
      if (keyText) this.bindPattern(element.name, memberOf(value.module, keyText));
    }
  }
}

const INTERESTING = new Set([
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
]);

/** Per statement node: weakly held, so a statement the incremental parser dropped takes its entry along. */
const statementNodes = new WeakMap<ts.Statement, ts.Node[]>();

/** The nodes of a top-level statement that the model and the rules look at, in walk order. */
function nodesOfInterest(statement: ts.Statement): ts.Node[] {
  let nodes = statementNodes.get(statement);
  if (nodes) return nodes;
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (INTERESTING.has(node.kind) || ts.isFunctionLike(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(statement);
  nodes = found;
  statementNodes.set(statement, nodes);
  return nodes;
}

const LOCKING_OPS = new Set(["lock", "lock-run", "unlock", "make-lock", "make-store", "update"]);

/** `pLimit(1)`, `{ concurrency: 1 }`: a limiter that admits one task at a time is a lock. */
function concurrencyIsOne(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  if (ts.isNumericLiteral(argument)) return argument.text === "1";
  if (ts.isObjectLiteralExpression(argument)) {
    return argument.properties.some((property) => ts.isPropertyAssignment(property) && property.name.getText() === "concurrency" && ts.isNumericLiteral(property.initializer) && property.initializer.text === "1");
  }
  return false;
}

/** `fs.promises` is itself a module; every other member is a function of the module. */
function memberOf(module: FsModuleId, name: string): Binding {
  if (name === "promises" && (module === "fs" || module === "fs-extra")) return { kind: "module", module: "fs/promises" };
  if (name === "default") return { kind: "module", module };
  return { kind: "member", module, name };
}

function requiredModule(node: ts.Expression): FsModuleId | undefined {
  // require("fs"), and `await import("fs")` in ES modules.
  let call: ts.Expression = node;
  if (ts.isAwaitExpression(call)) call = skipWrappers(call.expression);
  if (!ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  const isRequire = isRequireCallee(call.expression);
  const isImport = call.expression.kind === ts.SyntaxKind.ImportKeyword;
  const specifier = call.arguments[0];
  if ((!isRequire && !isImport) || !specifier || !ts.isStringLiteralLike(specifier)) return undefined;
  return moduleIdOf(specifier.text);
}

export function memberAccess(node: ts.Node): { object: ts.Expression; name: string; nameNode: ts.Node } | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    return { object: node.expression, name: node.name.text, nameNode: node.name };
  }
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return { object: node.expression, name: node.argumentExpression.text, nameNode: node.argumentExpression };
  }
  return undefined;
}

export function skipWrappers(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else if (ts.isAsExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else return current;
  }
}

const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.SourceFile, ts.SyntaxKind.Block, ts.SyntaxKind.ModuleBlock, ts.SyntaxKind.CaseBlock, ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ForStatement, ts.SyntaxKind.ForInStatement, ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor, ts.SyntaxKind.GetAccessor, ts.SyntaxKind.SetAccessor, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression,
]);

function isScope(node: ts.Node): boolean {
  return SCOPE_KINDS.has(node.kind);
}

function addBindingNames(name: ts.BindingName, into: Map<string, ts.Identifier>): void {
  if (ts.isIdentifier(name)) {
    into.set(name.text, name);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) addBindingNames(element.name, into);
  }
}

function addStatementNames(statement: ts.Statement, into: Map<string, ts.Identifier>): void {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) addBindingNames(declaration.name, into);
  } else if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    into.set(statement.name.text, statement.name);
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name) into.set(clause.name.text, clause.name);
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) into.set(named.name.text, named.name);
    else if (named) for (const element of named.elements) into.set(element.name.text, element.name);
  } else if (ts.isImportEqualsDeclaration(statement)) {
    into.set(statement.name.text, statement.name);
  }
}

function collectScopeNames(scope: ts.Node): Map<string, ts.Identifier> {
  const names = new Map<string, ts.Identifier>();
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) {
    for (const statement of scope.statements) addStatementNames(statement, names);
  } else if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) for (const statement of clause.statements) addStatementNames(statement, names);
  } else if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) addBindingNames(parameter.name, names);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) names.set(scope.name.text, scope.name);
  } else if (ts.isCatchClause(scope)) {
    if (scope.variableDeclaration) addBindingNames(scope.variableDeclaration.name, names);
  } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
    const initializer = scope.initializer;
    if (initializer && ts.isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.declarations) addBindingNames(declaration.name, names);
    }
  }
  return names;
}

/** `require(file)` of data: a synchronous whole-file read of JSON. */
const REQUIRE_READ: LibraryFunction = { op: "read", style: "sync", json: true };

/**
 * `const locks = require(file)` at the top level of a script: each run loads the file afresh, so it is the
 * read of a read-modify-write. Inside a function, `require` returns the object cached by the first call, which
 * later calls share in memory, so it is not a read of the file there. Module names and code files are imports.
 */
function isScriptRequireOfData(call: ts.CallExpression, boundNames: Set<string>): boolean {
  if (!ts.isIdentifier(call.expression) || call.expression.text !== "require" || boundNames.has("require") || call.arguments.length !== 1) return false;
  const argument = call.arguments[0]!;
  if (ts.isStringLiteralLike(argument) && !/\.json$/.test(argument.text)) return false;
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return true;
}

/**
 * The executor of `new Promise((resolve, reject) => fs.writeFile(p, d, …))`: it runs at once, in the flow of the
 * function that makes the promise, so its file operations are that function's (`const saveFile = (p, d) =>
 * new Promise(…)` is a writer its callers inline: scale study, seed 55).
 */
export function isPromiseExecutor(fn: ts.Node): boolean {
  const parent = fn.parent;
  return ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === "Promise" && parent.arguments?.[0] === fn;
}

/** An import binding of a relative module (`import { fs } from "./utils"`, `const { fs } = require("../lib")`). */
function fromRelativeModule(declaration: ts.Node): boolean {
  const specifier = importedFrom(declaration);
  return specifier !== undefined && ts.isStringLiteralLike(specifier) && isRelative(specifier.text);
}

/**
 * The module specifier an import binding comes from (`import x`, `import { x }`, `import * as x`,
 * `const x = require("…")`, `const { x } = require("…")`), given the binding's declaration; undefined for any other
 * declaration.
 */
export function importedFrom(declaration: ts.Node): ts.Expression | undefined {
  if (ts.isImportSpecifier(declaration)) return declaration.parent.parent.parent.moduleSpecifier;
  if (ts.isNamespaceImport(declaration)) return declaration.parent.parent.moduleSpecifier;
  if (ts.isImportClause(declaration)) return declaration.parent.moduleSpecifier;
  let node: ts.Node = declaration;
  while (ts.isBindingElement(node)) node = node.parent.parent;
  const value = ts.isVariableDeclaration(node) ? node.initializer : undefined;
  return value && ts.isCallExpression(value) && isRequireCallee(value.expression) ? value.arguments[0] : undefined;
}

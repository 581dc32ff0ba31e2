import { ts } from "./ts";
import { calleeName, endsInReturnOrThrow, functionName, owningFunction } from "./ast";
import type { FsModel } from "./fsModel";
import { bindingToken, pathKey } from "./paths";
import { NAMES_A_LOCK } from "./lockMaps";

/**
 * The functions of a file that calls can reach, and which one a call reaches: function declarations,
 * functions bound to a `const`, class methods (`this.m()`, `Class.m()`, `new Class().m()`), methods and
 * function properties of object literals (`store.save()`), and the methods of an object literal a factory
 * returns (`const store = createStore(file); store.set(…)`, whose methods capture `file`). Syntax only.
 */
export interface CallTarget {
  callable: ts.SignatureDeclaration;
  /** Binding tokens of the callee's parameters (and a factory's, for its methods) → the call's argument keys. */
  replacements: Map<string, string>;
  /** The callee's parameter that receives each argument index. */
  parameters: readonly ts.ParameterDeclaration[];
}

/** The call's argument expressions by the callee parameter each one binds. */
export function argumentsByParameter(target: CallTarget, call: ts.CallExpression | ts.NewExpression): Map<ts.Node, ts.Expression> {
  const bound = new Map<ts.Node, ts.Expression>();
  target.parameters.forEach((parameter, index) => {
    const argument = call.arguments?.[index];
    if (argument) bound.set(parameter, argument);
  });
  return bound;
}

type Members = Map<string, ts.SignatureDeclaration>;

/** `Name.prototype.method = function …`: the constructor's name and the method's. */
function prototypeOwner(fn: ts.Node): { constructorName: string; method: string } | undefined {
  const assignment = fn.parent;
  if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken || assignment.right !== fn) return undefined;
  const target = assignment.left;
  if (!ts.isPropertyAccessExpression(target) || !ts.isPropertyAccessExpression(target.expression) || target.expression.name.text !== "prototype" || !ts.isIdentifier(target.expression.expression)) return undefined;
  return { constructorName: target.expression.expression.text, method: target.name.text };
}

export class Callables {
  private readonly classMembers = new Map<ts.ClassLikeDeclaration, Members>();
  private readonly objectMembers = new Map<ts.ObjectLiteralExpression, Members>();
  /** CommonJS exports assigned one by one (`exports.unlockSync = function (path) { … }`), called as `exports.unlockSync(p)`. */
  private readonly exportMembers: Members = new Map();
  /** ES5 methods assigned to a constructor's prototype (`FsLock.prototype.setLock = function …`), by constructor name. */
  private readonly prototypeMembers = new Map<string, Members>();

  constructor(private readonly fs: FsModel) {
    for (const node of fs.index.functions) {
      const parent = node.parent;
      if (!parent) continue;
      const name = "name" in node && node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) || ts.isStringLiteral(node.name)) ? node.name.text : undefined;
      if ((ts.isMethodDeclaration(node) || ts.isGetAccessor(node)) && name && ts.isClassLike(parent)) this.member(this.classMembers, parent, name, node);
      if (ts.isMethodDeclaration(node) && name && ts.isObjectLiteralExpression(parent)) this.member(this.objectMembers, parent, name, node);
      if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && parent) {
        // `save = async () => …` in a class, `{ save: () => … }` in an object literal.
        if (ts.isPropertyDeclaration(parent) && ts.isClassLike(parent.parent) && ts.isIdentifier(parent.name)) this.member(this.classMembers, parent.parent, parent.name.text, node);
        if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) this.member(this.objectMembers, parent.parent, parent.name.text, node);
        if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isPropertyAccessExpression(parent.left) && isExportsObject(parent.left.expression)) this.exportMembers.set(parent.left.name.text, node);
        const owner = prototypeOwner(node);
        if (owner) this.member(this.prototypeMembers, owner.constructorName, owner.method, node);
      }
    }
  }

  private member<K>(table: Map<K, Members>, owner: K, name: string, node: ts.SignatureDeclaration): void {
    let members = table.get(owner);
    if (!members) table.set(owner, (members = new Map()));
    members.set(name, node);
  }

  /** The same-file function a call runs, with its parameters bound to the call's arguments. */
  resolve(call: ts.CallExpression | ts.NewExpression): CallTarget | undefined {
    const found = this.target(call.expression);
    if (!found || ts.isNewExpression(call)) return undefined;
    const replacements = new Map(found.captured);
    found.callable.parameters.forEach((parameter, index) => {
      const argument = call.arguments[index];
      if (argument && ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken) replacements.set(bindingToken(parameter.name), pathKey(argument, this.fs.sourceFile, this.fs));
    });
    return { callable: found.callable, replacements, parameters: found.callable.parameters };
  }

  private target(callee: ts.Expression): { callable: ts.SignatureDeclaration; captured: Map<string, string> } | undefined {
    const none = new Map<string, string>();
    if (ts.isIdentifier(callee)) {
      const fn = this.functionOf(callee);
      return fn && { callable: fn, captured: none };
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const name = callee.name.text;
    const object = callee.expression;
    if (object.kind === ts.SyntaxKind.ThisKeyword) return this.memberOfThis(callee, name);
    if (isExportsObject(object) && !(ts.isIdentifier(object) && this.fs.findDeclaration(object))) return this.found(this.exportMembers.get(name), none);
    if (!ts.isIdentifier(object)) return undefined;
    const declared = this.fs.findDeclaration(object)?.parent;
    if (!declared) return undefined;
    // `const self = this; … self.m()`: `this` where the alias is declared.
    if (ts.isVariableDeclaration(declared) && declared.initializer?.kind === ts.SyntaxKind.ThisKeyword) return this.memberOfThis(declared, name);
    if (ts.isClassDeclaration(declared)) return this.found(this.classMembers.get(declared)?.get(name), none);
    if (!ts.isVariableDeclaration(declared) || !declared.initializer) return undefined;
    const init = stripped(declared.initializer);
    if (ts.isObjectLiteralExpression(init)) return this.found(this.objectMembers.get(init)?.get(name), none);
    if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
      const classDeclaration = this.fs.findDeclaration(init.expression)?.parent;
      if (classDeclaration && ts.isClassLike(classDeclaration)) return this.found(this.classMembers.get(classDeclaration)?.get(name), none);
    }
    // `const store = createStore(file)`: the factory's returned object literal, its parameters bound.
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression)) {
      const factory = this.functionOf(init.expression);
      const returned = factory && returnedObject(factory);
      const method = returned && this.objectMembers.get(returned)?.get(name);
      if (!factory || !method) return undefined;
      const captured = new Map<string, string>();
      factory.parameters.forEach((parameter, index) => {
        const argument = init.arguments[index];
        if (argument && ts.isIdentifier(parameter.name)) captured.set(bindingToken(parameter.name), pathKey(argument, this.fs.sourceFile, this.fs));
      });
      return { callable: method, captured };
    }
    return undefined;
  }

  /**
   * `this.m()` at `site`: the enclosing class's method, a sibling in the enclosing object literal, or, in an ES5
   * prototype method or constructor (`FsLock.prototype.setLock = function …`, `function FsLock() {…}`), a method
   * assigned to the same prototype (labelled study batch D: node-fslock's lock breaking).
   */
  private memberOfThis(site: ts.Node, name: string): { callable: ts.SignatureDeclaration; captured: Map<string, string> } | undefined {
    for (let node: ts.Node | undefined = site.parent; node; node = node.parent) {
      if (ts.isClassLike(node)) return this.found(this.classMembers.get(node)?.get(name), new Map());
      if (ts.isObjectLiteralExpression(node)) return this.found(this.objectMembers.get(node)?.get(name), new Map());
      const constructorName = ts.isFunctionExpression(node) ? prototypeOwner(node)?.constructorName : ts.isFunctionDeclaration(node) ? node.name?.text : undefined;
      const method = constructorName === undefined ? undefined : this.prototypeMembers.get(constructorName)?.get(name);
      if (method) return this.found(method, new Map());
    }
    return undefined;
  }

  private found(callable: ts.SignatureDeclaration | undefined, captured: Map<string, string>) {
    return callable && { callable, captured };
  }

  /** A function declaration or a `const` bound to a function expression, by a name that refers to it. */
  private functionOf(name: ts.Identifier): ts.SignatureDeclaration | undefined {
    const declared = this.fs.findDeclaration(name)?.parent;
    if (!declared) return undefined;
    if (ts.isFunctionDeclaration(declared) && declared.body) return declared;
    if (ts.isVariableDeclaration(declared) && declared.initializer) {
      const init = stripped(declared.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
}

const callablesOfModel = new WeakMap<FsModel, Callables>();

/** The file's callables, built once per analysis. */
export function callablesOf(fs: FsModel): Callables {
  let callables = callablesOfModel.get(fs);
  if (!callables) callablesOfModel.set(fs, (callables = new Callables(fs)));
  return callables;
}

/**
 * `this.queue(key, async () => { read; write })` where the same-file `queue` chains the task after the
 * previous one it stored (`const next = previous.then(task); this.queues.set(id, next)`): a per-key promise
 * queue, so the callbacks it is handed never overlap inside this process, as under a mutex (seed 38).
 */
export function serializesCallback(fs: FsModel, call: ts.CallExpression, fn: ts.Node): boolean {
  const index = call.arguments.indexOf(fn as ts.Expression);
  const target = index < 0 ? undefined : callablesOf(fs).resolve(call);
  const parameter = target?.parameters[index];
  if (!target || !parameter || !ts.isIdentifier(parameter.name) || !("body" in target.callable) || !target.callable.body) return false;
  const task = parameter.name.text.replace(/[$]/g, "\\$");
  const body = target.callable.body.getText(fs.sourceFile);
  // The task runs as the continuation of a stored promise, and the chain is stored for the next caller.
  const chained = new RegExp(String.raw`\.then\(\s*(${task}\s*[,)]|(async\s*)?\(\s*\)\s*=>\s*(await\s+)?${task}\s*\()`).test(body);
  return chained && /\.set\(|\bthis\.[\w$#]+\s*=[^=]|^\s*[\w$]+\s*=[^=]/m.test(body);
}

/** A library lock's run (`queue.add(task)` of a `new PQueue({ concurrency: 1 })`, `mutex.runExclusive(task)`), whatever its name. */
function runsExclusively(fs: FsModel, call: ts.CallExpression): boolean {
  return fs.calls.some((resolved) => resolved.call === call && resolved.fn.op === "lock-run" && resolved.instance?.exclusive !== false);
}

/** Both nodes run inside one callback handed to a lock helper, a library lock or a same-file promise queue (see serializesCallback). */
export function serializedTogether(fs: FsModel, first: ts.Node, second: ts.Node, depth = 0): boolean {
  for (let node: ts.Node | undefined = first.parent; node; node = node.parent) {
    if (second.pos < node.pos || second.end > node.end) continue;
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent && ts.isCallExpression(node.parent)) {
      if (MUTEX_CALLS.test(node.parent.expression.getText(fs.sourceFile)) || runsExclusively(fs, node.parent) || serializesCallback(fs, node.parent, node)) return true;
      continue;
    }
    // A helper (`compactUnlocked`) whose every same-file call runs inside such a callback, or after its
    // caller took a lock (`await this.lock(); … this.readFile()`).
    if (ts.isFunctionLike(node)) return depth === 0 && everyCallSerialized(fs, node as ts.SignatureDeclaration);
  }
  return false;
}

/** An awaited lock acquisition, as a call's name says (`await lockfile.lock(p)`, `await mutex.acquire()`). */
const ACQUIRE = /^(lock|acquire|acquireLock|acquireFileLock|lockFile|obtainLock|waitForLock)$/i;

/**
 * In `scope`'s own body (not a nested function), before `site`: an awaited lock acquisition
 * (`const release = await lockfile.lock(p)`, `await mutex.acquire()`) or an in-process wait loop
 * (`while (locks.has(k)) await locks.get(k)`; process-local-lock reports how far that reaches).
 */
export function acquiredBefore(site: ts.Node, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  return someNodeBefore(site, scope, (node) =>
    (ts.isAwaitExpression(node) && ts.isCallExpression(node.expression) && ACQUIRE.test(calleeName(node.expression.expression) ?? "")) ||
    (ts.isWhileStatement(node) && /\.has\(/.test(node.expression.getText(sourceFile)) && /await\s/.test(node.statement.getText(sourceFile))) ||
    takesLockFileFor(node, site, sourceFile),
  );
}

/** In `scope`'s own body, before `site`: a lock file taken by an exclusive create (a lock of every process). */
function exclusiveLockTakenBefore(site: ts.Node, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  return mentionsExclusiveCreate(sourceFile) && someNodeBefore(site, scope, (node) => takesLockFileFor(node, site, sourceFile));
}

/**
 * In `scope`'s own body, before `site`: a lock of every process, from a library the table knows to lock across
 * processes (`await lockfile.lock(file)` from proper-lockfile, `lockfile.lockSync(p)`), or a lock file taken by an
 * exclusive create. Only its holder gets past it, in this process or another.
 */
export function processLockHeldBefore(fsModel: FsModel, site: ts.Node, scope: ts.Node, sourceFile: ts.SourceFile): boolean {
  const locks = crossProcessLocks(fsModel);
  return (locks.size > 0 && someNodeBefore(site, scope, (node) => locks.has(node))) || exclusiveLockTakenBefore(site, scope, sourceFile);
}

/** The calls that take a lock of every process, per model (asked once per temp pair). */
function crossProcessLocks(fsModel: FsModel): ReadonlySet<ts.Node> {
  let locks = crossProcessLockCalls.get(fsModel);
  if (!locks) crossProcessLockCalls.set(fsModel, (locks = new Set(fsModel.calls.filter((call) => call.fn.op === "lock" && call.fn.crossProcess).map((call) => call.call))));
  return locks;
}

const crossProcessLockCalls = new WeakMap<FsModel, ReadonlySet<ts.Node>>();

/** Cheap text test before any walk: an exclusive flag or a mkdir somewhere in the file. */
function mentionsExclusiveCreate(sourceFile: ts.SourceFile): boolean {
  let mentions = exclusiveMentions.get(sourceFile);
  if (mentions === undefined) exclusiveMentions.set(sourceFile, (mentions = /["'`]wx|O_EXCL|mkdir/.test(sourceFile.text)));
  return mentions;
}

const exclusiveMentions = new WeakMap<ts.SourceFile, boolean>();

/** A node of `scope`'s own body (not of a nested function) that starts before `site` and that `matches`. */
function someNodeBefore(site: ts.Node, scope: ts.Node, matches: (node: ts.Node) => boolean): boolean {
  const body = ts.isFunctionLike(scope) && "body" in scope ? scope.body : scope;
  if (!body) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.pos >= site.pos || (node !== body && ts.isFunctionLike(node))) return;
    if (matches(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** An exclusive create of a lock file whose success `site` runs after (not in the catch of its failure). */
function takesLockFileFor(node: ts.Node, site: ts.Node, sourceFile: ts.SourceFile): boolean {
  return ts.isCallExpression(node) && createsLockExclusively(node, sourceFile) && !handlesItsFailure(node, site);
}

/** `site` is in the catch of a try around `call`: it runs when `call` failed (the lock was not taken). */
function handlesItsFailure(call: ts.Node, site: ts.Node): boolean {
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    if (ts.isTryStatement(node) && node.catchClause && node.tryBlock.pos <= call.pos && call.end <= node.tryBlock.end) {
      if (node.catchClause.pos <= site.pos && site.end <= node.catchClause.end) return true;
    }
    if (ts.isFunctionLike(node)) return false;
  }
  return false;
}

/**
 * A lock file taken by an exclusive create: `open(lockFile, "wx")` / `O_CREAT | O_EXCL`, `writeFile(lock, pid,
 * { flag: "wx" })`, or `mkdir(lockDir)` without `recursive`, on a path named as a lock. Whoever gets past it holds
 * the lock in every process until it removes the file (seed 50: a settings update under `settings.json.lock`).
 * Whether its stale recovery races is racy-stale-takeover's question.
 */
function createsLockExclusively(call: ts.CallExpression, sourceFile: ts.SourceFile): boolean {
  const name = calleeName(call.expression);
  if (!EXCLUSIVE_CREATORS.test(name)) return false;
  const [path, second, third] = call.arguments;
  if (!path || !NAMES_A_LOCK.test(path.getText(sourceFile))) return false;
  if (/^(open|openSync)$/.test(name)) return second !== undefined && EXCLUSIVE_FLAG.test(second.getText(sourceFile));
  if (/^(writeFile|writeFileSync)$/.test(name)) return third !== undefined && new RegExp(String.raw`\bflag\s*:\s*(${EXCLUSIVE_FLAG.source})`).test(third.getText(sourceFile));
  if (/^(mkdir|mkdirSync)$/.test(name)) return !/recursive\s*:\s*true/.test(call.getText(sourceFile));
  return false;
}

const EXCLUSIVE_CREATORS = /^(open|openSync|writeFile|writeFileSync|mkdir|mkdirSync)$/;
const EXCLUSIVE_FLAG = /["'`]wx\+?["'`]|\bO_EXCL\b/;

/**
 * A function that never overlaps itself in one process: it starts with a busy flag test that returns or throws
 * (`if (self.reloadInProcess) return`) and sets the flag before `site` (`self.reloadInProcess = true`); a queue
 * or a later call picks up what arrives meanwhile (scale study, seed 41).
 */
export function reentryGuarded(scope: ts.Node, site: ts.Node, sourceFile: ts.SourceFile): boolean {
  const body = ts.isFunctionLike(scope) && "body" in scope ? scope.body : undefined;
  if (!body || !ts.isBlock(body)) return false;
  const flags = new Set<string>();
  const busyKeys = new Set<string>();
  for (const statement of body.statements) {
    if (statement.pos >= site.pos) break;
    if (ts.isIfStatement(statement) && !statement.elseStatement && endsInReturnOrThrow(statement.thenStatement)) {
      if (ts.isPropertyAccessExpression(statement.expression) || ts.isIdentifier(statement.expression)) flags.add(statement.expression.getText(sourceFile));
      const tested = setMembership(statement.expression, "has", sourceFile);
      if (tested) busyKeys.add(tested);
    }
    const expression = ts.isExpressionStatement(statement) ? statement.expression : undefined;
    if (expression && ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && expression.right.kind === ts.SyntaxKind.TrueKeyword && flags.has(expression.left.getText(sourceFile))) return true;
    // A busy set per key: `if (this.writing.has(key)) { this.pending.add(key); return } this.writing.add(key)` (scale
    // study, seed 73: a JSON store's per-file write queue).
    const added = expression && setMembership(expression, "add", sourceFile);
    if (added && busyKeys.has(added)) return true;
  }
  return false;
}

/** `set.has(key)` (or `set?.has(key)`) as "set key", for the method named. */
function setMembership(expression: ts.Expression, method: "has" | "add", sourceFile: ts.SourceFile): string | undefined {
  if (!ts.isCallExpression(expression) || expression.arguments.length !== 1 || !ts.isPropertyAccessExpression(expression.expression) || expression.expression.name.text !== method) return undefined;
  return `${expression.expression.expression.getText(sourceFile)} ${expression.arguments[0]!.getText(sourceFile)}`;
}

/**
 * `reentryGuarded`, or a helper whose every same-file call runs in such a function, after its busy flag is set
 * (`if (self.reloading) return; self.reloading = true; … .then(() => self.createRootConf())`).
 */
export function neverOverlapsItself(fs: FsModel, scope: ts.Node, site: ts.Node): boolean {
  if (reentryGuarded(scope, site, fs.sourceFile)) return true;
  if (!ts.isFunctionLike(scope)) return false;
  if (dispatchedOnlyWhenFree(fs, scope as ts.SignatureDeclaration, site)) return true;
  const calls = sameFileCalls(fs, scope as ts.SignatureDeclaration);
  return calls.length > 0 && calls.every((call) => {
    const caller = owningFunction(call);
    return caller !== undefined && reentryGuarded(caller, call, fs.sourceFile);
  });
}

/**
 * A writer that sets its busy flag before `site` (`this.#locked = true`) and that its callers reach only while the
 * flag is clear: `return this.#locked ? this.#add(data) : this.#write(data)` (steno, lowdb's writer: the
 * labelled study), or `if (!this.busy) this.flush()`. Only for a writer no other module can call.
 */
function dispatchedOnlyWhenFree(fs: FsModel, callable: ts.SignatureDeclaration, site: ts.Node): boolean {
  const body = "body" in callable ? callable.body : undefined;
  if (!body || !ts.isBlock(body) || !onlyCalledHere(fs, callable)) return false;
  const flags = new Set<string>();
  for (const statement of body.statements) {
    if (statement.pos <= site.pos && site.end <= statement.end) break;
    const expression = ts.isExpressionStatement(statement) ? statement.expression : undefined;
    if (expression && ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && expression.right.kind === ts.SyntaxKind.TrueKeyword) flags.add(expression.left.getText(fs.sourceFile));
  }
  if (flags.size === 0) return false;
  const calls = sameFileCalls(fs, callable);
  return calls.length > 0 && calls.every((call) => reachedOnlyWhenClear(call, flags, fs.sourceFile));
}

/** `flag ? other : call`, `if (!flag) call`, `if (flag) … else call`, in the call's own function. */
function reachedOnlyWhenClear(call: ts.Node, flags: ReadonlySet<string>, sourceFile: ts.SourceFile): boolean {
  for (let child: ts.Node = call, node = call.parent; node && !ts.isFunctionLike(node); child = node, node = node.parent) {
    if (ts.isConditionalExpression(node) && node.whenFalse === child && flags.has(node.condition.getText(sourceFile))) return true;
    if (ts.isIfStatement(node)) {
      const condition = node.expression;
      if (node.elseStatement === child && flags.has(condition.getText(sourceFile))) return true;
      if (node.thenStatement === child && ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken && flags.has(condition.operand.getText(sourceFile))) return true;
    }
  }
  return false;
}

/** The calls in this file that resolve to `callable` (`f()`, `this.f()`, `self.f()`), found by its name. */
export function sameFileCalls(fs: FsModel, callable: ts.SignatureDeclaration): ts.CallExpression[] {
  const name = functionName(callable);
  const callables = callablesOf(fs);
  return name === undefined ? [] : (callsByName(fs).get(name) ?? []).filter((call) => callables.resolve(call)?.callable === callable);
}

/**
 * Whether `sameFileCalls` are all of `callable`'s calls: a `private` or `#` method, or a function the module
 * does not export, whose name this file spells nowhere but at its declaration and those calls (not handed on as
 * a value, not reached through `this[name]`).
 */
export function onlyCalledHere(fs: FsModel, callable: ts.SignatureDeclaration): boolean {
  const name = functionName(callable);
  if (name === undefined) return false;
  if (ts.isMethodDeclaration(callable)) {
    const hidden = ts.isPrivateIdentifier(callable.name) || (ts.getCombinedModifierFlags(callable) & ts.ModifierFlags.Private) !== 0;
    if (!hidden) return false;
  } else {
    const declaration = ts.isFunctionDeclaration(callable) ? callable : ts.isVariableDeclaration(callable.parent) ? callable.parent : undefined;
    if (!declaration || ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) return false;
  }
  // Another object's member of that name (`fs.copyFile` beside a private `copyFile`) is not a spelling of it; a
  // method's own `this.name` is (seed 43). Words in comments are not (`// bot.js – main entry point` above `async
  // function main()`: scale study, seed 78); a string of the name is (`this["name"]`).
  const counts = spellingsOf(fs.sourceFile).get(name);
  const spelled = (counts?.plain ?? 0) + (ts.isMethodDeclaration(callable) ? counts?.own ?? 0 : 0);
  return spelled === sameFileCalls(fs, callable).length + 1;
}

const spellingsByFile = new WeakMap<ts.SourceFile, Map<string, { plain: number; own: number }>>();

/**
 * How often the file's code spells each name: as an identifier or a string (`plain`), and as a member of `this`,
 * `self`, `that` or `_this` (`own`); a member of anything else (`fs.copyFile`) is not counted. Found once per file.
 */
function spellingsOf(sourceFile: ts.SourceFile): Map<string, { plain: number; own: number }> {
  let spellings = spellingsByFile.get(sourceFile);
  if (spellings) return spellings;
  const found = new Map<string, { plain: number; own: number }>();
  const count = (text: string, kind: "plain" | "own") => {
    let entry = found.get(text);
    if (!entry) found.set(text, (entry = { plain: 0, own: 0 }));
    entry[kind]++;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const parent = node.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) {
        const object = parent.expression;
        if (object.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(object) && /^(self|that|_this)$/.test(object.text))) count(node.text, "own");
      } else count(node.text, "plain");
    } else if (ts.isStringLiteralLike(node)) count(node.text, "plain");
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  spellingsByFile.set(sourceFile, (spellings = found));
  return spellings;
}

function everyCallSerialized(fs: FsModel, callable: ts.SignatureDeclaration): boolean {
  let answers = serializedCallables.get(fs);
  if (!answers) serializedCallables.set(fs, (answers = new Map()));
  let answer = answers.get(callable);
  if (answer === undefined) {
    const calls = sameFileCalls(fs, callable);
    const afterAcquisition = (call: ts.CallExpression) => {
      const caller = owningFunction(call);
      return caller !== undefined && acquiredBefore(call, caller, fs.sourceFile);
    };
    answers.set(callable, (answer = calls.length > 0 && calls.every((call) => serializedTogether(fs, call, call, 1) || afterAcquisition(call))));
  }
  return answer;
}

const serializedCallables = new WeakMap<FsModel, Map<ts.Node, boolean>>();

/** The file's calls by the called name (`f` in `f()` and `this.f()`), indexed once per analysis. */
function callsByName(fs: FsModel): Map<string, ts.CallExpression[]> {
  let index = callIndexes.get(fs);
  if (!index) {
    index = new Map();
    for (const call of fs.index.calls) {
      const name = calleeName(call.expression);
      if (!name) continue;
      const list = index.get(name);
      if (list) list.push(call);
      else index.set(name, [call]);
    }
    callIndexes.set(fs, index);
  }
  return index;
}

const callIndexes = new WeakMap<FsModel, Map<string, ts.CallExpression[]>>();

/** `exports` or `module.exports`. */
function isExportsObject(expression: ts.Expression): boolean {
  return (ts.isIdentifier(expression) && expression.text === "exports") || (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "module" && expression.name.text === "exports");
}

function stripped(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return node;
}

/** The object literal a factory returns (`return { … }`, or an arrow's `({ … })`). */
function returnedObject(factory: ts.SignatureDeclaration): ts.ObjectLiteralExpression | undefined {
  return returnedExpressions(factory).map(stripped).find(ts.isObjectLiteralExpression);
}

/** What a function returns: its expression body, or the values of the `return` statements of its own body. */
export function returnedExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  const body = "body" in fn ? (fn.body as ts.Node | undefined) : undefined;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body as ts.Expression];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** Calls that run their function arguments before they settle, as part of the caller's flow. */
const RUNS_NOW_METHODS = new Set(["then", "catch", "finally", "map", "forEach", "filter", "reduce", "reduceRight", "some", "every", "flatMap", "find", "findIndex", "findLast", "sort"]);
/** Lock helpers by name (a queue by name alone may run tasks side by side: `async.queue(worker, 5)`). */
const MUTEX_CALLS = /lock|exclusive|mutex|synchroni[sz]ed|serial|acquire|critical/i;
/** Helpers that run a callback under a lock or in a queue (custom ones included: `this.lock.withLock(fn)`). */
export const LOCK_CALLS = new RegExp(`${MUTEX_CALLS.source}|queue`, "i");

/**
 * The call that runs `fn` as part of its caller's flow, when `fn` is passed straight to one that does:
 * promise continuations, array iteration, and lock or queue helpers (a `new Promise` executor is part of its
 * function's own flow: `isPromiseExecutor`). Event handlers, route handlers and timers are not: they run later, on
 * their own.
 */
export function runningCall(fn: ts.Node): ts.CallExpression | undefined {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  const parent = fn.parent;
  if (!parent || !ts.isCallExpression(parent) || !parent.arguments.includes(fn)) return undefined;
  const name = calleeName(parent.expression);
  if (RUNS_NOW_METHODS.has(name) && ts.isPropertyAccessExpression(parent.expression)) return parent;
  if (LOCK_CALLS.test(name)) return parent;
  return undefined;
}

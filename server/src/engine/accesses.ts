import { ts } from "./ts";
import { calleeName, insideCallbackOf, isAsyncFunction, owningFunction } from "./ast";
import { within } from "./existenceGuards";
import type { RuleContext } from "./rule";
import { pathKey, constInitializer, tempWritePairs, type PathOp } from "./protocol";
import { LOCK_CALLS } from "./callables";

/**
 * Which files a function reads and writes, including through helpers defined in the same file and the
 * callbacks it runs (see protocol.ts), for the read-modify-write and concurrency rules. `site` is the node
 * in *this* function: the library call itself, or the helper call.
 */
export interface FileAccess {
  kind: "read" | "write";
  key: string;
  /** The path with consts resolved: usable text for a fix when its names are visible at the site. */
  path: ts.Expression;
  /** The path as written at the access (for messages). */
  written: ts.Expression;
  site: ts.Node;
  /** The access happens in this very function (not through a helper). */
  direct: boolean;
  /** The fs (or runtime) call itself, also when reached through helpers. */
  origin: ts.Node;
  /** For writes: the expressions the stored data comes from (empty when a helper's own state is written). */
  data: ts.Expression[];
  /** For a helper's write of the module's own state (`save()` writing `cache`): those module-level variables, as the helper names them. */
  state?: ts.Identifier[];
  /** Performed by a synchronous call (readFileSync, writeFileSync, renameSync): nothing else of this process runs meanwhile. */
  sync: boolean;
  /**
   * Serialised against other writes of the same path: inside a callback that holds a lock, or through a
   * writer that queues same-path writes (the runtime, write-file-atomic).
   */
  serialized: boolean;
  /** Made only on an error path of its function or a helper's (`catch { return this.waitForLock(file) }`). */
  onErrorPath?: boolean;
}

/** Inside a function passed to a lock-taking call (`withFileLock(p, async () => …)`, `mutex.runExclusive(…)`). */
export function insideLockCallback(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  return insideCallbackOf(node, (call) => LOCK_CALLS.test(call.expression.getText(sourceFile)));
}

/** Writers and JSON readers of other modules (not resolved to a library): by name, the common ones. */
const ATOMIC_WRITERS = /^(atomicWriteFile|atomicWriteFileSync|atomicWriteJson|atomicWriteJsonSync|writeFileAtomic|writeFileAtomicSync|writeJsonAtomic|outputFileAtomic)$/;
const JSON_READERS = /^(readJsonFile|readJson|readJSON|loadJsonFile)$/;

/**
 * Reads and writes per function, from its protocol (which includes its same-file helpers and the callbacks
 * it runs), plus calls of other modules' atomic writers and JSON readers by their common names.
 */
export function fileAccesses(context: RuleContext): Map<ts.Node, FileAccess[]> {
  const { sourceFile, fs } = context;
  const result = new Map<ts.Node, FileAccess[]>();
  const add = (scope: ts.Node, access: FileAccess) => {
    const list = result.get(scope);
    if (list) list.push(access);
    else result.set(scope, [access]);
  };
  const resolved = (expression: ts.Expression): ts.Expression => {
    let current = expression;
    for (let depth = 0; depth < 4; depth++) {
      const next = constInitializer(current, fs);
      if (!next) break;
      current = next;
    }
    return current;
  };
  const protocols = context.protocols();
  for (const protocol of protocols.values()) {
    const pairs = tempWritePairs(protocol);
    // A helper's own temp and rename (`this.write(file)` writing `${path}.tmp` and renaming it in) pair inside
    // its call: the rename publishes what the call's arguments hold (scale study, seed 68).
    // Only when what the helper writes comes from its parameters: one that writes the module's or the object's own
    // state (`persistState(base)` writing `state`) stores something the call's arguments do not show.
    const helperTemp = (rename: PathOp) => (rename.direct ? undefined : protocol.writes.find((write) => !write.direct && write.call === rename.call && write.key === rename.key && write.origin.pos < rename.origin.pos && writesOnlyItsParameters(write, fs)));
    const temps = new Set([...pairs.map((pair) => pair.write), ...protocol.renames.map(helperTemp).filter((write) => write !== undefined)]);
    const access = (kind: FileAccess["kind"], op: PathOp, key: string, path: ts.Expression, data: ts.Expression[] = []): FileAccess => ({
      kind,
      key,
      path: resolved(path),
      written: path,
      site: op.call,
      direct: op.direct,
      origin: op.origin,
      data,
      sync: op.fn.style === "sync",
      serialized: op.fn.serializesSamePath === true || insideLockCallback(op.call, sourceFile) || (!op.direct && insideLockCallback(op.origin, sourceFile)),
      ...(op.onErrorPath ? { onErrorPath: true } : {}),
    });
    for (const read of protocol.reads) add(protocol.scope, access("read", read, read.key, read.path));
    // A helper's repair or creation of the file (on its error path, or when it was missing) is not a write of the caller's flow.
    for (const write of protocol.writes) {
      if (temps.has(write) || (!write.direct && write.conditional)) continue;
      const data = writtenData(write);
      const state = write.direct || data.length > 0 ? [] : moduleState(write, sourceFile, fs);
      add(protocol.scope, { ...access("write", write, write.key, write.path, data), ...(state.length > 0 ? { state } : {}) });
    }
    for (const rename of protocol.renames) {
      const temp = pairs.find((pair) => pair.rename === rename)?.write ?? helperTemp(rename);
      add(protocol.scope, access("write", rename, rename.toKey, rename.to, temp ? writtenData(temp) : []));
    }
  }
  // Other modules' atomic writers and JSON readers, by name (the runtime and libraries are in the protocols).
  const libraryCalls = new Set(fs.calls.map((call) => call.call));
  for (const node of fs.index.calls) {
    const name = calleeName(node.expression);
    if (!node.arguments[0] || libraryCalls.has(node) || !(ATOMIC_WRITERS.test(name) || JSON_READERS.test(name))) continue;
    if (isLocalFunctionCall(node, fs)) continue;
    const kind = ATOMIC_WRITERS.test(name) ? "write" : "read";
    const path = node.arguments[0];
    add(fs.protocolScopeOf(node), { kind, key: pathKey(path, sourceFile, fs), path: resolved(path), written: path, site: node, direct: true, origin: node, data: node.arguments.slice(1), sync: /Sync$/.test(name) || usedAsSynchronous(node), serialized: kind === "write" || insideLockCallback(node, sourceFile) });
  }
  for (const list of result.values()) list.sort((a, b) => a.site.pos - b.site.pos);
  return result;
}

/**
 * The helper's library call stores what its parameters hold: its data names no variable declared outside the helper
 * and no member of `this`, also through the helper's own consts (`const body = JSON.stringify(file)`).
 */
function writesOnlyItsParameters(write: PathOp, fs: RuleContext["fs"]): boolean {
  const helper = owningFunction(write.origin);
  if (!helper || !ts.isCallExpression(write.origin)) return false;
  const own = (expression: ts.Node, depth: number): boolean => {
    if (expression.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (ts.isIdentifier(expression)) {
      const parent = expression.parent;
      // A property's name (`state.active`'s `active`, `{ active: … }`'s key) is no variable.
      if (parent && ((ts.isPropertyAccessExpression(parent) && parent.name === expression) || (ts.isPropertyAssignment(parent) && parent.name === expression))) return true;
      const declared = fs.findDeclaration(expression);
      if (!declared) return true; // a global: JSON, Buffer
      if (!within(declared, helper)) return !isVariable(declared);
      const initializer = constInitializer(expression, fs);
      return !initializer || depth > 3 || own(initializer, depth + 1);
    }
    return ts.forEachChild(expression, (child) => (own(child, depth) ? undefined : true)) !== true;
  };
  return write.origin.arguments.slice(1).every((data) => own(data, 0));
}

/**
 * The module-level variables a helper's library call stores (`function save() { writeFileSync(p, JSON.stringify(cache)) }`):
 * the same bindings at every caller in the file, so a caller that replaces one before the call (`cache = {}; save()`)
 * decides what is written.
 */
function moduleState(write: PathOp, sourceFile: ts.SourceFile, fs: RuleContext["fs"]): ts.Identifier[] {
  if (!ts.isCallExpression(write.origin)) return [];
  const names: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declared = fs.findDeclaration(node);
      // name → declaration → list → statement → the file
      if (declared && isVariable(declared) && declared.parent.parent?.parent?.parent === sourceFile) names.push(node);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression);
    ts.forEachChild(node, visit);
  };
  for (const data of write.origin.arguments.slice(1)) visit(data);
  return names;
}

/** A `let`, `var` or `const` (not an import, a function or a class): a binding that holds state. */
function isVariable(name: ts.Node): boolean {
  const declaration = name.parent;
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && !(declaration.initializer && (ts.isFunctionLike(declaration.initializer) || isRequire(declaration.initializer)));
}

function isRequire(expression: ts.Expression): boolean {
  return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "require";
}

/**
 * Another module's writer or reader called as a plain statement inside a `try` of a function that is not async
 * (`try { writeFileAtomic(file, text); return true } catch { return false }`): its caller counts on it finishing,
 * and failing, before the next statement, as a synchronous call does. A promise-returning one used so would
 * escape the `catch` (scale study, seed 69: a VS Code extension's `writeFileAtomic`, writeFileSync and renameSync).
 */
function usedAsSynchronous(call: ts.CallExpression): boolean {
  if (!ts.isExpressionStatement(call.parent)) return false;
  for (let node: ts.Node = call.parent; node.parent; node = node.parent) {
    if (ts.isFunctionLike(node.parent)) return false;
    if (ts.isTryStatement(node.parent) && node.parent.tryBlock === node) {
      const fn = owningFunction(node.parent);
      return fn !== undefined && !isAsyncFunction(fn);
    }
  }
  return false;
}

/** What a write stores: the library call's data arguments, or the helper call's arguments other than the path. */
function writtenData(write: PathOp): ts.Expression[] {
  if (write.direct) return write.origin.arguments.slice(1);
  return write.call.arguments.filter((argument) => argument !== write.path);
}

function isLocalFunctionCall(call: ts.CallExpression, fs: RuleContext["fs"]): boolean {
  if (!ts.isIdentifier(call.expression)) return false;
  const declared = fs.findDeclaration(call.expression)?.parent;
  return declared !== undefined && (ts.isFunctionDeclaration(declared) || (ts.isVariableDeclaration(declared) && declared.initializer !== undefined && ts.isFunctionLike(declared.initializer)));
}

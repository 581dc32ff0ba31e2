import { ts } from "./ts";
import { calleeName } from "./ast";
import type { RuleContext } from "./rule";
import { pathKey, constInitializer, tempWritePairs } from "./protocol";
import type { SyntaxIndex } from "./fsModel";

/**
 * Which files a function reads and writes, including through helpers defined in the same file
 * (function declarations, const arrow functions, `this.method()`), for the read-modify-write and
 * concurrency rules. `site` is the node in *this* function: the fs call itself, or the helper call.
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
  /**
   * Serialised against other writes of the same path: inside a callback that holds a lock, or through a
   * writer that queues same-path writes (the runtime, write-file-atomic).
   */
  serialized: boolean;
}

const LOCK_CALLS = /lock|exclusive|mutex|synchroni[sz]ed|serial|acquire|critical/i;

/** Inside a function passed to a lock-taking call (`withFileLock(p, async () => …)`, `mutex.runExclusive(…)`). */
export function insideLockCallback(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && current.parent && ts.isCallExpression(current.parent) && LOCK_CALLS.test(current.parent.expression.getText(sourceFile))) return true;
  }
  return false;
}

const ATOMIC_WRITERS = /^(atomicWriteFile|atomicWriteFileSync|atomicWriteJson|atomicWriteJsonSync|writeFileAtomic|writeFileAtomicSync|writeJsonAtomic|outputFileAtomic)$/;
const JSON_READERS = /^(readJsonFile|readJson|readJSON|loadJsonFile)$/;

export function fileAccesses(context: RuleContext): Map<ts.Node, FileAccess[]> {
  const { sourceFile, fs } = context;
  const direct = new Map<ts.Node, FileAccess[]>();
  const add = (scope: ts.Node, partial: Omit<FileAccess, "serialized" | "origin">, queued = false) => {
    const access: FileAccess = { ...partial, origin: partial.site, serialized: queued || insideLockCallback(partial.site, sourceFile) };
    const list = direct.get(scope) ?? [];
    list.push(access);
    direct.set(scope, list);
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
  for (const protocol of context.protocols().values()) {
    const temps = new Set(tempWritePairs(protocol).map((pair) => pair.write));
    for (const read of protocol.reads) add(protocol.scope, { kind: "read", key: read.key, path: resolved(read.path), written: read.path, site: read.call, direct: true });
    for (const write of protocol.writes) {
      if (!temps.has(write)) add(protocol.scope, { kind: "write", key: write.key, path: resolved(write.path), written: write.path, site: write.call, direct: true });
    }
    for (const rename of protocol.renames) add(protocol.scope, { kind: "write", key: rename.toKey, path: resolved(rename.to), written: rename.to, site: rename.call, direct: true });
  }
  // One walk: writers/readers outside the fs modules (atomic writers count: seed 002), and calls of
  // same-file helpers, recorded as edges from every function the call runs in.
  const functions = localFunctions(fs.index);
  const edges = new Map<ts.Node, { call: ts.CallExpression; target: ts.Node }[]>();
  for (const node of fs.index.calls) {
    const name = calleeName(node.expression);
    if (node.arguments[0] && (ATOMIC_WRITERS.test(name) || JSON_READERS.test(name))) {
      const kind = ATOMIC_WRITERS.test(name) ? "write" : "read";
      const path = node.arguments[0];
      add(fs.protocolScopeOf(node), { kind, key: pathKey(path, sourceFile, fs), path: resolved(path), written: path, site: node, direct: true }, kind === "write");
    } else if (functions.names.has(name)) {
      const target = resolveLocalCall(node, functions, fs);
      if (target) for (const owner of runningScopes(node)) if (owner !== target) (edges.get(owner) ?? edges.set(owner, []).get(owner)!).push({ call: node, target });
    }
  }

  const memo = new Map<ts.Node, FileAccess[]>();
  const summarize = (scope: ts.Node, stack: Set<ts.Node>): FileAccess[] => {
    const cached = memo.get(scope);
    if (cached) return cached;
    const accesses = [...(direct.get(scope) ?? [])];
    if (!stack.has(scope)) {
      stack.add(scope);
      for (const { call, target } of edges.get(scope) ?? []) {
        const inner = summarize(target, stack);
        if (inner.length === 0) continue;
        const substitute = argumentSubstitution(target, call, sourceFile, fs);
        const callLocked = insideLockCallback(call, sourceFile);
        for (const access of inner) {
          accesses.push({ ...access, key: substitute(access.key), site: call, written: access.path, direct: false, serialized: access.serialized || callLocked });
        }
      }
      stack.delete(scope);
    }
    accesses.sort((a, b) => a.site.pos - b.site.pos);
    memo.set(scope, accesses);
    return accesses;
  };
  const result = new Map<ts.Node, FileAccess[]>();
  for (const scope of new Set<ts.Node>([...direct.keys(), ...edges.keys()])) {
    const accesses = summarize(scope, new Set());
    if (accesses.length > 0) result.set(scope, accesses);
  }
  return result;
}

/**
 * The functions a call runs in: its enclosing function, and on through callbacks passed straight to
 * calls (`Promise.all(xs.map(async (x) => helper(x)))` runs as part of the outer function).
 */
function runningScopes(node: ts.Node): ts.Node[] {
  const scopes: ts.Node[] = [];
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isSourceFile(current)) {
      scopes.push(current);
      break;
    }
    if (!ts.isFunctionLike(current)) continue;
    scopes.push(current);
    if (!isInlineCallback(current)) break;
  }
  return scopes;
}

/**
 * Rewrites a helper's path key in terms of one call's arguments: `save(file)` called as `save("a")`
 * writes `"a"`, so two calls with different arguments are different files.
 */
function argumentSubstitution(target: ts.Node, call: ts.CallExpression, sourceFile: ts.SourceFile, fs: RuleContext["fs"]): (key: string) => string {
  if (!ts.isFunctionLike(target)) return (key) => key;
  const replacements: [RegExp, string][] = [];
  target.parameters.forEach((parameter, index) => {
    const argument = call.arguments[index];
    if (!ts.isIdentifier(parameter.name) || !argument) return;
    replacements.push([new RegExp(`(?<![.\\w$])${parameter.name.text}(?![\\w$])`, "g"), pathKey(argument, sourceFile, fs)]);
  });
  return (key) => replacements.reduce((current, [pattern, value]) => current.replace(pattern, value), key);
}



interface LocalFunctions {
  /** Every name a local function can be called by (function names and method names). */
  names: Set<string>;
  byName: Map<string, ts.Node>;
  methods: Map<ts.ClassLikeDeclaration, Map<string, ts.Node>>;
  all: ts.Node[];
}

function localFunctions(index: SyntaxIndex): LocalFunctions {
  const byName = new Map<string, ts.Node>();
  const methods = new Map<ts.ClassLikeDeclaration, Map<string, ts.Node>>();
  const all: ts.Node[] = [];
  const addMethod = (owner: ts.ClassLikeDeclaration, name: string, body: ts.Node) => {
    const table = methods.get(owner) ?? new Map<string, ts.Node>();
    table.set(name, body);
    methods.set(owner, table);
    all.push(body);
  };
  for (const node of index.functions) {
    if (ts.isFunctionDeclaration(node) && node.name && node.body) {
      byName.set(node.name.text, node);
      all.push(node);
    } else if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name) && ts.isClassLike(node.parent)) addMethod(node.parent, node.name.text, node);
  }
  for (const node of index.declarations) {
    const init = node.initializer;
    if (!init || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init)) || !ts.isIdentifier(node.name)) continue;
    if (ts.isVariableDeclaration(node)) {
      byName.set(node.name.text, init);
      all.push(init);
    } else if (ts.isClassLike(node.parent)) addMethod(node.parent, node.name.text, init);
  }
  const names = new Set<string>(byName.keys());
  for (const table of methods.values()) for (const name of table.keys()) names.add(name);
  return { names, byName, methods, all };
}

/** Arrow functions passed straight to a call run as part of this function (e.g. `Promise.all(xs.map(...))`). */
function isInlineCallback(node: ts.Node): boolean {
  return (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent !== undefined && ts.isCallExpression(node.parent);
}

function resolveLocalCall(call: ts.CallExpression, functions: LocalFunctions, fs: RuleContext["fs"]): ts.Node | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    const declaration = fs.findDeclaration(callee);
    if (!declaration) return undefined;
    const owner = declaration.parent;
    if (owner && ts.isFunctionDeclaration(owner)) return functions.byName.get(callee.text) === owner ? owner : undefined;
    if (owner && ts.isVariableDeclaration(owner) && owner.initializer && functions.byName.get(callee.text) === owner.initializer) return owner.initializer;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
      if (ts.isClassLike(node)) return functions.methods.get(node)?.get(callee.name.text);
    }
  }
  return undefined;
}

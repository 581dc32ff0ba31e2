import { ts } from "ts-morph";
import type { RuleContext } from "./rule";
import { pathKey, constInitializer, tempWritePairs } from "./protocol";

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
  const add = (scope: ts.Node, partial: Omit<FileAccess, "serialized">, queued = false) => {
    const access: FileAccess = { ...partial, serialized: queued || insideLockCallback(partial.site, sourceFile) };
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
  // Writers and readers outside the fs modules: atomic writers (seed 002: atomic does not mean no lost update).
  const visitCalls = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments[0]) {
      const name = calleeName(node.expression);
      if (ATOMIC_WRITERS.test(name) || JSON_READERS.test(name)) {
        const kind = ATOMIC_WRITERS.test(name) ? "write" : "read";
        const path = node.arguments[0];
        add(scopeOf(node), { kind, key: pathKey(path, sourceFile, fs), path: resolved(path), written: path, site: node, direct: true }, kind === "write");
      }
    }
    ts.forEachChild(node, visitCalls);
  };
  visitCalls(sourceFile);

  // Through helpers: a call to a local function brings in what that function reads and writes.
  const functions = localFunctions(sourceFile);
  const memo = new Map<ts.Node, FileAccess[]>();
  const summarize = (scope: ts.Node, stack: Set<ts.Node>): FileAccess[] => {
    const cached = memo.get(scope);
    if (cached) return cached;
    const accesses = [...(direct.get(scope) ?? [])];
    if (!stack.has(scope)) {
      stack.add(scope);
      for (const call of callsIn(scope)) {
        const target = resolveLocalCall(call, functions, fs, scope);
        if (!target || target === scope) continue;
        const substitute = argumentSubstitution(target, call, sourceFile, fs);
        const callLocked = insideLockCallback(call, sourceFile);
        for (const inner of summarize(target, stack)) {
          accesses.push({ ...inner, key: substitute(inner.key), site: call, written: inner.path, direct: false, serialized: inner.serialized || callLocked });
        }
      }
      stack.delete(scope);
    }
    accesses.sort((a, b) => a.site.pos - b.site.pos);
    memo.set(scope, accesses);
    return accesses;
  };
  const result = new Map<ts.Node, FileAccess[]>();
  const scopes = new Set<ts.Node>([...direct.keys(), ...functions.all]);
  for (const scope of scopes) {
    const accesses = summarize(scope, new Set());
    if (accesses.length > 0) result.set(scope, accesses);
  }
  return result;
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

function calleeName(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return "";
}

export function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  return node.getSourceFile();
}

interface LocalFunctions {
  byName: Map<string, ts.Node>;
  methods: Map<ts.ClassLikeDeclaration, Map<string, ts.Node>>;
  all: ts.Node[];
}

function localFunctions(sourceFile: ts.SourceFile): LocalFunctions {
  const byName = new Map<string, ts.Node>();
  const methods = new Map<ts.ClassLikeDeclaration, Map<string, ts.Node>>();
  const all: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name && node.body) {
      byName.set(node.name.text, node);
      all.push(node);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      byName.set(node.name.text, node.initializer);
      all.push(node.initializer);
    } else if ((ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && ts.isClassLike(node.parent)) {
      const body = ts.isMethodDeclaration(node) ? node : node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) ? node.initializer : undefined;
      if (body) {
        const table = methods.get(node.parent) ?? new Map<string, ts.Node>();
        table.set(node.name.text, body);
        methods.set(node.parent, table);
        all.push(body);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { byName, methods, all };
}

function callsIn(scope: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== scope && ts.isFunctionLike(node) && !isInlineCallback(node)) return;
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return calls;
}

/** Arrow functions passed straight to a call run as part of this function (e.g. `Promise.all(xs.map(...))`). */
function isInlineCallback(node: ts.Node): boolean {
  return (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent !== undefined && ts.isCallExpression(node.parent);
}

function resolveLocalCall(call: ts.CallExpression, functions: LocalFunctions, fs: RuleContext["fs"], _scope: ts.Node): ts.Node | undefined {
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

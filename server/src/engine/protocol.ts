import { ts } from "./ts";
import type { FsCall, FsModel } from "./fsModel";
import { expressionKey, propertyValue, stringValue } from "./ast";
import { writeApi, isRenameApi } from "./fsOperations";

/**
 * The file operations of one function, in source order, with their paths resolved to comparable
 * keys: what the temp-file rules, the stress check and the cleanup share. Syntax-only.
 */
export interface PathOp {
  call: ts.CallExpression;
  /** The path argument as written. */
  path: ts.Expression;
  /** Comparable key: the same variable, constant or template of the same parts gives the same key. */
  key: string;
  /** Inside a `catch` or `finally` block of this function. */
  onErrorPath: boolean;
}

export interface WriteOp extends PathOp {
  flag: string | undefined;
  /** `flush: true` in the options: fsync-equivalent. */
  flush: boolean;
}

export interface RenameOp extends PathOp {
  to: ts.Expression;
  toKey: string;
}

export interface FunctionProtocol {
  scope: ts.Node;
  isAsync: boolean;
  writes: WriteOp[];
  renames: RenameOp[];
  fsyncs: ts.CallExpression[];
  unlinks: PathOp[];
  mkdirs: PathOp[];
  reads: PathOp[];
  existenceChecks: PathOp[];
  opens: (PathOp & { flag: string | undefined })[];
  /** createReadStream/createWriteStream of a path (uses of it, for check-then-act). */
  streams: (PathOp & { reading: boolean })[];
}

const UNLINK_NAMES = new Set(["unlink", "unlinkSync", "rm", "rmSync", "remove", "removeSync"]);
const MKDIR_NAMES = new Set(["mkdir", "mkdirSync", "ensureDir", "ensureDirSync", "mkdirp", "mkdirpSync", "mkdirs", "mkdirsSync"]);
const READ_NAMES = new Set(["readFile", "readFileSync", "readJson", "readJSON", "readJsonSync", "readJSONSync"]);
const EXISTS_NAMES = new Set(["existsSync", "exists", "access", "accessSync", "stat", "statSync", "lstat", "lstatSync", "pathExists", "pathExistsSync"]);
const FSYNC_NAMES = new Set(["fsync", "fsyncSync", "fdatasync", "fdatasyncSync"]);


function onErrorPath(node: ts.Node, scope: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current && current !== scope; current = current.parent) {
    if (ts.isCatchClause(current)) return true;
    const parent: ts.Node | undefined = current.parent;
    if (parent && ts.isTryStatement(parent) && parent.finallyBlock === current) return true;
    // promise.catch(() => unlink(temp))
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === "catch") return true;
  }
  return false;
}

/** Builds the protocol of every function that performs fs calls. */
export function extractProtocols(fsModel: FsModel): Map<ts.Node, FunctionProtocol> {
  const sourceFile = fsModel.sourceFile;
  const protocols = new Map<ts.Node, FunctionProtocol>();
  const protocolOf = (node: ts.Node): FunctionProtocol => {
    const scope = fsModel.protocolScopeOf(node);
    let protocol = protocols.get(scope);
    if (!protocol) {
      const isAsync = ts.isFunctionLike(scope) && (ts.getCombinedModifierFlags(scope as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
      protocol = { scope, isAsync, writes: [], renames: [], fsyncs: [], unlinks: [], mkdirs: [], reads: [], existenceChecks: [], opens: [], streams: [] };
      protocols.set(scope, protocol);
    }
    return protocol;
  };
  const pathOp = (fsCall: FsCall, scope: ts.Node, argument: ts.Expression): PathOp => ({
    call: fsCall.call,
    path: argument,
    key: pathKey(argument, sourceFile, fsModel),
    onErrorPath: onErrorPath(fsCall.call, scope),
  });

  for (const fsCall of fsModel.calls) {
    const first = fsCall.call.arguments[0];
    const protocol = protocolOf(fsCall.call);
    const name = fsCall.name;
    if (FSYNC_NAMES.has(name)) {
      protocol.fsyncs.push(fsCall.call);
      continue;
    }
    if (!first) continue;
    const api = writeApi(fsCall.module, name);
    if (api) {
      const options = api.json ? undefined : fsCall.call.arguments[2];
      const flush = propertyValue(options, "flush");
      protocol.writes.push({
        ...pathOp(fsCall, protocol.scope, first),
        flag: stringValue(propertyValue(options, "flag")),
        flush: flush?.kind === ts.SyntaxKind.TrueKeyword,
      });
    } else if (isRenameApi(fsCall.module, name) && fsCall.call.arguments[1]) {
      const to = fsCall.call.arguments[1];
      protocol.renames.push({ ...pathOp(fsCall, protocol.scope, first), to, toKey: pathKey(to, sourceFile, fsModel) });
    } else if (UNLINK_NAMES.has(name)) protocol.unlinks.push(pathOp(fsCall, protocol.scope, first));
    else if (MKDIR_NAMES.has(name)) protocol.mkdirs.push(pathOp(fsCall, protocol.scope, first));
    else if (READ_NAMES.has(name)) protocol.reads.push(pathOp(fsCall, protocol.scope, first));
    else if (EXISTS_NAMES.has(name)) protocol.existenceChecks.push(pathOp(fsCall, protocol.scope, first));
    else if (name === "createReadStream" || name === "createWriteStream") protocol.streams.push({ ...pathOp(fsCall, protocol.scope, first), reading: name === "createReadStream" });
    else if (name === "open" || name === "openSync") {
      protocol.opens.push({ ...pathOp(fsCall, protocol.scope, first), flag: stringValue(fsCall.call.arguments[1]) });
    }
  }
  // FileHandle.sync()/datasync() count as fsync wherever they appear.
  for (const call of fsModel.syncCalls) protocolOf(call).fsyncs.push(call);
  return protocols;
}

/**
 * A comparable key for a path expression: a `const` identifier stands for its initializer (so
 * `const p = join(a, b)` and `join(a, b)` are the same path), otherwise the normalised text.
 */
export function pathKey(expression: ts.Expression, sourceFile: ts.SourceFile, fsModel: FsModel, depth = 0): string {
  const initializer = constInitializer(expression, fsModel);
  if (initializer && depth < 4) return pathKey(initializer, sourceFile, fsModel, depth + 1);
  return expressionKey(expression, sourceFile);
}

/** The initializer of a `const` (or never-reassigned `let`) the identifier refers to. */
export function constInitializer(expression: ts.Expression, fsModel: FsModel): ts.Expression | undefined {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) node = node.expression;
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = fsModel.findDeclaration(node)?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return undefined;
  return declaration.initializer;
}

// ---------------------------------------------------------------------------------------------
// Temp-name templates

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "target" }
  | { kind: "now" }
  | { kind: "pid" }
  | { kind: "counter" }
  | { kind: "random" }
  | { kind: "other"; text: string };

export interface TempTemplate {
  parts: TemplatePart[];
  /** Readable form, e.g. `{target}.tmp.{now}`. */
  text: string;
  hasRandomness: boolean;
  hasPid: boolean;
  hasNow: boolean;
  hasCounter: boolean;
  /** Built under os.tmpdir() (or another fixed root) rather than beside the target. */
  underTmpdir: boolean;
}

const TIME_CALLS = new Set(["now", "getTime", "toISOString", "valueOf", "hrtime", "bigint", "performance"]);
const RANDOM_CALLS = /^(randomUUID|randomBytes|random|randomInt|nanoid|uuid|v4|uuidv4|mkdtemp|mkdtempSync|uniqueTempPath|tmpName|tmpNameSync|cuid|createId|ulid|getRandomValues)$/;

const ARITHMETIC = new Set([ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.BarToken]);

/** A literal "/tmp/…" is the shared temp directory as much as os.tmpdir() is. */
const SHARED_TMP = /^\/(var\/)?tmp(\/|$)/;

/** Classifies the parts of a temp path expression relative to the rename's target. */
export function tempTemplate(tempExpression: ts.Expression, targetKey: string, sourceFile: ts.SourceFile, fsModel: FsModel): TempTemplate {
  const parts: TemplatePart[] = [];
  let underTmpdir = false;
  const classify = (node: ts.Node, depth: number): void => {
    if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) return classify(node.expression, depth);
    if (ts.isExpression(node) && expressionKey(node, sourceFile) === targetKey) {
      parts.push({ kind: "target" });
      return;
    }
    if (ts.isIdentifier(node) && depth < 4) {
      const initializer = constInitializer(node, fsModel);
      if (initializer) {
        if (pathKey(initializer, sourceFile, fsModel) === targetKey) {
          parts.push({ kind: "target" });
          return;
        }
        return classify(initializer, depth + 1);
      }
    }
    if (ts.isStringLiteralLike(node)) {
      if (parts.length === 0 && SHARED_TMP.test(node.text)) underTmpdir = true;
      parts.push({ kind: "text", text: node.text });
      return;
    }
    if (ts.isTemplateExpression(node)) {
      if (parts.length === 0 && SHARED_TMP.test(node.head.text)) underTmpdir = true;
      parts.push({ kind: "text", text: node.head.text });
      for (const span of node.templateSpans) {
        classify(span.expression, depth);
        parts.push({ kind: "text", text: span.literal.text });
      }
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      classify(node.left, depth);
      classify(node.right, depth);
      return;
    }
    // `Math.random() * 1e6`, `Date.now() - start`: the number keeps the kind of what it is computed from.
    if (ts.isBinaryExpression(node) && ARITHMETIC.has(node.operatorToken.kind)) {
      const before = parts.length;
      classify(node.left, depth);
      classify(node.right, depth);
      const kinds = parts.splice(before).filter((part) => part.kind !== "text" && part.kind !== "other");
      parts.push(kinds.find((part) => part.kind === "random") ?? kinds[0] ?? { kind: "other", text: expressionKey(node, sourceFile) });
      return;
    }
    if (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) {
      parts.push({ kind: "counter" });
      return;
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === "pid") {
      parts.push({ kind: "pid" });
      return;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Date") {
      parts.push({ kind: "now" });
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
      if (TIME_CALLS.has(name)) {
        parts.push({ kind: "now" });
        return;
      }
      if (RANDOM_CALLS.test(name)) {
        parts.push({ kind: "random" });
        return;
      }
      if (name === "tmpdir") {
        underTmpdir = true;
        parts.push({ kind: "other", text: "{tmpdir}" });
        return;
      }
      if (name === "join" || name === "resolve" || name === "toString" || name === "String" || name === "slice" || name === "substring" || name === "substr") {
        if (name === "join" || name === "resolve") {
          node.arguments.forEach((argument, index) => {
            if (index > 0) parts.push({ kind: "text", text: "/" });
            classify(argument, depth);
          });
        } else {
          classify(callee, depth);
          node.arguments.forEach((argument) => classify(argument, depth));
        }
        return;
      }
    }
    if (ts.isPropertyAccessExpression(node)) return classify(node.expression, depth);
    parts.push({ kind: "other", text: ts.isExpression(node) ? expressionKey(node, sourceFile) : "?" });
  };
  classify(tempExpression, 0);
  const text = parts
    .map((part) => (part.kind === "text" ? part.text : part.kind === "other" ? `{${part.text.length > 20 ? "expr" : part.text}}` : `{${part.kind}}`))
    .join("");
  return {
    parts,
    text,
    hasRandomness: parts.some((part) => part.kind === "random"),
    hasPid: parts.some((part) => part.kind === "pid"),
    hasNow: parts.some((part) => part.kind === "now"),
    hasCounter: parts.some((part) => part.kind === "counter"),
    underTmpdir,
  };
}

/** A temp write: a write whose path the same function later renames; with that rename. */
export interface TempWritePair {
  write: WriteOp;
  rename: RenameOp;
}

export function tempWritePairs(protocol: FunctionProtocol): TempWritePair[] {
  const pairs: TempWritePair[] = [];
  for (const write of protocol.writes) {
    const rename = protocol.renames.find((candidate) => candidate.key === write.key && candidate.call.pos > write.call.pos);
    if (rename) pairs.push({ write, rename });
  }
  return pairs;
}

/** Every temp write+rename pair of the file, with its function's protocol. */
export function tempWritePairsOf(protocols: ReadonlyMap<ts.Node, FunctionProtocol>): { protocol: FunctionProtocol; pair: TempWritePair }[] {
  return [...protocols.values()].flatMap((protocol) => tempWritePairs(protocol).map((pair) => ({ protocol, pair })));
}

import { ts } from "./ts";
import type { FsCall, FsModel } from "./fsModel";
import { guardOutcomes, within } from "./existenceGuards";
import { expressionKey, inExclusiveBranches, isAsyncFunction, propertyValue, shorten, stringValue } from "./ast";
import type { LibraryFunction } from "./library";
import { assignedValues, bindingToken, constInitializer, pathKey, substitute } from "./paths";
import { argumentsByParameter, callablesOf, returnedExpressions, runningCall } from "./callables";

export { pathKey, constInitializer } from "./paths";

/**
 * The file operations of one function, in source order, with their paths resolved to comparable keys:
 * its own library calls, and those of the same-file helpers it calls and of the callbacks it runs at once
 * (a summary of each callable, substituted with the call's arguments). What the temp-file rules, the
 * access rules, the stress check and the cleanup share. Syntax-only.
 */
export interface PathOp {
  /** The call in this function: the library call itself, or the call of the helper that performs it. */
  call: ts.CallExpression;
  /** The library call that performs the operation (the same as `call` when `direct`). */
  origin: ts.CallExpression;
  /** Performed by this function itself, not through a helper or callback. */
  direct: boolean;
  /** The path: as written here, or in the helper when the call's arguments do not spell it. */
  path: ts.Expression;
  /** Comparable key (see paths.ts): the same variable, constant or join of the same parts gives the same key. */
  key: string;
  /** Inside a `catch` or `finally` block (here, or in the helper on the way). */
  onErrorPath: boolean;
  /**
   * In the function that performs it, it runs only on an error path or only when the file was found
   * missing (a repair, a creation): not part of a caller's normal flow through that function.
   */
  conditional: boolean;
  /** What the library function does (atomic? fsyncs? creates parents?). */
  fn: LibraryFunction;
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
  /** Whole-file writes (atomic library writes included: see `fn.atomic`). */
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

/**
 * An option of a call: spelled at the call (`{ flag: "wx" }`), or on the variable passed, by its initializer
 * (`const options = { flag: "wx" }`) or by the last assignment to the property before the call in the same block
 * (`let options = {}; options.flag = "wx"`: scale study, seed 67).
 */
export function optionValue(options: ts.Expression | undefined, key: string, call: ts.Node, fsModel: FsModel): ts.Expression | undefined {
  if (!options) return undefined;
  const direct = propertyValue(options, key);
  if (direct || !ts.isIdentifier(options)) return direct;
  const declaration = fsModel.findDeclaration(options)?.parent;
  let value = declaration && ts.isVariableDeclaration(declaration) ? propertyValue(declaration.initializer, key) : undefined;
  let statement: ts.Node = call;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return value;
  for (const each of block.statements) {
    if (each === statement) break;
    if (!ts.isExpressionStatement(each) || !ts.isBinaryExpression(each.expression) || each.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = each.expression.left;
    if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === options.text && target.name.text === key) value = each.expression.right;
  }
  return value;
}

function emptyProtocol(scope: ts.Node): FunctionProtocol {
  const isAsync = isAsyncFunction(scope);
  return { scope, isAsync, writes: [], renames: [], fsyncs: [], unlinks: [], mkdirs: [], reads: [], existenceChecks: [], opens: [], streams: [] };
}

/** Builds the protocol of every function that performs file operations, itself or through helpers. */
/**
 * An open flag as a string: a literal, a variable initialized with one (`var wx = "wx"`), or numeric
 * constants (`O_CREAT | O_EXCL` reads as an exclusive create, `O_APPEND` as an append, `O_TRUNC` as "w").
 */
function openFlag(node: ts.Expression | undefined, fsModel: FsModel): string | undefined {
  if (!node) return undefined;
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  if (ts.isIdentifier(node)) {
    const declaration = fsModel.findDeclaration(node)?.parent;
    if (declaration && ts.isVariableDeclaration(declaration)) return stringValue(declaration.initializer);
    return undefined;
  }
  const text = node.getText();
  if (/\bO_EXCL\b/.test(text)) return "wx";
  if (/\bO_APPEND\b/.test(text)) return "a";
  if (/\bO_TRUNC\b/.test(text)) return "w";
  return undefined;
}

export function extractProtocols(fsModel: FsModel): Map<ts.Node, FunctionProtocol> {
  const sourceFile = fsModel.sourceFile;
  const direct = new Map<ts.Node, FunctionProtocol>();
  const protocolIn = (scope: ts.Node): FunctionProtocol => {
    let protocol = direct.get(scope);
    if (!protocol) direct.set(scope, (protocol = emptyProtocol(scope)));
    return protocol;
  };
  const pathOp = (fsCall: FsCall, scope: ts.Node, argument: ts.Expression): PathOp => ({
    call: fsCall.call,
    origin: fsCall.call,
    direct: true,
    path: argument,
    key: pathKey(argument, sourceFile, fsModel),
    onErrorPath: onErrorPath(fsCall.call, scope),
    conditional: false,
    fn: fsCall.fn,
  });

  for (const fsCall of fsModel.calls) {
    const first = fsCall.call.arguments[0];
    const protocol = protocolIn(fsModel.protocolScopeOf(fsCall.call));
    const op = fsCall.fn.op;
    if (op === "fsync") {
      protocol.fsyncs.push(fsCall.call);
      continue;
    }
    if (!first) continue;
    if (op === "write") {
      const options = fsCall.fn.json ? undefined : fsCall.call.arguments[2];
      const flush = propertyValue(options, "flush");
      protocol.writes.push({ ...pathOp(fsCall, protocol.scope, first), flag: openFlag(optionValue(options, "flag", fsCall.call, fsModel), fsModel), flush: flush?.kind === ts.SyntaxKind.TrueKeyword || fsCall.fn.fsyncs === true });
    } else if (op === "rename" && fsCall.call.arguments[1]) {
      const to = fsCall.call.arguments[1];
      protocol.renames.push({ ...pathOp(fsCall, protocol.scope, first), to, toKey: pathKey(to, sourceFile, fsModel) });
    } else if (op === "unlink" || op === "rmdir") protocol.unlinks.push(pathOp(fsCall, protocol.scope, first));
    else if (op === "mkdir") protocol.mkdirs.push(pathOp(fsCall, protocol.scope, first));
    else if (op === "read") protocol.reads.push(pathOp(fsCall, protocol.scope, first));
    else if (op === "exists") protocol.existenceChecks.push(pathOp(fsCall, protocol.scope, first));
    else if (op === "read-stream" || op === "write-stream") protocol.streams.push({ ...pathOp(fsCall, protocol.scope, first), reading: op === "read-stream" });
    else if (op === "open") protocol.opens.push({ ...pathOp(fsCall, protocol.scope, first), flag: openFlag(fsCall.call.arguments[1], fsModel) });
  }
  // FileHandle.sync()/datasync() count as fsync wherever they appear.
  for (const call of fsModel.syncCalls) protocolIn(fsModel.protocolScopeOf(call)).fsyncs.push(call);
  return withInlinedCalls(fsModel, direct);
}

interface Site {
  call: ts.CallExpression;
  callee: ts.Node;
  replacements: ReadonlyMap<string, string>;
  /** The argument passed for each of the callee's parameter tokens, to name paths in the caller's terms. */
  arguments: ReadonlyMap<string, ts.Expression>;
}

/**
 * Adds to each function the operations of the same-file functions it calls and of the callbacks it runs at
 * once, at the call, with the callee's parameters replaced by the call's arguments.
 */
function withInlinedCalls(fsModel: FsModel, direct: Map<ts.Node, FunctionProtocol>): Map<ts.Node, FunctionProtocol> {
  const callables = callablesOf(fsModel);
  const sites = new Map<ts.Node, Site[]>();
  const addSite = (scope: ts.Node, site: Site) => {
    const list = sites.get(scope);
    if (list) list.push(site);
    else sites.set(scope, [site]);
  };
  const fsCalls = new Set(fsModel.calls.map((each) => each.call));
  for (const call of fsModel.index.calls) {
    if (fsCalls.has(call)) continue;
    const target = callables.resolve(call);
    if (!target) continue;
    const args = new Map<string, ts.Expression>();
    target.parameters.forEach((parameter, index) => {
      const argument = call.arguments[index];
      if (argument && ts.isIdentifier(parameter.name)) args.set(bindingToken(parameter.name), argument);
    });
    addSite(fsModel.protocolScopeOf(call), { call, callee: target.callable, replacements: target.replacements, arguments: args });
  }
  for (const fn of fsModel.index.functions) {
    const runner = runningCall(fn);
    const body = "body" in fn ? (fn.body as ts.Node | undefined) : undefined;
    // Not a continuation of a file operation (those are already part of the caller's protocol).
    const ownScope = body !== undefined && fsModel.protocolScopeOf(body) === fn;
    // A `new Promise` executor is no scope of its own: its operations are already its function's (protocolScopeOf).
    if (runner && ownScope) addSite(fsModel.protocolScopeOf(runner), { call: runner, callee: fn, replacements: new Map(), arguments: new Map() });
  }
  if (sites.size === 0) {
    for (const protocol of direct.values()) markConditionalWrites(protocol);
    return direct;
  }

  const done = new Map<ts.Node, FunctionProtocol>();
  // Recursion is cut where a function reaches itself: there it gives only its own operations. A summary built
  // under a cut at one of its callers (`createLock → waitForLock → createLock`, summarized from createLock) lacks
  // what that caller adds, so it is not kept: each entry into the cycle builds its own (at most a few times).
  let cutAt = Infinity;
  const rebuilt = new Map<ts.Node, number>();
  const summarize = (scope: ts.Node, stack: ts.Node[]): FunctionProtocol | undefined => {
    const cached = done.get(scope);
    if (cached) return cached;
    const own = direct.get(scope);
    const calls = sites.get(scope) ?? [];
    const onStack = stack.indexOf(scope);
    if (onStack >= 0) cutAt = Math.min(cutAt, onStack);
    const inlining = calls.length > 0 && onStack < 0;
    if (!own && !inlining) return undefined;
    const outerCut = cutAt;
    cutAt = Infinity;
    const protocol = own ? { ...own, writes: [...own.writes], renames: [...own.renames], fsyncs: [...own.fsyncs], unlinks: [...own.unlinks], mkdirs: [...own.mkdirs], reads: [...own.reads], existenceChecks: [...own.existenceChecks], opens: [...own.opens], streams: [...own.streams] } : emptyProtocol(scope);
    for (const site of inlining ? calls : []) {
      const inner = summarize(site.callee, [...stack, scope]);
      if (!inner) continue;
      const error = onErrorPath(site.call, scope);
      const inline = <T extends PathOp>(op: T): T => {
        const argument = site.arguments.get(op.key);
        return { ...op, call: site.call, direct: false, key: substitute(op.key, site.replacements), onErrorPath: error || op.onErrorPath, conditional: op.conditional || (op.direct && op.onErrorPath), path: argument ?? op.path };
      };
      protocol.writes.push(...inner.writes.map(inline));
      protocol.renames.push(...inner.renames.map((op) => ({ ...inline(op), to: site.arguments.get(op.toKey) ?? op.to, toKey: substitute(op.toKey, site.replacements) })));
      protocol.unlinks.push(...inner.unlinks.map(inline));
      protocol.mkdirs.push(...inner.mkdirs.map(inline));
      protocol.reads.push(...inner.reads.map(inline));
      // A predicate helper (`exists(p)`: only existence checks) is a check at its call; a helper that checks and
      // then uses the file keeps its check to itself (check-then-act reports it there).
      if (isPredicate(inner, site.callee)) protocol.existenceChecks.push(...inner.existenceChecks.map(inline));
      protocol.opens.push(...inner.opens.map(inline));
      protocol.streams.push(...inner.streams.map(inline));
      if (inner.fsyncs.length > 0) protocol.fsyncs.push(site.call);
    }
    const byPosition = (a: { call: ts.Node }, b: { call: ts.Node }) => a.call.pos - b.call.pos;
    for (const list of [protocol.writes, protocol.renames, protocol.unlinks, protocol.mkdirs, protocol.reads, protocol.existenceChecks, protocol.opens, protocol.streams]) (list as { call: ts.Node }[]).sort(byPosition);
    protocol.fsyncs.sort((a, b) => a.pos - b.pos);
    markConditionalWrites(protocol);
    // Kept unless it is a cut itself or was built under a cut at a caller still being summarized.
    const complete = onStack < 0 && cutAt >= stack.length;
    const times = rebuilt.get(scope) ?? 0;
    if (complete || times >= MAX_REBUILDS) done.set(scope, protocol);
    else rebuilt.set(scope, times + 1);
    cutAt = Math.min(outerCut, cutAt);
    return protocol;
  };
  const result = new Map<ts.Node, FunctionProtocol>();
  for (const scope of new Set([...direct.keys(), ...sites.keys()])) {
    const protocol = summarize(scope, []);
    if (protocol && hasOperations(protocol)) result.set(scope, protocol);
  }
  return result;
}

/** How often a summary built under a recursion cut is rebuilt before it is kept anyway (bounds mutual recursion). */
const MAX_REBUILDS = 4;

/**
 * An existence predicate: the function only checks, and answers with the check (`return existsSync(p)`,
 * `try { await access(p); return true } catch { return false }`); a function comparing what `stat` returned
 * (identity, size) answers another question.
 */
function isPredicate(protocol: FunctionProtocol, fn: ts.Node): boolean {
  if (protocol.existenceChecks.length === 0 || protocol.writes.length + protocol.renames.length + protocol.unlinks.length + protocol.mkdirs.length + protocol.reads.length + protocol.opens.length + protocol.streams.length > 0) return false;
  const body = ts.isFunctionLike(fn) && "body" in fn ? (fn.body as ts.Node | undefined) : undefined;
  if (!body) return false;
  const answers = (expression: ts.Expression) =>
    expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword || protocol.existenceChecks.some((check) => check.origin.pos >= expression.pos && check.origin.end <= expression.end);
  if (!ts.isBlock(body)) return answers(body as ts.Expression);
  let all = true;
  let any = false;
  const visit = (node: ts.Node): void => {
    if (!all || (node !== body && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression) {
      any = true;
      if (!answers(node.expression)) all = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return any && all;
}

/** A write of this function's own that runs only on an error path, or only when the file was found missing. */
function markConditionalWrites(protocol: FunctionProtocol): void {
  for (const write of protocol.writes) {
    if (!write.direct || write.conditional) continue;
    const createsOnly = protocol.existenceChecks.some((check) => check.key === write.key && guardOutcomes(check.call)?.missing.some((region) => within(write.call, region)) === true);
    if (write.onErrorPath || createsOnly) write.conditional = true;
  }
}

function hasOperations(protocol: FunctionProtocol): boolean {
  return protocol.writes.length + protocol.renames.length + protocol.fsyncs.length + protocol.unlinks.length + protocol.mkdirs.length + protocol.reads.length + protocol.existenceChecks.length + protocol.opens.length + protocol.streams.length > 0;
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

/** String methods that keep every character's information: what they are called on still names the file. */
const KEEPS_EVERY_CHARACTER = new Set(["replace", "replaceAll", "toLowerCase", "toUpperCase", "trim"]);
const TIME_CALLS = new Set(["now", "getTime", "toISOString", "valueOf", "hrtime", "bigint", "performance"]);
// Also the common id generators (`uuidV4` as `uuid`'s v4 is often imported, `generateId("res")`): a name built
// from one is new, and a temp named with one does not collide.
// Also the id helpers apps write themselves or take from small packages (`uniqueSlug()`, `uniqueString()`,
// `shortid.generate()` through `shortid`, `randomHex(8)`): a fresh name per call (scale study, seed 34).
const RANDOM_CALLS = /^(randomUUID|randomBytes|random|randomInt|nanoid|uuid|v1|v4|v7|uuidv1|uuidv4|uuidV4|uuidv7|mkdtemp|mkdtempSync|uniqueTempPath|tmpName|tmpNameSync|cuid|cuid2|createId|ulid|getRandomValues|generateId|genId|newId|uniqueId|generateUniqueId|createUniqueId|getUniqueId|shortid|hyperid|(unique|random)(Slug|String|Str|Name|FileName|Filename|Id|ID|Key|Hex|Suffix|Token)|(generate|gen|make|create|get)(Rand|Random)(String|Str|Name|FileName|Filename|Id|ID|Hex|Chars|Suffix|Token)|randString|randStr|generate(UUID|Uuid)|gen(UUID|Uuid|Uid))$/;
/** A parameter named for a random value (`randomFileName`, `randName`): its callers pass one (scale study, seed 74). */
const RANDOM_PARAMETER = /^rand(om)?[A-Z]/;

const ARITHMETIC = new Set([ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.BarToken]);

/**
 * How many names (consts, bound parameters, helpers that build the name, object properties) a temp's or a file's
 * name is followed through: a memory file named in a helper from an id an object literal got from an id
 * generator (`generateFilename(memory)` → `memory.id` → `this.generateId()`) is six deep (scale study, seed 68).
 */
const NAME_DEPTH = 6;

/** A literal "/tmp/…" is the shared temp directory as much as os.tmpdir() is. */
const SHARED_TMP = /^\/(var\/)?tmp(\/|$)/;

/** Classifies the parts of a temp path expression relative to the rename's target. */
export function tempTemplate(tempExpression: ts.Expression, targetKey: string, sourceFile: ts.SourceFile, fsModel: FsModel, bindings?: ReadonlyMap<ts.Node, ts.Expression>): TempTemplate {
  // A helper's name as one call spells it (its parameters bound to that call's arguments): not cached.
  if (bindings && bindings.size > 0) return buildTempTemplate(tempExpression, targetKey, sourceFile, fsModel, bindings);
  // Several rules classify the same name against the same target: once per model.
  let byExpression = templateCaches.get(fsModel);
  if (!byExpression) templateCaches.set(fsModel, (byExpression = new WeakMap()));
  let byTarget = byExpression.get(tempExpression);
  if (!byTarget) byExpression.set(tempExpression, (byTarget = new Map()));
  let template = byTarget.get(targetKey);
  if (!template) byTarget.set(targetKey, (template = buildTempTemplate(tempExpression, targetKey, sourceFile, fsModel)));
  return template;
}

const templateCaches = new WeakMap<FsModel, WeakMap<ts.Expression, Map<string, TempTemplate>>>();

function buildTempTemplate(tempExpression: ts.Expression, targetKey: string, sourceFile: ts.SourceFile, fsModel: FsModel, bindings?: ReadonlyMap<ts.Node, ts.Expression>): TempTemplate {
  const parts: TemplatePart[] = [];
  let underTmpdir = false;
  // A same-file helper's parameters, bound to the arguments of the call being classified through it.
  const bound = new Map<ts.Node, ts.Expression>(bindings);
  // `record.id` where `record` is an object literal here or at the call (`const policy = { id: \`policy-${Date.now()}\` }`):
  // that property's value (scale study, seed 43: records saved under a fresh id).
  const objectBehind = (node: ts.Expression, depth: number): ts.ObjectLiteralExpression | undefined => {
    let value: ts.Expression | undefined = node;
    for (let step = 0; value && step < 3; step++) {
      while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || ts.isNonNullExpression(value)) value = value.expression;
      if (ts.isObjectLiteralExpression(value)) return value;
      if (!ts.isIdentifier(value) || depth + step >= NAME_DEPTH) return undefined;
      value = bound.get(fsModel.findDeclaration(value)?.parent as ts.Node) ?? constInitializer(value, fsModel);
    }
    return undefined;
  };
  // A reassigned variable is random when every value it is given is (`let dest = ""; if (a) dest = tmpName(x); else
  // dest = tmpName(y)`), its own name inside a later value standing for the earlier ones (`name = join(dir, name)`:
  // scale study, seed 49).
  const selfRandom = new Map<ts.Node, boolean>();
  const randomEveryTime = (node: ts.Identifier, depth: number): boolean => {
    const declaration = fsModel.findDeclaration(node);
    if (!declaration) return false;
    const known = selfRandom.get(declaration);
    if (known !== undefined) return known;
    const values = assignedValues(node, fsModel);
    if (!values || values.length === 0) return false;
    let random = true;
    for (const value of values) {
      selfRandom.set(declaration, random);
      const before = parts.length;
      classify(value, depth + 1);
      random = parts.splice(before).some((part) => part.kind === "random");
      if (!random) break;
    }
    selfRandom.delete(declaration);
    return random;
  };
  const classify = (node: ts.Node, depth: number): void => {
    if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) return classify(node.expression, depth);
    if (ts.isExpression(node) && (expressionKey(node, sourceFile) === targetKey || pathKey(node, sourceFile, fsModel) === targetKey)) {
      parts.push({ kind: "target" });
      return;
    }
    const declaration = ts.isIdentifier(node) ? (fsModel.findDeclaration(node)?.parent as ts.Node | undefined) : undefined;
    const argument = declaration && bound.get(declaration);
    if (declaration && argument) {
      // A recursive call binds a parameter to an expression of itself (`go(path.join(from, file), …)` inside
      // `go(from, to)`): within that argument the name is the caller's own parameter, not the binding again.
      bound.delete(declaration);
      classify(argument, depth + 1);
      bound.set(declaration, argument);
      return;
    }
    if (ts.isIdentifier(node) && declaration && ts.isParameter(declaration) && RANDOM_PARAMETER.test(node.text)) {
      parts.push({ kind: "random" });
      return;
    }
    if (ts.isIdentifier(node) && depth < NAME_DEPTH) {
      const initializer = constInitializer(node, fsModel);
      if (initializer) {
        if (pathKey(initializer, sourceFile, fsModel) === targetKey) {
          parts.push({ kind: "target" });
          return;
        }
        return classify(initializer, depth + 1);
      }
      if (randomEveryTime(node, depth)) {
        parts.push({ kind: "random" });
        return;
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
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && depth < NAME_DEPTH) {
      const object = objectBehind(node.expression, depth);
      const value = propertyValue(object, node.name.text);
      if (value) return classify(value, depth + 1);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Date") {
      parts.push({ kind: "now" });
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
      // `process.hrtime.bigint()` counts nanoseconds: no two calls in one process see the same value (a call takes
      // longer than that), so with the pid it is unique like a per-process counter (scale study, seed 68).
      if ((name === "bigint" || name === "hrtime") && /^process\.hrtime(\.bigint)?$/.test(callee.getText())) {
        parts.push({ kind: "counter" });
        return;
      }
      if (TIME_CALLS.has(name)) {
        parts.push({ kind: "now" });
        return;
      }
      // `new Date().toISOString().replace(/[:.]/g, "-")`: a time made safe for a file name is still the time
      // (not `.slice(0, 10)`, which keeps only the day). Scale study, seed 66: a timestamped backup manifest.
      if (KEEPS_EVERY_CHARACTER.has(name) && ts.isPropertyAccessExpression(callee)) return classify(callee.expression, depth + 1);
      // Also an alias the fs model resolves (`const mkdtempAsync = util.promisify(fs.mkdtemp)`: seed 42).
      if (RANDOM_CALLS.test(name) || /^mkdtemp(Sync)?$/.test(fsModel.resolveCallee(callee)?.name ?? "")) {
        parts.push({ kind: "random" });
        return;
      }
      if (name === "tmpdir") {
        underTmpdir = true;
        parts.push({ kind: "other", text: "{tmpdir}" });
        return;
      }
      // path.format({ dir: os.tmpdir(), name, ext })
      if (name === "format" && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
        const properties = node.arguments[0].properties.filter(ts.isPropertyAssignment);
        const value = (key: string) => properties.find((property) => ts.isIdentifier(property.name) && property.name.text === key)?.initializer;
        const dir = value("dir") ?? value("root");
        if (dir) classify(dir, depth);
        parts.push({ kind: "text", text: "/" });
        for (const key of value("base") ? ["base"] : ["name", "ext"]) {
          const part = value(key);
          if (part) classify(part, depth);
        }
        return;
      }
      if (name === "join" || name === "resolve") {
        node.arguments.forEach((argument, index) => {
          if (index > 0) parts.push({ kind: "text", text: "/" });
          classify(argument, depth);
        });
        return;
      }
      // `String(x)` is x; `x.toString(16)`, `x.slice(2, 10)` keep the kind of x (their arguments are a radix
      // and indices, not parts of the name).
      if (name === "String" && node.arguments[0]) return classify(node.arguments[0], depth);
      // Also a number read out of a buffer (`randomBytes(6).readUIntLE(0, 6)`: 48 random bits; scale study, seed 52).
      if (/^(toString|slice|substring|substr|padStart|padEnd|toLowerCase|toUpperCase|read(Big)?U?Int(8|16|32|64|LE|BE)?(LE|BE)?)$/.test(name) && ts.isPropertyAccessExpression(callee)) return classify(callee.expression, depth);
      // A same-file helper that builds the name (`tempFile(dest)` returning `dest + ".tmp" + Math.random()`, a
      // backup name with `date.getTime()` in it): what it returns, its parameters bound to this call's arguments.
      const helper = depth < NAME_DEPTH ? callablesOf(fsModel).resolve(node) : undefined;
      const returned = helper ? returnedExpressions(helper.callable) : [];
      if (helper && returned.length === 1) {
        for (const [parameter, argument] of argumentsByParameter(helper, node)) bound.set(parameter, argument);
        return classify(returned[0]!, depth + 1);
      }
      // Any other call that is handed a random part (`resolveInsideSandbox(root, \`${rel}.tmp-${randomUUID()}\`)`,
      // a path helper) returns a name with that randomness in it.
      const before = parts.length;
      node.arguments.forEach((argument) => classify(argument, depth));
      const random = parts.splice(before).some((part) => part.kind === "random");
      if (random) {
        parts.push({ kind: "random" });
        return;
      }
    }
    // A member of `this` names itself (`{this.#tempFilename}`, not `{this}`).
    if (ts.isPropertyAccessExpression(node) && node.expression.kind !== ts.SyntaxKind.ThisKeyword) return classify(node.expression, depth);
    parts.push({ kind: "other", text: ts.isExpression(node) ? expressionKey(node, sourceFile) : "?" });
  };
  classify(tempExpression, 0);
  const text = parts
    .map((part) => (part.kind === "text" ? part.text : part.kind === "other" ? `{${shorten(part.text, 32)}}` : `{${part.kind}}`))
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
    // A later call: both steps inside one helper call are that helper's pair (found and reported there). Nor is
    // a helper's temp write paired with the rename of its next call (`saveCheckpoint(); … saveCheckpoint();`
    // each writing and renaming the same temp: scale study, seed 40): its own call renames it.
    // Steps in two callbacks of one promise chain of this function (`.then(() => outputFile(next)).then(() =>
    // renameSync(next, conf))`: seed 41) share the chain's call but are this function's own pair.
    const sameCall = (candidate: RenameOp) => candidate.call === write.call && candidate.origin.pos > write.origin.pos;
    const inOwnChain = (candidate: RenameOp) => innermostFunctionOf(write.origin, candidate.origin) === protocol.scope;
    if (protocol.renames.some((candidate) => candidate.key === write.key && sameCall(candidate) && !inOwnChain(candidate))) continue;
    // A later link of the same chain starts where the chain starts: the callbacks' order tells which runs first.
    const laterLink = (candidate: RenameOp) => candidate.call !== write.call && candidate.call.pos === write.call.pos && candidate.origin.pos > write.origin.pos;
    const rename = protocol.renames.find((candidate) =>
      candidate.key === write.key &&
      (candidate.call.pos > write.call.pos
        ? !inExclusiveBranches(write.call, candidate.call)
        : (laterLink(candidate) || (sameCall(candidate) && inOwnChain(candidate))) && !inExclusiveBranches(write.origin, candidate.origin)));
    if (rename && !readBefore(protocol, write)) pairs.push({ write, rename });
  }
  return pairs;
}

/** The innermost function that holds both nodes. */
function innermostFunctionOf(a: ts.Node, b: ts.Node): ts.Node | undefined {
  for (let node = a.parent; node; node = node.parent) if (ts.isFunctionLike(node) && b.pos >= node.pos && b.end <= node.end) return node;
  return undefined;
}

/**
 * A temp is new: nothing reads it before it is written. A file read and then written is an existing file edited
 * in place — renaming it afterwards moves it (`replaceInFile(p); rename(p, renamed(p))`, a project template's
 * files renamed for the new project: scale study, seed 32), it does not publish a temp.
 */
function readBefore(protocol: FunctionProtocol, write: WriteOp): boolean {
  return protocol.reads.some((read) => read.key === write.key && (read.call === write.call ? read.origin.pos < write.origin.pos : read.call.pos < write.call.pos));
}

/**
 * Where a pair's rename is reported: the rename call in this function, or, when both steps sit in callbacks of
 * one promise chain (the chain is their shared call), the rename itself rather than the chain's first line.
 */
export function renameSite(pair: TempWritePair): ts.Expression {
  return pair.rename.call !== pair.rename.origin && pair.rename.call.pos === pair.write.call.pos ? pair.rename.origin.expression : pair.rename.call.expression;
}

/** Every temp write+rename pair of the file, with its function's protocol. */
export function tempWritePairsOf(protocols: ReadonlyMap<ts.Node, FunctionProtocol>): { protocol: FunctionProtocol; pair: TempWritePair }[] {
  return [...protocols.values()].flatMap((protocol) => tempWritePairs(protocol).map((pair) => ({ protocol, pair })));
}

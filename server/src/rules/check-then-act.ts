import { ts } from "../engine/ts";
import { calleeName, insideCallbackOf, isAsyncFunction, outermostFunction, owningFunction, referencedIdentifiers, runsUninterrupted, shorten } from "../engine/ast";
import { acquiredBefore, onlyCalledHere, sameFileCalls, serializedTogether } from "../engine/callables";
import { NETWORK_CALL } from "../engine/downloads";
import { RETRY_HELPER, skipWrappers } from "../engine/fsModel";
import type { RuleContext, RuleModule } from "../engine/rule";
import { tempTemplate, type PathOp } from "../engine/protocol";
import { ENOENT_IS, guardOutcomes, within } from "../engine/existenceGuards";
import type { FunctionProtocol } from "../engine/protocol";
import { bindingToken, displayPath, keyMentions, OWN_CODE_FOLDER_EXACTLY, pathKey, UNDER_OWN_CODE } from "../engine/paths";
import { isBuildOutputTarget, isCacheTarget, isInstalledPackagePath } from "../engine/locations";
import { isOneOffContext } from "../engine/oneOff";
import { isScratchPath } from "../engine/scratchPaths";
import { PROJECT_DOC } from "../engine/stateFiles";
import { cases } from "./check-then-act.cases";

export const checkThenAct: RuleModule = {
  id: "check-then-act",
  defaultSeverity: "warning",
  shortDescription: "An existence check (existsSync, access, stat) guards a read, write or unlink of the same path: a TOCTOU race.",
  description:
    "Between the check and the use another process can create, replace or delete the file (seed 003, bug #17: " +
    "TOCTOU in config handling). The check also costs a system call for nothing: just do the operation and handle " +
    "ENOENT (or EEXIST with an exclusive flag). For JSON reads the runtime's readJsonFile(path, { default }) does " +
    "exactly that; for writes, atomicWriteFile needs no check. A guard followed only by mkdir({ recursive: true }) " +
    "is harmless and not reported.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  const protocols = [...context.protocols().values()];
  for (const protocol of protocols) {
    const uses: Use[] = [
      ...[...protocol.reads, ...protocol.streams.filter((op) => op.reading), ...protocol.opens.filter(readOnly)].map((op) => ({ ...op, verb: "read" as const })),
      // `rm(p, { force: true })` and fs-extra's remove do not mind a file that vanished, also inside a helper (seed 49).
      ...protocol.unlinks.filter((op) => !forced(op) && !op.fn.toleratesMissing).map((op) => ({ ...op, verb: "delete" as const })),
      ...protocol.renames.map((op) => ({ ...op, verb: "rename" as const })),
      ...protocol.renames.map((op) => ({ ...op, key: op.toKey, path: op.to, verb: "write" as const })),
      // An exclusive create (`wx`) fails loudly with EEXIST when the file appeared: the open is the real test.
      // An append (`flags: "a"`) recreates a file that vanished and replaces nothing that appeared.
      ...[...protocol.writes, ...protocol.opens.filter((op) => !readOnly(op)), ...protocol.streams.filter((op) => !op.reading)]
        .filter((op) => !("flag" in op && typeof op.flag === "string" && /[xa]/.test(op.flag)) && !/\bflags?\s*:\s*["'`]a/.test(op.origin.arguments[1]?.getText() ?? ""))
        .map((op) => ({ ...op, verb: "write" as const })),
    ];
    for (const guard of protocol.existenceChecks) {
      const outcomes = guardOutcomes(guard.call);
      if (!outcomes) continue;
      const guarded = [...outcomes.exists, ...outcomes.missing];
      // The first operation on the path after the check is what the check decides (a later write after a read
      // is guarded by that read, not by the check).
      const use = uses
        .filter((candidate) => candidate.key === guard.key && candidate.call !== guard.call && guarded.some((region) => within(candidate.call, region)))
        .sort((a, b) => a.call.pos - b.call.pos)[0];
      if (!use || handled(use) || caughtAtEveryCall(guard.call, use.call, context)) continue;
      // `Buffer.isBuffer(p) ? p : /^https?:/.test(p) ? await fetch(p) : existsSync(p) ? readFileSync(p) : Buffer.alloc(0)`:
      // the check tells what the caller passed (a path, a URL, a buffer, text), not whether a file the program keeps
      // is still there (scale study, seeds 57 and 58: WhatsApp bots' send helpers).
      if (classifiesArgument(guard.call)) continue;
      // A helper that checks again before its own read (`readCode(p) { if (existsSync(p)) return read(p); return null }`)
      // handles the file this check saw vanish; the helper's own check is the race, reported there (seed 49).
      if (!use.direct && checkedAgainInHelper(use, context)) continue;
      // A nearer check of the same path that also decides the use (`if (!exists(p)) return; … if (exists(p)) unlink(p)`)
      // is the one the use depends on: that check is reported, not this one twice (seed 44: e2b's logout).
      if (protocol.existenceChecks.some((nearer) => nearer !== guard && nearer.key === guard.key && nearer.call.pos > guard.call.end && nearer.call.end <= use.call.pos && decides(nearer, use))) continue;
      // Under a lock that every user of the file takes: in a lock helper's callback, after an awaited acquisition,
      // or in a helper that only such code calls (`read() { await this.lock(); … this.readFile() }`: seed 41).
      if (serializedTogether(context.fs, guard.call, use.call) || acquiredBefore(guard.call, protocol.scope, context.sourceFile)) continue;
      // Build output has one writer, the build that is running; a file the program ships beside its own code
      // (`path.join(__dirname, "queries", name)`) is not removed while it runs.
      const shown = displayPath(guard.key);
      // Nor is an installed package's file (`join(dir, "node_modules", name, "package.json")`: seed 31).
      if (isBuildOutputTarget(guard.path, guard.key, context.sourceFile, context.fs) || (use.verb === "read" && (UNDER_OWN_CODE.test(shown) || isInstalledPackagePath(shown) || besideOwnCode(guard.key, context) || SYSTEM_FILE.test(shown)))) continue;
      // A project's documentation (README, changelog) is no program's state (seed 46: a docs generator replacing the
      // README it generated last time).
      if (PROJECT_DOC.test(shown)) continue;
      // Scratch space (a mkdtemp folder, the tool's own `tmp/`) is the code's own: nothing else creates or removes
      // files there. A fixed name in the system temp folder is not: every process shares it.
      if (isScratchPath(context, guard.path, 0) && !/\btmpdir\(\)/.test(`${shown} ${guard.path.getText(context.sourceFile)}`)) continue;
      // Nor is a name made random for this call (`${Math.random() * 1e9}.gif` in the temp folder): no one else knows
      // it to create or remove it (seed 42).
      if (tempTemplate(guard.path, "\u0000", context.sourceFile, context.fs).hasRandomness) continue;
      // `if (!exists(p)) throw …; read(p)`: a file that vanishes in between makes the read throw as well; the
      // check only chooses the error message.
      if (use.verb !== "write" && outcomes.missing.length > 0 && outcomes.missing.every(endsTheRun)) continue;
      // A write only where the file was found (`if (!exists(p)) throw …; write(p)`): a file that vanished in
      // between is written again, and one that is there is replaced as the code meant. The check decides nothing
      // the write depends on (scale study, seeds 26-27).
      if (use.verb === "write" && !outcomes.missing.some((region) => within(use.call, region))) continue;
      if (use.verb === "write" && benignCreation(guard, use, protocol, context)) continue;
      // A cache created only when missing: a racing twin writes the same derived content (batch E).
      if (use.verb === "write" && isCacheTarget(use.path, use.key, context.sourceFile, context.fs)) continue;
      if (use.verb === "delete" && cleansUpOwnOutput(guard, context)) continue;
      // `if (exists(p)) id = read(p); else { id = fresh(); write(p, id) }`, all synchronous: the program owns this
      // file and makes it when missing (a telemetry id, a workspace's meta file), and no other run can slip a
      // creation in between (seeds 33, 35). With an await before the creation, two first runs both create it.
      if (use.verb === "read" && protocol.writes.some((write) => write.key === guard.key && outcomes.missing.some((region) => within(write.call, region)) && synchronousStretch(guard, { ...write, verb: "write" }))) continue;
      // A command a person runs (an init step, a prompt before an overwrite) creates or replaces its output
      // once: no second writer of the same file runs at the same time (engine/oneOff.ts).
      if (use.verb === "write" && isOneOffContext(context, use.call)) continue;
      context.report({
        node: guard.call,
        message: `This check of ${shorten(guard.path.getText(guard.path.getSourceFile()))} guards a ${use.verb === "write" || use.verb === "rename" ? "use" : use.verb} of it on line ${line(use, context)}: the file can appear, change or vanish in between (TOCTOU). Do the operation and handle ENOENT instead (readJsonFile(path, { default }) for JSON).`,
      });
    }
  }
}

/** The library call a helper makes for this use is itself decided by an existence check of the helper's. */
function checkedAgainInHelper(use: Use, context: RuleContext): boolean {
  const scope = owningFunction(use.origin);
  const helper = scope && context.protocols().get(scope);
  const own = helper && [...helper.reads, ...helper.unlinks, ...helper.renames].find((op) => op.direct && op.call === use.origin);
  return own !== undefined && helper!.existenceChecks.some((check) => check.direct && check.key === own.key && decides(check, own));
}

/** Whether a check's outcome regions hold the use. */
function decides(check: PathOp, use: Pick<PathOp, "call">): boolean {
  const outcomes = guardOutcomes(check.call);
  return outcomes !== undefined && [...outcomes.exists, ...outcomes.missing].some((region) => within(use.call, region));
}

/** What the guarded code does with the path: a read, delete or rename fails loudly when the file vanished; a write silently replaces one that appeared. */
type Use = PathOp & { verb: "read" | "delete" | "rename" | "write" };

/** `open(p)` and `open(p, "r")` read; any other flag (or one this cannot read) may write. */
function readOnly(op: PathOp & { flag: string | undefined }): boolean {
  return op.flag === undefined ? op.origin.arguments.length < 2 : /^rs?$/.test(op.flag);
}

/**
 * A create-if-missing (`if (!exists(p)) write(p, defaults)`) loses data only when a real save of the file can
 * land between the check and the write and be replaced by the defaults. Not in one synchronous stretch (nothing
 * else in the process runs in between; another process would have to create the same file within
 * microseconds), and not for a module-private constant path that nothing else in the file writes or hands to
 * another function (a racing twin writes the same defaults). A parameter, an exported or a class's path can be
 * saved by code elsewhere.
 */
function benignCreation(guard: PathOp, use: Use, protocol: FunctionProtocol, context: RuleContext): boolean {
  if (synchronousStretch(guard, use) || downloadsInto(use, context, guard)) return true;
  if (keyMentions(use.key, parameterTokens(protocol.scope)) || !privateConstant(use.path, context)) return false;
  const { sourceFile, fs } = context;
  return !fs.index.calls.some((call) => call !== use.call && call !== use.origin && call !== guard.call && call !== guard.origin && !["exists", "read", "mkdir", "read-stream"].includes(libraryOp(call, context) ?? "") && call.arguments.some((argument) => pathKey(argument, sourceFile, fs) === use.key));
}

/**
 * `if (!existsSync(file)) { const response = await axios.get(url); await writeFile(file, response.data) }`, or
 * `downloadUrl(url, file)`: a download made only when the file is missing. A racing twin downloads the same bytes,
 * and no user's save can land in between (labelled study batch E, seed 38: cached icons, redistributables).
 */
function downloadsInto(use: Use, context: RuleContext, guard?: PathOp): boolean {
  if (/^download/i.test(calleeName(use.call.expression))) return true;
  // A temp filled from a fetch and moved into place (`await pipeline(response.data, createWriteStream(tmp));
  // await move(tmp, file)`): a fetch between the check and the move (seed 47: an installer downloaded when missing).
  // Or written straight from a response fetched in between (`response = await requestService.request({ url });
  // await writeFile(target, response.buffer)`: seed 49, theia's plugin download).
  if (guard && context.fs.index.calls.some((call) => call.pos > guard.call.end && call.end < use.call.pos && NETWORK_CALL.test(call.getText(context.sourceFile)) && !within(call, use.call))) return true;
  const data = use.origin.arguments[1];
  if (!data || !use.direct) return false;
  if (NETWORK_CALL.test(data.getText(context.sourceFile))) return true;
  // `response.data`, `Buffer.from(body)`: a variable the function filled from a fetch.
  return referencedIdentifiers(data).some((identifier) => {
    const declaration = context.fs.findDeclaration(identifier)?.parent;
    return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && NETWORK_CALL.test(declaration.initializer.getText(context.sourceFile));
  });
}

/** A module-level `const` that is not exported. */
function privateConstant(path: ts.Expression, context: RuleContext): boolean {
  if (!ts.isIdentifier(path)) return false;
  const name = context.fs.findDeclaration(path);
  const declaration = name?.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent) || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return false;
  const statement = declaration.parent.parent;
  return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && !statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * `if (existsSync(dest)) unlinkSync(dest)` in the error handler of a download or write that this same function
 * started on `dest` (a catch, `.catch(…)`, `.on("error", …)`): the partial output is this call's own, nothing
 * else creates or removes it, so the check races with nothing (batch E: partial downloads). A lock or pid
 * file is not: another process's stale takeover removes it.
 */
function cleansUpOwnOutput(guard: PathOp, context: RuleContext): boolean {
  if (!inErrorHandler(guard.call) || /lock|\bpid/i.test(displayPath(guard.key))) return false;
  const outermost = outermostFunction(guard.call);
  if (!outermost) return false;
  const { sourceFile, fs } = context;
  return fs.index.calls.some((call) => call.pos < guard.call.pos && within(call, outermost) && !["exists", "unlink"].includes(libraryOp(call, context) ?? "") && call.arguments.some((argument) => pathKey(argument, sourceFile, fs) === guard.key));
}

const ERROR_EVENT = /^["'`](error|timeout|abort|close)["'`]$/;

function inErrorHandler(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isCatchClause(current)) return true;
    if (!ts.isFunctionLike(current)) continue;
    const call = current.parent;
    if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
    const method = call.expression.name.text;
    if (method === "catch") return true;
    if (method === "then") return call.arguments[1] === current;
    return /^(on|once)$/.test(method) && call.arguments[1] === current && ERROR_EVENT.test(call.arguments[0]?.getText() ?? "");
  }
  return false;
}

/**
 * An existence check that is one test in a chain of conditionals sorting out what one variable holds: another test
 * of the same chain asks its kind or form (`Buffer.isBuffer(p)`, `/^https?:/.test(p)`, `typeof p`, `p instanceof …`).
 */
function classifiesArgument(check: ts.CallExpression): boolean {
  const subject = check.arguments[0];
  if (!subject || !ts.isIdentifier(subject)) return false;
  let node: ts.Node = check;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  if (!ts.isConditionalExpression(node.parent) || node.parent.condition !== node) return false;
  for (let current: ts.Node = node.parent; ts.isConditionalExpression(current.parent) && current.parent.whenFalse === current; current = current.parent) {
    if (testsKindOf(current.parent.condition, subject.text)) return true;
  }
  return false;
}

/** The condition asks what `name` is: `typeof name`, `name instanceof X`, `Buffer.isBuffer(name)`, `/re/.test(name)`. */
function testsKindOf(condition: ts.Expression, name: string): boolean {
  const node = skipWrappers(condition);
  if (ts.isTypeOfExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === name;
  if (ts.isBinaryExpression(node)) {
    if (node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return ts.isIdentifier(node.left) && node.left.text === name;
    return testsKindOf(node.left, name) || testsKindOf(node.right, name);
  }
  if (!ts.isCallExpression(node)) return false;
  const argument = node.arguments[0];
  return /^(isBuffer|test|isArrayBuffer|isView|isURL|isUrl)$/.test(calleeName(node.expression)) && argument !== undefined && ts.isIdentifier(argument) && argument.text === name;
}

/** What a library call does (`exists`, `read`, `unlink`…), if the fs model knows the call. */
function libraryOp(call: ts.CallExpression, context: RuleContext): string | undefined {
  return context.fs.fsCallOf(call)?.fn.op;
}

/** Check and use both synchronous, in one function, with no await or yield between them. */
function synchronousStretch(guard: PathOp, use: Use): boolean {
  if (guard.fn.style !== "sync" || use.fn.style !== "sync") return false;
  if (ts.isAwaitExpression(use.call.parent)) return false;
  return runsUninterrupted(guard.call, use.call);
}

function parameterTokens(scope: ts.Node): string[] {
  if (!ts.isFunctionLike(scope)) return [];
  return scope.parameters.flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [bindingToken(parameter.name)] : []));
}

/**
 * A branch that ends in a plain failure: `throw new Error(…)` (or any `…Error` class, `FirebaseError`), or an
 * exit with an error code. An error that carries an HTTP status (`NotFoundException`, a 404) means something
 * the ENOENT of the later operation does not, and
 * `process.exit(0)` is a quiet success.
 */
function endsTheRun(region: ts.Node): boolean {
  const last = ts.isBlock(region) ? region.statements[region.statements.length - 1] : region;
  if (last === undefined) return false;
  // Any error class but one that carries an HTTP status (`NotFoundException`, `HttpError`, `NotFoundError`).
  // (Also through a namespace or a plugin API: `new this.api.classes.Error(…)`.)
  if (ts.isThrowStatement(last)) return last.expression !== undefined && (thrownErrorClass(last.expression) || thrownErrorFactory(last.expression));
  // `process.exit(1)`, also as `return process.exit(1)` after an error message.
  const exit = ts.isExpressionStatement(last) ? last.expression : ts.isReturnStatement(last) ? last.expression : undefined;
  if (!exit || !ts.isCallExpression(exit) || !/^process\.exit$/.test(exit.expression.getText())) return false;
  // Any code but a literal 0 (`process.exit(EXIT_CODES.NO_CONFIG)`).
  const code = exit.arguments[0];
  return code !== undefined && !(ts.isNumericLiteral(code) && code.text === "0");
}

function thrownErrorClass(thrown: ts.Expression): boolean {
  return ts.isNewExpression(thrown) && /^([\w$]+\.)*\w*Error$/.test(thrown.expression.getText()) && !/NotFound|Http|Status/.test(thrown.expression.getText());
}

/**
 * An error a helper makes (`throw wasReported("Input file does not exist", [input])`: seed 42), unless it carries
 * an HTTP status (`throw createError(404, …)`, `throw boom.notFound()`).
 */
function thrownErrorFactory(thrown: ts.Expression): boolean {
  if (!ts.isCallExpression(thrown) || /NotFound|Http|Status/i.test(thrown.expression.getText())) return false;
  const first = thrown.arguments[0];
  return !(first && ts.isNumericLiteral(first) && /^[45]\d\d$/.test(first.text));
}

function forced(op: PathOp): boolean {
  return /\bforce\s*:\s*true\b/.test(op.origin.arguments[1]?.getText() ?? "");
}

/**
 * The race is already handled (the issue-9 refinement): a read, delete or rename that fails because the
 * file vanished after the check throws into a catch that does not rethrow (or that also covers the check),
 * and ends there like a missing file. A write is never covered: a file created in between is overwritten
 * silently.
 */
function handled(use: Use): boolean {
  if (use.verb === "write") return false;
  if ((use.verb === "delete" || use.verb === "rename") && (ignoresItsError(use.call) || callbackHandlesError(use.call, 1))) return true;
  if (callbackHandlesError(use.call, 2)) return true;
  if (use.direct && streamErrorGoesToConsumer(use.origin)) return true;
  // A helper that tolerates the failure itself (`readOwner(p)` returns undefined when the read throws).
  if (!use.direct && caughtWithin(use.origin)) return true;
  return caughtWithin(use.call) || retriedOnFailure(use.call);
}

/**
 * `infiniteRetry(async () => { if (await exists(p)) { await readFile(p) … } })`: the check and its use run in a
 * callback a retry helper runs again when it throws. A file that vanished in between fails this attempt, and
 * the next one's check finds it missing (scale study, seed 39).
 */
function retriedOnFailure(call: ts.Node): boolean {
  return insideCallbackOf(call, (helper) => RETRY_HELPER.test(calleeName(helper.expression)));
}

/**
 * `if (!existsSync(p)) return false; await pipeline(createReadStream(p), out)`: a stream never throws where it is
 * made; a file that vanished in between arrives as its "error" event, which `pipeline` (or an `.on("error", …)`
 * right on it) handles with every other read error. A stream returned to callers is still reported: whether they
 * listen for "error" is not visible here, and one that does not crashes (labelled study batch D).
 */
function streamErrorGoesToConsumer(call: ts.CallExpression): boolean {
  if (calleeName(call.expression) !== "createReadStream") return false;
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isCallExpression(parent) && /^(pipeline|pump)$/.test(calleeName(parent.expression))) return true;
  return ts.isPropertyAccessExpression(parent) && parent.name.text === "on" && ts.isCallExpression(parent.parent) && /^["'`]error["'`]$/.test(parent.parent.arguments[0]?.getText() ?? "");
}

/**
 * `fs.unlink(p, (err) => {})`: a callback that never looks at its error. A delete or rename of a file that
 * vanished fails into it and ends as if the check had found nothing (scale study, seed 28).
 */
function ignoresItsError(call: ts.CallExpression): boolean {
  const callback = call.arguments[call.arguments.length - 1];
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return false;
  const error = callback.parameters[0];
  if (!error) return true;
  if (!ts.isIdentifier(error.name)) return false;
  const name = error.name.text;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(node) && node.text === name && node !== error.name) used = true;
    else ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return !used;
}

/**
 * `fs.readFile(p, "utf8", (err, css) => send(err ? "" : css))`: the failure of a callback-style call arrives in
 * its callback, which tests the error and goes on without throwing it: a file that vanished after the check
 * ends like a missing one (scale study, seed 31). A delete's or rename's callback gets the error alone
 * (`fs.unlink(p, (err) => { if (err) log("none found") })`: scale study, seed 76); a read's gets the data too,
 * so a one-parameter callback there is something else (`fs.exists(p, (found) => …)`).
 */
function callbackHandlesError(call: ts.CallExpression, minimumParameters: 1 | 2): boolean {
  const callback = call.arguments[call.arguments.length - 1];
  if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return false;
  const error = callback.parameters[0];
  if (!error || !ts.isIdentifier(error.name) || callback.parameters.length < minimumParameters) return false;
  const name = error.name.text.replace(/[$]/g, "\\$");
  const body = callback.body.getText();
  // Tested (`err ? … : …`, `if (err) return`, `!err &&`), not handed on (`done(err)`, `reject(err)`) or thrown.
  const tested = new RegExp(`\\bif\\s*\\(\\s*!?\\s*${name}\\s*[)|&]|(^|[^\\w$.])!?${name}\\s*(\\?[^.?]|&&|\\|\\|)`);
  return tested.test(body) && !new RegExp(`\\bthrow\\s+${name}\\b|\\breject\\(\\s*${name}\\b`).test(body);
}

/** Inside a try (in its own function) whose catch does not rethrow, or a promise with `.catch(() => fallback)`. */
function caughtWithin(call: ts.Node): boolean {
  const chained = call.parent;
  if (chained && ts.isPropertyAccessExpression(chained) && chained.name.text === "catch" && ts.isCallExpression(chained.parent)) {
    if (swallows(chained.parent.arguments[0])) return true;
  }
  for (let node: ts.Node | undefined = call.parent; node; node = node.parent) {
    // A `.then` callback throws into the chain: a later `.catch(() => fallback)` ends it (seed 46).
    // Awaited without one, it throws at the `await`, into the caller's try.
    if (ts.isFunctionLike(node) && thenCallback(node)) {
      const chain = promiseChain(node.parent as ts.CallExpression);
      if (chain.caught) return true;
      if (!ts.isAwaitExpression(chain.end.parent)) return false;
      node = chain.end;
      continue;
    }
    // A synchronous callback of an array iteration (`batch.map((file) => …)`) throws into its caller's try.
    if (ts.isFunctionLike(node) && !iterationCallback(node)) return false;
    if (!ts.isTryStatement(node) || !node.catchClause || !within(call, node.tryBlock)) continue;
    // A catch that rethrows turns the vanished file into an error all the same (whether or not the try also covers the check).
    if (!rethrows(node.catchClause.block)) return true;
  }
  return false;
}

/**
 * A helper whose every call sits in a try that does not rethrow (`try { cert = this.resolveCertificate(p) } catch
 * (e) { reportError(…) }`): a file that vanished after the check fails into that catch like any unreadable one
 * (seed 42). Only for a helper no other module can call (`onlyCalledHere`), and an async one only where each call
 * is awaited inside the try.
 */
function caughtAtEveryCall(check: ts.Node, use: ts.Node, context: RuleContext): boolean {
  const helper = owningFunction(check);
  if (!helper || owningFunction(use) !== helper || !onlyCalledHere(context.fs, helper)) return false;
  // A use in a callback that runs later (`setTimeout(() => { if (exists(p)) unlinkSync(p) })`) throws outside the
  // callers' try: only callbacks an array iteration runs in place carry the error to it (scale study, seed 73).
  for (let node: ts.Node | undefined = use.parent; node && node !== helper; node = node.parent) if (ts.isFunctionLike(node) && !iterationCallback(node)) return false;
  const async = isAsyncFunction(helper);
  const calls = sameFileCalls(context.fs, helper);
  return calls.length > 0 && calls.every((call) => (!async || ts.isAwaitExpression(call.parent)) && caughtWithin(call));
}

/** A rejection handler written here (`() => fallback`) that neither throws nor rejects: the failure ends in it. */
function swallows(handler: ts.Expression | undefined): boolean {
  return handler !== undefined && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && !/\bthrow\b|\breject\(/.test(handler.body.getText());
}

/** `promise.then((value) => …)`: the callback given as the fulfilment handler. */
function thenCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  return call !== undefined && ts.isCallExpression(call) && call.arguments[0] === fn && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "then";
}

/**
 * `readFile(p).then((data) => { … readFileSync(q) … }).catch(() => false)`: what a `.then` callback throws
 * rejects the chain, and a later `.catch` (or a later `.then`'s rejection handler) that neither throws nor rejects
 * ends it like a missing file. Not a `.then(onFulfilled, onRejected)` on the same call: that handler only sees
 * the earlier promise's rejection.
 */
function promiseChain(then: ts.CallExpression): { caught: boolean; end: ts.Expression } {
  let link: ts.Expression = then;
  for (; ts.isPropertyAccessExpression(link.parent) && ts.isCallExpression(link.parent.parent) && link.parent.parent.expression === link.parent; link = link.parent.parent) {
    const method = link.parent.name.text;
    const handler = method === "catch" ? link.parent.parent.arguments[0] : method === "then" ? link.parent.parent.arguments[1] : undefined;
    if (swallows(handler)) return { caught: true, end: link };
  }
  return { caught: false, end: link };
}

const ITERATION_METHODS = /^(map|forEach|filter|some|every|flatMap|find|findIndex|reduce)$/;

function iterationCallback(fn: ts.Node): boolean {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  const call = fn.parent;
  return call !== undefined && ts.isCallExpression(call) && call.arguments.includes(fn) && ts.isPropertyAccessExpression(call.expression) && ITERATION_METHODS.test(call.expression.name.text);
}

/**
 * Whether a vanished file's error leaves the catch: a throw, unless it rethrows only errors other than ENOENT
 * (`if (error.code !== "ENOENT") throw error`, or `if (error.code === "ENOENT") return;` before the throw).
 */
function rethrows(block: ts.Block): boolean {
  if (block.statements.some((statement) => ts.isIfStatement(statement) && ENOENT_IS.test(statement.expression.getText()) && endsHere(statement.thenStatement))) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node) && !onlyOtherErrors(node, block)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

const ENOENT_IS_NOT = /\bcode\s*!==?\s*["'`]ENOENT["'`]|["'`]ENOENT["'`]\s*!==?\s*[\w$.?]*\bcode\b/;

/** A throw inside `if (error.code !== "ENOENT") …`: a vanished file is not rethrown. */
function onlyOtherErrors(thrown: ts.ThrowStatement, block: ts.Block): boolean {
  for (let node: ts.Node = thrown; node !== block && node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node && ENOENT_IS_NOT.test(parent.expression.getText()) && !/\|\|/.test(parent.expression.getText())) return true;
  }
  return false;
}

function endsHere(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isContinueStatement(last) || ts.isBreakStatement(last));
}

function line(op: PathOp, context: RuleContext): number {
  return context.sourceFile.getLineAndCharacterOfPosition(op.call.getStart(context.sourceFile)).line + 1;
}

/** The system's own files (`/etc/os-release`, `/proc/…`): the OS manages them, no program removes them meanwhile (seed 35). */
const SYSTEM_FILE = /^["'`]?\/(etc|proc|sys|usr)\//;

/**
 * A path under a folder parameter that starts at the program's own (`function findPackageJson(dir = __dirname)`,
 * walking up): a file the program ships beside its code (scale study, seed 34).
 */
function besideOwnCode(key: string, context: RuleContext): boolean {
  const root = /^⟨([^@⟩]*)@(\d+)⟩\//.exec(key);
  if (!root) return false;
  const parameter = context.fs.index.functions.flatMap((fn) => [...fn.parameters]).find((each) => each.name.pos === Number(root[2]));
  return parameter !== undefined && OWN_CODE_FOLDER_EXACTLY.test(parameter.initializer?.getText(context.sourceFile) ?? "");
}

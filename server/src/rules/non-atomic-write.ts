import { ts } from "../engine/ts";
import type { FixProposal, RuleContext, RuleModule } from "../engine/rule";
import type { FsCall } from "../engine/fsModel";
import { fileHandleVariable, writeApi, type WriteApi } from "../engine/fsOperations";
import { pathKey, tempTemplate, tempWritePairs, type FunctionProtocol, type PathOp } from "../engine/protocol";
import { guardOutcomes, within } from "../engine/existenceGuards";
import { isFunctionExpressionLike, propertyValue, referencedIdentifiers, stringValue, shorten } from "../engine/ast";
import { displayPath } from "../engine/paths";
import { nonAtomicWriteCases } from "./non-atomic-write.cases";

export const nonAtomicWrite: RuleModule = {
  id: "non-atomic-write",
  defaultSeverity: "warning",
  shortDescription: "A file is replaced in place: a crash or a concurrent writer can leave it torn or empty.",
  description:
    "fs.writeFile and friends truncate the target and then write it chunk by chunk. A crash, a full disk or a " +
    "second writer in between leaves a torn or empty file, and readers can see a half-written one. The fix " +
    "writes a temp file beside the target, fsyncs it and renames it over the target (atomicWriteFile).",
  fixable: true,
  check,
  cases: nonAtomicWriteCases,
};

function check(context: RuleContext): void {
  const { sourceFile, fs } = context;
  const temps = tempWrites(context);
  const protocolOfWrite = new Map<ts.CallExpression, FunctionProtocol>();
  for (const protocol of context.protocols().values()) for (const write of protocol.writes) protocolOfWrite.set(write.call, protocol);
  for (const fsCall of fs.calls) {
    const api = writeApi(fsCall.module, fsCall.name);
    if (!api) continue;
    const target = fsCall.call.arguments[0];
    if (!target || temps.has(fsCall.call) || isExempt(context, fsCall, target, protocolOfWrite.get(fsCall.call))) continue;
    if (everyCallerWritesATemp(context, fsCall.call, (protocol) => protocol.writes)) continue;
    const callee = fsCall.call.expression.getText(sourceFile);
    const output = isOneOffOutput(target, context);
    context.report({
      node: fsCall.call.expression,
      message: output
        ? `${callee} writes ${shorten(target.getText(sourceFile))} in place. It looks like an output the user asked for (an export, a report, a file named on the command line): ` +
          `rerunning regenerates it, but an interrupted run leaves it torn. Write a temp file beside it and rename it over the target (atomicWriteFile).`
        : `${callee} replaces ${shorten(target.getText(sourceFile))} in place: a crash or a concurrent writer leaves it torn ` +
          `or empty. Write a temp file beside it and rename it over the target (atomicWriteFile).`,
      ...(output ? { severity: "hint" as const } : {}),
      fix: () => atomicWriteFix(fsCall, api, sourceFile),
    });
  }
  reportHandleWrites(context);
  reportStreamWrites(context);
}

/**
 * `createWriteStream(target)` (default flags "w") truncates the target and fills it chunk by chunk: an
 * aborted upload or a crash leaves it torn. A stream into a temp that is renamed later, an append
 * (`flags: "a"`), an exclusive create (`"wx"`) or scratch space is fine. No mechanical fix: the runtime
 * writes whole buffers, and buffering a stream changes the program's memory profile.
 */
function reportStreamWrites(context: RuleContext): void {
  const { sourceFile } = context;
  const renamedLater = [...context.protocols().values()].flatMap((protocol) => protocol.renames);
  for (const protocol of context.protocols().values()) {
    for (const stream of protocol.streams) {
      if (stream.reading || !stream.direct) continue;
      const options = stream.call.arguments[1];
      const flags = stringValue(propertyValue(options, "flags")) ?? stringValue(propertyValue(options, "flag"));
      if (flags !== undefined && /[ax+]/.test(flags)) continue;
      if (propertyValue(options, "fd") !== undefined || writesToDescriptor(stream.path) || isScratchPath(context, stream.path, 0) || isLogFile(stream.path, context)) continue;
      if (tempTemplate(stream.path, "\u0000", sourceFile, context.fs).hasRandomness) continue;
      // A temp renamed into place, also from a callback (`.on("finish", () => rename(tmp, target))`).
      if (renamedLater.some((rename) => rename.key === stream.key && rename.call.pos > stream.call.pos && protocol.scope.pos <= rename.call.pos && rename.call.end <= protocol.scope.end)) continue;
      if (createsOnlyWhenMissing(protocol, stream) || everyCallerWritesATemp(context, stream.call, (caller) => caller.streams)) continue;
      context.report({
        node: stream.call.expression,
        message:
          `${stream.call.expression.getText(sourceFile)} truncates ${shorten(stream.path.getText(sourceFile))} and fills it chunk by chunk: an interrupted ` +
          `stream or a crash leaves it torn, and readers see it half-written. Stream into a temp file beside it (uniqueTempPath) and rename it over the target on 'finish'.`,
      });
    }
  }
}

/**
 * A helper that writes the path it is given (`_streamToFile(tmpPath, data)`) writes in place only if some
 * caller gives it a final path: when every call in this file passes a temp the caller renames later (or
 * scratch space, or a fresh random name), the helper writes temps.
 */
function everyCallerWritesATemp(context: RuleContext, origin: ts.CallExpression, opsOf: (protocol: FunctionProtocol) => PathOp[]): boolean {
  const copies = [...context.protocols().values()].flatMap((protocol) => opsOf(protocol).filter((op) => !op.direct && op.origin === origin).map((op) => ({ protocol, op })));
  if (copies.length === 0) return false;
  return copies.every(
    ({ protocol, op }) =>
      protocol.renames.some((rename) => rename.key === op.key && rename.call.pos > op.call.pos) ||
      isScratchPath(context, op.path, 0) ||
      tempTemplate(op.path, "\u0000", context.sourceFile, context.fs).hasRandomness,
  );
}

/** Names of outputs a user asks for: a file from the command line, an export, a report, an `out` option. */
const OUTPUT_NAMES = /\b(argv|out|output|outDir|outputDir|outputPath|outPath|outFile|outputFile|dest|destination|report|reportPath|reportFile|export|exportPath|exportFile)\b/i;

/** A one-off output (lower severity): regenerated by running again, read by nobody while it is written. */
function isOneOffOutput(target: ts.Expression, context: RuleContext): boolean {
  return OUTPUT_NAMES.test(`${target.getText(context.sourceFile)} ${pathKey(target, context.sourceFile, context.fs)}`);
}

/** Writes that are not in-place replacements of persistent files. */
function isExempt(context: RuleContext, fsCall: FsCall, target: ts.Expression, protocol: FunctionProtocol | undefined): boolean {
  const { sourceFile } = context;
  if (writesToDescriptor(target) || holdsDescriptor(target, context) || isLogFile(target, context) || inFsAdapter(fsCall.call, target, context)) return true;
  const api = writeApi(fsCall.module, fsCall.name);
  const options = api ? fsCall.call.arguments[2] : undefined;
  const flag = stringValue(propertyValue(options, "flag"));
  if (flag !== undefined && /[ax]/.test(flag)) return true; // exclusive create or append: nothing is replaced
  if (sourceFile.isDeclarationFile || isScratchPath(context, target, 0)) return true;
  // A fresh random name is a new file, not a replacement of one that readers rely on.
  if (tempTemplate(target, "\u0000", sourceFile, context.fs).hasRandomness) return true;
  const write = protocol?.writes.find((each) => each.call === fsCall.call);
  return protocol !== undefined && write !== undefined && (createsOnlyWhenMissing(protocol, write) || createsAfterFailedRead(protocol, write) || insideFreshDirectory(context, protocol, fsCall.call));
}

/**
 * `try { readFileSync(p) } catch { write(p, defaults) }`: the read is an existence probe, and the write a
 * creation of a file that is not there. (When the try also parses what it read, the catch is a repair of a
 * file that exists: that write still replaces it in place.)
 */
function createsAfterFailedRead(protocol: FunctionProtocol, write: PathOp): boolean {
  for (let node: ts.Node | undefined = write.call.parent; node && node !== protocol.scope; node = node.parent) {
    if (!ts.isCatchClause(node) || !ts.isTryStatement(node.parent)) continue;
    const tryBlock = node.parent.tryBlock;
    return !/\bparse\w*\s*\(/i.test(tryBlock.getText()) && protocol.reads.some((read) => read.key === write.key && within(read.call, tryBlock));
  }
  return false;
}

/** Log files (`error.log`, `out.log.1`, a `logs/` folder): appended or rewritten diagnostics, not state readers rely on. */
const LOG_FILE = /\.log(\.\d+)?$|(^|\/)logs?\/[^/]*$/i;

function isLogFile(target: ts.Expression, context: RuleContext): boolean {
  return LOG_FILE.test(displayPath(pathKey(target, context.sourceFile, context.fs)).replace(/[`'"]/g, ""));
}

/** A variable that holds a descriptor from `openSync`/`open` (`lock = fs.openSync(lockPath, "wx")`): a lock record or a handle's file. */
function holdsDescriptor(target: ts.Expression, context: RuleContext): boolean {
  if (!ts.isIdentifier(target)) return false;
  const declaration = context.fs.findDeclaration(target);
  if (!declaration) return false;
  const opens = (value: ts.Expression | undefined) => {
    const call = value && ts.isAwaitExpression(value) ? value.expression : value;
    return call !== undefined && ts.isCallExpression(call) && /^(openSync|open)$/.test(ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : "");
  };
  const declared = declaration.parent;
  if (ts.isVariableDeclaration(declared) && opens(declared.initializer)) return true;
  return context.fs.index.calls.some((call) => {
    const assignment = call.parent && ts.isBinaryExpression(call.parent) ? call.parent : undefined;
    return assignment !== undefined && assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(assignment.left) && context.fs.findDeclaration(assignment.left) === declaration && opens(call);
  });
}

/**
 * A member of an object of file operations (`{ writeFile: (p, d) => fs.writeFile(p, d), rename: … }`) that
 * writes the path it is given: an adapter that code composing temp-and-rename injects. The composing code is
 * what is judged.
 */
function inFsAdapter(call: ts.CallExpression, target: ts.Expression, context: RuleContext): boolean {
  let fn: ts.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionLike(fn) || !ts.isIdentifier(target)) return false;
  const parameter = context.fs.findDeclaration(target)?.parent;
  if (!parameter || !ts.isParameter(parameter) || parameter.parent !== fn) return false;
  const member = ts.isMethodDeclaration(fn) ? fn : fn.parent && ts.isPropertyAssignment(fn.parent) ? fn.parent : undefined;
  const object = member?.parent;
  if (!object || !ts.isObjectLiteralExpression(object)) return false;
  return object.properties.some((property) => property.name !== undefined && /^(rename|renameSync|move)$/.test(property.name.getText(context.sourceFile)));
}

/** `if (!existsSync(p)) writeFileSync(p, …)`, `try { statSync(p) } catch { writeFileSync(p, …) }`: a creation (check-then-act reports the race). */
function createsOnlyWhenMissing(protocol: FunctionProtocol, op: PathOp): boolean {
  return protocol.existenceChecks.some((check) => check.key === op.key && guardOutcomes(check.call)?.missing.some((region) => within(op.call, region)) === true);
}

/**
 * A write into a directory this function has just created with a plain (non-recursive) mkdir, which fails
 * when the directory exists: a lock directory or a fresh folder, where nothing is there to replace.
 */
function insideFreshDirectory(context: RuleContext, protocol: FunctionProtocol, call: ts.CallExpression): boolean {
  const write = protocol.writes.find((each) => each.call === call);
  if (!write) return false;
  const inside = (mkdir: PathOp) =>
    (write.key.startsWith(mkdir.key) && /^[^\w$]/.test(write.key.slice(mkdir.key.length))) || referencedIdentifiers(write.path).some((identifier) => pathKey(identifier, context.sourceFile, context.fs) === mkdir.key);
  return protocol.mkdirs.some((mkdir) => mkdir.call.pos < call.pos && !/recursive/.test(mkdir.origin.arguments[1]?.getText() ?? "") && inside(mkdir));
}

function writesToDescriptor(target: ts.Expression): boolean {
  if (ts.isNumericLiteral(target)) return true;
  const name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : "";
  return /^(fd|.*Fd|.*FD)$/.test(name) || /^\/dev\//.test(stringValue(target) ?? "");
}

/** Temps written and renamed over their target later in the same function: the safe protocol. */
function tempWrites(context: RuleContext): Set<ts.CallExpression> {
  const temps = new Set<ts.CallExpression>();
  for (const protocol of context.protocols().values()) for (const pair of tempWritePairs(protocol)) temps.add(pair.write.call);
  return temps;
}

/** A file named as a temp (`temp_1.png`, `x.tmp`, a `tmp/` folder) is scratch, whether or not it is renamed later. */
const TEMP_NAME = /(^|[\/_.\-`"'])(te?mp)([\/_.\-`"'$]|$)/i;

const TEMP_VARIABLE = /^(te?mp|_te?mp)([A-Z_]|$)|[a-z](Te?mp)([A-Z_]|$)/;

/** Paths under a `mkdtemp` directory or `os.tmpdir()`, or named as temps, are scratch space, not persistent state. */
function isScratchPath(context: RuleContext, expression: ts.Node, depth: number): boolean {
  if (depth > 3) return false;
  if (depth === 0 && ts.isExpression(expression) && TEMP_NAME.test(displayPath(pathKey(expression, context.sourceFile, context.fs)))) return true;
  // A variable the code names as a temp (`tempPath`, `tmpFile`): its value is built elsewhere, its role is not.
  if (depth === 0 && ts.isIdentifier(expression) && TEMP_VARIABLE.test(expression.text)) return true;
  let scratch = false;
  const visit = (node: ts.Node): void => {
    if (scratch) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
      if (name === "mkdtemp" || name === "mkdtempSync" || name === "tmpdir") {
        scratch = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  if (scratch) return true;
  for (const identifier of referencedIdentifiers(expression)) {
    const declaration = context.fs.findDeclaration(identifier);
    const declared = declaration?.parent;
    // `fs.mkdtemp(prefix, (error, dir) => …)`: the callback's directory is scratch space too.
    if (declared && ts.isParameter(declared) && isMkdtempCallback(declared.parent)) return true;
    if (declared && ts.isVariableDeclaration(declared) && declared.initializer && declared.name === declaration) {
      if (isScratchPath(context, declared.initializer, depth + 1)) return true;
    }
  }
  return false;
}

function isMkdtempCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = call.expression;
  return /^mkdtemp$/.test(ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "");
}

// ---------------------------------------------------------------------------------------------
// The fix: call the runtime with the same arguments.

/** Replaces a whole-file write call with the runtime call taking the same arguments (shared with other rules). */
export function atomicWriteFix(fsCall: FsCall, api: WriteApi, sourceFile: ts.SourceFile): FixProposal | undefined {
  const call = fsCall.call;
  const args = call.arguments;
  const last = args[args.length - 1];
  const hasCallback =
    api.style === "callback" || (api.style === "promise-or-callback" && last !== undefined && (isFunctionExpressionLike(last) || looksLikeCallbackName(last)));
  if (api.style === "callback" && (!last || args.length < 3)) return undefined; // malformed call: leave it alone
  const valueArgs = hasCallback ? args.slice(0, -1) : args.slice();
  const sync = api.style === "sync";
  const name = `${api.json ? "atomicWriteJson" : "atomicWriteFile"}${sync ? "Sync" : ""}`;

  let argumentText = valueArgs.map((arg) => arg.getText(sourceFile)).join(", ");
  if (api.json) {
    const jsonOptions = translateJsonOptions(valueArgs[2], sourceFile);
    if (jsonOptions === undefined || valueArgs.length < 2) return undefined;
    argumentText = [valueArgs[0], valueArgs[1]].map((arg) => arg?.getText(sourceFile)).join(", ") + `, ${jsonOptions}`;
  } else if (valueArgs.length < 2) {
    return undefined;
  }

  let replacement = `${name}(${argumentText})`;
  if (hasCallback && last) {
    const callback = last.getText(sourceFile);
    replacement = ts.isIdentifier(last) || ts.isPropertyAccessExpression(last)
      ? `${replacement}.then(() => ${callback}(null), ${callback})`
      : `${replacement}.then(() => null, (error) => error).then(${callback})`;
  }
  return {
    title: `Write atomically with ${name}`,
    edits: [{ start: call.getStart(sourceFile), end: call.end, newText: replacement }],
    runtimeImports: [name],
  };
}

function looksLikeCallbackName(node: ts.Expression): boolean {
  return ts.isIdentifier(node) && /^(cb|callback|done|next)$/i.test(node.text);
}

/**
 * jsonfile/fs-extra write compact JSON plus a newline unless told `spaces`; keep that format exactly.
 * Returns undefined when the options cannot be carried over faithfully.
 */
function translateJsonOptions(options: ts.Expression | undefined, sourceFile: ts.SourceFile): string | undefined {
  if (!options) return "{ indent: 0 }";
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const spaces = propertyValue(options, "spaces");
  if (options.properties.length !== 1 || !spaces) return undefined;
  return `{ indent: ${spaces.getText(sourceFile)} }`;
}

// ---------------------------------------------------------------------------------------------
// `handle.writeFile()` on a FileHandle opened with a truncating flag ('w', 'w+').

function reportHandleWrites(context: RuleContext): void {
  const { sourceFile, fs } = context;
  const truncatingHandles = new Set<ts.Identifier>();
  for (const fsCall of fs.calls) {
    const handle = fileHandleVariable(fsCall);
    const flag = stringValue(fsCall.call.arguments[1]);
    if (handle && flag !== undefined && flag.startsWith("w") && !flag.includes("x")) truncatingHandles.add(handle);
  }
  if (truncatingHandles.size === 0) return;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(writeFile|write)$/.test(node.expression.name.text) &&
      ts.isIdentifier(node.expression.expression)
    ) {
      const declaration = fs.findDeclaration(node.expression.expression);
      // One report per handle: its first write.
      if (declaration && truncatingHandles.delete(declaration)) {
        context.report({
          node: node.expression,
          message:
            `${node.expression.getText(sourceFile)} writes through a handle opened with a truncating flag: the file is ` +
            `empty until the write finishes, and torn if it is interrupted. Use atomicWriteFile on the path instead.`,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

import { ts } from "../ts";
import type { ImportedAccessors, Range } from "../types";
import type { RuleContext } from "../rule";
import type { FileAccess } from "../accesses";
import { isAsyncFunction, nodeRange, outermostFunction, owningFunction, referencedIdentifiers } from "../ast";
import { returnedExpressions } from "../callables";
import { bindingToken } from "../paths";
import { pathKey } from "../protocol";
import { dependenceOn } from "../dataFlow";
import { judgeCycle } from "../../rules/unlocked-read-modify-write";
import { exportedNames } from "./exports";
import { importableNames, mayImportAny } from "./imports";

/**
 * Read-modify-write cycles made through another module's helpers (`const teams = await data.readJSONFile(p);
 * teams[name] = team; data.writeJSONFile(p, teams)`): the per-file rule sees neither the read nor the write.
 * The helpers' module says which of its exports read or write the path they are given (`AccessorExport`);
 * the calling module says which of its imported calls could form a cycle and how the rule would judge it
 * (`CycleCandidate`); the workspace check joins the two (crossFile.ts).
 */

/** An exported function that reads the path one parameter names and returns it, or writes it with another parameter's data. */
export interface AccessorExport {
  exported: string;
  kind: "read" | "write";
  /** The path parameter; -1 for a path the helper spells itself (`join(homedir(), ".tool.json")`). */
  parameter: number;
  /** That path's key: comparable across modules (no binding of this module in it). */
  key?: string;
  /** For a writer: the parameter the written data comes from. */
  data?: number;
  /** Not async, and every access synchronous: a cycle through it runs without a break when nothing is awaited. */
  sync: boolean;
  range: Range;
}

/** The helpers of this module that read or write the whole path they are handed (not both: that is its own cycle). */
export function accessorExports(context: RuleContext): AccessorExport[] {
  const accessors: AccessorExport[] = [];
  // A module that touches no file has none (and its accesses need not be worked out).
  if (context.fs.calls.length === 0) return accessors;
  const accessesByScope = context.accesses();
  for (const [node, names] of exportedNames(context.sourceFile)) {
    if (!ts.isFunctionLike(node)) continue;
    const fn = node as ts.SignatureDeclaration;
    const accesses = accessesByScope.get(fn) ?? [];
    if (accesses.length === 0) continue;
    const async = isAsyncFunction(fn);
    const sync = !async && accesses.every((access) => access.sync);
    const range = nodeRange(context.sourceFile, fn.name ?? fn);
    const returns = returnedExpressions(fn).length > 0;
    // What the helper does to one path: read it and return something, or write it with a parameter's data.
    const classify = (key: string, parameter: number, keyOf: Pick<AccessorExport, "key">) => {
      const reads = accesses.filter((access) => access.kind === "read" && access.key === key);
      const writes = accesses.filter((access) => access.kind === "write" && access.key === key);
      if (reads.length > 0 && writes.length === 0 && returns) for (const exported of names) accessors.push({ exported, kind: "read", parameter, ...keyOf, sync, range });
      if (writes.length === 0 || reads.length > 0) return;
      const data = fn.parameters.findIndex((other, at) => at !== parameter && ts.isIdentifier(other.name) && writes.some((write) => mentions(write.data, other.name as ts.Identifier, context)));
      if (data >= 0) for (const exported of names) accessors.push({ exported, kind: "write", parameter, ...keyOf, data, sync, range });
    };
    // A settings module's `loadSettings()` and `saveSettings(settings)`: the path is the helper's own.
    for (const key of new Set(accesses.map((access) => access.key))) if (key !== "" && !key.includes("⟨")) classify(key, -1, { key });
    fn.parameters.forEach((parameter, index) => {
      if (ts.isIdentifier(parameter.name)) classify(bindingToken(parameter.name), index, {});
    });
  }
  return accessors;
}

/** Whether the written data is built from `parameter` (its identifier, resolved by scope). */
function mentions(data: readonly ts.Expression[], parameter: ts.Identifier, context: RuleContext): boolean {
  return data.some((expression) => referencedIdentifiers(expression).some((identifier) => identifier.text === parameter.text && context.fs.findDeclaration(identifier) === parameter));
}

/**
 * On an imported call that may write a file back: an earlier imported call in the same function that may read
 * it. Arguments are by index; `read` is the earlier call's index in the file's imported calls. `ifSync` and
 * `ifAsync` are the per-file rule's judgement (judgeCycle) for synchronous and for asynchronous helpers.
 */
export interface CycleCandidate {
  read: number;
  readArgument: number;
  writeArgument: number;
  /** The later call's arguments that carry what the earlier call returned. */
  dataArguments: number[];
  readLine: number;
  ifSync: Judgement;
  ifAsync: Judgement;
  /** For a path the helpers spell themselves (arguments -1): the judgements when that path is per-user or shared. */
  ifSyncShared?: Judgement;
  ifAsyncShared?: Judgement;
  disabled: boolean;
}

type Judgement = "excused" | "synchronous" | "asynchronous";

/**
 * The cycle candidates among a file's imported calls (`calls`, in source order), by the later call's index.
 * Pairs the per-file rule already sees (a reader and a writer it knows by name) are left to it.
 */
export function cycleCandidates(context: RuleContext, calls: readonly ts.CallExpression[], role: (index: number) => { read: boolean; write: boolean }, isDisabled: (line: number) => boolean): Map<number, CycleCandidate[]> {
  const found = new Map<number, CycleCandidate[]>();
  const { sourceFile, fs } = context;
  const scopes = calls.map(cycleScope);
  const keys = calls.map((call) => call.arguments.map((argument) => (isPathLike(argument) ? pathKey(argument, sourceFile, fs) : undefined)));
  // Pairs are judged within one function; a function with very many imported calls is left out (the cost grows
  // with the square of their number, and such a function is a script's long sequence, not a store's cycle).
  const perScope = new Map<ts.Node | undefined, number>();
  for (const scope of scopes) perScope.set(scope, (perScope.get(scope) ?? 0) + 1);
  const dependences = new Map<number, (data: ts.Expression) => boolean>();
  const carries = (r: number, argument: ts.Expression) => {
    let depends = dependences.get(r);
    if (!depends) dependences.set(r, (depends = dependenceOn(calls[r]!, scopes[r]!, fs)));
    return depends(argument);
  };
  calls.forEach((write, w) => {
    const scope = scopes[w];
    if (!scope || perScope.get(scope)! > MAX_CALLS_PER_FUNCTION || !role(w).write) return;
    calls.forEach((read, r) => {
      if (r === w || scopes[r] !== scope || read.end > write.getStart(sourceFile) || !role(r).read) return;
      const line = sourceFile.getLineAndCharacterOfPosition(write.getStart(sourceFile)).line;
      const add = (candidate: Omit<CycleCandidate, "read" | "readLine" | "disabled">) => {
        const list = found.get(w) ?? [];
        list.push({ read: r, readLine: sourceFile.getLineAndCharacterOfPosition(read.getStart(sourceFile)).line + 1, disabled: isDisabled(line), ...candidate });
        found.set(w, list);
      };
      // Helpers that spell the path themselves: any argument of the write carrying what the read returned.
      const carried = write.arguments.flatMap((argument, index) => (carries(r, argument) ? [index] : []));
      if (carried.length === 0) return;
      // The accesses as the rule sees them: at a path argument, or at the call for a path the helpers spell.
      const access = (kind: "read" | "write", call: ts.CallExpression, key: string, argument: number, data: number[], sync: boolean): FileAccess => {
        const path = call.arguments[argument] ?? call;
        return { kind, key, path, written: path, site: call, direct: false, origin: call, data: data.map((index) => write.arguments[index]!), sync, serialized: false };
      };
      const judge = (key: string, readArgument: number, writeArgument: number, data: number[], sync: boolean, fixedElsewhere?: { perUser: boolean }) =>
        judgeCycle(access("read", read, key, readArgument, [], sync), access("write", write, key, writeArgument, data, sync), scope, context, fixedElsewhere);
      const local = { perUser: false };
      const shared = { perUser: true };
      add({
        readArgument: -1, writeArgument: -1, dataArguments: carried,
        ifSync: judge("", -1, -1, carried, true, local), ifAsync: judge("", -1, -1, carried, false, local),
        ifSyncShared: judge("", -1, -1, carried, true, shared), ifAsyncShared: judge("", -1, -1, carried, false, shared),
      });
      keys[r]!.forEach((readKey, readArgument) => {
        keys[w]!.forEach((writeKey, writeArgument) => {
          if (readKey === undefined || readKey !== writeKey) return;
          const dataArguments = carried.filter((index) => index !== writeArgument);
          if (dataArguments.length === 0 || seenByTheRule(context, scope, read, write, readKey)) return;
          add({ readArgument, writeArgument, dataArguments, ifSync: judge(readKey, readArgument, writeArgument, dataArguments, true), ifAsync: judge(readKey, readArgument, writeArgument, dataArguments, false) });
        });
      });
    });
  });
  return found;
}

const MAX_CALLS_PER_FUNCTION = 40;

/**
 * Where a cycle's two calls must both be: the function they run in, a callback counting as its caller's. A
 * callback handed to a call at the module's top level (`router.post("/shorten", async (req, res) => …)`,
 * `client.on("messageCreate", …)`) has no caller function: it is its own scope, with the callbacks inside it
 * (labelled study: a URL shortener's route reads and saves links through its model's helpers).
 */
function cycleScope(call: ts.CallExpression): ts.Node | undefined {
  return owningFunction(call) ?? outermostFunction(call);
}

/** Data, options and callbacks are no path. */
function isPathLike(argument: ts.Expression): boolean {
  return !(ts.isObjectLiteralExpression(argument) || ts.isArrayLiteralExpression(argument) || ts.isFunctionLike(argument) || ts.isNumericLiteral(argument) || argument.kind === ts.SyntaxKind.TrueKeyword || argument.kind === ts.SyntaxKind.FalseKeyword);
}

/** The per-file rule already pairs these two calls (a JSON reader and an atomic writer it knows by name). */
function seenByTheRule(context: RuleContext, scope: ts.Node, read: ts.CallExpression, write: ts.CallExpression, key: string): boolean {
  const accesses = context.accesses().get(scope) ?? [];
  return accesses.some((access) => access.kind === "read" && access.site === read && access.key === key) && accesses.some((access) => access.kind === "write" && access.site === write && access.key === key);
}

/** The exported names of the read and write helpers among the workspace's module facts, by file. */
export function accessorNames(facts: Iterable<[string, { accessors?: AccessorExport[] | undefined } | undefined]>): ImportedAccessors {
  const readers = new Set<string>();
  const writers = new Set<string>();
  const modules = new Set<string>();
  for (const [fileName, each] of facts) {
    for (const accessor of each?.accessors ?? []) (accessor.kind === "read" ? readers : writers).add(accessor.exported);
    if (each?.accessors?.length) for (const name of importableNames(fileName)) modules.add(name);
  }
  return { readers, writers, modules };
}

/**
 * Whether a file's text imports a module with such helpers and calls a read helper and a write helper by name
 * (a cheap test before its calls are paired; a default export is called by whatever name the import binds).
 */
export function mayCallAccessors(text: string, accessors: ImportedAccessors): boolean {
  if (accessors.readers.size === 0 || accessors.writers.size === 0 || !mayImportAny(text, accessors.modules)) return false;
  let patterns = callPatterns.get(accessors);
  if (!patterns) callPatterns.set(accessors, (patterns = [accessors.readers, accessors.writers].map(callPattern)));
  return patterns.every((pattern) => pattern === undefined || pattern.test(text));
}

const callPatterns = new WeakMap<ImportedAccessors, (RegExp | undefined)[]>();

/** `name(` for any of the names; none to test when one of them is a default export. */
function callPattern(names: ReadonlySet<string>): RegExp | undefined {
  if (names.has("default")) return undefined;
  return new RegExp(`(?<![\\w$])(?:${[...names].map((name) => name.replace(/[$]/g, "\\$&")).join("|")})\\s*\\(`);
}

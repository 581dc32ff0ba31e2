import { ts } from "../ts";
import type { Range } from "../types";
import { FsModel } from "../fsModel";
import { parseDirectives, type Directives } from "../directives";
import { nodeRange, shorten } from "../ast";
import { moduleImports } from "./imports";
import { isInKeepingFunction } from "../stateFiles";
import { guardOutcomes, within } from "../existenceGuards";
import { pathKey } from "../paths";
import { isBuildOutputTarget, isCacheTarget } from "../locations";
import { cycleCandidates, type CycleCandidate } from "./importedCycles";
import { isUnreachable } from "../unreachable";
import type { RuleContext } from "../rule";
import type { ImportedAccessors } from "../types";

/** A call of a function imported from another workspace module, as plain data. */
export interface ImportedCall {
  specifier: string;
  imported: string;
  calleeText: string;
  argumentTexts: string[];
  range: Range;
  /** The call is inside a function named for keeping something (`persistSettings`): what it writes is state. */
  keeping: boolean;
  /** non-atomic-write is disabled here by a comment directive. */
  disabled: boolean;
  /**
   * The arguments (by index) that a check just found missing (`if (!existsSync(p)) writeYAML(p, defaults)`):
   * a wrapper writing one of them creates the file, it replaces nothing (scale study, seed 35).
   */
  missingArguments?: number[];
  /**
   * The arguments (by index) that are build output or a cache as they resolve here (`functionConfigPath`, a const
   * joined under `nitro.options.output.serverDir`): regenerated, as the per-file rule judges them (seed 40).
   */
  outputArguments?: number[];
  /** Earlier imported calls that may read what this one writes back (see importedCycles.ts). */
  readsBefore?: CycleCandidate[];
}

/** Every call of a relatively imported function (`save(p)`, `store.save(p)`), unless a local shadows its name. */
export function importedCalls(sourceFile: ts.SourceFile, fs = new FsModel(sourceFile), directives: Directives = parseDirectives(sourceFile), context?: RuleContext, accessors?: ImportedAccessors): ImportedCall[] {
  const imports = new Map(moduleImports(sourceFile).map((entry) => [entry.local, entry]));
  if (imports.size === 0) return [];
  const found: ImportedCall[] = [];
  const nodes: ts.CallExpression[] = [];
  for (const call of fs.index.calls) {
    const callee = call.expression;
    const binding = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
    const entry = binding && imports.get(binding.text);
    if (!binding || !entry || fs.findDeclaration(binding) !== fs.findDeclarationOfName(binding.text, sourceFile)) continue;
    if (isUnreachable(sourceFile, call.getStart(sourceFile))) continue;
    // `save()` calls the import; `store.save()` calls a member of a whole-module import.
    let imported: string;
    if (binding === callee) imported = entry.imported === "*" ? "default" : entry.imported;
    else if (entry.imported === "*" || entry.imported === "default") imported = (callee as ts.PropertyAccessExpression).name.text;
    else continue;
    const range = nodeRange(sourceFile, callee);
    found.push({
      specifier: entry.specifier,
      imported,
      calleeText: shorten(callee.getText(sourceFile), 40),
      argumentTexts: call.arguments.map((argument) => shorten(argument.getText(sourceFile), 60)),
      range,
      keeping: isInKeepingFunction(call),
      disabled: directives.isDisabled("non-atomic-write", range.start.line),
      missingArguments: missingArguments(call, fs, sourceFile),
      outputArguments: outputArguments(call, fs, sourceFile),
    });
    nodes.push(call);
  }
  // With the rules' context and the workspace's read and write helpers, the calls of them that may form a
  // read-modify-write cycle with earlier ones.
  if (context && accessors && nodes.length > 1) {
    const role = (index: number) => ({ read: accessors.readers.has(found[index]!.imported), write: accessors.writers.has(found[index]!.imported) });
    for (const [index, candidates] of cycleCandidates(context, nodes, role, (line) => directives.isDisabled("unlocked-read-modify-write", line))) found[index]!.readsBefore = candidates;
  }
  return found;
}

function outputArguments(call: ts.CallExpression, fs: FsModel, sourceFile: ts.SourceFile): number[] {
  return call.arguments.flatMap((argument, index) => {
    // Data, options and callbacks are no path: not resolved.
    if (ts.isObjectLiteralExpression(argument) || ts.isArrayLiteralExpression(argument) || ts.isFunctionLike(argument)) return [];
    const key = pathKey(argument, sourceFile, fs);
    return isBuildOutputTarget(argument, key, sourceFile, fs) || isCacheTarget(argument, key, sourceFile, fs) ? [index] : [];
  });
}

/** The indexes of the call's arguments whose file an existence check around the call found missing. */
function missingArguments(call: ts.CallExpression, fs: FsModel, sourceFile: ts.SourceFile): number[] {
  const checks = fs.calls.filter((check) => check.fn.op === "exists" && check.call.arguments[0] !== undefined && guardOutcomes(check.call)?.missing.some((region) => within(call, region)));
  if (checks.length === 0) return [];
  const checked = new Set(checks.map((check) => pathKey(check.call.arguments[0]!, sourceFile, fs)));
  return call.arguments.flatMap((argument, index) => (checked.has(pathKey(argument, sourceFile, fs)) ? [index] : []));
}

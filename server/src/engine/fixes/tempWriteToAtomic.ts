import { ts } from "../ts";
import type { FsModel } from "../fsModel";
import type { FixProposal, OffsetEdit } from "../rule";
import type { TempWritePair } from "../protocol";
import { writeApi } from "../fsOperations";
import { referencedIdentifiers } from "../ast";
import { argumentsText, removeStatement, standaloneStatement, unwrapUselessTry } from "./edits";

/**
 * Rewrites a hand-rolled `write temp; rename temp → target` pair into one `atomicWriteFile(target, …)`
 * call: the write becomes the runtime call, the rename goes, and the temp variable (with its cleanup)
 * goes when nothing else uses it. Undefined when the shape is not mechanical enough to rewrite safely.
 */
export function tempWriteToAtomic(pair: TempWritePair, fsModel: FsModel): FixProposal | undefined {
  const sourceFile = fsModel.sourceFile;
  const writeCall = fsModel.fsCallOf(pair.write.call);
  if (!writeCall) return undefined;
  const api = writeApi(writeCall.module, writeCall.name);
  if (!api || api.json || api.style === "callback") return undefined;
  const writeStatement = standaloneStatement(pair.write.call);
  const renameStatement = standaloneStatement(pair.rename.call);
  if (!writeStatement || !renameStatement) return undefined;
  const writeArgs = pair.write.call.arguments;
  if (writeArgs.length < 2 || (api.style === "promise-or-callback" && writeArgs.length > 3)) return undefined;
  // The target must already be in scope where the write stands.
  for (const identifier of referencedIdentifiers(pair.rename.to)) {
    const declaration = fsModel.findDeclaration(identifier);
    if (declaration && declaration.pos > writeStatement.pos && declaration.getSourceFile() === sourceFile) return undefined;
  }
  const sync = api.style === "sync";
  const name = sync ? "atomicWriteFileSync" : "atomicWriteFile";
  const awaited = !sync && ts.isAwaitExpression(pair.write.call.parent) ? "await " : "";
  const call = `${awaited}${name}(${pair.rename.to.getText(sourceFile)}, ${[argumentsText(writeArgs.slice(1, 2), sourceFile), ...optionsForTarget(writeArgs[2], sourceFile)].join(", ")});`;
  const edits: OffsetEdit[] = [
    { start: writeStatement.getStart(sourceFile), end: writeStatement.end, newText: call },
    removeStatement(renameStatement, sourceFile),
  ];
  edits.push(...removeTempVariable(pair, fsModel, [writeStatement, renameStatement]));
  return { title: `Write atomically with ${name}`, edits: unwrapUselessTry(edits, writeStatement, sourceFile), runtimeImports: [name] };
}

/**
 * The temp write's options as the target's: `flag` only said how the temp was opened (`wx`: exclusively),
 * which the runtime always does, so it goes, and with it an options object that held nothing else.
 */
function optionsForTarget(options: ts.Expression | undefined, sourceFile: ts.SourceFile): string[] {
  if (!options) return [];
  if (!ts.isObjectLiteralExpression(options)) return [options.getText(sourceFile)];
  const isFlag = (property: ts.ObjectLiteralElementLike) => (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && /^["']?flags?["']?$/.test(property.name.getText(sourceFile));
  const kept = options.properties.filter((property) => !isFlag(property));
  if (kept.length === options.properties.length) return [options.getText(sourceFile)];
  return kept.length === 0 ? [] : [`{ ${kept.map((property) => property.getText(sourceFile)).join(", ")} }`];
}

/** Deletes `const temp = …` and statements that only clean the temp up, if nothing else uses it. */
function removeTempVariable(pair: TempWritePair, fsModel: FsModel, handled: ts.Statement[]): OffsetEdit[] {
  const sourceFile = fsModel.sourceFile;
  const path = pair.write.path;
  if (!ts.isIdentifier(path)) return [];
  const declaration = fsModel.findDeclaration(path);
  const variable = declaration?.parent;
  if (!declaration || !variable || !ts.isVariableDeclaration(variable)) return [];
  const statement = variable.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return [];
  const cleanups: ts.Statement[] = [];
  const scope = statement.parent;
  let usedElsewhere = false;
  const visit = (node: ts.Node): void => {
    if (usedElsewhere) return;
    if (ts.isIdentifier(node) && node !== declaration && node.text === path.text && fsModel.findDeclaration(node) === declaration) {
      const owner = [...handled, ...cleanups].find((candidate) => candidate.pos <= node.pos && node.end <= candidate.end);
      if (!owner) {
        const cleanup = guardedCleanup(node, fsModel) ?? cleanupStatement(node, fsModel);
        if (cleanup) cleanups.push(cleanup);
        else usedElsewhere = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  if (usedElsewhere) return [];
  return [removeStatement(statement, sourceFile), ...cleanups.map((cleanup) => removeStatement(cleanup, sourceFile))];
}

/** `await unlink(temp)`, `unlinkSync(temp)`, `await rm(temp, …).catch(…)` standing alone. */
function cleanupStatement(identifier: ts.Identifier, fsModel: FsModel): ts.Statement | undefined {
  const call = identifier.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== identifier) return undefined;
  const callee = fsModel.resolveCallee(call.expression);
  if (!callee || !/^(unlink|unlinkSync|rm|rmSync|remove|removeSync)$/.test(callee.name)) return undefined;
  let node: ts.Node = call;
  // Allow `.catch(() => {})` chained on the cleanup.
  while (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === "catch" && node.parent.parent && ts.isCallExpression(node.parent.parent)) {
    node = node.parent.parent;
  }
  if (node.parent && ts.isAwaitExpression(node.parent)) node = node.parent;
  if (node.parent && ts.isVoidExpression(node.parent)) node = node.parent;
  const statement = node.parent && ts.isExpressionStatement(node.parent) ? node.parent : undefined;
  return statement ? enclosingSwallowingTry(statement) ?? statement : undefined;
}

/** `if (existsSync(temp)) { cleanup }` (no else): the check exists only for the cleanup, and goes with it. */
function guardedCleanup(identifier: ts.Identifier, fsModel: FsModel): ts.Statement | undefined {
  const check = identifier.parent;
  if (!check || !ts.isCallExpression(check) || check.arguments[0] !== identifier || !/^(existsSync|pathExistsSync)$/.test(fsModel.resolveCallee(check.expression)?.name ?? "")) return undefined;
  const ifStatement = check.parent;
  if (!ifStatement || !ts.isIfStatement(ifStatement) || ifStatement.expression !== check || ifStatement.elseStatement) return undefined;
  const body = ts.isBlock(ifStatement.thenStatement) ? ifStatement.thenStatement.statements : [ifStatement.thenStatement];
  const only = body.length === 1 ? body[0] : undefined;
  const temp = fsModel.findDeclaration(identifier);
  const cleansTemp = only !== undefined && referencedIdentifiers(only).some((use) => fsModel.findDeclaration(use) === temp && cleanupStatement(use, fsModel) === only);
  return cleansTemp ? ifStatement : undefined;
}

/** `try { cleanup; } catch {}` exists only for the cleanup: it goes with it. */
function enclosingSwallowingTry(statement: ts.Statement): ts.TryStatement | undefined {
  const block = statement.parent;
  const tryStatement = block?.parent;
  if (!block || !ts.isBlock(block) || block.statements.length !== 1 || !tryStatement || !ts.isTryStatement(tryStatement)) return undefined;
  if (tryStatement.tryBlock !== block || tryStatement.finallyBlock) return undefined;
  return tryStatement.catchClause?.block.statements.length === 0 ? tryStatement : undefined;
}

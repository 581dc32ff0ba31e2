import { ts } from "./ts";
import type { FsCall, FsModuleId } from "./fsModel";
import { libraryFunction } from "./library";

/** How a whole-file write API reports completion, and whether it serialises JSON itself. */
export interface WriteApi {
  style: "promise" | "callback" | "sync" | "promise-or-callback";
  json: boolean;
}

/** A whole-file write that truncates its target (not an atomic library write, not an append). */
export function writeApi(module: FsModuleId, name: string): WriteApi | undefined {
  const fn = libraryFunction(module, name);
  if (!fn || fn.op !== "write" || fn.atomic) return undefined;
  return { style: fn.style, json: fn.json === true };
}

export function isRenameApi(module: FsModuleId, name: string): boolean {
  return libraryFunction(module, name)?.op === "rename";
}

/** `open` variants that return a promise of a FileHandle. */
export function isPromiseOpenApi(module: FsModuleId, name: string): boolean {
  return name === "open" && (module === "fs/promises" || module === "fs-extra");
}

/** The variable a promise-API open's FileHandle is kept in: `const handle = await fs.open(p, flags)`. */
export function fileHandleVariable(open: FsCall): ts.Identifier | undefined {
  if (!isPromiseOpenApi(open.module, open.name)) return undefined;
  const awaited = open.call.parent;
  const declaration = awaited && ts.isAwaitExpression(awaited) ? awaited.parent : undefined;
  return declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name : undefined;
}

import { ts } from "./ts";
import type { FsCall, FsModuleId } from "./fsModel";

/** How a whole-file write API reports completion, and whether it serialises JSON itself. */
export interface WriteApi {
  style: "promise" | "callback" | "sync" | "promise-or-callback";
  json: boolean;
}

const WRITE_APIS: Record<FsModuleId, Record<string, WriteApi>> = {
  fs: {
    writeFile: { style: "callback", json: false },
    writeFileSync: { style: "sync", json: false },
  },
  "fs/promises": {
    writeFile: { style: "promise", json: false },
  },
  "fs-extra": {
    writeFile: { style: "promise-or-callback", json: false },
    outputFile: { style: "promise-or-callback", json: false },
    writeFileSync: { style: "sync", json: false },
    outputFileSync: { style: "sync", json: false },
    writeJson: { style: "promise-or-callback", json: true },
    writeJSON: { style: "promise-or-callback", json: true },
    outputJson: { style: "promise-or-callback", json: true },
    outputJSON: { style: "promise-or-callback", json: true },
    writeJsonSync: { style: "sync", json: true },
    writeJSONSync: { style: "sync", json: true },
    outputJsonSync: { style: "sync", json: true },
    outputJSONSync: { style: "sync", json: true },
  },
  jsonfile: {
    writeFile: { style: "promise-or-callback", json: true },
    writeFileSync: { style: "sync", json: true },
  },
};

export function writeApi(module: FsModuleId, name: string): WriteApi | undefined {
  return Object.prototype.hasOwnProperty.call(WRITE_APIS[module], name) ? WRITE_APIS[module][name] : undefined;
}

const RENAME_NAMES: Record<FsModuleId, readonly string[]> = {
  fs: ["rename", "renameSync"],
  "fs/promises": ["rename"],
  "fs-extra": ["rename", "renameSync", "move", "moveSync"],
  jsonfile: [],
};

export function isRenameApi(module: FsModuleId, name: string): boolean {
  return RENAME_NAMES[module].includes(name);
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

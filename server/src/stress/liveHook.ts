// Loaded by stress workers only for live targets: lets require() load the workspace's TypeScript
// (transpiled on load, no type check) and NodeNext-style `./x.js` imports of `./x.ts` sources. With a
// mirror (the quick-fixed copy of a module), files missing from the mirror come from the original tree.
import * as fs from "node:fs";
import * as path from "node:path";
import Module from "node:module";
import { ts } from "../engine/ts";

interface Mirror {
  /** The original project root. */
  original: string;
  /** The folder holding the fixed files at the same relative paths. */
  mirror: string;
}

type ResolveFilename = (request: string, parent: NodeJS.Module | undefined, ...rest: unknown[]) => string;

export function installTypeScriptHook(mirror?: Mirror): void {
  const extensions = (Module as unknown as { _extensions: Record<string, (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void> })._extensions;
  const compile = (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => {
    const output = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    }).outputText;
    module._compile(output, file);
  };
  for (const extension of [".ts", ".mts", ".cts", ".tsx"]) extensions[extension] = compile;

  const moduleWithResolver = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = moduleWithResolver._resolveFilename;
  moduleWithResolver._resolveFilename = function (request, parent, ...rest) {
    const attempt = (candidate: string, from: NodeJS.Module | undefined) => original.call(this, candidate, from, ...rest);
    const alternatives = [request, request.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts").replace(/\.cjs$/, ".cts")];
    const parents: (NodeJS.Module | undefined)[] = [parent];
    // A file of the fixed copy imports a sibling that was not copied: take the original's.
    if (mirror && parent?.filename && parent.filename.startsWith(mirror.mirror + path.sep)) {
      const originalParent = path.join(mirror.original, path.relative(mirror.mirror, parent.filename));
      parents.push({ ...parent, filename: originalParent, paths: [path.dirname(originalParent)] } as NodeJS.Module);
    }
    let lastError: unknown;
    for (const from of parents) {
      for (const candidate of alternatives) {
        try {
          return attempt(candidate, from);
        } catch (error) {
          lastError = error;
        }
      }
    }
    throw lastError;
  };
}

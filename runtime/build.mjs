// Builds the runtime package: ESM (.mjs), CommonJS (.cjs) and declarations, from the one vendorable source.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, "src", "tornwrite-runtime.ts");
const outDir = path.join(here, "dist");
const text = fs.readFileSync(source, "utf8");
fs.mkdirSync(outDir, { recursive: true });

const emit = (module, extension) => {
  const { outputText, diagnostics } = ts.transpileModule(text, {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: { module, target: ts.ScriptTarget.ES2020, esModuleInterop: false, removeComments: false },
  });
  if (diagnostics?.length) throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost({})));
  fs.writeFileSync(path.join(outDir, `tornwrite-runtime${extension}`), outputText);
};
emit(ts.ModuleKind.ESNext, ".mjs");
emit(ts.ModuleKind.CommonJS, ".cjs");

const program = ts.createProgram([source], {
  declaration: true, emitDeclarationOnly: true, outDir, strict: true, types: ["node"], skipLibCheck: true,
  target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
});
const result = program.emit();
const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
if (errors.length) throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})));
for (const extension of [".d.mts", ".d.cts"]) {
  fs.copyFileSync(path.join(outDir, "tornwrite-runtime.d.ts"), path.join(outDir, `tornwrite-runtime${extension}`));
}
console.log(`runtime: built ${path.relative(process.cwd(), outDir)}`);

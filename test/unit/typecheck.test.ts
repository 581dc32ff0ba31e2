import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { allRules } from "../../server/src/rules";
import { REPO } from "../workspace";

const RUNTIME_SOURCE = path.join(REPO, "runtime", "src", "tornwrite-runtime.ts");
const NODE_TYPES = path.join(REPO, "node_modules", "@types");

/** Type-checks files in a scratch folder inside the repo (so @types/node resolves); returns the errors. */
function typeCheckFiles(files: Record<string, string>, options: ts.CompilerOptions): string[] {
  const dir = fs.mkdtempSync(path.join(fs.mkdirSync(path.join(REPO, ".cache", "typecheck"), { recursive: true }) ?? path.join(REPO, ".cache", "typecheck"), "run-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const program = ts.createProgram(Object.keys(files).map((name) => path.join(dir, name)), { ...options, noEmit: true, types: ["node"], typeRoots: [NODE_TYPES], skipLibCheck: true });
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const STRICTEST: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  useUnknownInCatchVariables: true,
  isolatedModules: true,
};

describe("the vendored runtime compiles in the projects it is copied into", () => {
  const variants: Record<string, ts.CompilerOptions> = {
    "CommonJS + node10 resolution, ES2018": { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2018, strict: true },
    "NodeNext, strictest flags": { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, ...STRICTEST },
    "ESNext + bundler, verbatimModuleSyntax, erasableSyntaxOnly": { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, erasableSyntaxOnly: true, ...STRICTEST },
  };
  for (const [name, options] of Object.entries(variants)) {
    it(name, () => {
      assert.deepEqual(typeCheckFiles({ "tornwrite-runtime.ts": fs.readFileSync(RUNTIME_SOURCE, "utf8") }, options), []);
    });
  }
});

describe("fixes add no type errors (tsc over every TypeScript case, before and after its fix)", () => {
  // noUnusedLocals: a fix must not leave imports it made unused (projects with it would stop compiling).
  const options: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, strict: true, exactOptionalPropertyTypes: true, noUnusedLocals: true };
  for (const rule of allRules) {
    const cases = rule.cases.invalid.filter((c) => typeof c.output === "string" && /\.[cm]?tsx?$/.test(c.fileName ?? "case.ts"));
    if (cases.length === 0) continue;
    it(`${rule.id}: ${cases.length} fix outputs`, () => {
      const before: Record<string, string> = {};
      const after: Record<string, string> = { "tornwrite-runtime.ts": fs.readFileSync(RUNTIME_SOURCE, "utf8") };
      cases.forEach((testCase, index) => {
        const name = `case${index}${/\.[cm]?tsx?$/.exec(testCase.fileName ?? "case.ts")?.[0] ?? ".ts"}`;
        before[name] = testCase.code;
        after[name] = testCase.output as string;
      });
      const existing = new Set(typeCheckFiles(before, options));
      const introduced = typeCheckFiles(after, options).filter((error) => !existing.has(error));
      assert.deepEqual(introduced, []);
      assert.ok(existing.size < cases.length, "most cases compile cleanly before the fix, so the check has teeth");
    });
  }
});

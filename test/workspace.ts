import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(__dirname, "../..");
export const DEMO_WORKSPACE = path.join(REPO, "test", "fixtures", "demo-workspace");

/**
 * A scratch copy of a fixture inside the repo's ignored `.cache/` (so the repo's @types/node
 * resolves for `tsc`), removed by the returned cleanup.
 */
export function copyFixture(source: string = DEMO_WORKSPACE): { dir: string; cleanup: () => void } {
  const parent = path.join(REPO, ".cache", "work");
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `${path.basename(source)}-`));
  fs.cpSync(source, dir, { recursive: true });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * An empty scratch folder beside the fixture copies (same @types resolution), removed by the returned cleanup;
 * `write` puts a file at a path relative to it, making its folders.
 */
export function scratchProject(prefix: string): { dir: string; write: (file: string, text: string) => void; cleanup: () => void } {
  const parent = path.join(REPO, ".cache", "work");
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `${prefix}-`));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  return { dir, write, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the repo's TypeScript compiler on a project folder; returns its exit code and output. */
export function typeCheck(projectDir: string): { status: number | null; output: string } {
  const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", projectDir, "--noEmit"], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function uriToPath(uri: string): string {
  return fileURLToPath(uri);
}

/** Under `npm test` the outer npm's settings arrive as npm_* variables; an npm the tests run gets none of them. */
export function withoutNpmVariables(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

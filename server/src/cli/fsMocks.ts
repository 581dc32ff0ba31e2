import * as fs from "node:fs";
import * as path from "node:path";

/** A test file by its name or folder. */
const TEST_FILE = /(^|[\\/.])(tests?|specs?|__tests__|__mocks__)([\\/.]|$)/;
/** `vi.mock("node:fs/promises")`, `jest.mock("fs")`, memfs, mock-fs: the test replaces the fs module. */
const MOCKS_FS = /\b(?:vi|jest)\.(?:do)?[mM]ock\(\s*["'](?:node:)?fs(?:\/promises)?["']|["'](?:memfs|mock-fs)["']/;

/**
 * Test files that replace Node's fs module (fix study: a project's tests mocked `node:fs/promises`, and the
 * code the fix moved onto the runtime, which calls `node:fs` itself, reached the real disk in them). `fix` says
 * so rather than leave the user to find out from failing tests.
 */
export function testsMockingFs(files: readonly string[]): string[] {
  return files.filter((file) => TEST_FILE.test(file) && MOCKS_FS.test(readText(file)));
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** `tests/reset.test.ts`, `src/__tests__/reset.spec.js` → `reset`. */
function testedStem(testFile: string): string {
  return path.basename(testFile).replace(/\.(test|spec|e2e)(?=\.)/, "").replace(/\.[cm]?[jt]sx?$/, "");
}

/**
 * The mocking test file named after `file` (`reset.ts` ↔ `reset.test.ts`), if any: a fix that puts runtime
 * calls into `file` would reach the real disk under that test, so `fix` refuses it and says why.
 */
export function mockingTestFor(file: string, mockingTests: readonly string[]): string | undefined {
  const stem = path.basename(file).replace(/\.[cm]?[jt]sx?$/, "");
  return mockingTests.find((test) => testedStem(test) === stem);
}

import * as fs from "node:fs";
import * as path from "node:path";
import fg from "fast-glob";
import ignore, { type Ignore } from "ignore";
import { ANALYZABLE_EXTENSIONS } from "../engine/analyze";

const ALWAYS_SKIPPED = ["**/node_modules/**", "**/.git/**", "**/.tornwrite/**"];

/**
 * The analysable files under `inputs` (files or folders), skipping node_modules and whatever the
 * .gitignore files of each scanned folder ignore. Sorted, so output and benchmarks are stable.
 */
export async function collectFiles(inputs: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs) {
    const folder = inputFolder(input, found);
    if (!folder) continue;
    const [files, gitignores] = await Promise.all([fg(ANALYZABLE_PATTERNS, filesOptions(folder)), fg("**/.gitignore", gitignoreOptions(folder))]);
    addUnignored(files, gitignores, found);
  }
  return [...found].sort();
}

/** `collectFiles` for callers that cannot wait (an ESLint rule indexing its project once). */
export function collectFilesSync(inputs: readonly string[]): string[] {
  const found = new Set<string>();
  for (const input of inputs) {
    const folder = inputFolder(input, found);
    if (folder) addUnignored(fg.sync(ANALYZABLE_PATTERNS, filesOptions(folder)), fg.sync("**/.gitignore", gitignoreOptions(folder)), found);
  }
  return [...found].sort();
}

const ANALYZABLE_PATTERNS = ANALYZABLE_EXTENSIONS.map((extension) => `**/*${extension}`);
const filesOptions = (cwd: string) => ({ cwd, ignore: ALWAYS_SKIPPED, absolute: true, dot: false, followSymbolicLinks: false, suppressErrors: true });
const gitignoreOptions = (cwd: string) => ({ cwd, ignore: ALWAYS_SKIPPED, absolute: true, dot: true, suppressErrors: true });

/** The folder to scan for an input; a file input is added to `found` directly. */
function inputFolder(input: string, found: Set<string>): string | undefined {
  const absolute = path.resolve(input);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`No such file or folder: ${input}`);
  if (!stat.isFile()) return absolute;
  found.add(absolute);
  return undefined;
}

function addUnignored(files: readonly string[], gitignores: readonly string[], found: Set<string>): void {
  const filters = gitignores.map((file) => ({ dir: path.dirname(file), rules: ignore().add(fs.readFileSync(file, "utf8")) }));
  for (const file of files) if (!isIgnored(file, filters)) found.add(file);
}

function isIgnored(file: string, filters: readonly { dir: string; rules: Ignore }[]): boolean {
  return filters.some(({ dir, rules }) => {
    if (!file.startsWith(dir + path.sep)) return false;
    return rules.ignores(path.relative(dir, file).split(path.sep).join("/"));
  });
}

/**
 * Each analysable file under `root` with its text and its path relative to `root` (with `/`), for the
 * whole-folder features (stress sites, cleanup templates). Unreadable files are skipped, and so is a file
 * whose `analyse` throws: one file the parser chokes on never stops the others.
 */
export async function analyseFolder<T>(root: string, analyse: (file: string, text: string, relativePath: string) => T[]): Promise<T[]> {
  const results: T[] = [];
  for (const file of await collectFiles([root])) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch {
      continue;
    }
    try {
      results.push(...analyse(file, text, path.relative(root, file).split(path.sep).join("/")));
    } catch {
      continue;
    }
  }
  return results;
}

/** A mistake in how the CLI was called: exit code 2 with the message, no stack. */
export class UsageError extends Error {
  override name = "UsageError";
}

import * as fs from "node:fs";
import * as path from "node:path";
import { findProjectRoot } from "../project/projectRoot";
import { loadRuntimeSources, runtimeTextFor } from "../project/runtimeSources";

const USAGE = `Usage: tornwrite-runtime <path>

Adds the TornWrite runtime (zero dependencies) to your project at <path>, the file that the fixes of
eslint-plugin-tornwrite import: .ts gets the TypeScript source, .mjs (or .js in a "type": "module"
package) the ES module build, .cjs or .js the CommonJS build. An existing file is never overwritten.
`;

/** `npx tornwrite-runtime <path>`: the step a suggestion asks for before its fix can compile. */
export function vendorRuntime(argv: readonly string[], cwd = process.cwd()): number {
  const [target, ...rest] = argv;
  if (!target || rest.length > 0 || target === "--help" || target === "-h") {
    (target === "--help" || target === "-h" ? process.stdout : process.stderr).write(USAGE);
    return target === "--help" || target === "-h" ? 0 : 2;
  }
  const file = path.resolve(cwd, target);
  if (!/\.([cm]?[jt]s)$/.test(file)) {
    process.stderr.write(`tornwrite-runtime: ${target} must end in .ts, .mts, .cts, .js, .mjs or .cjs\n`);
    return 2;
  }
  const text = runtimeTextFor(file, findProjectRoot(file, [cwd]), loadRuntimeSources());
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`tornwrite-runtime: ${code === "EEXIST" ? `${target} exists already; nothing was changed` : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`created ${path.relative(cwd, file) || file} (TornWrite runtime)\n`);
  return 0;
}

if (require.main === module) process.exitCode = vendorRuntime(process.argv.slice(2));

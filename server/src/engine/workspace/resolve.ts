import * as path from "node:path";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/**
 * The workspace file a relative specifier names, as TypeScript and Node resolve it: the file itself, with
 * an extension added, a `.js` specifier written for its `.ts` source, or a folder's index. Pure: `exists`
 * says which files there are.
 */
export function resolveImport(fromFile: string, specifier: string, exists: (fileName: string) => boolean): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, ...EXTENSIONS.map((extension) => base + extension)];
  const written = /\.([cm]?)js(x?)$/.exec(base);
  if (written) candidates.push(`${base.slice(0, -written[0].length)}.${written[1]}ts${written[2]}`);
  candidates.push(...EXTENSIONS.map((extension) => path.join(base, `index${extension}`)));
  return candidates.find((candidate) => EXTENSIONS.some((extension) => candidate.endsWith(extension)) && exists(candidate));
}

import * as fs from "node:fs";
import * as path from "node:path";
import { assetDir } from "./assets";

/** The runtime as it is vendored: TypeScript source, an ES module build and a CommonJS build. */
export interface RuntimeSources {
  typescript: string;
  esm: string;
  commonjs: string;
}

export const RUNTIME_BASENAME = "tornwrite-runtime";

let cached: RuntimeSources | undefined;

export function loadRuntimeSources(): RuntimeSources {
  if (!cached) {
    const dir = assetDir("runtime");
    const read = (extension: string): string => fs.readFileSync(path.join(dir, `${RUNTIME_BASENAME}${extension}`), "utf8");
    cached = { typescript: read(".ts"), esm: read(".mjs"), commonjs: read(".cjs") };
  }
  return cached;
}

/**
 * The runtime's text for a file at `runtimeFile`, by its extension: TypeScript source for `.ts`, the ES
 * module build for `.mjs` (and `.js` in a `"type": "module"` package), else the CommonJS build.
 */
export function runtimeTextFor(runtimeFile: string, projectRoot: string, sources: RuntimeSources): string {
  if (/\.[cm]?tsx?$/.test(runtimeFile)) return VENDORED_HEADER + sources.typescript;
  if (runtimeFile.endsWith(".mjs") || (runtimeFile.endsWith(".js") && packageType(projectRoot) === "module")) return VENDORED_HEADER + sources.esm;
  return VENDORED_HEADER + sources.commonjs;
}

/**
 * A vendored file is third-party code in the project's tree: the project's own lint and format rules (style,
 * strict typescript-eslint presets, Biome) are not its contract. Seen on real projects: 27 ESLint errors in
 * the runtime; 3 Biome lint errors, its import order and its formatting in each of a monorepo's packages.
 */
const VENDORED_HEADER = [
  "/* eslint-disable -- the vendored TornWrite runtime: replace the whole file to update it, do not edit it */",
  "// biome-ignore-all lint: the vendored TornWrite runtime (replace the whole file to update it)",
  "// biome-ignore-all assist: the vendored TornWrite runtime keeps its own import order",
  "// biome-ignore-all format: the vendored TornWrite runtime keeps its own formatting",
  "",
].join("\n");

/** The `type` of the package.json in `projectRoot` ("module" or "commonjs"), if it has one. */
export function packageType(projectRoot: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { type?: unknown };
    return typeof manifest.type === "string" ? manifest.type : undefined;
  } catch {
    return undefined;
  }
}

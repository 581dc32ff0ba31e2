import * as fs from "node:fs";
import * as path from "node:path";
import { ts } from "../engine/ts";
import type { RuntimeContext } from "../engine/types";
import { RUNTIME_BASENAME, packageType, runtimeTextFor, type RuntimeSources } from "./runtimeSources";

export interface RuntimeSettings {
  /** Where the runtime lives (or is vendored to), relative to the project root. */
  runtimePath: string;
  /** A module specifier to import instead, for projects that install the runtime as a package. */
  runtimeImport?: string | undefined;
}

export const DEFAULT_RUNTIME_PATH = `src/lib/${RUNTIME_BASENAME}.ts`;

type ImporterKind = "typescript" | "esm" | "commonjs";

/**
 * How a fix in `filePath` reaches the runtime: the import specifier, and the file to vendor when the
 * project has no runtime yet. Reads the project's tsconfig and package.json; never writes.
 */
export function runtimeContextFor(filePath: string, projectRoot: string, settings: RuntimeSettings, sources: RuntimeSources, text?: string): RuntimeContext {
  if (settings.runtimeImport) return { importSpecifier: settings.runtimeImport };
  const kind = importerKind(filePath, projectRoot, text);
  const configured = path.resolve(projectRoot, !settings.runtimePath || settings.runtimePath === DEFAULT_RUNTIME_PATH ? defaultRuntimePath(filePath, projectRoot) : settings.runtimePath);
  const stem = configured.replace(/\.[cm]?[jt]sx?$/, "");
  const runtimeFile = existingRuntime(stem, kind, filePath) ?? stem + vendorExtension(kind, projectRoot);
  const vendor = fs.existsSync(runtimeFile)
    ? undefined
    : { fileName: runtimeFile, text: runtimeTextFor(runtimeFile, projectRoot, sources) };
  return { importSpecifier: specifier(filePath, runtimeFile, kind, text), vendor };
}

/**
 * Where the runtime goes when the project did not say: `src/lib/` (`lib/` in a project with no `src/`), unless the package's `files` list would not
 * publish `src/` while it does publish the fixed file's top folder (issue 17, seen in a monorepo whose
 * packages ship only `extensions/`): then `<that folder>/lib/`, so the runtime ships with the code that needs it.
 */
function defaultRuntimePath(filePath: string, projectRoot: string): string {
  // A project with no src/ folder (commands/, events/, utils/ at the top) gets lib/, not a new src/ of one file.
  const segments = path.relative(projectRoot, filePath).split(path.sep);
  const hasSrc = segments[0] === "src" || fs.existsSync(path.join(projectRoot, "src"));
  const fallback = hasSrc ? DEFAULT_RUNTIME_PATH : path.join("lib", `${RUNTIME_BASENAME}.ts`);
  const files = publishedFiles(projectRoot);
  if (!files || segments.length < 2 || ships(files, "src")) return fallback;
  const top = segments[0]!;
  if (!ships(files, top)) return fallback;
  return path.join(top === "lib" ? "lib" : path.join(top, "lib"), `${RUNTIME_BASENAME}.ts`);
}

/** The package.json `files` entries, if the package limits what it publishes. */
function publishedFiles(projectRoot: string): string[] | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { files?: unknown };
    return Array.isArray(manifest.files) ? manifest.files.filter((entry): entry is string => typeof entry === "string") : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a `files` entry publishes the top-level folder `folder` (`"extensions/"`, `"/lib"`, `"src/**"`). */
function ships(files: readonly string[], folder: string): boolean {
  return files.some((entry) => entry.replace(/^\.?\//, "").split("/")[0] === folder);
}

function importerKind(filePath: string, projectRoot: string, text: string | undefined): ImporterKind {
  if (/\.[cm]?tsx?$/.test(filePath)) return "typescript";
  if (filePath.endsWith(".mjs")) return "esm";
  if (filePath.endsWith(".cjs")) return "commonjs";
  const source = text ?? "";
  if (/^\s*(import|export)\s/m.test(source)) return "esm";
  if (/\brequire\s*\(/.test(source)) return "commonjs";
  return packageType(projectRoot) === "module" ? "esm" : "commonjs";
}

/**
 * A runtime file the importer can use as it is. A TypeScript file takes a JavaScript runtime (vendored earlier
 * for an `.mjs` script) only when its tsconfig has `allowJs`; otherwise it gets a `.ts` twin beside it.
 */
function existingRuntime(stem: string, kind: ImporterKind, importer: string): string | undefined {
  const extensions =
    kind === "typescript" ? [".ts", ".mts", ".cts", ...(typeScriptOptions(importer).allowJs ? [".js", ".mjs"] : [])] : kind === "esm" ? [".mjs", ".js"] : [".cjs", ".js"];
  return extensions.map((extension) => stem + extension).find((candidate) => fs.existsSync(candidate));
}

function vendorExtension(kind: ImporterKind, projectRoot: string): string {
  if (kind === "typescript") return ".ts";
  const isModulePackage = packageType(projectRoot) === "module";
  if (kind === "esm") return isModulePackage ? ".js" : ".mjs";
  return isModulePackage ? ".cjs" : ".js";
}

/** A relative specifier in the form the importer's module resolution accepts. */
function specifier(importer: string, runtimeFile: string, kind: ImporterKind, text?: string): string {
  let relative = path.relative(path.dirname(importer), runtimeFile).split(path.sep).join("/");
  if (!relative.startsWith(".")) relative = `./${relative}`;
  // A JavaScript runtime file (vendored for an earlier `.mjs`/`.js` importer) is imported by its own name.
  if (kind !== "typescript" || !/\.[cm]?ts$/.test(relative)) return relative;
  const withoutExtension = relative.replace(/\.[cm]?ts$/, "");
  // The file's own relative imports first (fix study: an ESM package compiled with node10 resolution imports
  // `./x.js` everywhere, and an extensionless runtime import type-checked but failed when Node ran the build).
  const style = importStyleOf(text) ?? importStyleNear(importer) ?? typeScriptImportStyle(importer);
  if (style === "ts-extension") return relative;
  if (style === "js-extension") return withoutExtension + (relative.endsWith(".mts") ? ".mjs" : relative.endsWith(".cts") ? ".cjs" : ".js");
  return withoutExtension;
}

type ImportStyle = "extensionless" | "js-extension" | "ts-extension";

const nearbyStyles = new Map<string, ImportStyle | undefined>();

/** For a file with no relative imports: how the TypeScript files beside it and one folder up write theirs. */
function importStyleNear(importer: string): ImportStyle | undefined {
  const dir = path.dirname(importer);
  if (nearbyStyles.has(dir)) return nearbyStyles.get(dir);
  const texts: string[] = [];
  for (const folder of [dir, path.dirname(dir)]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder).filter((name) => /\.[cm]?tsx?$/.test(name) && !name.endsWith(".d.ts")).slice(0, 20);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        texts.push(fs.readFileSync(path.join(folder, name), "utf8"));
      } catch {
        // Unreadable: not a vote.
      }
    }
  }
  const style = importStyleOf(...texts);
  nearbyStyles.set(dir, style);
  return style;
}

const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** How the file's relative imports are written, if they agree (most of them, at least two thirds). */
function importStyleOf(...texts: (string | undefined)[]): ImportStyle | undefined {
  const counts = { "js-extension": 0, "ts-extension": 0, extensionless: 0 };
  for (const [, specifier] of texts.filter((text) => text !== undefined).flatMap((text) => [...text.matchAll(RELATIVE_SPECIFIER)])) {
    const last = specifier!.split("/").pop()!;
    if (/\.[cm]?js$/.test(last)) counts["js-extension"]++;
    else if (/\.[cm]?tsx?$/.test(last)) counts["ts-extension"]++;
    else if (!/\.(json|css|scss|svg|png|node|wasm)$/.test(last)) counts.extensionless++;
  }
  const total = counts["js-extension"] + counts["ts-extension"] + counts.extensionless;
  const [style, count] = (Object.entries(counts) as [ImportStyle, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return total > 0 && count * 3 >= total * 2 ? style : undefined;
}

interface TypeScriptOptions {
  style: ImportStyle;
  allowJs: boolean;
}

const typeScriptConfigs = new Map<string, { mtimeMs: number; options: TypeScriptOptions }>();

function typeScriptImportStyle(importer: string): ImportStyle {
  return typeScriptOptions(importer).style;
}

/** What the importer's tsconfig says about relative imports (see readImportStyle) and JavaScript inputs. */
function typeScriptOptions(importer: string): TypeScriptOptions {
  const configPath = ts.findConfigFile(path.dirname(importer), ts.sys.fileExists, "tsconfig.json");
  if (!configPath) return { style: "extensionless", allowJs: true };
  // Cached per tsconfig: reading it expands its `include` globs, far too slow for every code action.
  const mtimeMs = fs.statSync(configPath).mtimeMs;
  const cached = typeScriptConfigs.get(configPath);
  if (cached && cached.mtimeMs === mtimeMs) return cached.options;
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  const options: TypeScriptOptions = read.error
    ? { style: "extensionless", allowJs: false }
    : (() => {
        const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath)).options;
        return { style: readImportStyle(parsed), allowJs: parsed.allowJs === true };
      })();
  typeScriptConfigs.set(configPath, { mtimeMs, options });
  return options;
}

/** NodeNext/Node16 resolution needs `.js` on relative imports; bundler and node10 resolution do not. */
function readImportStyle(options: ts.CompilerOptions): ImportStyle {
  if (options.allowImportingTsExtensions || options.rewriteRelativeImportExtensions) return "ts-extension";
  const resolution = options.moduleResolution;
  const resolutionIsNode = resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
  // Node16, Node18, Node20 and NodeNext module kinds all sit in TypeScript's 100–199 range.
  const moduleIsNode = options.module !== undefined && options.module >= ts.ModuleKind.Node16 && options.module <= ts.ModuleKind.NodeNext;
  return resolutionIsNode || (resolution === undefined && moduleIsNode) ? "js-extension" : "extensionless";
}

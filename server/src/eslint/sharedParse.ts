import { ts } from "../engine/ts";

/**
 * typescript-eslint already parsed the file with TypeScript: its tree can stand in for the engine's own
 * parse, but only if it was made by the same TypeScript version (syntax kinds and flags are numbers that
 * move between versions). The parser's TypeScript is a CommonJS module, so it is in `require.cache`;
 * the engine's is bundled. Reuse only when every TypeScript loaded in the process is the engine's version.
 */
let sameVersion: boolean | undefined;

function loadedTypeScriptMatches(): boolean {
  if (sameVersion !== undefined) return sameVersion;
  const versions = new Set<string>();
  for (const [id, module] of Object.entries(require.cache)) {
    if (!/[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(id)) continue;
    const version = (module?.exports as { version?: unknown } | undefined)?.version;
    versions.add(typeof version === "string" ? version : "unknown");
  }
  // Decided once a TypeScript is loaded (the parser loads it before the first rule runs).
  if (versions.size > 0) sameVersion = versions.size === 1 && versions.has(ts.version);
  return sameVersion ?? false;
}

interface ParserServicesLike {
  esTreeNodeToTSNodeMap?: { get(node: unknown): unknown } | undefined;
}

/** The parser's TypeScript tree of `program`, when the engine can use it as its own parse of `text`. */
export function reusableTree(parserServices: unknown, program: unknown, text: string): ts.SourceFile | undefined {
  const map = (parserServices as ParserServicesLike | undefined)?.esTreeNodeToTSNodeMap;
  if (!map || typeof map.get !== "function") return undefined;
  const tree = map.get(program) as ts.SourceFile | undefined;
  if (!tree || tree.text !== text || !loadedTypeScriptMatches() || tree.kind !== ts.SyntaxKind.SourceFile) return undefined;
  return tree;
}

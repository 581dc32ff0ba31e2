import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A folder of shipped assets (`runtime`, `docs`): beside the bundle in `dist/` (or one level up, for the
 * ESLint plugin's `bin/`), or the repo's `dist/` when running from compiled sources (tests).
 */
const assetDirs = new Map<string, string>();

export function assetDir(name: "runtime" | "docs"): string {
  // Asked for every diagnostic's docs link: the bundle does not move while the server runs.
  const known = assetDirs.get(name);
  if (known) return known;
  const candidates = [path.join(__dirname, name), path.resolve(__dirname, "..", name), path.resolve(__dirname, "../../../../dist", name)];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found) throw new Error(`TornWrite assets '${name}' not found (looked in ${candidates.join(", ")}); run \`npm run build\``);
  assetDirs.set(name, found);
  return found;
}

/** A rule's docs page, shipped beside the bundle (`docs/<id>.md`): what diagnostics link to. */
export function docsUri(ruleId: string): string {
  let uri = docsUris.get(ruleId);
  if (!uri) docsUris.set(ruleId, (uri = pathToFileURL(path.join(assetDir("docs"), `${ruleId}.md`)).toString()));
  return uri;
}

const docsUris = new Map<string, string>();

import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A folder of shipped assets (`runtime`, `docs`): beside the bundle in `dist/` (or one level up, for the
 * ESLint plugin's `bin/`), or the repo's `dist/` when running from compiled sources (tests).
 */
export function assetDir(name: "runtime" | "docs"): string {
  const candidates = [path.join(__dirname, name), path.resolve(__dirname, "..", name), path.resolve(__dirname, "../../../../dist", name)];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found) throw new Error(`TornWrite assets '${name}' not found (looked in ${candidates.join(", ")}); run \`npm run build\``);
  return found;
}

/** A rule's docs page, shipped beside the bundle (`docs/<id>.md`): what diagnostics link to. */
export function docsUri(ruleId: string): string {
  return pathToFileURL(path.join(assetDir("docs"), `${ruleId}.md`)).toString();
}

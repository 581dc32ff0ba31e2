import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The project a file belongs to: the nearest folder with a package.json, not above the workspace
 * folder that contains the file; without one, that workspace folder, else the file's own folder.
 */
export function findProjectRoot(filePath: string, workspaceFolders: readonly string[]): string {
  const folder = workspaceFolders
    .filter((candidate) => filePath.startsWith(candidate.endsWith(path.sep) ? candidate : candidate + path.sep))
    .sort((a, b) => b.length - a.length)[0];
  for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === folder || path.dirname(dir) === dir) break;
  }
  return folder ?? path.dirname(filePath);
}

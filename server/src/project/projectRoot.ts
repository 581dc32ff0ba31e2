import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The project a file belongs to: the nearest folder with a package.json above it (what `tornwrite fix src`,
 * `fix <one file>` and the editor all vendor the runtime into, whatever folder was given or opened), not
 * looking above the home folder unless the file's workspace folder is there; without one, the innermost
 * workspace folder that contains the file, else the file's own folder.
 */
export function findProjectRoot(filePath: string, workspaceFolders: readonly string[]): string {
  const folder = workspaceFolders
    .filter((candidate) => filePath.startsWith(candidate.endsWith(path.sep) ? candidate : candidate + path.sep))
    .sort((a, b) => b.length - a.length)[0];
  // A stray ~/package.json is nobody's project root.
  const home = os.homedir();
  const ceiling = folder !== undefined && !isInside(folder, home) ? path.parse(folder).root : home;
  for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
    if (dir === ceiling && dir === home) break;
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === ceiling || path.dirname(dir) === dir) break;
  }
  return folder ?? path.dirname(filePath);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

import * as fs from "node:fs";
import * as path from "node:path";
import { tempSites } from "../engine/tempSites";
import { collectFiles } from "../cli/files";
import { templateMatcher, type NameMatcher } from "./patterns";

/**
 * Matchers for the temp names this workspace's own code produces: every write+rename site's
 * template (`{target}.tmp.{now}`) becomes a matcher naming that site (`src/store.ts:42`).
 */
export async function workspaceSiteMatchers(root: string): Promise<NameMatcher[]> {
  const matchers: NameMatcher[] = [];
  for (const file of await collectFiles([root])) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch {
      continue;
    }
    let sites: ReturnType<typeof tempSites>;
    try {
      sites = tempSites(file, text);
    } catch {
      continue; // a file the parser chokes on names no temps
    }
    for (const site of sites) {
      const where = `${path.relative(root, file).split(path.sep).join("/")}:${site.line + 1}`;
      const matcher = templateMatcher(site.template, where);
      if (matcher) matchers.push(matcher);
    }
  }
  return matchers;
}

import { tempSites } from "../engine/tempSites";
import { analyseFolder } from "../cli/files";
import { templateMatcher, type NameMatcher } from "./patterns";

/**
 * Matchers for the temp names this workspace's own code produces: every write+rename site's
 * template (`{target}.tmp.{now}`) becomes a matcher naming that site (`src/store.ts:42`).
 */
export async function workspaceSiteMatchers(root: string): Promise<NameMatcher[]> {
  return analyseFolder(root, (file, text, relativePath) =>
    tempSites(file, text).flatMap((site) => templateMatcher(site.template, `${relativePath}:${site.line + 1}`) ?? []),
  );
}

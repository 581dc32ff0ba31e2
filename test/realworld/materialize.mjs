// Puts the studied files under .cache/realworld/<repo>/<path> at their recorded commits, from local git
// mirrors of the repositories (the search tool's `fetch` brings them to /work/.mirror/<owner>+<name>/repo;
// another folder of mirrors can be given as argv[2]). Files already there are kept. Third-party code stays
// in .cache/, never in this repository.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const mirrors = process.argv[2] ?? "/work/.mirror";
const { cases } = JSON.parse(fs.readFileSync(path.join(here, "cases.json"), "utf8"));
const missing = new Map();
for (const each of cases) {
  const target = path.join(root, ".cache", "realworld", each.repo, each.path);
  if (!fs.existsSync(target)) missing.set(target, each);
}
let written = 0;
const failed = [];
for (const [target, each] of missing) {
  const gitDir = path.join(mirrors, each.repo.replace("/", "+"), "repo");
  const shown = fs.existsSync(gitDir) ? spawnSync("git", ["-C", gitDir, "show", `${each.commit}:${each.path}`], { encoding: "buffer", maxBuffer: 1 << 28 }) : undefined;
  if (!shown || shown.status !== 0) {
    failed.push(`${each.repo}@${each.commit.slice(0, 7)}:${each.path}`);
    continue;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, shown.stdout);
  written++;
}
console.log(`${written} files written, ${missing.size - written - failed.length} already there${failed.length ? `; not in a local mirror (fetch these repositories first): ${failed.join(", ")}` : ""}`);
process.exitCode = failed.length > 0 ? 1 : 0;

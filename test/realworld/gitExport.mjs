// Writes the files of one commit from a git directory into a folder, through one `git cat-file --batch`.
// Mirror snapshots may lack large blobs: those are skipped. Shared by the scale study and the fix study.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

/** Exports `commit` of `gitDir` into `dir` (the files `wanted` accepts by path); symlinks and executables kept. */
export function exportCommit(gitDir, commit, dir, wanted = () => true) {
  const listed = spawnSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", commit], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (listed.status !== 0) throw new Error(`cannot list ${gitDir}@${commit}: ${listed.stderr}`);
  const entries = listed.stdout
    .split("\0")
    .filter(Boolean)
    .map((line) => ({ mode: line.split(" ")[0], name: line.split("\t")[1] }))
    .filter((entry) => entry.mode !== "160000" && wanted(entry.name));
  const batch = spawnSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], { input: entries.map((entry) => `${commit}:${entry.name}`).join("\n") + "\n", maxBuffer: 1 << 30 });
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.stdout.indexOf(10, offset);
    const header = batch.stdout.subarray(offset, headerEnd).toString();
    offset = headerEnd + 1;
    if (header.endsWith("missing")) continue;
    const size = Number(header.split(" ")[2]);
    const target = path.join(dir, entry.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const content = batch.stdout.subarray(offset, offset + size);
    if (entry.mode === "120000") fs.symlinkSync(content.toString(), target);
    else fs.writeFileSync(target, content, { mode: entry.mode === "100755" ? 0o755 : 0o644 });
    offset += size + 1;
  }
}

// Precision at scale (issue 14): `tornwrite check` on whole real repositories at a recorded commit, under
// the default settings, with the wall time and peak memory of each run; then a seeded random sample of the
// findings to label by reading the code. The repositories stay out of this repository: they are extracted
// from local git mirrors (the search tool's `fetch` puts them in /work/.mirror/<owner>+<name>/repo) into
// .cache/scale/<name>.
//
//   node test/realworld/scale.mjs run [--available] [--untuned]
//                                                    # check every repository (or those with a local mirror;
//                                                    # or only those no draw was taken from), write
//                                                    # .cache/scale/findings.json
//   node test/realworld/scale.mjs sample [--seed 14] [--size 60] [--untuned]
//                                                    # draw the sample (same seed, same findings, same order)
//   node test/realworld/scale.mjs score [--labels f] [--current]
//                                                    # per-rule TRUE/FALSE/DEBATABLE from scale-labels.json (or f);
//                                                    # --current: of those the last run still reports
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exportCommit } from "./gitExport.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const cacheDir = path.join(root, ".cache", "scale");
const mirrors = process.env.TORNWRITE_MIRRORS ?? "/work/.mirror";
const cli = path.join(root, "dist", "cli.js");
const { repositories } = JSON.parse(fs.readFileSync(path.join(here, "scale-repos.json"), "utf8"));
const labelsPath = path.join(here, "scale-labels.json");
const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};

const mirrorDir = (repo) => path.join(mirrors, repo.name.replace("/", "+"), "repo");

function extract(repo) {
  const dir = path.join(cacheDir, repo.name.replace("/", "+"));
  if (fs.existsSync(path.join(dir, ".extracted"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let gitDir = mirrorDir(repo);
  if (fs.existsSync(path.join(gitDir, ".git"))) gitDir = path.join(gitDir, ".git");
  // Sources and package manifests only (and pnpm's workspace file, which tells a monorepo root apart).
  exportCommit(gitDir, repo.commit, dir, (name) => /\.(c|m)?(j|t)sx?$|(^|\/)(package|\.tornwrite)\.json$|(^|\/)pnpm-workspace\.yaml$/.test(name));
  fs.writeFileSync(path.join(dir, ".extracted"), repo.commit);
  return dir;
}

function run() {
  const runs = [];
  const findings = [];
  // --available: only the repositories fetched on this machine (a fresh machine has none of the mirrors).
  // --untuned: only the repositories a `sample --untuned` can draw from (a quick first run of a fresh batch).
  const chosen = repositories.filter((repo) => (!process.argv.includes("--available") || fs.existsSync(mirrorDir(repo))) && (!process.argv.includes("--untuned") || !repo.tuned));
  for (const repo of chosen) {
    const dir = extract(repo);
    // /usr/bin/time -f: elapsed seconds and maximum resident set size in KiB of the CLI process.
    const result = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, cli, "check", "--format", "json", "."], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
    const [seconds, kib] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${repo.name}: exit ${result.status}\n${result.stderr}`);
    const report = JSON.parse(result.stdout);
    const files = report.files ?? report;
    let count = 0;
    for (const file of files) {
      for (const finding of file.findings ?? file.problems ?? []) {
        count++;
        findings.push({ repo: repo.name, commit: repo.commit, path: path.relative(dir, path.resolve(dir, file.path ?? file.file)), line: finding.line ?? finding.range?.start?.line + 1, rule: finding.ruleId ?? finding.rule, severity: finding.severity, message: finding.message });
      }
    }
    const scanned = countSources(dir);
    runs.push({ repo: repo.name, commit: repo.commit, files: scanned, findings: count, seconds, maxRssMiB: Math.round(kib / 1024) });
    console.log(`${repo.name}: ${scanned} files, ${count} findings, ${seconds} s, ${Math.round(kib / 1024)} MiB`);
    // A rule that failed on a file (its findings there skipped) is an engine bug to fix: say where.
    for (const failure of result.stderr.split("\n").filter((line) => line.includes("failed on"))) console.log(`  ${failure}`);
  }
  fs.writeFileSync(path.join(cacheDir, "findings.json"), JSON.stringify({ runs, findings }, null, 1));
}

function countSources(dir) {
  let count = 0;
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(c|m)?(j|t)sx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) count++;
    }
  };
  walk(dir);
  return count;
}

/** mulberry32: a small seeded generator, so a seed always draws the same sample. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample() {
  const { findings } = JSON.parse(fs.readFileSync(path.join(cacheDir, "findings.json"), "utf8"));
  const seed = Number(option("--seed", "14"));
  const size = Number(option("--size", "60"));
  const next = random(seed);
  // --untuned: only repositories no earlier sample was drawn from, whose findings the engine was not changed on.
  const tuned = new Set(repositories.filter((repo) => repo.tuned).map((repo) => repo.name));
  const eligible = process.argv.includes("--untuned") ? findings.filter((finding) => !tuned.has(finding.repo)) : findings;
  const pool = [...eligible].sort((a, b) => `${a.repo}/${a.path}:${a.line}:${a.rule}`.localeCompare(`${b.repo}/${b.path}:${b.line}:${b.rule}`));
  // Fisher-Yates on a canonical order, so the draw does not depend on the order the runs listed findings.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const drawn = pool.slice(0, size);
  for (const [index, finding] of drawn.entries()) console.log(`${index + 1}. ${finding.repo} ${finding.path}:${finding.line} ${finding.rule} (${finding.severity}) — ${finding.message.slice(0, 140)}`);
}

function score() {
  let { labels, seed } = JSON.parse(fs.readFileSync(option("--labels", labelsPath), "utf8"));
  // --current: only the labelled findings the engine that produced .cache/scale/findings.json still reports
  // (what a change kept of a labelled draw; findings it adds are not labelled, so this is no fresh score).
  if (process.argv.includes("--current")) {
    const { findings, runs } = JSON.parse(fs.readFileSync(path.join(cacheDir, "findings.json"), "utf8"));
    const still = new Set(findings.map((f) => `${f.repo} ${f.path}:${f.line} ${f.rule}`));
    // Repositories the last run did not check (no local mirror) say nothing either way.
    const checked = new Set(runs.map((r) => r.repo));
    labels = labels.filter((l) => checked.has(l.repo));
    const kept = labels.filter((l) => still.has(`${l.repo} ${l.path}:${l.line} ${l.rule}`));
    const gone = labels.filter((l) => !kept.includes(l));
    console.log(`still reported: ${kept.length} of ${labels.length}; no longer reported: ${gone.filter((l) => l.verdict === "TRUE").length} TRUE, ${gone.filter((l) => l.verdict === "FALSE").length} FALSE, ${gone.filter((l) => l.verdict === "DEBATABLE").length} DEBATABLE`);
    for (const l of gone.filter((each) => each.verdict === "TRUE")) console.log(`  lost TRUE #${l.n}: ${l.repo} ${l.path}:${l.line} ${l.rule}`);
    labels = kept;
  }
  const byRule = new Map();
  const total = { TRUE: 0, FALSE: 0, DEBATABLE: 0 };
  for (const label of labels) {
    const row = byRule.get(label.rule) ?? { TRUE: 0, FALSE: 0, DEBATABLE: 0 };
    row[label.verdict]++;
    total[label.verdict]++;
    byRule.set(label.rule, row);
  }
  const precision = (row) => (row.TRUE + row.FALSE === 0 ? "—" : (row.TRUE / (row.TRUE + row.FALSE)).toFixed(2));
  console.log(`seed ${seed}, ${labels.length} findings\n\n| rule | TRUE | FALSE | DEBATABLE | precision |\n|---|---|---|---|---|`);
  for (const [rule, row] of [...byRule.entries()].sort()) console.log(`| ${rule} | ${row.TRUE} | ${row.FALSE} | ${row.DEBATABLE} | ${precision(row)} |`);
  console.log(`| **all** | ${total.TRUE} | ${total.FALSE} | ${total.DEBATABLE} | ${precision(total)} |`);
  console.log(`\nDEBATABLE share: ${(total.DEBATABLE / labels.length).toFixed(2)}`);
}

const command = process.argv[2];
if (command === "run") run();
else if (command === "sample") sample();
else if (command === "score") score();
else {
  console.error("usage: scale.mjs run | sample [--seed N] [--size N] | score");
  process.exit(2);
}

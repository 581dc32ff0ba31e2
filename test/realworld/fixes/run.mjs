// Fix study (issue 17): `tornwrite fix` on whole real repositories, measured as a user would judge it.
// For each repository in repos.json: export the tree at the recorded commit (from a local git mirror, else a
// clone), install its dependencies from the npm registry, record the baseline (type errors per tsconfig, the
// repository's own tests, its linter), run `tornwrite check` and `tornwrite fix`, record everything again,
// run `fix` a second time (it must change nothing), and write one result file per repository. Third-party
// code stays in the work folder (a temp folder); only the numbers are committed (results/*.json, rendered into FIXES.md).
//
//   node test/realworld/fixes/run.mjs [--repo owner/name] [--keep]   # --keep: reuse an installed tree
//   node test/realworld/fixes/run.mjs --render                        # FIXES.md from results/*.json
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { exportCommit } from "../gitExport.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const cli = path.join(root, "dist", "cli.js");
// Outside this repository: TypeScript would otherwise pick up this repository's node_modules/@types.
const workRoot = process.env.TORNWRITE_STUDY_DIR ?? path.join(os.tmpdir(), "tornwrite-fix-study");
const resultsDir = path.join(here, "results");
const mirrors = process.env.TORNWRITE_MIRRORS ?? "/work/.mirror";
const { repositories, notInstallable = [] } = JSON.parse(fs.readFileSync(path.join(here, "repos.json"), "utf8"));
// The commit whose build (dist/) is measured, read once: commits made while the study runs are not in it.
const tornwriteCommit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
const argument = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);

function sh(command, cwd, timeoutMs = 20 * 60_000) {
  const result = spawnSync("bash", ["-c", command], { cwd, encoding: "utf8", maxBuffer: 1 << 30, timeout: timeoutMs, env: { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" } });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}`, stdout: result.stdout ?? "", timedOut: result.error?.code === "ETIMEDOUT" };
}

/** The tree at the commit, as plain files in a fresh git repository (so the fix's changes are a `git diff`). */
function exportTree(repo, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let gitDir = path.join(mirrors, repo.name.replace("/", "+"), "repo");
  if (fs.existsSync(path.join(gitDir, ".git"))) gitDir = path.join(gitDir, ".git");
  if (!fs.existsSync(gitDir)) {
    gitDir = path.join(workRoot, "clones", repo.name.replace("/", "+"));
    if (!fs.existsSync(gitDir)) must(sh(`git clone --bare --quiet https://github.com/${repo.name}.git ${JSON.stringify(gitDir)}`, root), `clone ${repo.name}`);
  }
  exportCommit(gitDir, repo.commit, dir);
  fs.mkdirSync(path.join(dir, ".tornwrite-study"));
  must(sh("git init -q && printf 'node_modules/\\n.tornwrite-study/\\n' >> .git/info/exclude", dir), "git init");
  commitAll(dir, "baseline");
}

function must(result, what) {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.output.slice(-3000)}`);
  return result;
}

function install(dir) {
  // The project's own lockfile decides the versions (an old project's TypeScript with today's @types fails).
  if (!fs.existsSync(path.join(dir, "package-lock.json")) && fs.existsSync(path.join(dir, "yarn.lock"))) {
    return must(sh("npx --yes yarn@1.22.22 install --frozen-lockfile --ignore-scripts --non-interactive", dir), "yarn install");
  }
  const command = fs.existsSync(path.join(dir, "package-lock.json")) ? "npm ci --ignore-scripts --no-audit --no-fund" : "npm install --ignore-scripts --no-audit --no-fund --no-package-lock";
  const result = sh(command, dir);
  if (result.status !== 0 && command.startsWith("npm ci")) return must(sh("npm install --ignore-scripts --no-audit --no-fund --no-package-lock", dir), "npm install");
  return must(result, command);
}

/** Type errors per tsconfig, with the project's own TypeScript when it has one. */
function typeErrors(repo, dir) {
  const local = path.join(dir, "node_modules", "typescript", "bin", "tsc");
  const tsc = fs.existsSync(local) ? local : path.join(root, "node_modules", "typescript", "bin", "tsc");
  return Object.fromEntries(repo.typecheck.map((config) => {
    const result = sh(`node ${JSON.stringify(tsc)} --noEmit --pretty false -p ${JSON.stringify(config)}`, dir);
    const errors = result.output.split("\n").filter((line) => /error TS\d+/.test(line));
    return [config, { count: errors.length, errors: errors.map((line) => line.replace(/^(.*?)\(\d+,\d+\): error (TS\d+).*$/, "$1 $2")) }];
  }));
}

/** Passing and failing test names from the runner's own JSON report (counts if it has none). */
function tests(repo, dir) {
  if (!repo.test) return null;
  const reportFile = path.join(dir, ".tornwrite-study", "tests.json");
  fs.rmSync(reportFile, { force: true });
  const result = sh(repo.test, dir);
  if (!fs.existsSync(reportFile)) return { ran: false, status: result.status, tail: result.output.trim().split("\n").slice(-5).join("\n") };
  const text = fs.readFileSync(reportFile, "utf8");
  // Tests that print to stdout put their lines before mocha's JSON report.
  const json = repo.testReport === "mocha-json" && text.includes('{\n  "stats"') ? text.slice(text.indexOf('{\n  "stats"')) : text;
  const report = repo.testReport === "node-tap" ? { tap: text } : JSON.parse(json);
  if (repo.testReport === "vitest-json") {
    const all = report.testResults.flatMap((file) => file.assertionResults.map((test) => ({ name: `${path.relative(dir, file.name)} > ${test.fullName}`, status: test.status })));
    const failedFiles = report.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).map((file) => `${path.relative(dir, file.name)} (file failed to load)`);
    return { ran: true, passed: all.filter((t) => t.status === "passed").length, failed: [...all.filter((t) => t.status === "failed").map((t) => t.name), ...failedFiles].sort() };
  }
  if (repo.testReport === "node-tap") {
    // node --test's TAP: "ok 3 - name" / "not ok 4 - name", subtests indented under their suite.
    const results = [...report.tap.matchAll(/^(\s*)(not )?ok \d+ - (.*?)(?: # .*)?$/gm)].map((match) => ({ name: `${match[1].length / 4}:${match[3]}`, ok: !match[2] }));
    return { ran: true, passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).map((r) => r.name).sort() };
  }
  return { ran: true, passed: report.stats.passes, failed: report.failures.map((test) => test.fullTitle).sort() };
}

function lint(repo, dir) {
  if (!repo.lint) return null;
  const result = sh(repo.lint, dir);
  const reportFile = path.join(dir, ".tornwrite-study", "lint.json");
  if (fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
    fs.rmSync(reportFile);
    const problems = report.flatMap((file) => file.messages.filter((m) => m.severity === 2).map((m) => `${path.relative(dir, file.filePath)}:${m.line} ${m.ruleId}`));
    return { errors: problems.length, problems };
  }
  // Biome's summary reporter: "Found N errors."
  const errors = Number(/Found (\d+) errors?/.exec(result.output)?.[1] ?? 0);
  return { errors, problems: result.output.split("\n").filter((line) => /^\S+:\d+:\d+ lint\//.test(line)) };
}

function findings(dir) {
  const result = sh(`node ${JSON.stringify(cli)} check --format json .`, dir);
  const report = JSON.parse(result.stdout);
  const byRule = {};
  for (const file of report.files) for (const finding of file.findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  return { files: report.filesChecked, total: Object.values(byRule).reduce((a, b) => a + b, 0), byRule };
}

/** JavaScript the fix touched must still parse and resolve every import it was given. */
function javascriptChecks(dir, changed) {
  const problems = [];
  for (const file of changed.filter((name) => /\.[cm]?jsx?$/.test(name))) {
    const syntax = sh(`node --check ${JSON.stringify(file)}`, dir);
    if (syntax.status !== 0) problems.push(`${file}: ${syntax.output.trim().split("\n")[0]}`);
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    for (const [, specifier] of text.matchAll(/(?:from\s+|require\()\s*["'](\.[^"']*tornwrite-runtime[^"']*)["']/g)) {
      if (!fs.existsSync(path.resolve(dir, path.dirname(file), specifier)) && !fs.existsSync(path.resolve(dir, path.dirname(file), `${specifier}.js`))) problems.push(`${file}: ${specifier} does not resolve`);
    }
  }
  return problems;
}

function commitAll(dir, message) {
  must(sh(`git add -A -f . ':!node_modules' ':!.tornwrite-study' && git -c user.name=study -c user.email=study@localhost commit -qm ${JSON.stringify(message)} --no-verify --allow-empty`, dir), `commit ${message}`);
}

function changedFiles(dir) {
  return sh("git status --porcelain --untracked-files=all", dir).stdout.split("\n").filter(Boolean).map((line) => line.slice(3));
}

function study(repo) {
  const dir = path.join(workRoot, repo.name.replace("/", "+"));
  const started = Date.now();
  if (!(process.argv.includes("--keep") && fs.existsSync(path.join(dir, "node_modules")))) {
    exportTree(repo, dir);
    // A repository-specific step recorded in repos.json (e.g. dropping a dependency that was never published).
    if (repo.prepare) must(sh(repo.prepare, dir), "prepare");
    install(dir);
  } else must(sh("git reset -q --hard $(git rev-list --max-parents=0 HEAD) && git clean -qfdx -e node_modules -e .tornwrite-study", dir), "reset");
  const before = { findings: findings(dir), types: typeErrors(repo, dir), tests: tests(repo, dir), lint: lint(repo, dir) };
  // Whatever the tests wrote is committed first, so the fix's changes are the only ones left to see.
  commitAll(dir, "baseline run");
  const fix = sh(`node ${JSON.stringify(cli)} fix .`, dir);
  const changed = changedFiles(dir);
  sh("git add -A -N . && git diff > .tornwrite-study/fix.diff", dir);
  commitAll(dir, "fix");
  const after = { findings: findings(dir), types: typeErrors(repo, dir), tests: tests(repo, dir), lint: lint(repo, dir) };
  commitAll(dir, "after run");
  const second = sh(`node ${JSON.stringify(cli)} fix .`, dir);
  const changedBySecond = changedFiles(dir);
  const lines = fix.output.split("\n");
  const result = {
    name: repo.name,
    commit: repo.commit,
    kind: repo.kind,
    measured: new Date().toISOString().slice(0, 10),
    tornwrite: tornwriteCommit,
    before,
    after,
    fix: {
      exit: fix.status,
      fixed: lines.filter((line) => line.startsWith("fixed ")).map((line) => line.slice(6).trim()),
      created: lines.filter((line) => line.startsWith("created ")).map((line) => line.slice(8).replace(/ \(.*$/, "").trim()),
      refused: lines.filter((line) => line.startsWith("refused ")).map((line) => line.slice(8)),
      skipped: lines.filter((line) => /^skipped|type check skipped/.test(line)),
      notes: lines.filter((line) => line.startsWith("note:")),
      changed,
      javascript: javascriptChecks(dir, changed.filter((name) => fs.existsSync(path.join(dir, name)))),
    },
    secondFix: { changed: changedBySecond, summary: second.output.trim().split("\n").at(-1) },
    seconds: Math.round((Date.now() - started) / 1000),
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${repo.name.replace("/", "+")}.json`), `${JSON.stringify(result, null, 1)}\n`);
  console.log(`${repo.name}: ${before.findings.total} → ${after.findings.total} findings, ${result.fix.fixed.length} fixed, ${result.fix.refused.length} refused, second fix changed ${changedBySecond.length} (${result.seconds} s)`);
}

function sumTypes(types) {
  return Object.values(types).reduce((sum, entry) => sum + entry.count, 0);
}

function describeTests(run) {
  if (!run) return "none offline";
  if (!run.ran) return `did not run (exit ${run.status})`;
  return `${run.passed} passed, ${run.failed.length} failed`;
}

function render() {
  const results = repositories.map((repo) => ({ repo, file: path.join(resultsDir, `${repo.name.replace("/", "+")}.json`) })).filter(({ file }) => fs.existsSync(file)).map(({ repo, file }) => ({ repo, result: JSON.parse(fs.readFileSync(file, "utf8")) }));
  const rules = (byRule) => Object.entries(byRule).sort((a, b) => b[1] - a[1]).map(([rule, count]) => `${rule} ${count}`).join(", ") || "none";
  const out = [
    "# Fix study: `tornwrite fix` on real projects (issue 17)",
    "",
    `${results.length} repositories, each exported at the recorded commit, installed from the npm registry, then measured by`,
    "`node test/realworld/fixes/run.mjs` (metadata in `fixes/repos.json`, numbers in `fixes/results/`; no third-party code",
    "is committed). Type errors come from the project's own TypeScript and tsconfig; tests are the project's own, compared",
    "test by test; \"second fix\" is `tornwrite fix` run again on the fixed tree. The review notes come from reading every diff.",
    "",
    summary(results.map(({ result }) => result)),
    "",
    ...notInstallable.map((repo) => `Tried and left out: [${repo.name}](https://github.com/${repo.name}/tree/${repo.commit}) — ${repo.why}.\n`),
    "| repository | kind | findings before → after | files fixed (refused) | type errors before → after | tests before → after | second fix |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { result } of results) {
    const sameFailures = result.before.tests?.ran && result.after.tests?.ran && JSON.stringify(result.before.tests.failed) === JSON.stringify(result.after.tests.failed);
    const testsCell = result.before.tests ? `${describeTests(result.before.tests)} → ${describeTests(result.after.tests)}${sameFailures ? " (same tests)" : ""}` : "none offline";
    out.push(`| [${result.name}](https://github.com/${result.name}/tree/${result.commit}) | ${result.kind} | ${result.before.findings.total} → ${result.after.findings.total} | ${result.fix.fixed.length} (${result.fix.refused.length}) | ${Object.keys(result.before.types).length ? `${sumTypes(result.before.types)} → ${sumTypes(result.after.types)}` : "n/a"} | ${testsCell} | ${result.secondFix.changed.length === 0 ? "no change" : `${result.secondFix.changed.length} files changed`} |`);
  }
  for (const { repo, result } of results) {
    out.push("", `## ${result.name} @ ${result.commit.slice(0, 12)}`, "", `${result.kind}. Measured ${result.measured} with TornWrite ${result.tornwrite}, ${result.seconds} s in all.`, "");
    out.push(`- Findings before: ${result.before.findings.total} in ${result.before.findings.files} files (${rules(result.before.findings.byRule)}).`);
    out.push(`- Findings after: ${result.after.findings.total} (${rules(result.after.findings.byRule)}).`);
    out.push(`- Fixed: ${result.fix.fixed.length} files${result.fix.created.length ? `; runtime vendored at ${result.fix.created.join(", ")}` : ""}.`);
    for (const refusal of result.fix.refused) out.push(`- Refused: ${refusal}`);
    for (const skip of result.fix.skipped) out.push(`- ${skip.replace(/^type check skipped/, "Type check skipped")}`);
    for (const note of result.fix.notes ?? []) out.push(`- \`fix\` said: ${note.replace(/^note: /, "")}`);
    const typeLines = Object.entries(result.before.types).map(([config, entry]) => `${config} ${entry.count} → ${result.after.types[config].count}`);
    if (typeLines.length) out.push(`- Type errors: ${typeLines.join("; ")}${newErrors(result).length ? `; new: ${newErrors(result).join(", ")}` : ""}.`);
    if (result.before.tests) {
      out.push(`- Tests: ${describeTests(result.before.tests)} → ${describeTests(result.after.tests)}.`);
      const newlyFailing = (result.after.tests.failed ?? []).filter((name) => !(result.before.tests.failed ?? []).includes(name));
      for (const name of newlyFailing) out.push(`  - newly failing: ${name}`);
    }
    if (result.before.lint) out.push(`- Project lint errors: ${result.before.lint.errors} → ${result.after.lint.errors}.`);
    if (result.fix.javascript.length) for (const problem of result.fix.javascript) out.push(`- JavaScript check: ${problem}`);
    else if (result.fix.changed.some((name) => /\.[cm]?jsx?$/.test(name))) out.push("- JavaScript check: every changed .js/.mjs/.cjs file parses (`node --check`) and its runtime import resolves.");
    out.push(`- Second fix: ${result.secondFix.changed.length === 0 ? "no file changed" : result.secondFix.changed.join(", ")} (${result.secondFix.summary}).`);
    if (repo.review?.length) {
      out.push("", "Review of the diff:");
      for (const note of repo.review) out.push(`- ${note}`);
    }
  }
  fs.writeFileSync(path.join(here, "..", "FIXES.md"), `${out.join("\n")}\n`);
}

/** The study's verdict against issue 17's bar, computed from the results. */
function summary(results) {
  const typesKept = results.filter((result) => newErrors(result).length === 0).length;
  const secondNoOp = results.filter((result) => result.secondFix.changed.length === 0).length;
  const tested = results.filter((result) => result.before.tests?.ran && result.after.tests?.ran);
  const testsKept = tested.filter((result) => JSON.stringify(result.before.tests.failed) === JSON.stringify(result.after.tests.failed) && result.after.tests.passed === result.before.tests.passed);
  const fixed = results.reduce((sum, result) => sum + result.fix.fixed.length, 0);
  const refused = results.reduce((sum, result) => sum + result.fix.refused.length, 0);
  return `Summary: ${fixed} files fixed, ${refused} refused with a reason; no new type error in ${typesKept} of ${results.length}; the second \`fix\` changed nothing in ${secondNoOp} of ${results.length}; the project's own tests unchanged, test by test, in ${testsKept.length} of the ${tested.length} whose tests run offline${tested.length > testsKept.length ? ` (not in: ${tested.filter((result) => !testsKept.includes(result)).map((result) => result.name).join(", ")}; see below)` : ""}.`;
}

/** Errors after the fix beyond the baseline's, by file and code (positions move when a fix adds lines). */
function newErrors(result) {
  return Object.entries(result.after.types).flatMap(([config, entry]) => {
    const remaining = [...result.before.types[config].errors];
    return entry.errors.filter((error) => {
      const index = remaining.indexOf(error);
      if (index < 0) return true;
      remaining.splice(index, 1);
      return false;
    });
  });
}

if (process.argv.includes("--render")) render();
else {
  const only = argument("--repo");
  for (const repo of repositories.filter((candidate) => !only || candidate.name === only)) {
    try {
      study(repo);
    } catch (error) {
      console.error(`${repo.name}: ${error.message}`);
      process.exitCode = 1;
    }
  }
  render();
}

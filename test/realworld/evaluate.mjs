// The real-world precision/recall study (issues 3 and 9): runs the engine on the studied files and scores
// it against the hand labels in cases.json. The files themselves are public code and stay out of this
// repository: put them under .cache/realworld/<repo>/<path> (the search tool's read_file or a clone at the
// recorded commit). `node test/realworld/evaluate.mjs [--write]` prints the table; --write updates RESULTS.md.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const require = createRequire(import.meta.url);
const { analyzeWithFacts } = require(path.join(root, "out", "server", "src", "engine", "analyze.js"));
const { workspaceFindings } = require(path.join(root, "out", "server", "src", "engine", "workspace", "crossFile.js"));
const { accessorNames, mayCallAccessors } = require(path.join(root, "out", "server", "src", "engine", "workspace", "importedCycles.js"));
const allCases = JSON.parse(fs.readFileSync(path.join(here, "cases.json"), "utf8")).cases;
// `--set <name>` (repeatable) scores only those sets, e.g. a fresh batch on its first run.
const chosenSets = process.argv.flatMap((arg, index) => (arg === "--set" ? [process.argv[index + 1]] : []));
let cases = chosenSets.length > 0 ? allCases.filter((each) => chosenSets.includes(each.set)) : allCases;
if (cases.length === 0) {
  console.error(`no cases in set(s) ${chosenSets.join(", ")}`);
  process.exit(2);
}
const cacheDir = path.join(root, ".cache", "realworld");

const present = (each) => fs.existsSync(path.join(cacheDir, each.repo, each.path));
const missingCases = cases.filter((each) => !present(each));
if (missingCases.length > 0 && !process.argv.includes("--available")) {
  console.error(`${missingCases.length} cases' files are not in .cache/realworld/ (e.g. ${missingCases[0].repo}/${missingCases[0].path}); fetch their repositories and run materialize.mjs, or pass --available to score the rest.`);
  process.exit(2);
}
// `--available`: score the cases whose files are here and say which sets were left out.
if (process.argv.includes("--available")) cases = cases.filter(present);
const skippedSets = [...new Set(missingCases.map((each) => each.set))];
const files = [...new Set(cases.map((each) => `${each.repo}/${each.path}`))];

// Each file with its repository's other studied files as its workspace, as `tornwrite check` sees a project: calls
// into another studied module's in-place writer or read/write helpers are judged too.
const textOf = (file) => fs.readFileSync(path.join(cacheDir, file), "utf8");
const analysed = new Map(files.map((file) => [path.join("/realworld", file), analyzeWithFacts(path.join("/realworld", file), textOf(file), { fixes: "none" }, "always")]));
// Files that call the studied modules' read and write helpers, again with their names (as the CLI does).
const importedAccessors = accessorNames([...analysed].map(([fileName, module]) => [fileName, module.facts]));
for (const file of files) {
  if (mayCallAccessors(textOf(file), importedAccessors)) analysed.set(path.join("/realworld", file), analyzeWithFacts(path.join("/realworld", file), textOf(file), { fixes: "none", importedAccessors }, "always"));
}
const crossFile = workspaceFindings(analysed, () => undefined);
const findingsByFile = new Map(
  files.map((file) => {
    const name = path.join("/realworld", file);
    return [file, [...analysed.get(name).findings, ...(crossFile.get(name) ?? [])].map((finding) => ({ rule: finding.ruleId, line: finding.range.start.line + 1 }))];
  }),
);
const inSpan = (finding, each) => (each.rule === "*" || finding.rule === each.rule) && finding.line >= each.lines[0] && finding.line <= each.lines[1];

/** TP/FP/FN/TN per rule for a set of cases (and the findings in their files that no case speaks for). */
function score(selected) {
  const tally = new Map();
  const count = (rule, outcome) => {
    const row = tally.get(rule) ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
    row[outcome]++;
    tally.set(rule, row);
  };
  const misses = [];
  for (const each of selected) {
    const hits = findingsByFile.get(`${each.repo}/${each.path}`).filter((finding) => inSpan(finding, each));
    const outcome = each.expected ? (hits.length > 0 ? "tp" : "fn") : hits.length > 0 ? "fp" : "tn";
    if (each.rule === "*") for (const hit of hits) count(hit.rule, "fp");
    count(each.rule === "*" ? "(no finding expected)" : each.rule, outcome);
    if (outcome === "fp" || outcome === "fn") misses.push({ ...each, outcome, hits });
  }
  // A finding that no case speaks for is a precision problem until someone labels it.
  const unlabelled = [];
  for (const file of new Set(selected.map((each) => `${each.repo}/${each.path}`))) {
    for (const finding of findingsByFile.get(file)) {
      if (!cases.some((each) => `${each.repo}/${each.path}` === file && inSpan(finding, each))) unlabelled.push({ file, ...finding });
    }
  }
  for (const finding of unlabelled) count(finding.rule, "fp");
  const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.filter(([rule]) => rule !== "(no finding expected)").reduce((sum, [, row]) => ({ tp: sum.tp + row.tp, fp: sum.fp + row.fp, fn: sum.fn + row.fn, tn: sum.tn + row.tn }), { tp: 0, fp: 0, fn: 0, tn: 0 });
  return { rows, total, misses, unlabelled };
}

const ratio = (a, b) => (b === 0 ? "—" : (a / b).toFixed(2));
const line = (label, row) => `| ${label} | ${row.tp} | ${row.fp} | ${row.fn} | ${row.tn} | ${ratio(row.tp, row.tp + row.fp)} | ${ratio(row.tp, row.tp + row.fn)} |`;
const all = score(cases);
const sets = [...new Set(cases.map((each) => each.set))].map((name) => [name, score(cases.filter((each) => each.set === name))]);
const table = [
  "| rule | TP | FP | FN | TN | precision | recall |",
  "|---|---|---|---|---|---|---|",
  ...all.rows.map(([rule, row]) => line(rule, row)),
  ...sets.map(([name, result]) => line(`all rules, ${name} set (${cases.filter((each) => each.set === name).length} cases)`, result.total)),
  line("**all rules**", all.total),
].join("\n");
const { misses, unlabelled } = all;
const missText = [
  ...misses.map((miss) => `- ${miss.outcome.toUpperCase()} (${miss.set}) \`${miss.rule}\` ${miss.repo} \`${miss.path}\`:${miss.lines.join("–")} — ${miss.note}${miss.hits.length ? ` (reported: ${miss.hits.map((hit) => `${hit.rule}@${hit.line}`).join(", ")})` : ""}`),
  ...unlabelled.map((finding) => `- UNLABELLED (counted FP) \`${finding.rule}\` ${finding.file}:${finding.line}`),
].join("\n");
console.log(`${cases.length} cases in ${files.length} files\n\n${table}\n\n${missText || "no misses"}`);

if (process.argv.includes("--write") && chosenSets.length === 0) {
  // The hand-written history (what each set scored when it was first run) survives regeneration.
  const resultsPath = path.join(here, "RESULTS.md");
  const previous = fs.existsSync(resultsPath) ? fs.readFileSync(resultsPath, "utf8") : "";
  const history = previous.includes("\n## History\n") ? previous.slice(previous.indexOf("\n## History\n")) : "";
  fs.writeFileSync(
    resultsPath,
    `# Real-world study: precision and recall\n\nGenerated by \`node test/realworld/evaluate.mjs --write\` on ${new Date().toISOString().slice(0, 10)}: ${cases.length} hand-labelled cases in ${files.length} public files
(repository, path and labels in \`cases.json\`; the code itself is not in this repository). A case is a site and a
rule with the expected answer, labelled from reading the code before running the engine; a finding matches a case
when it has the case's rule and starts inside the case's line span. Every finding no case speaks for counts as a
false positive. "(no finding expected)" rows are whole files where no rule should report. Each set (\`set\` in
cases.json) was labelled before the engine ran on it and scored once before any change made for it; the rules
were then refined on what it showed, so every set but the last is tuning data by now. History lists what each
set scored on its first run: those first runs are the honest estimates, the table below is not. Several rules have only a handful of cases here: their rows say little on their own.${skippedSets.length > 0 ? `\n\nScored with \`--available\`: ${missingCases.length} cases of the set(s) ${skippedSets.join(", ")} are left out because their files were not fetched on this machine; their last scores are in History.` : ""}

${table}

## Misses

${missText || "none"}
${history}`,
  );
}

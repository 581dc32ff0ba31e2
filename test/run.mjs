// Runs every compiled `*.test.js` under out/ with node's test runner (Node 20 would also run helper
// files in folders named `test`, so the runner gets an explicit list). Extra arguments filter by path.
// The editor end-to-end tests (test/e2e) run after the others; `npm run test:e2e` runs only them.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(path.join(root, "out"), { recursive: true })
  .map((file) => path.join(root, "out", String(file)))
  .filter((file) => file.endsWith(".test.js") && (filters.length === 0 || filters.some((filter) => file.includes(filter))))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "out/**/*.test.js"}; run the build first`);
  process.exit(2);
}
// The editor tests drive a browser and an editor host: they run alone, after the rest, one at a time.
const isEditorTest = (file) => file.includes(`${path.sep}e2e${path.sep}`);
let status = 0;
for (const [group, concurrency] of [[files.filter((file) => !isEditorTest(file)), 2], [files.filter(isEditorTest), 1]]) {
  if (group.length === 0) continue;
  const result = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, ...group], { stdio: "inherit", cwd: root });
  status ||= result.status ?? 1;
}
process.exit(status);

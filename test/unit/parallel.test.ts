import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeAll } from "../../server/src/cli/parallel";

// Enough files that `check` spreads them over worker threads (parallel.ts's threshold is 400).
const FILE_COUNT = 420;
const parallel = availableParallelism() > 1;

describe("check on worker threads", () => {
  const dir = mkdtempSync(join(tmpdir(), "tornwrite-parallel-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "src"));
  for (let index = 0; index < FILE_COUNT; index++) writeFileSync(join(dir, "src", `m${index}.ts`), `export const value${index} = ${index};\n`);
  // The last file lands in a worker's slice whatever the core count; its in-place write must come back.
  writeFileSync(join(dir, "src", `m${FILE_COUNT - 1}.ts`), `import * as fs from "node:fs";\nexport function save(state: object) {\n  fs.writeFileSync("state.json", JSON.stringify(state));\n}\n`);

  it("the compiled CLI (not only the bundle) gets every worker's findings back", () => {
    const result = spawnSync(process.execPath, [join(__dirname, "../../server/src/cli/main.js"), "check", "--format", "json", "."], { cwd: dir, encoding: "utf8" });
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { files: { file: string; findings: { ruleId: string }[] }[]; filesChecked: number };
    assert.equal(report.filesChecked, FILE_COUNT);
    const found = report.files.flatMap((entry) => entry.findings.map((finding) => `${entry.file.replace(/\\/g, "/")} ${finding.ruleId}`));
    assert.ok(found.some((line) => line.endsWith(`src/m${FILE_COUNT - 1}.ts non-atomic-write`)), found.join("\n"));
  });

  it("a worker entry that answers for none of its files is an error, not missing results", { skip: !parallel && "one core: no workers" }, async () => {
    const silent = join(dir, "silent-worker.js");
    writeFileSync(silent, "// loads and exits without analysing anything\n");
    const files = Array.from({ length: FILE_COUNT }, (_, index) => join(dir, "src", `m${index}.ts`));
    await assert.rejects(
      analyzeAll(files, files.map(() => ({})), () => ({ findings: [] }), () => {}, silent),
      /returned 0 of its \d+ files/,
    );
  });
});

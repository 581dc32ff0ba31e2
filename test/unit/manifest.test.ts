import { it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { allRules } from "../../server/src/rules";
import { REPO } from "../workspace";

it("every rule has settings, a docs page, a README row and enough cases", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { properties?: Record<string, { default: string; description: string }> }> } };
  };
  const settings = manifest.contributes.configuration.properties["tornwrite.rules"]?.properties ?? {};
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  assert.deepEqual(Object.keys(settings).sort(), allRules.map((rule) => rule.id).sort());
  for (const rule of allRules) {
    assert.equal(settings[rule.id]?.default, rule.defaultSeverity, rule.id);
    assert.equal(settings[rule.id]?.description, rule.shortDescription, rule.id);
    assert.ok(fs.existsSync(path.join(REPO, "server", "src", "rules", `${rule.id}.md`)), `${rule.id}.md`);
    const row = readme.split("\n").find((line) => line.startsWith(`| [\`${rule.id}\`](server/src/rules/${rule.id}.md) | ${rule.defaultSeverity} |`));
    assert.ok(row, `README row for ${rule.id}`);
    const quickFix = row.split("|").map((cell) => cell.trim())[4];
    assert.equal(quickFix === "—", !rule.fixable, `README row for ${rule.id} says whether it has a quick fix`);
    assert.ok(rule.cases.valid.length >= 8 && rule.cases.invalid.length >= 8, `${rule.id}: at least 8 valid and 8 invalid cases`);
  }
});

// ESLint side of the scan benchmark: the typescript-eslint parser and one rule comparable to TornWrite's
// non-atomic-write (calls of writeFile/writeFileSync), over the files listed in argv[2]. Prints the finding count.
const fs = require("node:fs");
const { ESLint } = require("eslint");
const parser = require("@typescript-eslint/parser");

async function main() {
  const files = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const eslint = new ESLint({
    overrideConfigFile: true,
    // ESLint ignores files outside its cwd: the corpus folder (argv[3]) contains them all.
    cwd: process.argv[3],
    overrideConfig: [
      {
        files: ["**/*.js", "**/*.cjs", "**/*.mjs", "**/*.ts", "**/*.cts", "**/*.mts"],
        languageOptions: { parser, ecmaVersion: "latest", sourceType: "module" },
        rules: {
          "no-restricted-syntax": ["warn", { selector: "CallExpression[callee.property.name=/^writeFile(Sync)?$/]", message: "non-atomic write" }, { selector: "CallExpression[callee.name=/^writeFile(Sync)?$/]", message: "non-atomic write" }],
        },
      },
    ],
    errorOnUnmatchedPattern: false,
    warnIgnored: false,
  });
  const results = await eslint.lintFiles(files);
  const linted = results.length;
  if (linted !== files.length) throw new Error(`ESLint linted ${linted} of ${files.length} files`);
  process.stdout.write(String(results.reduce((sum, result) => sum + result.messages.filter((m) => m.ruleId === "no-restricted-syntax").length, 0)));
}
main().catch((error) => {
  console.error(error);
  process.exit(2);
});

// ESLint side of the plugin benchmark: ESLint over the files listed in argv[2] (cwd argv[3]) with the parser
// argv[4] ("typescript-eslint" or "espree"), and either eslint-plugin-tornwrite's `all` config (argv[5] "on",
// the built plugin from dist/) or no rules at all ("off"). Prints the number of TornWrite findings.
const fs = require("node:fs");
const path = require("node:path");
const { ESLint } = require("eslint");

async function main() {
  const [listFile, cwd, parserName, plugin] = process.argv.slice(2);
  const files = JSON.parse(fs.readFileSync(listFile, "utf8"));
  const languageOptions = parserName === "typescript-eslint" ? { parser: require("@typescript-eslint/parser") } : { ecmaVersion: "latest", sourceType: "module" };
  const config = [{ files: ["**/*.js", "**/*.cjs", "**/*.mjs", "**/*.ts", "**/*.cts", "**/*.mts"], languageOptions }];
  if (plugin === "on") config.push(require(path.resolve(__dirname, "../../dist/eslint-plugin-tornwrite")).configs.all);
  const eslint = new ESLint({ overrideConfigFile: true, cwd, overrideConfig: config, errorOnUnmatchedPattern: false, warnIgnored: false });
  const results = await eslint.lintFiles(files);
  if (results.length !== files.length) throw new Error(`ESLint linted ${results.length} of ${files.length} files`);
  process.stdout.write(String(results.reduce((sum, result) => sum + result.messages.filter((m) => m.ruleId?.startsWith("tornwrite/")).length, 0)));
}
main().catch((error) => {
  console.error(error);
  process.exit(2);
});

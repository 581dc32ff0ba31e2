// Bundles the language server and the CLI, and ships what fixes need beside them: the runtime to
// vendor and the rule docs that diagnostics link to.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const dist = path.join(root, "dist");

const common = { bundle: true, platform: "node", format: "cjs", target: "node20", sourcemap: true, logLevel: "warning", minifyWhitespace: true, minifySyntax: true };
await esbuild.build({ ...common, entryPoints: [path.join(here, "src/server.ts")], outfile: path.join(dist, "server.js") });
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, "src/cli/main.ts")],
  outfile: path.join(dist, "cli.js"),
  banner: { js: "#!/usr/bin/env node" },
});
fs.chmodSync(path.join(dist, "cli.js"), 0o755);
// The stress check's child processes: the runtime and the replay, nothing of the analysis.
await esbuild.build({ ...common, entryPoints: [path.join(here, "src/stress/worker.ts")], outfile: path.join(dist, "stressWorker.js") });
// Loaded by stress workers only for live targets (TypeScript transpile-on-require).
await esbuild.build({ ...common, entryPoints: [path.join(here, "src/stress/liveHook.ts")], outfile: path.join(dist, "stressLiveHook.js") });

const runtimeOut = path.join(dist, "runtime");
fs.mkdirSync(runtimeOut, { recursive: true });
fs.copyFileSync(path.join(root, "runtime/src/tornwrite-runtime.ts"), path.join(runtimeOut, "tornwrite-runtime.ts"));
for (const extension of [".mjs", ".cjs"]) {
  fs.copyFileSync(path.join(root, `runtime/dist/tornwrite-runtime${extension}`), path.join(runtimeOut, `tornwrite-runtime${extension}`));
}

const docsOut = path.join(dist, "docs");
fs.mkdirSync(docsOut, { recursive: true });
for (const file of fs.readdirSync(path.join(here, "src/rules"))) {
  if (file.endsWith(".md")) fs.copyFileSync(path.join(here, "src/rules", file), path.join(docsOut, file));
}
console.log("server: bundled dist/server.js, dist/cli.js, dist/stressWorker.js, dist/runtime, dist/docs");

// eslint-plugin-tornwrite: the same engine as an ESLint plugin, a package of its own with nothing to install
// (TypeScript is bundled; ESLint is the host). `npm pack dist/eslint-plugin-tornwrite` makes the tarball.
const pluginOut = path.join(dist, "eslint-plugin-tornwrite");
fs.rmSync(pluginOut, { recursive: true, force: true });
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
// Fully minified (identifiers too): the package is downloaded and loaded by every ESLint process.
const pluginCommon = { ...common, sourcemap: false, minify: true, define: { TORNWRITE_VERSION: JSON.stringify(manifest.version) } };
await esbuild.build({ ...pluginCommon, entryPoints: [path.join(here, "src/eslint/plugin.ts")], outfile: path.join(pluginOut, "index.js") });
await esbuild.build({ ...pluginCommon, entryPoints: [path.join(here, "src/eslint/vendorRuntime.ts")], outfile: path.join(pluginOut, "bin/tornwrite-runtime.js"), banner: { js: "#!/usr/bin/env node" } });
fs.chmodSync(path.join(pluginOut, "bin/tornwrite-runtime.js"), 0o755);
fs.cpSync(docsOut, path.join(pluginOut, "docs"), { recursive: true });
fs.cpSync(runtimeOut, path.join(pluginOut, "runtime"), { recursive: true });
fs.copyFileSync(path.join(here, "src/eslint/README.md"), path.join(pluginOut, "README.md"));
fs.copyFileSync(path.join(here, "src/eslint/index.d.ts"), path.join(pluginOut, "index.d.ts"));
fs.writeFileSync(
  path.join(pluginOut, "package.json"),
  JSON.stringify(
    {
      name: "eslint-plugin-tornwrite",
      version: manifest.version,
      description: "ESLint rules that find unsafe file persistence (torn writes, lost updates, colliding temp files) and fix it: TornWrite's engine.",
      license: manifest.license,
      keywords: ["eslint", "eslintplugin", "eslint-plugin", "atomic", "fs", "file", "race-condition"],
      main: "index.js",
      types: "index.d.ts",
      bin: { "tornwrite-runtime": "bin/tornwrite-runtime.js" },
      files: ["index.js", "index.d.ts", "bin", "docs", "runtime", "README.md"],
      engines: { node: ">=20" },
      peerDependencies: { eslint: ">=9.0.0" },
    },
    null,
    2,
  ) + "\n",
);
console.log("server: bundled dist/eslint-plugin-tornwrite");

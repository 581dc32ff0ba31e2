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

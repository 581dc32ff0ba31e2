// Bundles the VS Code extension (the language client); `vscode` is provided by the extension host.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
await esbuild.build({
  entryPoints: [path.join(here, "src/extension.ts")],
  outfile: path.join(path.dirname(here), "dist/extension.js"),
  bundle: true, platform: "node", format: "cjs", target: "node20", sourcemap: true,
  external: ["vscode"], logLevel: "warning", minifyWhitespace: true, minifySyntax: true, keepNames: true,
});
console.log("client: bundled dist/extension.js");

import { it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yauzl from "yauzl";
import { REPO } from "./workspace";

function zipEntries(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("cannot open zip"));
      const entries: { name: string; size: number }[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

it("the .vsix holds the bundles, the runtime to vendor and the docs, and no sources or node_modules", async () => {
  const vsix = path.join(REPO, "tornwrite.vsix");
  assert.ok(fs.existsSync(vsix), "run `npm run package` first (npm test does)");
  const names = (await zipEntries(vsix)).map((entry) => entry.name);
  for (const required of [
    "extension/package.json",
    "extension/readme.md",
    "extension/dist/extension.js",
    "extension/dist/server.js",
    "extension/dist/stressWorker.js",
    "extension/dist/runtime/tornwrite-runtime.ts",
    "extension/dist/runtime/tornwrite-runtime.mjs",
    "extension/dist/runtime/tornwrite-runtime.cjs",
    "extension/dist/docs/non-atomic-write.md",
  ]) {
    assert.ok(names.some((name) => name.toLowerCase() === required.toLowerCase()), `missing ${required}; has ${names.join(", ")}`);
  }
  const unwanted = names.filter((name) => /node_modules\/|\/src\/|\/test\/|\.map$|tsconfig|\.vsix$/.test(name));
  assert.deepEqual(unwanted, []);
  // The extension host loads only the client: the analysis lives in the server bundle.
  assert.ok(fs.statSync(path.join(REPO, "dist", "extension.js")).size < 2 * 2 ** 20, "dist/extension.js stays small (no engine in the client)");
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { main: string };
  assert.equal(manifest.main, "./dist/extension.js");
});

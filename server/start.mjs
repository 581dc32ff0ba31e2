// `npm start [-- <dir>]`: builds once if needed, then checks <dir> (default: the bundled demo workspace).
// Findings are the expected outcome of the demo, so exit code 1 (findings) is reported, not failed on.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, "dist", "cli.js");
if (!fs.existsSync(cli)) {
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (build.status !== 0) process.exit(build.status ?? 2);
}
const args = process.argv.slice(2);
const targets = args.length > 0 ? args : [path.join(root, "test", "fixtures", "demo-workspace")];
const run = spawnSync(process.execPath, [cli, "check", ...targets], { stdio: "inherit" });
if (run.status === 1) console.log("\nTornWrite found problems (exit code 1 from `tornwrite check`). Try `npm run -s tornwrite -- fix <dir>`.");
process.exit(run.status === 1 ? 0 : run.status ?? 2);

import type { RuleModule } from "../engine/rule";

const flagged = { messageIncludes: "nothing recovers it" };
const F = `import * as fs from "fs";\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "seed 002's acquireLock checks the lock's age", code: `${F}export async function acquire(file: string) {\n  const lockPath = \`\${file}.lock\`;\n  for (;;) {\n    try { await fs.promises.writeFile(lockPath, String(process.pid), { flag: "wx" }); return () => fs.promises.unlink(lockPath); }\n    catch (e) { const stat = await fs.promises.stat(lockPath); if (Date.now() - stat.mtimeMs > 30000) await fs.promises.unlink(lockPath); }\n  }\n}` },
    { name: "pid liveness check", code: `${F}export function acquire(lock: string) {\n  try { fs.writeFileSync(lock, String(process.pid), { flag: "wx" }); }\n  catch { const pid = Number(fs.readFileSync(lock, "utf8")); try { process.kill(pid, 0); } catch { fs.unlinkSync(lock); } }\n  return () => fs.unlinkSync(lock);\n}` },
    { name: "withFileLock", code: `${F}import { withFileLock } from "./tornwrite-runtime";\nexport const save = (p: string) => withFileLock(p, () => fs.promises.writeFile(p, "x"));` },
    { name: "exclusive create of a data file (not a lock)", code: `${F}export function create(p: string) { fs.writeFileSync(p, "{}", { flag: "wx" }); }` },
    { name: "lock never released (a pid file)", code: `${F}export function writePid(pidFile: string) { fs.writeFileSync(pidFile, String(process.pid), { flag: "wx" }); }` },
    { name: "mkdir recursive is not a lock", code: `${F}export function f(lockDir: string) { fs.mkdirSync(lockDir, { recursive: true }); fs.rmdirSync(lockDir); }` },
    { name: "proper-lockfile", code: `${F}import lockfile from "proper-lockfile";\nexport async function f(p: string) { const release = await lockfile.lock(p); await release(); return fs.constants; }` },
    { name: "staleness handled by the caller of the create helper", code: `${F}function tryCreate(lock: string): boolean {\n  try { fs.closeSync(fs.openSync(lock, "wx")); return true; } catch { return false; }\n}\nexport function acquire(lock: string) {\n  while (!tryCreate(lock)) { const age = Date.now() - fs.statSync(lock).mtimeMs; if (age > 10000) fs.unlinkSync(lock); }\n  return () => fs.unlinkSync(lock);\n}` },
    { name: "heartbeat with utimes", code: `${F}export function acquire(lock: string) {\n  fs.writeFileSync(lock, "x", { flag: "wx" });\n  const beat = setInterval(() => fs.utimesSync(lock, new Date(), new Date()), 1000);\n  return () => { clearInterval(beat); fs.unlinkSync(lock); };\n}` },
    { name: "recovery by pid probe (issue 14)", code: "import { promises as fs } from \"fs\";\nexport async function lock(lockPath: string) {\n  for (;;) {\n    try {\n      const fh = await fs.open(lockPath, \"wx\");\n      await fh.writeFile(String(process.pid));\n      await fh.close();\n      return;\n    } catch (e: any) {\n      if (e.code !== \"EEXIST\") throw e;\n      const pid = Number(await fs.readFile(lockPath, \"utf8\"));\n      try { process.kill(pid, 0); } catch { await fs.unlink(lockPath); continue; }\n      await new Promise((r) => setTimeout(r, 50));\n    }\n  }\n}\nexport async function unlock(lockPath: string) { await fs.unlink(lockPath); }" },
    { name: "recovery in a helper called from the EEXIST catch (issue 14)", code: "import { promises as fs } from \"fs\";\nasync function maybeRecoverStaleLock(dir: string, ms: number): Promise<boolean> {\n  const stat = await fs.stat(dir).catch(() => undefined);\n  if (stat && Date.now() - stat.mtimeMs > ms) { await fs.rm(dir, { recursive: true, force: true }); return true; }\n  return false;\n}\nexport async function acquire(dir: string) {\n  for (;;) {\n    try { await fs.mkdir(dir); return; }\n    catch (e: any) { if (e.code === \"EEXIST\" && await maybeRecoverStaleLock(dir, 10000)) continue; throw e; }\n  }\n}\nexport async function release(dir: string) { await fs.rmdir(dir); }" },
  ],
  invalid: [
    { name: "wx lock file deleted on release", code: `${F}export async function withLock(file: string, fn: () => Promise<void>) {\n  const lockPath = file + ".lock";\n  await fs.promises.writeFile(lockPath, String(process.pid), { flag: "wx" });\n  try { await fn(); } finally { await fs.promises.unlink(lockPath); }\n}`, errors: [flagged] },
    { name: "openSync wx", code: `${F}export function lock(p: string) { const fd = fs.openSync(p + ".lock", "wx"); fs.closeSync(fd); return () => fs.unlinkSync(p + ".lock"); }`, errors: [flagged] },
    { name: "mkdir lock directory", code: `${F}export function lock(dir: string) { fs.mkdirSync(dir + "/.lock"); return () => fs.rmdirSync(dir + "/.lock"); }`, errors: [flagged] },
    { name: "retry loop without staleness", code: `${F}export async function acquire(lockFile: string) {\n  for (;;) {\n    try { await fs.promises.writeFile(lockFile, "1", { flag: "wx" }); break; }\n    catch { await new Promise((r) => setTimeout(r, 100)); }\n  }\n  return () => fs.promises.rm(lockFile);\n}`, errors: [flagged] },
    { name: "promises open wx", code: `import { open, unlink } from "fs/promises";\nexport async function acquire(lock: string) { const h = await open(lock, "wx"); await h.close(); return () => unlink(lock); }`, errors: [flagged] },
    { name: "release in another function", code: `${F}const LOCK = "app.lock";\nexport function acquire() { fs.writeFileSync(LOCK, String(process.pid), { flag: "wx" }); }\nexport function release() { fs.unlinkSync(LOCK); }`, errors: [flagged] },
    { name: "CommonJS", fileName: "l.cjs", code: `const fs = require("fs");\nexports.lock = (p) => { fs.writeFileSync(p + ".lock", "", { flag: "wx" }); return () => fs.unlinkSync(p + ".lock"); };`, errors: [flagged] },
    { name: "fs-extra remove", fileName: "l.mjs", code: `import fse from "fs-extra";\nexport async function lock(p) { await fse.writeFile(p + ".lock", "", { flag: "wx" }); return () => fse.remove(p + ".lock"); }`, errors: [flagged] },
  ],
};

import type { RuleModule } from "../engine/rule";
import { PID_LOCK_TAKEOVER } from "./sharedCases";

const flagged = { messageIncludes: "Stale-lock takeover by delete-and-recreate" };
const H = `import * as fs from "node:fs";\nconst STALE = 10_000;\n`;

export const cases: RuleModule["cases"] = {
  valid: [
    { name: "a stale lock directory removed with a callback that gives up instead of retrying: no second create races it", code: "import * as fs from \"node:fs\";\ndeclare function attempts(count: number, run: (again: { retry: () => void; fail: () => void }) => void): void;\nexport function lock(lockPath: string, staleMs: number, done: (ok: boolean) => void) {\n  attempts(10, ({ retry, fail }) => {\n    fs.mkdir(lockPath, (error) => {\n      if (!error) return done(true);\n      fs.stat(lockPath, (_, stat) => {\n        if (stat && stat.mtimeMs + staleMs < Date.now()) fs.rmdir(lockPath, () => done(false));\n        else fail();\n      });\n    });\n  });\n}\n" },
    { name: "release in finally", code: `${H}export function withLock(lock: string, fn: () => void) {\n  fs.writeFileSync(lock, String(process.pid), { flag: "wx" });\n  try { fn(); } finally { fs.unlinkSync(lock); }\n  return STALE;\n}` },
    { name: "stale lock reported, not taken over", code: `${H}export function acquire(lock: string): boolean {\n  try { fs.writeFileSync(lock, "", { flag: "wx" }); return true; } catch {\n    if (Date.now() - fs.statSync(lock).mtimeMs > STALE) throw new Error(\`stale lock \${lock}: remove it by hand\`);\n    return false;\n  }\n}` },
    { name: "takeover by rename-aside and re-check", code: `${H}export function acquire(lock: string): boolean {\n  try { fs.writeFileSync(lock, "", { flag: "wx" }); return true; } catch {\n    if (Date.now() - fs.statSync(lock).mtimeMs > STALE) {\n      const aside = lock + "." + process.pid;\n      fs.renameSync(lock, aside);\n      fs.unlinkSync(aside);\n      return acquire(lock);\n    }\n    return false;\n  }\n}` },
    { name: "takeover under an exclusive marker", code: `${H}export function acquire(lock: string): boolean {\n  try { fs.writeFileSync(lock, "", { flag: "wx" }); return true; } catch {\n    if (Date.now() - fs.statSync(lock).mtimeMs > STALE) {\n      fs.writeFileSync(lock + ".takeover", "", { flag: "wx" });\n      fs.unlinkSync(lock);\n      fs.unlinkSync(lock + ".takeover");\n    }\n    return false;\n  }\n}` },
    { name: "stale cleanup without retrying", code: `${H}export function sweep(lock: string) {\n  if (Date.now() - fs.statSync(lock).mtimeMs > STALE) fs.unlinkSync(lock);\n}` },
    { name: "not a lock", code: `${H}export function rotate(cache: string) {\n  if (Date.now() - fs.statSync(cache).mtimeMs > STALE) { fs.unlinkSync(cache); fs.writeFileSync(cache, "", { flag: "wx" }); }\n}` },
    { name: "the runtime", code: `${H}import { withFileLock } from "./tornwrite-runtime";\nexport async function run(file: string) { await withFileLock(file, async () => STALE); return fs; }` },
    { name: "delete on shutdown", code: `${H}export function shutdown(lock: string, done: boolean) {\n  if (done) fs.unlinkSync(lock);\n  return STALE;\n}` },
    {
      name: "a takeover serialized by a .STALE marker lock taken in an earlier pass of the same function (real-world study, batch E: lockfile's maybeStale)",
      fileName: "lockfile.js",
      code: "var fs = require(\"fs\");\nexports.unlock = function (path, cb) { fs.unlink(path, function () { cb && cb(); }); };\nexports.lock = function (path, cb) { fs.open(path, \"wx\", function (er, fd) { cb(er, fd); }); };\nfunction maybeStale(path, stale, hasStaleLock, cb) {\n  fs.stat(path, function (statEr, st) {\n    if (statEr) return cb(statEr);\n    if (Date.now() - st.ctime.getTime() <= stale) return cb(new Error(\"locked\"));\n    if (hasStaleLock) {\n      exports.unlock(path, function () {\n        fs.link(path + \".STALE\", path, function (er) { fs.unlink(path + \".STALE\", function () { cb(er); }); });\n      });\n    } else {\n      exports.lock(path + \".STALE\", function (er) {\n        if (er) return cb(er);\n        maybeStale(path, stale, true, cb);\n      });\n    }\n  });\n}\nmodule.exports.maybeStale = maybeStale;",
    },
  ],
  invalid: [
    { name: "an ES5 prototype method breaks a lock whose holder `this.processNotExists(pid)` says is gone, and its caller creates the lock again (labelled study batch D: node-fslock)", code: "var fs = require(\"fs\");\nfunction FsLock() {}\nFsLock.prototype.processNotExists = function (pid) {\n  try { process.kill(pid, 0); return false; } catch (err) { return err.code === \"ESRCH\"; }\n};\nFsLock.prototype.setLock = function setLock(lockfile, ownerPid) {\n  try {\n    var fd = fs.openSync(lockfile, \"wx\");\n    fs.writeSync(fd, String(ownerPid));\n    fs.closeSync(fd);\n  } catch (err) {\n    if (err.code !== \"EEXIST\") throw err;\n    this._breakAbandonedLock(lockfile);\n    this.setLock(lockfile, ownerPid);\n  }\n};\nFsLock.prototype._breakAbandonedLock = function (lockfile) {\n  var pid = fs.readFileSync(lockfile, \"utf8\");\n  if (this.processNotExists(pid)) fs.unlinkSync(lockfile);\n  else throw new Error(\"lock held by \" + pid);\n};\nmodule.exports = FsLock;\n", errors: [{ ...flagged, line: 19 }] },
    { name: "a stale lock directory removed with the retry as its callback (`fs.rmdir(lockPath, retry)`), inside a retry helper's attempt that creates it again (labelled study batch C: dotlocker's shape)", code: "import * as fs from \"node:fs\";\ndeclare function attempts(count: number, run: (again: { retry: () => void; fail: () => void }) => void): void;\nexport function lock(lockPath: string, staleMs: number, done: (ok: boolean) => void) {\n  attempts(10, ({ retry, fail }) => {\n    fs.mkdir(lockPath, (error) => {\n      if (!error) return done(true);\n      fs.stat(lockPath, (_, stat) => {\n        if (stat && stat.mtimeMs + staleMs < Date.now()) fs.rmdir(lockPath, retry);\n        else fail();\n      });\n    });\n  });\n}\n", errors: [{ ...flagged, line: 8 }] },
    { name: "the takeover after a guard clause that leaves while the owner lives: the delete and the new exclusive create race (scale study, seed 37)", fileName: "reportsLock.ts", code: PID_LOCK_TAKEOVER, errors: [{ ...flagged, line: 10 }] },
    {
      name: "a lock known by its exclusive create (flag from a variable) retried by recursion, removed through an exports helper (real-world study, batch E: lockfile's lockSync)",
      fileName: "lockfile.js",
      code: "var fs = require(\"fs\");\nvar wx = \"wx\";\nexports.unlockSync = function (path) {\n  try { fs.unlinkSync(path); } catch (er) {}\n};\nexports.lockSync = function (path, opts) {\n  try {\n    return fs.openSync(path, wx);\n  } catch (er) {\n    if (er.code !== \"EEXIST\" || !opts.stale) throw er;\n    var age = Date.now() - fs.statSync(path).ctime.getTime();\n    if (age > opts.stale) {\n      exports.unlockSync(path);\n      return exports.lockSync(path, opts);\n    }\n    throw er;\n  }\n};",
      errors: [{ messageIncludes: "delete-and-recreate", line: 13 }],
    },
    {
      name: "delete then recurse (the common shape)",
      code: `${H}export function acquire(lock: string): boolean {\n  try { fs.writeFileSync(lock, String(process.pid), { flag: "wx" }); return true; } catch (error) {\n    if (Date.now() - fs.statSync(lock).mtimeMs > STALE) {\n      fs.unlinkSync(lock);\n      return acquire(lock);\n    }\n    return false;\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "delete then create again",
      code: `${H}export function acquire(lock: string) {\n  if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > STALE) {\n    fs.unlinkSync(lock);\n  }\n  fs.writeFileSync(lock, String(process.pid), { flag: "wx" });\n}`,
      errors: [flagged],
    },
    {
      name: "retry loop",
      code: `${H}export async function acquire(lock: string) {\n  for (;;) {\n    try { await fs.promises.writeFile(lock, "", { flag: "wx" }); return; } catch {\n      const stat = await fs.promises.stat(lock);\n      if (Date.now() - stat.mtimeMs > STALE) await fs.promises.unlink(lock);\n      else await new Promise((r) => setTimeout(r, 50));\n    }\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "mkdir lock, rmdir takeover",
      code: `${H}export function acquire(dir: string): boolean {\n  try { fs.mkdirSync(dir + ".lock"); return true; } catch {\n    if (Date.now() - fs.statSync(dir + ".lock").mtimeMs > STALE) { fs.rmdirSync(dir + ".lock"); return acquire(dir); }\n    return false;\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "dead pid check",
      code: `${H}function alive(pid: number) { try { process.kill(pid, 0); return true; } catch { return false; } }\nexport function acquire(lock: string): boolean {\n  try { fs.writeFileSync(lock, String(process.pid), { flag: "wx" }); return true; } catch {\n    const owner = Number(fs.readFileSync(lock, "utf8"));\n    if (!alive(owner) || process.kill(owner, 0)) { fs.rmSync(lock, { force: true }); return acquire(lock); }\n    return false;\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "open wx",
      code: `${H}export function acquire(lock: string): number {\n  try { return fs.openSync(lock, "wx"); } catch {\n    const age = Date.now() - fs.statSync(lock).mtimeMs;\n    if (age > STALE) { fs.unlinkSync(lock); return fs.openSync(lock, "wx"); }\n    throw new Error("locked");\n  }\n}`,
      errors: [flagged],
    },
    {
      name: "CommonJS with a while loop",
      fileName: "x.js",
      code: `const fs = require("fs");\nfunction acquire(lock, stale) {\n  while (true) {\n    try { fs.writeFileSync(lock, "", { flag: "wx" }); return; } catch (e) {\n      if (Date.now() - fs.statSync(lock).mtimeMs > stale) fs.unlinkSync(lock);\n    }\n  }\n}\nmodule.exports = acquire;`,
      errors: [flagged],
    },
    {
      name: "arrow function recursion",
      code: `${H}export const acquire = async (lock: string): Promise<void> => {\n  try { await fs.promises.writeFile(lock, "", { flag: "wx" }); } catch {\n    const { mtimeMs } = await fs.promises.stat(lock);\n    if (Date.now() - mtimeMs > STALE) { await fs.promises.rm(lock); return acquire(lock); }\n    throw new Error("busy");\n  }\n};`,
      errors: [flagged],
    },
    { name: "a pid probe finds the holder dead, then delete and create again (issue 14)", code: "import { promises as fs } from \"fs\";\nexport async function lock(lockPath: string) {\n  for (;;) {\n    try {\n      const fh = await fs.open(lockPath, \"wx\");\n      await fh.writeFile(String(process.pid));\n      await fh.close();\n      return;\n    } catch (e: any) {\n      if (e.code !== \"EEXIST\") throw e;\n      const pid = Number(await fs.readFile(lockPath, \"utf8\"));\n      try { process.kill(pid, 0); } catch { await fs.unlink(lockPath); continue; }\n      await new Promise((r) => setTimeout(r, 50));\n    }\n  }\n}\nexport async function unlock(lockPath: string) { await fs.unlink(lockPath); }", errors: [{ messageIncludes: "Stale-lock takeover", line: 12 }] },
    { name: "the takeover inside a stale-recovery helper (issue 14)", code: "import { promises as fs } from \"fs\";\nasync function maybeRecoverStaleLock(dir: string, ms: number): Promise<boolean> {\n  const stat = await fs.stat(dir).catch(() => undefined);\n  if (stat && Date.now() - stat.mtimeMs > ms) { await fs.rm(dir, { recursive: true, force: true }); return true; }\n  return false;\n}\nexport async function acquire(dir: string) {\n  for (;;) {\n    try { await fs.mkdir(dir); return; }\n    catch (e: any) { if (e.code === \"EEXIST\" && await maybeRecoverStaleLock(dir, 10000)) continue; throw e; }\n  }\n}\nexport async function release(dir: string) { await fs.rmdir(dir); }", errors: [{ messageIncludes: "Stale-lock takeover", line: 4 }] },
  ],
};

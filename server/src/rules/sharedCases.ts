/** Real-world shapes that several rules judge, each from its own side (one source, so the rules agree on it). */

/**
 * A pid lock (scale study, seed 37: a coverage reports lock): create exclusively; when that fails, read the
 * owner and leave while it lives, else remove the dead owner's file and create again. Stale recovery by a pid
 * probe (not lock-without-stale-recovery), no lost update (not unlocked-read-modify-write), but a
 * delete-and-recreate takeover two processes can both win (racy-stale-takeover).
 */
export const PID_LOCK_TAKEOVER = "import { promises as fs } from \"node:fs\";\nimport { tmpdir } from \"node:os\";\nimport { join } from \"node:path\";\nexport class ReportsLock {\n  readonly lockFile = join(tmpdir(), \"reports.lock\");\n  async acquire(): Promise<void> {\n    if (await this.tryWrite()) return;\n    const owner = await this.readOwner();\n    if (owner && alive(owner.pid)) throw new Error(\"in use\");\n    await fs.rm(this.lockFile, { force: true });\n    if (!(await this.tryWrite())) throw new Error(\"in use\");\n  }\n  private async readOwner(): Promise<{ pid: number } | undefined> {\n    try {\n      return JSON.parse(await fs.readFile(this.lockFile, \"utf8\"));\n    } catch {\n      return undefined;\n    }\n  }\n  private async tryWrite(): Promise<boolean> {\n    try {\n      await fs.writeFile(this.lockFile, JSON.stringify({ pid: process.pid }), { flag: \"wx\" });\n      return true;\n    } catch {\n      return false;\n    }\n  }\n}\nfunction alive(pid: number): boolean {\n  try {\n    process.kill(pid, 0);\n    return true;\n  } catch {\n    return false;\n  }\n}";

import { after, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { DEMO_WORKSPACE, REPO, copyFixture } from "./workspace";
import { scanStaleFiles } from "../server/src/cleanup/scan";
import { confirmCandidates } from "../server/src/cleanup/remove";
import { workspaceSiteMatchers } from "../server/src/cleanup/workspaceSites";

const CLI = path.join(REPO, "dist", "cli.js");
const HOLDER = path.join(REPO, "out", "runtime", "test", "children", "holder.js");
const HOUR_AGO = new Date(Date.now() - 3600_000);

function scratch(): string {
  const parent = path.join(REPO, ".cache", "work");
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, "clean-"));
}

/** Creates files (empty unless content is given) aged one hour, so only the rule under test decides. */
function files(dir: string, entries: Record<string, string>, mtime: Date = HOUR_AGO): void {
  for (const [name, content] of Object.entries(entries)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    fs.utimesSync(full, mtime, mtime);
  }
}

/**
 * A pid no process can have: above Linux's largest pid_max (2^22). A child's pid after it exited is not
 * safe: on a busy machine with a small pid_max (32768 here) the kernel hands it out again within seconds.
 */
function deadPid(): number {
  for (let pid = 4_194_305; pid < 4_194_405; pid++) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return pid;
    }
  }
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

async function waitForLine(child: ChildProcess, expected: string): Promise<void> {
  let output = "";
  child.stdout!.setEncoding("utf8");
  for await (const chunk of child.stdout!) {
    output += chunk;
    if (output.includes(expected)) return;
  }
  throw new Error(`child ended without printing ${expected}: ${output}`);
}

function cleanCli(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, "clean", dir, "--format", "json", ...args], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { candidates: { path: string; reason: string; ageSeconds: number; site?: string }[]; removed: string[]; kept: { path: string; why: string }[] };
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
after(() => {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("stale-temp cleanup", () => {
  it("never offers a temp that a live process holds open", async () => {
    const dir = scratch();
    dirs.push(dir);
    files(dir, { "state.json": "{}", "state.json.tmp": "{\"half" });
    const writer = spawn(process.execPath, ["-e", `const fs = require("fs"); fs.openSync(${JSON.stringify(path.join(dir, "state.json.tmp"))}, "r+"); console.log("open"); setInterval(() => {}, 1000);`]);
    children.push(writer);
    await waitForLine(writer, "open");
    const scan = await scanStaleFiles(dir);
    assert.deepEqual(scan.candidates, []);
    assert.deepEqual(scan.kept, [{ relativePath: "state.json.tmp", why: "a process holds it open" }]);
    writer.kill("SIGKILL");
    await once(writer, "exit");
    assert.deepEqual((await scanStaleFiles(dir)).candidates.map((c) => c.relativePath), ["state.json.tmp"], "offered once the writer is gone");
  });

  it("removes a runtime temp whose writer pid is dead, keeps a fresh one and one of a live writer", async () => {
    const dir = scratch();
    dirs.push(dir);
    const dead = deadPid();
    const liveWriter = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    children.push(liveWriter);
    files(dir, { "a.json": "1", [`.a.json.tw-${dead}-0123456789ab.tmp`]: "partial", [`.a.json.tw-${liveWriter.pid}-00000000000a.tmp`]: "live" });
    files(dir, { "b.json.tmp.1768391376101": "", "b.json": "" }, new Date());
    const report = cleanCli(dir, "--yes");
    assert.deepEqual(report.removed, [`.a.json.tw-${dead}-0123456789ab.tmp`]);
    assert.match(report.candidates[0]!.reason, new RegExp(`writer pid ${dead}`));
    assert.ok(report.candidates[0]!.ageSeconds >= 3600);
    assert.deepEqual(report.kept.map((kept) => kept.why).sort(), [`its writer, pid ${liveWriter.pid}, is alive`, "younger than 10 minutes"]);
    assert.ok(!fs.existsSync(path.join(dir, `.a.json.tw-${dead}-0123456789ab.tmp`)));
    assert.ok(fs.existsSync(path.join(dir, `.a.json.tw-${liveWriter.pid}-00000000000a.tmp`)));
    assert.ok(fs.existsSync(path.join(dir, "b.json.tmp.1768391376101")), "the fresh temp stays");
    assert.ok(fs.existsSync(path.join(dir, "a.json")), "the target stays");
  });

  it("never follows a symlink, in or out of the workspace", async () => {
    const dir = scratch();
    const outside = scratch();
    dirs.push(dir, outside);
    files(outside, { "x.json": "{}", "x.json.tmp": "{}" });
    files(dir, { "x.json": "{}" });
    fs.symlinkSync(outside, path.join(dir, "linked-dir"));
    fs.symlinkSync(path.join(outside, "x.json.tmp"), path.join(dir, "x.json.tmp"));
    const report = cleanCli(dir, "--yes");
    assert.deepEqual(report.candidates, []);
    assert.ok(fs.existsSync(path.join(outside, "x.json.tmp")));
    assert.ok(fs.lstatSync(path.join(dir, "x.json.tmp")).isSymbolicLink());
  });

  it("offers the lock of a killed holder, never a live holder's", async () => {
    const dir = scratch();
    dirs.push(dir);
    files(dir, { "killed.json": "{}", "held.json": "{}" });
    const killed = spawn(process.execPath, [HOLDER, path.join(dir, "killed.json")]);
    const live = spawn(process.execPath, [HOLDER, path.join(dir, "held.json"), "600000"]);
    children.push(killed, live);
    await Promise.all([waitForLine(killed, "held"), waitForLine(live, "held")]);
    killed.kill("SIGKILL");
    await once(killed, "exit");
    for (const lock of ["killed.json.lock", "held.json.lock"]) fs.utimesSync(path.join(dir, lock), HOUR_AGO, HOUR_AGO);
    const report = cleanCli(dir, "--yes");
    assert.deepEqual(report.candidates.map((c) => [c.path, c.reason]), [["killed.json.lock", `TornWrite lock of dead pid ${killed.pid}`]]);
    assert.deepEqual(report.removed, ["killed.json.lock"]);
    assert.deepEqual(report.kept, [{ path: "held.json.lock", why: `held by live pid ${live.pid}` }]);
    assert.ok(fs.existsSync(path.join(dir, "held.json.lock")));
  });

  it("finds the leftovers of the workspace's own write sites and names the site", async () => {
    const workspace = copyFixture(DEMO_WORKSPACE);
    dirs.push(workspace.dir);
    const dead = deadPid();
    files(workspace.dir, {
      "data/media.json.tmp.1768391376101": "{}", // seed 001's leftover, target gone
      [`data/transcript.json.tmp.1768391376101.${dead}`]: "{}",
    });
    const report = cleanCli(workspace.dir);
    const sites = Object.fromEntries(report.candidates.map((c) => [c.path, c.site]));
    assert.match(sites["data/media.json.tmp.1768391376101"] ?? "", /^src\/mediaStore\.ts:\d+$/);
    assert.match(sites[`data/transcript.json.tmp.1768391376101.${dead}`] ?? "", /^src\/storage\/atomicWrite\.ts:\d+$/);
    assert.deepEqual(report.removed, [], "a dry run without --yes");
    assert.ok(fs.existsSync(path.join(workspace.dir, "data/media.json.tmp.1768391376101")));
  });

  it("an unusual template of this workspace is found only thanks to the site; its pid is checked", async () => {
    const dir = scratch();
    dirs.push(dir);
    const dead = deadPid();
    files(dir, {
      "src/save.ts": [
        'import { promises as fs } from "node:fs";',
        "export async function save(file: string, data: string) {",
        "  const temp = `${file}~${process.pid}~w`;",
        "  await fs.writeFile(temp, data);",
        "  await fs.rename(temp, file);",
        "}",
        "",
      ].join("\n"),
      [`db~${dead}~w`]: "",
      [`db~${process.pid}~w`]: "",
    });
    assert.equal((await scanStaleFiles(dir)).candidates.length, 0, "no built-in pattern knows this name");
    const scan = await scanStaleFiles(dir, { siteMatchers: await workspaceSiteMatchers(dir) });
    assert.deepEqual(scan.candidates.map((c) => [c.relativePath, c.site]), [[`db~${dead}~w`, "src/save.ts:4"]]);
    assert.deepEqual(scan.kept, [{ relativePath: `db~${process.pid}~w`, why: "written by this process" }]);
  });

  it("leaves package-manager lockfiles, log rotations, dated backups and orphans without a target alone", async () => {
    const dir = scratch();
    dirs.push(dir);
    files(dir, {
      Gemfile: "",
      "Gemfile.lock": "GEM\n  specs:\n",
      "app.log": "",
      "app.log.1": "",
      backup: "",
      "backup.20241124": "",
      "notes.txt.tmp": "", // no notes.txt beside it
      "foreign.json": "",
      "foreign.json.lock": "held by another tool",
      "node_modules/pkg/index.js.tmp": "",
      "node_modules/pkg/index.js": "",
    });
    assert.deepEqual((await scanStaleFiles(dir)).candidates, []);
    const withDependencies = await scanStaleFiles(dir, { includeDependencies: true });
    assert.deepEqual(withDependencies.candidates.map((c) => c.relativePath), ["node_modules/pkg/index.js.tmp"]);
  });

  it("re-checks before removal: a candidate that changed since the scan is skipped", async () => {
    const dir = scratch();
    dirs.push(dir);
    files(dir, { "s.json": "", "s.json.tmp": "", "t.json": "", "t.json.tmp": "" });
    const scan = await scanStaleFiles(dir);
    assert.equal(scan.candidates.length, 2);
    fs.writeFileSync(path.join(dir, "s.json.tmp"), "a writer came back"); // fresh mtime
    const plan = await confirmCandidates(scan.candidates, scan.root, {});
    assert.deepEqual(plan.confirmed.map((c) => c.relativePath), ["t.json.tmp"]);
    assert.deepEqual(plan.skipped.map((c) => c.relativePath), ["s.json.tmp"]);
  });

  it("clean is a dry run by default, and explains bad options", () => {
    const dir = scratch();
    dirs.push(dir);
    files(dir, { "c.json": "", "c.json.tmp": "" });
    const dry = spawnSync(process.execPath, [CLI, "clean", dir], { encoding: "utf8" });
    assert.equal(dry.status, 0);
    assert.match(dry.stdout, /^path +size +age +reason\nc\.json\.tmp +0 B +1 h +fixed-name temp\n/);
    assert.match(dry.stdout, /Dry run: nothing removed; run with --yes/);
    assert.ok(fs.existsSync(path.join(dir, "c.json.tmp")));
    for (const args of [["--min-age", "soon"], ["--format", "sarif"], [path.join(os.tmpdir(), "no-such-folder-tw")]]) {
      const bad = spawnSync(process.execPath, [CLI, "clean", ...(args[0]!.startsWith("/") ? args : [dir, ...args])], { encoding: "utf8" });
      assert.equal(bad.status, 2, args.join(" "));
      assert.match(bad.stderr, /^tornwrite: .*\n\nUsage: tornwrite clean/);
    }
  });
});

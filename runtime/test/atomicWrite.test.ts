import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import {
  atomicWriteFile,
  atomicWriteFileSync,
  atomicWriteJson,
  flushPendingWrites,
  JsonFileParseError,
  parseTempName,
  readJsonFile,
  uniqueTempPath,
} from "../src/tornwrite-runtime";
import { checkPayload } from "./children/payload";

const CHILDREN = path.join(__dirname, "children");
/** Trials per crash run; `TORNWRITE_SOAK=1` runs a longer soak. */
const CRASH_TRIALS = process.env["TORNWRITE_SOAK"] ? 3000 : 300;

let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tornwrite-runtime-test-"));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function freshDir(name: string): string {
  return fs.mkdtempSync(path.join(scratch, `${name}-`));
}

/** Starts a crash writer, waits until its first write is done, lets it run `delayMs`, then SIGKILLs it. */
function killMidWrite(target: string, mode: "atomic" | "plain", bytes: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(CHILDREN, "crashWriter.js"), target, mode, String(bytes)], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), delayMs));
    child.once("error", reject);
    child.once("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(child.pid ?? -1) : reject(new Error(`writer exited on its own (${String(_code)})`))));
  });
}

async function crashTrials(mode: "atomic" | "plain", trials: number, stopAtFirstFailure: boolean) {
  const failures: string[] = [];
  const leftovers: { name: string; pid: number; killed: number }[] = [];
  const parallel = 4;
  let next = 0;
  const worker = async () => {
    while (next < trials && !(stopAtFirstFailure && failures.length > 0)) {
      const trial = next++;
      const dir = freshDir(`${mode}-${trial}`);
      const target = path.join(dir, "state.bin");
      const killed = await killMidWrite(target, mode, 262_144 + ((trial * 7919) % 786_432), (trial * 13) % 25);
      const verdict = checkPayload(fs.readFileSync(target));
      if (!verdict.ok) failures.push(`trial ${trial}: ${verdict.reason}`);
      for (const name of fs.readdirSync(dir)) {
        if (name === "state.bin") continue;
        leftovers.push({ name, pid: parseTempName(path.join(dir, name))?.pid ?? -1, killed });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { failures, leftovers };
}

describe("crash safety under SIGKILL (real child processes)", () => {
  it(`atomicWriteFile: the target is always one complete payload (${CRASH_TRIALS} kills)`, { timeout: 600_000 }, async () => {
    const { failures, leftovers } = await crashTrials("atomic", CRASH_TRIALS, false);
    assert.deepEqual(failures, []);
    // A kill between creating and renaming the temp leaves it: only runtime-pattern temps of the killed writer.
    for (const leftover of leftovers) assert.equal(leftover.pid, leftover.killed, `unexpected leftover ${leftover.name}`);
  });

  it("the same harness catches torn files from plain fs.writeFile (it can fail)", { timeout: 600_000 }, async () => {
    const { failures } = await crashTrials("plain", 400, true);
    assert.ok(failures.length > 0, "plain writeFile was never caught torn: the harness would prove nothing");
  });
});

describe("atomicWriteFile", () => {
  it("writes strings, Buffers and Uint8Arrays, keeps the target's mode, and creates parents", async () => {
    const dir = freshDir("basic");
    const target = path.join(dir, "a", "b", "file.txt");
    await atomicWriteFile(target, "héllo", "utf8");
    assert.equal(fs.readFileSync(target, "utf8"), "héllo");
    fs.chmodSync(target, 0o640);
    await atomicWriteFile(target, new Uint8Array([104, 105]));
    assert.equal(fs.readFileSync(target, "utf8"), "hi");
    assert.equal(fs.statSync(target).mode & 0o777, 0o640);
    atomicWriteFileSync(target, Buffer.from("sync"), { mode: 0o600 });
    assert.equal(fs.readFileSync(target, "utf8"), "sync");
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ["file.txt"]);
  });

  it("a new file gets 0o666 & ~umask, while the temp is owner-only", async () => {
    const dir = freshDir("mode");
    const target = path.join(dir, "new.txt");
    await atomicWriteFile(target, "x");
    const umask = process.umask();
    assert.equal(fs.statSync(target).mode & 0o777, 0o666 & ~umask);
  });

  it("an explicit mode is masked by the umask, as fs.writeFile masks it (a drop-in keeps the project's umask)", () => {
    const dir = freshDir("mode-umask");
    const runtime = JSON.stringify(require.resolve("../src/tornwrite-runtime"));
    const script = `const fs = require("fs"); const rt = require(${runtime});
      fs.writeFileSync(${JSON.stringify(path.join(dir, "plain.txt"))}, "x", { mode: 0o666 });
      rt.atomicWriteFileSync(${JSON.stringify(path.join(dir, "atomic.txt"))}, "x", { mode: 0o666 });`;
    // A child with a umask of its own: the runtime reads the umask once per process.
    const child = spawnSync("sh", ["-c", `umask 027 && exec "${process.execPath}" -e '${script.replace(/'/g, "'\\''")}'`], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(fs.statSync(path.join(dir, "plain.txt")).mode & 0o777, 0o640);
    assert.equal(fs.statSync(path.join(dir, "atomic.txt")).mode & 0o777, 0o640);
  });

  it("writes through a symlink: the link stays and its target file is replaced", async () => {
    const dir = freshDir("symlink");
    const real = path.join(dir, "real.json");
    const link = path.join(dir, "link.json");
    fs.writeFileSync(real, "old");
    fs.symlinkSync(real, link);
    await atomicWriteFile(link, "new");
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readFileSync(real, "utf8"), "new");
  });

  it("coalesces concurrent writes to one path: last data wins, far fewer temp files than calls", async () => {
    const dir = freshDir("coalesce");
    const target = path.join(dir, "hot.json");
    const originalOpen = fs.promises.open;
    let tempOpens = 0;
    fs.promises.open = (async (...args: Parameters<typeof originalOpen>) => {
      if (args[1] === "wx") tempOpens++;
      return originalOpen(...args);
    }) as typeof originalOpen;
    try {
      await Promise.all(Array.from({ length: 100 }, (_, i) => atomicWriteFile(target, JSON.stringify({ i }))));
    } finally {
      fs.promises.open = originalOpen;
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(target, "utf8")), { i: 99 });
    assert.ok(tempOpens <= 3, `expected the 100 writes to collapse into a few, got ${tempOpens}`);
  });

  it("every caller resolves only after data at least as new as its own is on disk", async () => {
    const dir = freshDir("ordering");
    const target = path.join(dir, "counter.txt");
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        atomicWriteFile(target, String(i)).then(() => {
          seen.push(Number(fs.readFileSync(target, "utf8")));
          assert.ok(Number(fs.readFileSync(target, "utf8")) >= i);
        }),
      ),
    );
    assert.equal(seen.length, 20);
    await flushPendingWrites();
  });

  it("a missing parent with mkdir: false fails with ENOENT and leaves nothing", async () => {
    const dir = freshDir("noparent");
    await assert.rejects(atomicWriteFile(path.join(dir, "missing", "f.txt"), "x", { mkdir: false }), { code: "ENOENT" });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("a directory as target fails clearly, the directory is untouched and no temp is left", async () => {
    const dir = freshDir("dirtarget");
    const target = path.join(dir, "iam-a-dir");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "keep"), "k");
    await assert.rejects(atomicWriteFile(target, "x"), (error: NodeJS.ErrnoException) => ["EISDIR", "ENOTEMPTY", "EEXIST"].includes(error.code ?? ""));
    assert.deepEqual(fs.readdirSync(dir), ["iam-a-dir"]);
    assert.equal(fs.readFileSync(path.join(target, "keep"), "utf8"), "k");
  });

  it("EFBIG mid-write (ulimit -f): the error surfaces, the old target is intact, the temp is removed", () => {
    const dir = freshDir("efbig");
    const target = path.join(dir, "big.bin");
    fs.writeFileSync(target, "previous");
    const child = spawnSync("bash", ["-c", `ulimit -f 64 && exec "${process.execPath}" "${path.join(CHILDREN, "oneWrite.js")}" "${target}" 1048576`], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(child.stdout), { ok: false, code: "EFBIG" });
    assert.equal(fs.readFileSync(target, "utf8"), "previous");
    assert.deepEqual(fs.readdirSync(dir), ["big.bin"]);
  });

  it("an abort signal before the rename leaves the target untouched and removes the temp", async () => {
    const dir = freshDir("abort");
    const target = path.join(dir, "t.txt");
    fs.writeFileSync(target, "old");
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(atomicWriteFile(target, "new", { signal: controller.signal }));
    assert.equal(fs.readFileSync(target, "utf8"), "old");
    assert.deepEqual(fs.readdirSync(dir), ["t.txt"]);
  });
});

describe("temp names, JSON helpers", () => {
  it("temp names sit beside the target and carry the pid and randomness", () => {
    const a = uniqueTempPath("/data/media.json");
    const b = uniqueTempPath("/data/media.json");
    assert.notEqual(a, b);
    assert.equal(path.dirname(a), "/data");
    assert.deepEqual(parseTempName(a), { target: "/data/media.json", pid: process.pid });
    assert.equal(parseTempName("/data/media.json.tmp.1768391376101"), undefined);
  });

  it("atomicWriteJson writes indented JSON with a trailing newline; readJsonFile reads it back", async () => {
    const dir = freshDir("json");
    const file = path.join(dir, "v.json");
    await atomicWriteJson(file, { a: [1, 2] });
    assert.equal(fs.readFileSync(file, "utf8"), '{\n  "a": [\n    1,\n    2\n  ]\n}\n');
    assert.deepEqual(await readJsonFile(file), { a: [1, 2] });
  });

  it("readJsonFile: missing → default without an exists check; corrupt → an error naming file, line and column", async () => {
    const dir = freshDir("readjson");
    assert.deepEqual(await readJsonFile(path.join(dir, "none.json"), { default: { fresh: true } }), { fresh: true });
    await assert.rejects(readJsonFile(path.join(dir, "none.json")), { code: "ENOENT" });
    const corrupt = path.join(dir, "bad.json");
    fs.writeFileSync(corrupt, '{\n  "a": 1,\n  "b": }\n');
    await assert.rejects(readJsonFile(corrupt, { default: {} }), (error: unknown) => {
      assert.ok(error instanceof JsonFileParseError);
      assert.equal(error.file, corrupt);
      assert.equal(error.line, 3);
      assert.ok(error.message.startsWith(`${corrupt}:3:`));
      return true;
    });
    assert.equal(fs.readFileSync(corrupt, "utf8"), '{\n  "a": 1,\n  "b": }\n', "the corrupt file is never replaced");
  });

  it("readJsonFile reads small files in one pass and large ones asynchronously, byte for byte; a BOM is skipped", async () => {
    const dir = freshDir("readsizes");
    for (const size of [0, 1, 64 * 1024 - 10, 64 * 1024 + 10, 3 * 1024 * 1024]) {
      const value = { pad: "é".repeat(Math.max(0, Math.floor((size - 20) / 2))) };
      const file = path.join(dir, `v${size}.json`);
      fs.writeFileSync(file, JSON.stringify(value));
      assert.deepEqual(await readJsonFile(file), value, `size ${size}`);
    }
    const bom = path.join(dir, "bom.json");
    fs.writeFileSync(bom, "\uFEFF[1]");
    assert.deepEqual(await readJsonFile(bom), [1]);
    fs.writeFileSync(path.join(dir, "empty.json"), "");
    await assert.rejects(readJsonFile(path.join(dir, "empty.json")), JsonFileParseError);
    await assert.rejects(readJsonFile(dir), { code: "EISDIR" });
  });
});

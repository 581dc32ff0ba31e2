import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import {
  KeyedMutex,
  LockCompromisedError,
  LockTimeoutError,
  acquireFileLock,
  atomicWriteFile,
  cleanStaleTemps,
  runExclusive,
  uniqueTempPath,
  updateFile,
  updateJsonFile,
  withFileLock,
} from "../src/tornwrite-runtime";

const CHILDREN = path.join(__dirname, "children");
let scratch: string;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tornwrite-lock-test-"));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const freshDir = (name: string) => fs.mkdtempSync(path.join(scratch, `${name}-`));

function runChild(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(CHILDREN, script), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited with ${String(code)}`))));
  });
}

/** A pid that certainly belonged to a process on this host that has exited. */
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

function writeForeignLock(lockPath: string, owner: { pid: number; hostname: string }, ageMs = 0): void {
  fs.writeFileSync(lockPath, JSON.stringify({ ...owner, startedAt: Date.now() - ageMs, token: "feedfacecafe" }));
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(lockPath, when, when);
}

describe("no lost updates across processes", () => {
  // Uneven counts: early finishers exit while others still contend, so lock files are created by
  // live processes right after their dead predecessors' (and reuse their inodes): a takeover must
  // never mistake one for the other.
  const SHARES = [50, 100, 150, 200, 250, 300, 250, 300];

  it("8 processes × 200 updateJsonFile increments (uneven shares) → exactly 1,600", { timeout: 300_000 }, async () => {
    const file = path.join(freshDir("counter"), "counter.json");
    await Promise.all(SHARES.map((share) => runChild("counter.js", [file, "locked", String(share)])));
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), { n: 1600 });
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["counter.json"], "no lock or temp left behind");
  });

  it("the same increments with read + atomic write and no lock lose updates (the test can fail)", { timeout: 300_000 }, async () => {
    const file = path.join(freshDir("unlocked"), "counter.json");
    await Promise.all(Array.from({ length: 8 }, () => runChild("counter.js", [file, "unlocked", "200"])));
    const { n } = JSON.parse(fs.readFileSync(file, "utf8")) as { n: number };
    assert.ok(n < 1600, `expected lost updates without a lock, got ${n}`);
  });
});

describe("stale locks", () => {
  it("a holder SIGKILLed while holding: the next process gets the lock at once (dead pid)", { timeout: 60_000 }, async () => {
    const file = path.join(freshDir("killed"), "data.json");
    const holder = spawn(process.execPath, [path.join(CHILDREN, "holder.js"), file, "60000"], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
    await assert.rejects(acquireFileLock(file, { timeout: 0 }), LockTimeoutError);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    // Staleness is ten minutes away and the wait is capped far below it: getting the lock at all means the
    // dead pid was recognised (no elapsed-time assertion: these machines are shared and noisy).
    const lock = await acquireFileLock(file, { stale: 600_000, timeout: 30_000 });
    await lock.release();
  });

  it("another host's lock is taken over only once its heartbeat is older than `stale`", async () => {
    const file = path.join(freshDir("otherhost"), "data.json");
    const written = Date.now();
    writeForeignLock(`${file}.lock`, { pid: 1, hostname: "some-other-host" });
    // `stale` leaves a busy machine seconds between writing the lock and the first attempt (600 ms was flaky under load).
    await assert.rejects(acquireFileLock(file, { stale: 3_000, timeout: 0 }), (error: unknown) => {
      assert.ok(error instanceof LockTimeoutError);
      assert.match(error.message, /held by pid 1 on some-other-host/);
      return true;
    });
    const lock = await acquireFileLock(file, { stale: 3_000, timeout: 10_000 });
    // Measured from when the lock was written (its heartbeat), not from this second attempt: a slow first
    // attempt on a busy machine must not make the takeover look early. A lower bound only: load can only delay.
    const age = Date.now() - written;
    assert.ok(age >= 2_950, `took over ${age} ms after the lock was written, before it went stale`);
    await lock.release();
  });

  it("two contenders on the same stale lock: exactly one winner, 200 rounds", { timeout: 120_000 }, async () => {
    const dir = freshDir("contenders");
    const rounds = 200;
    const pid = deadPid();
    for (let round = 0; round < rounds; round++) writeForeignLock(path.join(dir, `round-${round}.lock`), { pid, hostname: os.hostname() });
    const startAt = Date.now() + 600;
    const [a, b] = await Promise.all([runChild("contender.js", [dir, String(rounds), String(startAt)]), runChild("contender.js", [dir, String(rounds), String(startAt)])]);
    const wonA = JSON.parse(a!) as number[];
    const wonB = JSON.parse(b!) as number[];
    assert.deepEqual(wonA.filter((round) => wonB.includes(round)), [], "a round with two winners");
    assert.equal(wonA.length + wonB.length, rounds, "every round has a winner");
  });
});

describe("withFileLock", () => {
  it("queues waiters of one process in FIFO order without overlapping", async () => {
    const file = path.join(freshDir("fifo"), "x");
    const order: number[] = [];
    let inside = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withFileLock(file, async () => {
          inside++;
          assert.equal(inside, 1);
          order.push(i);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inside--;
        }),
      ),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a lost lock aborts the signal and the call rejects with LockCompromisedError", async () => {
    const file = path.join(freshDir("compromised"), "x");
    await assert.rejects(
      withFileLock(
        file,
        async (signal) => {
          fs.unlinkSync(`${file}.lock`); // someone removed our lock
          // The heartbeat timer is unref'd (a held lock never keeps a process alive): keep the loop busy.
          const keepAlive = setTimeout(() => undefined, 10_000);
          await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
          clearTimeout(keepAlive);
          assert.ok(signal.reason instanceof LockCompromisedError);
        },
        { stale: 60 },
      ),
      LockCompromisedError,
    );
  });

  it("a timeout names the holder", async () => {
    const file = path.join(freshDir("timeout"), "x");
    await withFileLock(file, async () => {
      await assert.rejects(withFileLock(file, () => undefined, { timeout: 50 }), (error: unknown) => {
        assert.ok(error instanceof LockTimeoutError);
        assert.match(error.message, new RegExp(`pid ${process.pid}`));
        return true;
      });
    });
  });

  it("updateFile transforms the raw content; undefined leaves the file alone", async () => {
    const file = path.join(freshDir("update"), "log.txt");
    await updateFile(file, (current) => `${current?.toString() ?? ""}a\n`);
    await updateFile(file, (current) => `${current?.toString() ?? ""}b\n`);
    assert.equal((await updateFile(file, () => undefined))?.toString(), "a\nb\n");
    assert.equal(fs.readFileSync(file, "utf8"), "a\nb\n");
  });

  it("updateJsonFile refuses to overwrite corrupt JSON with a default", async () => {
    const file = path.join(freshDir("corrupt"), "db.json");
    fs.writeFileSync(file, '{"users": [');
    await assert.rejects(updateJsonFile(file, () => ({ users: [] }), { default: { users: [] } }), { name: "JsonFileParseError" });
    assert.equal(fs.readFileSync(file, "utf8"), '{"users": [');
  });
});

describe("KeyedMutex", () => {
  it("hands the lock to the next waiter in order and deletes idle keys", async () => {
    const mutex = new KeyedMutex<string>();
    const order: string[] = [];
    await Promise.all(["a", "b", "c"].map((name) => mutex.runExclusive("k", async () => {
      order.push(`${name}+`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`${name}-`);
    })));
    assert.deepEqual(order, ["a+", "a-", "b+", "b-", "c+", "c-"]);
    assert.equal(mutex.isLocked("k"), false);
    assert.equal(await runExclusive("shared", () => 42), 42);
  });

  it("an aborted waiter leaves the queue", async () => {
    const mutex = new KeyedMutex<string>();
    const release = await mutex.acquire("k");
    const controller = new AbortController();
    const waiter = mutex.acquire("k", controller.signal);
    controller.abort(new Error("gave up"));
    await assert.rejects(waiter, /gave up/);
    release();
    assert.equal(mutex.isLocked("k"), false);
  });
});

describe("cleanStaleTemps and signals", () => {
  it("removes dead writers' temps, keeps live ones, never follows symlinks", async () => {
    const dir = freshDir("clean");
    const target = path.join(dir, "data.json");
    const pid = deadPid();
    const dead = uniqueTempPath(target).replace(`-${process.pid}-`, `-${pid}-`);
    const deadLink = uniqueTempPath(target).replace(`-${process.pid}-`, `-${pid}-`);
    const live = uniqueTempPath(target); // this process is alive
    fs.writeFileSync(dead, "x");
    fs.writeFileSync(live, "x");
    const outside = freshDir("outside");
    fs.writeFileSync(path.join(outside, "victim"), "keep");
    fs.symlinkSync(path.join(outside, "victim"), deadLink);
    const removed = await cleanStaleTemps(dir);
    assert.deepEqual(removed, [dead]);
    assert.ok(fs.existsSync(live));
    assert.equal(fs.readFileSync(path.join(outside, "victim"), "utf8"), "keep");
    assert.ok(fs.lstatSync(deadLink).isSymbolicLink(), "a symlink is never removed or followed");
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(live, old, old);
    assert.deepEqual(await cleanStaleTemps(dir, { dryRun: true }), [live], "older than maxAgeMs even with a live pid");
  });

  it("SIGTERM mid-write: the default behaviour (death by SIGTERM) is kept and the temp is removed", { timeout: 30_000 }, async () => {
    const dir = freshDir("sigterm");
    const child = spawn(process.execPath, [path.join(CHILDREN, "signalWriter.js"), path.join(dir, "big.bin")], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGTERM");
    const [, signal] = (await new Promise((resolve) => child.once("exit", (...args) => resolve(args)))) as [number | null, string | null];
    assert.equal(signal, "SIGTERM");
    assert.deepEqual(fs.readdirSync(dir), ["big.bin"]);
  });

  it("atomicWriteFile leaves no lock-free temp when used inside withFileLock", async () => {
    const file = path.join(freshDir("inside"), "f.txt");
    await withFileLock(file, () => atomicWriteFile(file, "x"));
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["f.txt"]);
  });
});

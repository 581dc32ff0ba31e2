// A child process of the stress check: replays one write site's protocol against real files in the
// scratch directory (writer, reader or read-modify-write incrementer) and prints its counters as JSON.
// It runs no workspace code: only the operations the protocol lists.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { KeyedMutex, atomicWriteFile, updateJsonFile, withFileLock } from "../../../runtime/src/tornwrite-runtime";
import type { ReplayProtocol } from "../engine/writeSites";
import { containsWholePayload, isWholePayload, makeCounter, makePayload, parseCounter, updateToken } from "./payload";

/** A workspace function to call instead of replaying a protocol (live mode, trusted workspaces only). */
export interface LiveSpec {
  module: string;
  export: string;
  /** `{path}` becomes the target, `{payload}` the payload (write) or a unique token (update). */
  args: unknown[];
  kind: "write" | "update";
  /** Load the quick-fixed copy of the module from `mirror`, the rest from `original`. */
  mirror?: { original: string; mirror: string };
}

export interface WorkerTask {
  role: "writer" | "reader" | "incrementer";
  id: number;
  protocol: ReplayProtocol;
  target: string;
  /** Every temp must stay inside this folder. */
  dir: string;
  /** Writes or increments; 0 = write until killed (crash scenario). */
  operations: number;
  inFlight: number;
  bodyBytes: number;
  live?: LiveSpec;
  /** The reader stops once this file exists. */
  stopFile?: string;
}

export interface WorkerResult {
  operations: number;
  /** Calls that returned without throwing (live update targets must keep each one's token). */
  completed: number;
  errors: Record<string, number>;
  reads: number;
  tornReads: number;
}

const locks = new KeyedMutex<string>();
let liveFunction: ((...args: unknown[]) => unknown) | undefined;

function loadLive(spec: LiveSpec): (...args: unknown[]) => unknown {
  const hookPath = [path.join(__dirname, "stressLiveHook.js"), path.join(__dirname, "liveHook.js")].find((file) => fs.existsSync(file));
  if (!hookPath) throw new Error("the live-target loader is missing");
  (require(hookPath) as { installTypeScriptHook(mirror?: LiveSpec["mirror"]): void }).installTypeScriptHook(spec.mirror);
  const modulePath = spec.mirror ? path.join(spec.mirror.mirror, path.relative(spec.mirror.original, spec.module)) : spec.module;
  const loaded = require(modulePath) as Record<string, unknown>;
  const fn = loaded[spec.export];
  if (typeof fn !== "function") throw new Error(`${spec.module} has no exported function '${spec.export}'`);
  return fn as (...args: unknown[]) => unknown;
}

async function callLive(task: WorkerTask, payload: string): Promise<void> {
  const args = task.live!.args.map((arg) => (arg === "{path}" ? task.target : arg === "{payload}" ? payload : arg));
  await liveFunction!(...args);
}
let counter = 0;

function tempName(task: WorkerTask): string {
  const parts = task.protocol.template ?? [{ kind: "target" }, { kind: "text", text: ".tmp" }];
  const rendered = parts
    .map((part) => {
      switch (part.kind) {
        case "target":
          return task.target;
        case "text":
          return part.text;
        case "now":
          return String(Date.now());
        case "pid":
          return String(process.pid);
        case "counter":
          return String(++counter);
        case "random":
          return crypto.randomBytes(6).toString("hex");
        default:
          return "x";
      }
    })
    .join("");
  // A temp under another root (os.tmpdir()) is replayed beside the target: nothing leaves the scratch folder.
  const resolved = path.resolve(task.dir, rendered);
  return path.dirname(resolved) === task.dir ? resolved : path.join(task.dir, path.basename(resolved));
}

function record(result: WorkerResult, step: string, error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : "error");
  const key = `${step}:${code}`;
  result.errors[key] = (result.errors[key] ?? 0) + 1;
}

async function writeProtocol(task: WorkerTask, data: Buffer | string, result: WorkerResult): Promise<void> {
  const { protocol } = task;
  if (task.live) {
    await callLive(task, data.toString());
    return;
  }
  if (protocol.write === "runtime") {
    await atomicWriteFile(task.target, data);
    return;
  }
  if (protocol.write === "direct") {
    if (protocol.sync) fs.writeFileSync(task.target, data);
    else await fs.promises.writeFile(task.target, data);
    return;
  }
  const temp = tempName(task);
  const flag = protocol.exclusive ? "wx" : "w";
  try {
    if (protocol.sync) {
      const fd = fs.openSync(temp, flag);
      try {
        fs.writeFileSync(fd, data);
        if (protocol.fsync) fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } else {
      const handle = await fs.promises.open(temp, flag);
      try {
        await handle.writeFile(data);
        if (protocol.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    record(result, "write", error);
    if (protocol.cleanupOnError) fs.rmSync(temp, { force: true });
    return;
  }
  try {
    if (protocol.sync) fs.renameSync(temp, task.target);
    else await fs.promises.rename(temp, task.target);
  } catch (error) {
    record(result, "rename", error);
    if (protocol.cleanupOnError) fs.rmSync(temp, { force: true });
  }
}

function underLock<T>(task: WorkerTask, fn: () => Promise<T>): Promise<T> {
  if (task.protocol.lock === "in-process") return locks.runExclusive(task.target, fn);
  if (task.protocol.lock === "file") return withFileLock(task.target, fn, { timeout: 120_000 });
  return fn();
}

async function increment(task: WorkerTask, result: WorkerResult, sequence: number): Promise<void> {
  if (task.live) {
    await callLive(task, updateToken(task.id, sequence));
    return;
  }
  if (task.protocol.write === "runtime") {
    await updateJsonFile<{ count: number; pad: string }>(task.target, (value) => ({ count: value.count + 1, pad: value.pad }), { timeout: 120_000 });
    return;
  }
  await underLock(task, async () => {
    let text: string;
    try {
      text = task.protocol.sync ? fs.readFileSync(task.target, "utf8") : await fs.promises.readFile(task.target, "utf8");
    } catch (error) {
      record(result, "read", error);
      return;
    }
    result.reads++;
    const count = parseCounter(text);
    if (count === undefined) {
      result.tornReads++; // a torn read: this increment is lost
      return;
    }
    await writeProtocol(task, makeCounter(count + 1, task.bodyBytes), result);
  });
}

/**
 * The start barrier: the worker says "ready" once loaded, the runner answers with one start time for
 * all, so writers begin in the same millisecond and time-named temps really collide.
 */
async function startSignal(): Promise<number> {
  process.stdout.write("ready\n");
  let input = "";
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (input.includes("\n")) break;
  }
  return Number(input.trim());
}

async function untilBarrier(startAt: number): Promise<void> {
  while (startAt - Date.now() > 2) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now() - 2));
  while (Date.now() < startAt) {
    // spin the last milliseconds so all writers start in the same one
  }
}

/**
 * Payloads are built before the start barrier: hashing a large body takes about a millisecond, and
 * building one per lane between temp names would spread the lanes over several milliseconds, so
 * `Date.now()`-named temps of concurrent writes (seed 001) would collide only by luck. Crash rounds
 * (no operation count) cycle through a small pool.
 */
function preparePayloads(task: WorkerTask): Buffer[] {
  if (task.role !== "writer" || task.live) return [];
  const count = task.operations === 0 ? Math.max(1, task.inFlight) * 2 : task.operations;
  return Array.from({ length: count }, (_, sequence) => makePayload(task.id, sequence, task.bodyBytes));
}

async function runWriter(task: WorkerTask, result: WorkerResult, payloads: readonly Buffer[]): Promise<void> {
  const lanes = task.protocol.sync ? 1 : Math.max(1, task.inFlight);
  let sequence = 0;
  const lane = async () => {
    while (task.operations === 0 || sequence < task.operations) {
      const current = sequence++;
      const data = payloads[current % payloads.length] ?? makePayload(task.id, current, task.bodyBytes);
      try {
        if (task.role === "incrementer") await increment(task, result, current);
        else await underLock(task, () => writeProtocol(task, data, result));
        result.completed++;
      } catch (error) {
        record(result, "operation", error);
      }
      result.operations++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

async function runReader(task: WorkerTask, result: WorkerResult): Promise<void> {
  let seen = false;
  while (!(task.stopFile && fs.existsSync(task.stopFile))) {
    let data: Buffer;
    try {
      data = fs.readFileSync(task.target);
      seen = true;
    } catch (error) {
      // Rename-based writers never remove the target: once it existed, a reader that finds none saw a torn state.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        if (seen) {
          result.reads++;
          result.tornReads++;
        }
      } else record(result, "read", error);
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    result.reads++;
    if (!(task.live ? containsWholePayload(data) : isWholePayload(data))) result.tornReads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runTask(task: WorkerTask): Promise<WorkerResult> {
  const result: WorkerResult = { operations: 0, completed: 0, errors: {}, reads: 0, tornReads: 0 };
  if (task.live && task.role !== "reader") liveFunction = loadLive(task.live);
  const payloads = preparePayloads(task);
  await untilBarrier(await startSignal());
  if (task.role === "reader") await runReader(task, result);
  else await runWriter(task, result, payloads);
  return result;
}

if (require.main === module) {
  const task = JSON.parse(process.argv[2] ?? "{}") as WorkerTask;
  runTask(task).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.stdin.destroy();
    },
    (error: unknown) => {
      process.stderr.write(`stress worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

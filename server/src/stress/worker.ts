// A child process of the stress check: replays one write site's protocol against real files in the
// scratch directory (writer, reader or read-modify-write incrementer) and prints its counters as JSON.
// It runs no workspace code: only the operations the protocol lists.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { KeyedMutex, atomicWriteFile, updateJsonFile, withFileLock } from "../../../runtime/src/tornwrite-runtime";
import type { ReplayProtocol } from "../engine/writeSites";
import { isWholePayload, makeCounter, makePayload, parseCounter } from "./payload";

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
  /** The start barrier (epoch ms): writers start together so time-named temps really collide. */
  startAt: number;
  /** The reader stops once this file exists. */
  stopFile?: string;
}

export interface WorkerResult {
  operations: number;
  errors: Record<string, number>;
  reads: number;
  tornReads: number;
}

const locks = new KeyedMutex<string>();
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
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  const key = `${step}:${code}`;
  result.errors[key] = (result.errors[key] ?? 0) + 1;
}

async function writeProtocol(task: WorkerTask, data: Buffer | string, result: WorkerResult): Promise<void> {
  const { protocol } = task;
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

async function increment(task: WorkerTask, result: WorkerResult): Promise<void> {
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

async function untilBarrier(startAt: number): Promise<void> {
  while (startAt - Date.now() > 2) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now() - 2));
  while (Date.now() < startAt) {
    // spin the last milliseconds so all writers start in the same one
  }
}

async function runWriter(task: WorkerTask, result: WorkerResult): Promise<void> {
  const lanes = task.protocol.sync ? 1 : Math.max(1, task.inFlight);
  let sequence = 0;
  const lane = async () => {
    while (task.operations === 0 || sequence < task.operations) {
      const data = makePayload(task.id, sequence++, task.bodyBytes);
      try {
        if (task.role === "incrementer") await increment(task, result);
        else await underLock(task, () => writeProtocol(task, data, result));
      } catch (error) {
        record(result, "operation", error);
      }
      result.operations++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

async function runReader(task: WorkerTask, result: WorkerResult): Promise<void> {
  while (!(task.stopFile && fs.existsSync(task.stopFile))) {
    let data: Buffer;
    try {
      data = fs.readFileSync(task.target);
    } catch (error) {
      // Rename-based writers never remove the target: a reader that finds none saw a torn state.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        result.reads++;
        result.tornReads++;
      } else record(result, "read", error);
      continue;
    }
    result.reads++;
    if (!isWholePayload(data)) result.tornReads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runTask(task: WorkerTask): Promise<WorkerResult> {
  const result: WorkerResult = { operations: 0, errors: {}, reads: 0, tornReads: 0 };
  await untilBarrier(task.startAt);
  if (task.role === "reader") await runReader(task, result);
  else await runWriter(task, result);
  return result;
}

if (require.main === module) {
  const task = JSON.parse(process.argv[2] ?? "{}") as WorkerTask;
  runTask(task).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`stress worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/**
 * TornWrite runtime: crash-safe, concurrency-safe file persistence for Node.js.
 *
 * One dependency-free source file, meant to be vendored (TornWrite's quick fixes copy it into a project).
 *
 * Every write goes to a temp file beside the target (same file system, so never EXDEV), created
 * exclusively with owner-only permissions, written, fsynced, then renamed over the target; the parent
 * directory is fsynced afterwards on POSIX. The temp is removed on every error path. A reader or a
 * crash therefore sees either the old complete file or the new complete file, never a torn one.
 *
 * Temp name pattern (documented so cleanup tools can tell whose a temp is):
 *   `.<target basename>.tw-<writer pid>-<12 hex random>.tmp`, in the target's directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import * as os from "node:os";

export type WriteData = string | NodeJS.ArrayBufferView;

export interface AtomicWriteOptions {
  /** Encoding of string data. Default `"utf8"`. */
  encoding?: BufferEncoding | null | undefined;
  /**
   * File mode of the result, masked by the umask as `fs.writeFile` masks it when it creates a file (it is
   * applied to an existing target too, where `fs.writeFile` would keep the old mode). Default: the existing
   * target's mode, else `0o666 & ~umask`.
   */
  mode?: number | string | undefined;
  /** Flush the temp file to disk before the rename (and the directory after it). Default `true`. */
  fsync?: boolean | undefined;
  /** Create missing parent directories. Default `true`. */
  mkdir?: boolean | undefined;
  /** Accepted for drop-in compatibility with `fs.writeFile`; an atomic write always replaces the file. */
  flag?: string | undefined;
  /** Accepted for drop-in compatibility with `fs.writeFile` (`flush: true` is what `fsync` does here). */
  flush?: boolean | undefined;
  /** Abort before the rename: the target stays untouched and the temp is removed. */
  signal?: AbortSignal | undefined;
}

export interface AtomicWriteJsonOptions extends AtomicWriteOptions {
  /** Indentation passed to `JSON.stringify`. Default `2`. */
  indent?: number | string | undefined;
  /** End the file with a newline. Default `true`. */
  trailingNewline?: boolean | undefined;
}

const TEMP_NAME = /^\.(.+)\.tw-(\d+)-([0-9a-f]{12})\.tmp$/;

/** A temp path beside `target` that carries this process's pid and 48 random bits. */
export function uniqueTempPath(target: string): string {
  const dir = path.dirname(target);
  // Keep the name under the common 255-byte limit even for long target names.
  const base = path.basename(target).slice(0, 200);
  return path.join(dir, `.${base}.tw-${process.pid}-${crypto.randomBytes(6).toString("hex")}.tmp`);
}

/** Parses a runtime temp file name; `undefined` when the name is not one of ours. */
export function parseTempName(fileName: string): { target: string; pid: number } | undefined {
  const match = TEMP_NAME.exec(path.basename(fileName));
  if (!match || match[1] === undefined || match[2] === undefined) return undefined;
  return { target: path.join(path.dirname(fileName), match[1]), pid: Number(match[2]) };
}

// ---------------------------------------------------------------------------------------------
// Options and small helpers

function normalizeOptions(options: AtomicWriteOptions | BufferEncoding | null | undefined): AtomicWriteOptions {
  if (options === null || options === undefined) return {};
  if (typeof options === "string") return { encoding: options };
  return options;
}

function toBuffer(data: WriteData, encoding: BufferEncoding | null | undefined): Buffer {
  if (typeof data === "string") return Buffer.from(data, encoding ?? "utf8");
  if (Buffer.isBuffer(data)) return data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function parseMode(mode: number | string | undefined): number | undefined {
  if (mode === undefined) return undefined;
  return typeof mode === "number" ? mode : parseInt(mode, 8);
}

let cachedUmask: number | undefined;
function umask(): number {
  if (cachedUmask === undefined) cachedUmask = process.umask();
  return cachedUmask;
}

function defaultMode(): number {
  return 0o666 & ~umask();
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

const isWindows = process.platform === "win32";
// Antivirus and indexers briefly hold files open on Windows; there these rename errors are transient.
const TRANSIENT_RENAME_ERRORS = new Set(["EPERM", "EACCES", "EBUSY"]);
const RENAME_RETRIES = 8;

function renameShouldRetry(error: unknown, attempt: number): boolean {
  return isWindows && attempt < RENAME_RETRIES && TRANSIENT_RENAME_ERRORS.has(errorCode(error) ?? "");
}

function retryDelayMs(attempt: number): number {
  return Math.min(10 * 2 ** attempt, 500) + Math.random() * 10;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("The atomic write was aborted") as Error & { code: string };
  error.name = "AbortError";
  error.code = "ABORT_ERR";
  return error;
}

// Temps this process has created and not yet renamed: removed on exit and on SIGINT/SIGTERM.
const liveTemps = new Set<string>();
let exitHooksInstalled = false;

function removeLiveTemps(): void {
  for (const temp of liveTemps) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // Already gone: nothing to clean.
    }
  }
  liveTemps.clear();
}

/**
 * On a signal, clean up only if nobody else handles it, then re-raise it so the default behaviour
 * (terminate with that signal) is kept. An application with its own handler owns shutdown; its
 * pending writes may still complete, and the exit hook cleans what is left.
 */
let terminating = false;

function onTerminationSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 0) return;
  terminating = true; // no new temps from here on, even if death takes a tick
  removeLiveTemps();
  process.kill(process.pid, signal);
}

function terminatingError(): Error {
  return Object.assign(new Error("The process is terminating: no new atomic writes"), { code: "ERR_TERMINATING" });
}

/** Registered before the temp is opened, so a signal during the open still finds it. */
function trackTemp(tempPath: string): void {
  if (terminating) throw terminatingError();
  liveTemps.add(tempPath);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once("exit", removeLiveTemps);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, onTerminationSignal);
}

/** Symlinked targets are written through: the link stays, the file it points to is replaced. */
function resolveTargetSync(target: string): string {
  try {
    return fs.realpathSync(target);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return path.resolve(target);
    throw error;
  }
}

/**
 * Why the async API makes synchronous calls: every step but the fsync (and the data of a large write)
 * is a page-cache operation of microseconds, while each `fs.promises` call is a thread-pool round trip
 * of tens of microseconds that the caller waits for anyway. Inside a lock that latency is every waiting
 * process's: profiling the contended counter showed the holder idle most of its critical section.
 * The fsync, the one step that waits for the disk, stays asynchronous; so does writing data larger than
 * this, so the event loop is never blocked for long.
 */
const QUICK_WRITE_LIMIT = 64 * 1024;

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
}

async function writeAllAsync(fd: number, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    offset += await new Promise<number>((resolve, reject) =>
      fs.write(fd, data, offset, data.length - offset, null, (error, written) => (error ? reject(error) : resolve(written))),
    );
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (isWindows) return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    await fsyncAsync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename itself has already happened.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function fsyncDirectorySync(dir: string): void {
  if (isWindows) return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename itself has already happened.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface WriteJob {
  target: string;
  data: Buffer;
  mode: number | undefined;
  fsync: boolean;
  /** False when the caller fsyncs the directory itself later (outside a lock it holds). */
  syncDirectory: boolean;
  mkdir: boolean;
  signal: AbortSignal | undefined;
}

/**
 * The real target (symlinks are written through) and the mode the result gets: one lstat in the common
 * case of a regular file or a missing one.
 */
function resolveTargetAndMode(target: string, mode: number | undefined): { target: string; mode: number } {
  let stat = fs.lstatSync(target, { throwIfNoEntry: false });
  let real = target;
  if (stat?.isSymbolicLink()) {
    real = resolveTargetSync(target);
    stat = fs.statSync(real, { throwIfNoEntry: false });
  }
  // An explicit mode is masked by the umask, as open(2) masks fs.writeFile's: a drop-in keeps the project's umask.
  return { target: real, mode: mode !== undefined ? mode & ~umask() : stat ? stat.mode & 0o7777 : defaultMode() };
}

/** Creates the temp beside `target`, exclusively and owner-only (and the missing parents when asked). */
function openTemp(target: string, mkdir: boolean): { tempPath: string; fd: number } {
  const tempPath = uniqueTempPath(target);
  trackTemp(tempPath);
  try {
    try {
      return { tempPath, fd: fs.openSync(tempPath, "wx", 0o600) };
    } catch (error) {
      if (errorCode(error) !== "ENOENT" || !mkdir) throw error;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      return { tempPath, fd: fs.openSync(tempPath, "wx", 0o600) };
    }
  } catch (error) {
    liveTemps.delete(tempPath);
    throw error;
  }
}

/** On any error after the temp exists: close it if still open and remove it; the original error is what matters. */
function discardTemp(tempPath: string, openFd: number | undefined): void {
  if (openFd !== undefined) {
    try {
      fs.closeSync(openFd);
    } catch {
      // The descriptor is already unusable.
    }
  }
  try {
    fs.unlinkSync(tempPath);
  } catch {
    // Nothing left to remove.
  }
  liveTemps.delete(tempPath);
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      if (!renameShouldRetry(error, attempt)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }
}

async function writeDurably(job: WriteJob): Promise<void> {
  if (job.signal?.aborted) throw abortError(job.signal);
  const { target, mode } = resolveTargetAndMode(job.target, job.mode);
  const { tempPath, fd } = openTemp(target, job.mkdir);
  let openFd: number | undefined = fd;
  try {
    if (job.data.length <= QUICK_WRITE_LIMIT) fs.writeFileSync(fd, job.data);
    else await writeAllAsync(fd, job.data);
    fs.fchmodSync(fd, mode);
    if (job.fsync) await fsyncAsync(fd);
    fs.closeSync(fd);
    openFd = undefined;
    if (job.signal?.aborted) throw abortError(job.signal);
    await renameWithRetry(tempPath, target);
    liveTemps.delete(tempPath);
  } catch (error) {
    discardTemp(tempPath, openFd);
    throw error;
  }
  if (job.fsync && job.syncDirectory) await fsyncDirectory(path.dirname(target));
}

// ---------------------------------------------------------------------------------------------
// Per-path serialisation with coalescing: while one write to a path is in flight, later writes
// collapse into one pending job holding the newest data. Each caller settles once data at least
// as new as its own is durable (or with the error of the write that carried it).

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface PathQueue {
  pending: { job: WriteJob; waiters: Waiter[] } | undefined;
  drained: Promise<void>;
}

const queues = new Map<string, PathQueue>();

async function drain(target: string, queue: PathQueue): Promise<void> {
  while (queue.pending) {
    const { job, waiters } = queue.pending;
    queue.pending = undefined;
    try {
      await writeDurably(job);
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
  queues.delete(target);
}

function enqueue(job: WriteJob): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const waiter: Waiter = { resolve, reject };
    const queue = queues.get(job.target);
    if (queue) {
      const previous = queue.pending;
      // Coalesce: the newest data wins; everyone waiting on the older pending data now waits on this.
      queue.pending = {
        job: { ...job, fsync: job.fsync || (previous?.job.fsync ?? false), syncDirectory: job.syncDirectory || (previous?.job.syncDirectory ?? false) },
        waiters: previous ? [...previous.waiters, waiter] : [waiter],
      };
      return;
    }
    const fresh: PathQueue = { pending: { job, waiters: [waiter] }, drained: Promise.resolve() };
    queues.set(job.target, fresh);
    fresh.drained = drain(job.target, fresh);
  });
}

/**
 * Atomically replaces `file` with `data`: readers and crashes see the old or the new content, never a mix.
 * Drop-in for `fs.promises.writeFile(file, data, options)`.
 */
export function atomicWriteFile(
  file: string,
  data: WriteData,
  options?: AtomicWriteOptions | BufferEncoding | null,
): Promise<void> {
  const opts = normalizeOptions(options);
  let buffer: Buffer;
  try {
    buffer = toBuffer(data, opts.encoding);
  } catch (error) {
    return Promise.reject(error);
  }
  // Enqueued synchronously, so same-path writes keep call order (symlinks are resolved at write time).
  // As with fs.writeFile, the caller must not modify `data` until the promise settles.
  return enqueue(writeJob(file, buffer, opts, true));
}

function writeJob(file: string, data: Buffer, opts: AtomicWriteOptions, syncDirectory: boolean): WriteJob {
  return {
    target: path.resolve(file),
    data,
    mode: parseMode(opts.mode),
    fsync: opts.fsync ?? true,
    syncDirectory,
    mkdir: opts.mkdir ?? true,
    signal: opts.signal,
  };
}

/**
 * Writes under a lock the caller holds, leaving the directory fsync to {@link afterLockedWrite}: the
 * rename is visible to the next lock holder at once, and the slow directory flush happens after the
 * lock is released, so the critical section holds one fsync instead of two.
 */
function lockedWrite(file: string, data: Buffer, opts: AtomicWriteOptions): Promise<void> {
  return enqueue(writeJob(file, data, opts, false));
}

async function afterLockedWrite(file: string, opts: AtomicWriteOptions): Promise<void> {
  if (opts.fsync ?? true) await fsyncDirectory(path.dirname(resolveTargetSync(file)));
}

/** Synchronous {@link atomicWriteFile}. Drop-in for `fs.writeFileSync(file, data, options)`. */
export function atomicWriteFileSync(
  file: string,
  data: WriteData,
  options?: AtomicWriteOptions | BufferEncoding | null,
): void {
  const opts = normalizeOptions(options);
  const buffer = toBuffer(data, opts.encoding);
  const fsyncWanted = opts.fsync ?? true;
  const { target, mode } = resolveTargetAndMode(path.resolve(file), parseMode(opts.mode));
  const { tempPath, fd } = openTemp(target, opts.mkdir ?? true);
  let openFd: number | undefined = fd;
  try {
    fs.writeFileSync(fd, buffer);
    fs.fchmodSync(fd, mode);
    if (fsyncWanted) fs.fsyncSync(fd);
    fs.closeSync(fd);
    openFd = undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        fs.renameSync(tempPath, target);
        break;
      } catch (error) {
        if (!renameShouldRetry(error, attempt)) throw error;
        sleepSync(retryDelayMs(attempt));
      }
    }
    liveTemps.delete(tempPath);
  } catch (error) {
    discardTemp(tempPath, openFd);
    throw error;
  }
  if (fsyncWanted) fsyncDirectorySync(path.dirname(target));
}

function serializeJson(value: unknown, options: AtomicWriteJsonOptions): string {
  const text = JSON.stringify(value, null, options.indent ?? 2);
  if (text === undefined) throw new TypeError("atomicWriteJson: the value cannot be serialised to JSON");
  return options.trailingNewline === false ? text : `${text}\n`;
}

/** Serialises `value` as JSON and writes it with {@link atomicWriteFile}. */
export async function atomicWriteJson(file: string, value: unknown, options: AtomicWriteJsonOptions = {}): Promise<void> {
  return atomicWriteFile(file, serializeJson(value, options), options);
}

/** Synchronous {@link atomicWriteJson}. */
export function atomicWriteJsonSync(file: string, value: unknown, options: AtomicWriteJsonOptions = {}): void {
  atomicWriteFileSync(file, serializeJson(value, options), options);
}

/** Resolves once every write queued so far in this process has settled (durable, or failed). */
export async function flushPendingWrites(): Promise<void> {
  while (queues.size > 0) await Promise.all(Array.from(queues.values(), (queue) => queue.drained));
}

export interface ReadJsonOptions<T> {
  /** Returned when the file does not exist. Without it a missing file is an error. */
  default?: T;
}

/** A file's JSON could not be parsed: names the file and where. Never silently replaced by a default. */
export class JsonFileParseError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, detail: string) {
    super(`${file}:${line}:${column}: invalid JSON (${detail})`);
    this.name = "JsonFileParseError";
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/**
 * Offset of the first character that makes `text` invalid JSON. V8's messages carry a position only
 * in some versions, so the runtime finds it itself with a small validating scanner.
 */
function firstJsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, at)) at += word.length;
    else fail();
  };
  const string = () => {
    at++;
    while (at < text.length) {
      const ch = text.charAt(at);
      if (ch === '"') {
        at++;
        return;
      }
      if (ch < " ") fail();
      at += ch === "\\" ? 2 : 1;
    }
    fail();
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0].length === 0) fail();
    at += match ? match[0].length : 0;
  };
  const value = (): void => {
    space();
    const ch = text.charAt(at);
    if (ch === "{") {
      at++;
      space();
      if (text.charAt(at) === "}") {
        at++;
        return;
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail();
        string();
        space();
        if (text.charAt(at) !== ":") fail();
        at++;
        value();
        space();
        if (text.charAt(at) === ",") at++;
        else if (text.charAt(at) === "}") {
          at++;
          return;
        } else fail();
      }
    } else if (ch === "[") {
      at++;
      space();
      if (text.charAt(at) === "]") {
        at++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text.charAt(at) === ",") at++;
        else if (text.charAt(at) === "]") {
          at++;
          return;
        } else fail();
      }
    } else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else number();
  };
  try {
    value();
    space();
    return at < text.length ? at : text.length;
  } catch (offset) {
    return typeof offset === "number" ? offset : 0;
  }
}

function locateJsonError(text: string, error: unknown): { line: number; column: number; detail: string } {
  const detail = error instanceof Error ? error.message : String(error);
  const before = text.slice(0, firstJsonErrorOffset(text)).split("\n");
  return { line: before.length, column: (before[before.length - 1] ?? "").length + 1, detail };
}

/**
 * Reads and parses a JSON file. A missing file yields `options.default` (no `exists` check, so no race);
 * corrupt JSON throws {@link JsonFileParseError} naming the file, line and column.
 */
/** Files up to this size are read in one synchronous pass (see {@link readWholeFile}). */
const QUICK_READ_LIMIT = 64 * 1024;

/**
 * Reads a whole file. A small one (the common JSON state file) is read with synchronous calls: four
 * page-cache syscalls take microseconds, while `fs.promises.readFile` makes as many thread-pool round
 * trips, and inside a lock's critical section that latency is every waiting process's (about a fifth of
 * the contended counter's cycle here). Larger files are read asynchronously, so the event loop is never
 * blocked for long.
 */
async function readWholeFile(file: string): Promise<Buffer> {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= QUICK_READ_LIMIT) {
      // One byte more than the size: a file that grew since the fstat is not cut short (read it again, below).
      const buffer = Buffer.allocUnsafe(size + 1);
      let length = 0;
      for (let read; length < buffer.length && (read = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += read;
      if (length <= size) return buffer.subarray(0, length);
    }
  } finally {
    fs.closeSync(fd);
  }
  return fs.promises.readFile(file);
}

export async function readJsonFile<T = unknown>(file: string, options: ReadJsonOptions<T> = {}): Promise<T> {
  let text: string;
  try {
    text = (await readWholeFile(file)).toString("utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT" && "default" in options) return options.default as T;
    throw error;
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as T;
  } catch (error) {
    const where = locateJsonError(text, error);
    throw new JsonFileParseError(file, where.line, where.column, where.detail);
  }
}

// ---------------------------------------------------------------------------------------------
// In-process mutual exclusion

/**
 * A lock per key inside one process, done right: a releasing holder hands the lock straight to the
 * next waiter (FIFO), and the key's entry is deleted when nobody waits, so keys never leak.
 */
export class KeyedMutex<K = string> {
  private readonly waiting = new Map<K, (() => void)[]>();

  /** Runs `fn` while holding `key`; waiters run in arrival order. */
  async runExclusive<T>(key: K, fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Resolves with a release function once `key` is held; rejects with the signal's reason if it aborts first. */
  acquire(key: K, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const queue = this.waiting.get(key);
        const next = queue?.shift();
        if (next) next();
        else this.waiting.delete(key);
      };
      const queue = this.waiting.get(key);
      if (!queue) {
        this.waiting.set(key, []);
        return resolve(release);
      }
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const index = queue.indexOf(wake);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      };
      queue.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Whether `key` is held right now. */
  isLocked(key: K): boolean {
    return this.waiting.has(key);
  }
}

const defaultMutex = new KeyedMutex<string>();

/** {@link KeyedMutex.runExclusive} on a process-wide mutex. */
export function runExclusive<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
  return defaultMutex.runExclusive(key, fn);
}

// ---------------------------------------------------------------------------------------------
// Cross-process file locks

export interface FileLockOptions {
  /** A lock whose heartbeat is older than this is stale and may be taken over. Default 10,000 ms. */
  stale?: number | undefined;
  /** Give up waiting after this long with a {@link LockTimeoutError}. Default 30,000 ms; 0 tries once. */
  timeout?: number | undefined;
  /** Lock file path. Default `<path>.lock`. */
  lockPath?: string | undefined;
}

/** Who holds a lock, as written into the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: number;
  token: string;
}

export class LockTimeoutError extends Error {
  readonly lockPath: string;
  readonly holder: LockOwner | undefined;
  constructor(lockPath: string, holder: LockOwner | undefined, waitedMs: number) {
    const who = holder ? `pid ${holder.pid} on ${holder.hostname} since ${new Date(holder.startedAt).toISOString()}` : "an unknown holder";
    super(`Timed out after ${waitedMs} ms waiting for ${lockPath}, held by ${who}`);
    this.name = "LockTimeoutError";
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

export class LockCompromisedError extends Error {
  readonly lockPath: string;
  constructor(lockPath: string, detail: string) {
    super(`Lost the lock ${lockPath} while holding it: ${detail}`);
    this.name = "LockCompromisedError";
    this.lockPath = lockPath;
  }
}

/** A held lock: `signal` aborts if the lock is lost; `release()` gives it up. */
export interface FileLockHandle {
  readonly lockPath: string;
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

let hostnameCache: string | undefined;
function hostname(): string {
  if (hostnameCache === undefined) hostnameCache = os.hostname();
  return hostnameCache;
}

function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM"; // exists, owned by someone else
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockOwner>;
    if (typeof owner.pid === "number" && typeof owner.hostname === "string" && typeof owner.token === "string") {
      return { pid: owner.pid, hostname: owner.hostname, startedAt: Number(owner.startedAt) || 0, token: owner.token };
    }
  } catch {
    // Unreadable or half-written (its creator may be writing it right now): judged by age alone.
  }
  return undefined;
}

/** Stale: the heartbeat stopped, or the owner is a dead process on this host. */
function lockIsStale(stat: fs.Stats, owner: LockOwner | undefined, staleMs: number): boolean {
  if (owner && owner.hostname === hostname() && owner.pid !== process.pid && !pidIsAlive(owner.pid)) return true;
  return Date.now() - stat.mtimeMs > staleMs;
}

/**
 * Removes a stale lock without racing another process doing the same: removal happens only under
 * `<lock>.takeover` (created exclusively), and only if the lock file is still the very lock judged
 * stale — the same owner token, not merely the same inode (inodes are reused at once when a lock is
 * released and another created). Two processes that see the same stale lock cannot both remove it.
 * Returns false when another process is mid-takeover.
 */
function removeStaleLock(lockPath: string, judged: fs.Stats, judgedOwner: LockOwner | undefined, staleMs: number): boolean {
  const takeoverPath = `${lockPath}.takeover`;
  try {
    fs.closeSync(fs.openSync(takeoverPath, "wx", 0o600));
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    // A taker that crashed mid-takeover (which takes microseconds) left this behind.
    try {
      if (Date.now() - fs.statSync(takeoverPath).mtimeMs > staleMs) fs.unlinkSync(takeoverPath);
    } catch {
      // Gone already: fine.
    }
    return false;
  }
  try {
    const current = fs.statSync(lockPath, { throwIfNoEntry: false });
    if (!current) return true;
    const owner = readOwner(lockPath);
    const sameLock = judgedOwner
      ? owner?.token === judgedOwner.token
      : owner === undefined && current.ino === judged.ino && current.dev === judged.dev && current.mtimeMs === judged.mtimeMs;
    if (sameLock && lockIsStale(current, owner, staleMs)) fs.unlinkSync(lockPath);
  } finally {
    fs.unlinkSync(takeoverPath);
  }
  return true;
}

/**
 * Removes the lock file at `lockPath` if it is stale (its owner is a dead process on this host, or its
 * heartbeat is older than `stale` ms, default 10,000), under the same race-free takeover protocol as
 * {@link acquireFileLock}: a process taking the lock over at the same moment never loses its fresh lock.
 * Returns true when no stale lock remains there.
 */
export function breakStaleLock(lockPath: string, options: { stale?: number | undefined } = {}): boolean {
  const staleMs = options.stale ?? 10_000;
  const stat = fs.statSync(lockPath, { throwIfNoEntry: false });
  if (!stat) return true;
  const owner = readOwner(lockPath);
  if (!lockIsStale(stat, owner, staleMs)) return false;
  if (!removeStaleLock(lockPath, stat, owner, staleMs)) return false;
  // Gone, or replaced by a new holder's lock (a different token): the stale one is no more.
  if (!fs.existsSync(lockPath)) return true;
  return owner !== undefined && readOwner(lockPath)?.token !== owner.token;
}

function tryCreateLock(lockPath: string, owner: LockOwner): fs.Stats | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, "wx", 0o644);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return undefined;
    throw error;
  }
  try {
    fs.writeFileSync(fd, JSON.stringify(owner));
    return fs.fstatSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

interface DirectoryWatch {
  watcher: fs.FSWatcher | undefined;
  /** Lock-file names with a count of their changes seen so far. */
  changes: Map<string, number>;
  listeners: Set<() => void>;
  users: number;
}
const directoryWatches = new Map<string, DirectoryWatch>();

/** Waits for changes of one lock file, without missing one that happens between two waits. */
interface LockChangeWatch {
  /** Marks "now": the next `wait` returns at once if the lock file changed since. */
  arm(): void;
  /** Until the lock file changed (since `arm`) or `ms` pass. */
  wait(ms: number): Promise<void>;
  close(): void;
}

/**
 * Change notifications of a lock file (its directory's "rename" events name it: created or removed, not
 * the heartbeat's touches) make the hand-over between processes immediate. The watch is subscribed before
 * each attempt to take the lock, so a release between a failed attempt and the wait is not missed (that
 * would cost a whole polling delay). The timeout is the polling fallback for file systems without
 * notifications (network mounts).
 */
function watchLockFile(lockPath: string): LockChangeWatch {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  let watch = directoryWatches.get(dir);
  if (!watch) {
    const created: DirectoryWatch = { watcher: undefined, changes: new Map(), listeners: new Set(), users: 0 };
    try {
      created.watcher = fs.watch(dir, { persistent: false }, (event, name) => {
        if (event !== "rename") return;
        // An event without a name (overflow) counts as a change of every lock file in the directory.
        const names = name === null ? [...created.changes.keys()] : [String(name)];
        for (const changed of names) if (created.changes.has(changed)) created.changes.set(changed, created.changes.get(changed)! + 1);
        for (const listener of created.listeners) listener();
      });
      created.watcher.on("error", () => undefined);
    } catch {
      // No notifications here: polling alone.
    }
    directoryWatches.set(dir, created);
    watch = created;
  }
  const active = watch;
  active.users++;
  if (!active.changes.has(base)) active.changes.set(base, 0);
  let armed = 0;
  return {
    arm: () => {
      armed = active.changes.get(base) ?? 0;
    },
    wait: (ms) =>
      new Promise((resolve) => {
        if ((active.changes.get(base) ?? 0) !== armed && !fs.existsSync(lockPath)) return resolve();
        const done = () => {
          clearTimeout(timer);
          active.listeners.delete(listener);
          resolve();
        };
        // Only a removal is worth a new attempt: another waiter's creation would only fail it again.
        const listener = () => {
          if ((active.changes.get(base) ?? 0) !== armed && !fs.existsSync(lockPath)) done();
        };
        const timer = setTimeout(done, ms);
        active.listeners.add(listener);
      }),
    close: () => {
      if (--active.users > 0) return;
      active.watcher?.close();
      directoryWatches.delete(dir);
    },
  };
}

/** Waiters in this process queue here, so only one of them at a time polls the disk per lock. */
const lockQueue = new KeyedMutex<string>();

/**
 * Acquires the cross-process lock for `file` (`<file>.lock`, holding pid, hostname, start time and a
 * random token). Stale locks (heartbeat older than `stale`, or a dead owner pid on this host) are
 * taken over race-free. While held, the lock's mtime is refreshed every `stale / 3` ms; if it is lost,
 * `signal` aborts with a {@link LockCompromisedError}.
 */
export async function acquireFileLock(file: string, options: FileLockOptions = {}): Promise<FileLockHandle> {
  const lockPath = path.resolve(options.lockPath ?? `${file}.lock`);
  const staleMs = options.stale ?? 10_000;
  const timeoutMs = options.timeout ?? 30_000;
  const started = Date.now();
  let releaseQueue: () => void;
  // A ref'd timer (AbortSignal.timeout's is not): a process waiting for a lock must stay alive.
  const queueTimeout = new AbortController();
  const timer = setTimeout(() => queueTimeout.abort(), timeoutMs);
  if (timeoutMs <= 0) queueTimeout.abort();
  try {
    releaseQueue = await lockQueue.acquire(lockPath, queueTimeout.signal);
  } catch {
    throw new LockTimeoutError(lockPath, readOwner(lockPath), Date.now() - started);
  } finally {
    clearTimeout(timer);
  }
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: Date.now(), token: crypto.randomBytes(8).toString("hex") };
  let ownStat: fs.Stats | undefined;
  let known: { ino: number; dev: number; ctimeMs: number; owner: LockOwner | undefined } | undefined;
  let changes: LockChangeWatch | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      changes?.arm();
      owner.startedAt = Date.now();
      ownStat = tryCreateLock(lockPath, owner);
      if (ownStat) break;
      const stat = fs.statSync(lockPath, { throwIfNoEntry: false });
      if (!stat) continue; // released between our attempt and the stat: try again at once
      // The owner is read once per lock file version, not on every wake-up (the takeover re-checks it).
      if (!known || known.ino !== stat.ino || known.dev !== stat.dev || known.ctimeMs !== stat.ctimeMs) {
        known = { ino: stat.ino, dev: stat.dev, ctimeMs: stat.ctimeMs, owner: readOwner(lockPath) };
      }
      const holder = known.owner;
      // After a takeover, retry at once; if another process is taking over, wait like any waiter.
      if (lockIsStale(stat, holder, staleMs) && removeStaleLock(lockPath, stat, holder, staleMs)) continue;
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw new LockTimeoutError(lockPath, holder, waited);
      if (!changes) {
        // First contention: watch from now on, and look once more (the holder may have just released).
        changes = watchLockFile(lockPath);
        changes.arm();
        if (!fs.existsSync(lockPath)) continue;
      }
      const delay = Math.min(5 * 1.5 ** Math.min(attempt, 12), 250, Math.max(timeoutMs - waited, 1));
      await changes.wait(delay * (0.5 + Math.random()));
    }
  } catch (error) {
    releaseQueue();
    throw error;
  } finally {
    changes?.close();
  }
  return holdLock(lockPath, ownStat, staleMs, releaseQueue);
}

function holdLock(lockPath: string, ownStat: fs.Stats, staleMs: number, releaseQueue: () => void): FileLockHandle {
  const controller = new AbortController();
  const isStillOurs = (): boolean => {
    const current = fs.statSync(lockPath, { throwIfNoEntry: false });
    return current !== undefined && current.ino === ownStat.ino && current.dev === ownStat.dev;
  };
  const heartbeat = setInterval(() => {
    try {
      if (!isStillOurs()) throw new Error("the lock file was removed or replaced");
      const now = new Date();
      fs.utimesSync(lockPath, now, now);
    } catch (error) {
      clearInterval(heartbeat);
      controller.abort(new LockCompromisedError(lockPath, error instanceof Error ? error.message : String(error)));
    }
  }, Math.max(Math.floor(staleMs / 3), 10));
  heartbeat.unref();
  let released = false;
  return {
    lockPath,
    signal: controller.signal,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      try {
        if (!controller.signal.aborted && isStillOurs()) fs.unlinkSync(lockPath);
      } finally {
        releaseQueue();
      }
    },
  };
}

/**
 * Runs `fn` while holding the cross-process lock for `file`. `fn` receives an AbortSignal that aborts
 * if the lock is lost; the call then rejects with {@link LockCompromisedError}.
 */
export async function withFileLock<T>(file: string, fn: (signal: AbortSignal) => T | Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(file, options);
  try {
    const result = await fn(lock.signal);
    if (lock.signal.aborted) throw lock.signal.reason;
    return result;
  } finally {
    await lock.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Read-modify-write as one unit

export interface UpdateFileOptions extends FileLockOptions, AtomicWriteOptions {}

/**
 * Lock, read, transform, write atomically, unlock: no update is lost, across processes.
 * `transform` gets the current content (`undefined` when the file does not exist) and returns the new
 * content, or `undefined` to leave the file as it is. Resolves with what the file now holds.
 */
export async function updateFile(
  file: string,
  transform: (current: Buffer | undefined) => WriteData | undefined | Promise<WriteData | undefined>,
  options: UpdateFileOptions = {},
): Promise<Buffer | undefined> {
  let wrote = false;
  const result = await withFileLock(
    file,
    async () => {
      let current: Buffer | undefined;
      try {
        current = await readWholeFile(file);
      } catch (error) {
        if (errorCode(error) !== "ENOENT") throw error;
      }
      const next = await transform(current);
      if (next === undefined) return current;
      const buffer = toBuffer(next, options.encoding);
      await lockedWrite(file, buffer, options);
      wrote = true;
      return buffer;
    },
    options,
  );
  if (wrote) await afterLockedWrite(file, options);
  return result;
}

export interface UpdateJsonOptions<T> extends FileLockOptions, AtomicWriteJsonOptions {
  /** The value to start from when the file does not exist. Without it a missing file is an error. */
  default?: T;
}

/**
 * {@link updateFile} for JSON: `transform` may mutate the value in place or return a new one.
 * Corrupt JSON rejects with {@link JsonFileParseError}; the file is never overwritten with a default.
 */
export async function updateJsonFile<T>(
  file: string,
  transform: (value: T) => T | void | Promise<T | void>,
  options: UpdateJsonOptions<T> = {},
): Promise<T> {
  const result = await withFileLock(
    file,
    async () => {
      const readOptions: ReadJsonOptions<T> = "default" in options ? { default: structuredCloneSafe(options.default as T) } : {};
      const value = await readJsonFile<T>(file, readOptions);
      const returned = await transform(value);
      const next = returned === undefined ? value : returned;
      await lockedWrite(file, Buffer.from(serializeJson(next, options)), options);
      return next;
    },
    options,
  );
  await afterLockedWrite(file, options);
  return result;
}

/** Defaults are copied so a transform that mutates in place never changes the caller's default object. */
function structuredCloneSafe<T>(value: T): T {
  return value === undefined || value === null || typeof value !== "object" ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// ---------------------------------------------------------------------------------------------
// Cleanup of leftovers

export interface CleanStaleTempsOptions {
  /** Temps older than this are removed even if their owner pid looks alive (pid reuse). Default 1 hour. */
  maxAgeMs?: number | undefined;
  /** Look into subdirectories (never through symlinks, never outside `dir`). Default false. */
  recursive?: boolean | undefined;
  /** Report what would be removed without removing it. */
  dryRun?: boolean | undefined;
}

/**
 * Removes the runtime's own temp files in `dir` whose writer is dead on this host, or that are older
 * than `maxAgeMs`. A temp of a live writer in this process or another is never touched (unless older
 * than `maxAgeMs`). Returns the paths removed (or, with `dryRun`, that would be).
 */
export async function cleanStaleTemps(dir: string, options: CleanStaleTempsOptions = {}): Promise<string[]> {
  const maxAgeMs = options.maxAgeMs ?? 60 * 60 * 1000;
  const removed: string[] = [];
  const visit = async (current: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive) await visit(full);
        continue;
      }
      if (!entry.isFile()) continue; // symlinks and specials are never followed or removed
      const parsed = parseTempName(full);
      if (!parsed || liveTemps.has(full)) continue;
      let stat: fs.Stats;
      try {
        stat = await fs.promises.lstat(full);
      } catch {
        continue;
      }
      const ownerDead = parsed.pid !== process.pid && !pidIsAlive(parsed.pid);
      if (!ownerDead && Date.now() - stat.mtimeMs <= maxAgeMs) continue;
      if (!options.dryRun) {
        try {
          await fs.promises.unlink(full);
        } catch {
          continue;
        }
      }
      removed.push(full);
    }
  };
  await visit(path.resolve(dir));
  return removed;
}

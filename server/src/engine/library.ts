/**
 * What the libraries that code persists files with do, as data: for each module (resolved from the file's
 * own imports and requires) and function, the file operation it performs and its semantics. The rules ask
 * this table instead of matching names, so `writeFileAtomic(p, d)` from write-file-atomic is an atomic
 * write, `release()` from async-mutex hands the lock over synchronously, and `fs.writeFile` truncates.
 */
export type LibraryModuleId =
  | "fs"
  | "fs/promises"
  | "fs-extra"
  | "jsonfile"
  | "write-file-atomic"
  | "atomically"
  | "steno"
  | "proper-lockfile"
  | "lockfile"
  | "async-mutex"
  | "p-limit"
  | "p-queue"
  | "safe-store"
  | "mkdirp"
  | "make-dir"
  | "rimraf"
  | "tornwrite-runtime";

export type LibraryOp =
  | "write"
  | "append"
  | "read"
  | "rename"
  | "copy"
  | "unlink"
  | "rmdir"
  | "mkdir"
  | "mkdtemp"
  | "exists"
  | "open"
  | "close"
  | "fsync"
  | "read-stream"
  | "write-stream"
  | "utimes"
  /** Lock, read, transform, atomic write, unlock (updateJsonFile). */
  | "update"
  /** Takes a lock until a release (`await lockfile.lock(p)`, `await mutex.acquire()`). */
  | "lock"
  /** Runs a callback while holding a lock (`withFileLock(p, fn)`, `mutex.runExclusive(fn)`). */
  | "lock-run"
  | "unlock"
  /** A constructor or factory whose instance is a lock (`new Mutex()`, `pLimit(1)`). */
  | "make-lock"
  /** A constructor of an object that persists itself safely (lowdb, conf, configstore, steno's Writer). */
  | "make-store";

export interface LibraryFunction {
  op: LibraryOp;
  style: "promise" | "callback" | "sync" | "promise-or-callback";
  /** Whole-file writes and reads that serialise JSON themselves. */
  json?: true;
  /** Replaces the file atomically (its own temp file and rename). */
  atomic?: true;
  /** Flushes the data to disk before the rename. */
  fsyncs?: true;
  /** Creates missing parent directories. */
  createsParents?: true;
  /** A delete that succeeds when the file is already gone (fs-extra's remove, like `rm -f`). */
  toleratesMissing?: true;
  /** A mkdir that succeeds when the folder exists (fs-extra's ensureDir, mkdirp, make-dir): it does not say the folder is new. */
  recursive?: true;
  /** Queues same-path writes of one process, so they never overlap. */
  serializesSamePath?: true;
  /** The lock holds across processes (a lock file), not only inside one. */
  crossProcess?: true;
  /** Recovers a lock whose holder died (pid probe, stale age). */
  staleRecovery?: true;
  /** Releasing hands the lock to the next waiter before returning (async-mutex). */
  handsOverSynchronously?: true;
  /** A lock only for a concurrency of 1 (`pLimit(1)`, `new PQueue({ concurrency: 1 })`). */
  exclusiveWhenOne?: true;
  /** Makes a view of the lock it is given, not a lock of its own (async-mutex's `withTimeout(mutex, ms)`, `tryAcquire(mutex)`). */
  wrapsItsArgument?: true;
}

/** The module a specifier names; relative or package imports of the runtime by its file name count. */
export function moduleIdOf(specifier: string): LibraryModuleId | undefined {
  const bare = specifier.replace(/^node:/, "");
  const known = SPECIFIERS.get(bare);
  if (known) return known;
  if (/(^|\/)tornwrite-runtime(\.[cm]?[jt]s)?$/.test(bare)) return "tornwrite-runtime";
  return undefined;
}

const SPECIFIERS = new Map<string, LibraryModuleId>([
  ["fs", "fs"],
  ["graceful-fs", "fs"],
  ["original-fs", "fs"],
  ["fs/promises", "fs/promises"],
  ["fs-extra", "fs-extra"],
  // mz's promisified fs: every function returns a promise without a callback, like fs-extra's (seed 59).
  ["mz/fs", "fs-extra"],
  ["jsonfile", "jsonfile"],
  ["write-file-atomic", "write-file-atomic"],
  ["atomically", "atomically"],
  ["steno", "steno"],
  ["proper-lockfile", "proper-lockfile"],
  ["lockfile", "lockfile"],
  ["async-mutex", "async-mutex"],
  ["p-limit", "p-limit"],
  ["p-queue", "p-queue"],
  ["lowdb", "safe-store"],
  ["lowdb/node", "safe-store"],
  ["conf", "safe-store"],
  ["configstore", "safe-store"],
  ["electron-store", "safe-store"],
  ["mkdirp", "mkdirp"],
  ["make-dir", "make-dir"],
  ["rimraf", "rimraf"],
]);

/** Cheap textual pre-check: files that mention none of these modules are never parsed by the fs rules. */
export const LIBRARY_MENTION =
  /(["'`])(?:node:)?fs(?:\/promises)?\1|fs-extra|mz\/fs|jsonfile|graceful-fs|write-file-atomic|atomically|steno|proper-lockfile|(["'`])lockfile\2|tornwrite-runtime/;

/** What a mkdir that tolerates an existing folder is. */
const RECURSIVE = { recursive: true } as const;
const promise = (op: LibraryOp, extra: Partial<LibraryFunction> = {}): LibraryFunction => ({ op, style: "promise", ...extra });
const callback = (op: LibraryOp, extra: Partial<LibraryFunction> = {}): LibraryFunction => ({ op, style: "callback", ...extra });
const sync = (op: LibraryOp, extra: Partial<LibraryFunction> = {}): LibraryFunction => ({ op, style: "sync", ...extra });
const either = (op: LibraryOp, extra: Partial<LibraryFunction> = {}): LibraryFunction => ({ op, style: "promise-or-callback", ...extra });

/** Node's fs in its three styles: `callback` for fs, `promise` for fs/promises, `sync` for the *Sync names. */
const FS_OPS: Record<string, LibraryOp> = {
  writeFile: "write", appendFile: "append", readFile: "read", rename: "rename", copyFile: "copy", cp: "copy",
  unlink: "unlink", rm: "unlink", rmdir: "rmdir", mkdir: "mkdir", mkdtemp: "mkdtemp", access: "exists", stat: "exists",
  lstat: "exists", exists: "exists", open: "open", close: "close", fsync: "fsync", fdatasync: "fsync", utimes: "utimes",
};

function fsModule(style: "callback" | "promise"): Record<string, LibraryFunction> {
  const table: Record<string, LibraryFunction> = {};
  for (const [name, op] of Object.entries(FS_OPS)) {
    table[name] = { op, style };
    if (style === "callback") table[`${name}Sync`] = sync(op);
  }
  if (style === "callback") {
    table["createReadStream"] = sync("read-stream");
    table["createWriteStream"] = sync("write-stream");
    delete table["existsSync"];
    table["existsSync"] = sync("exists");
  }
  return table;
}

const FS_EXTRA: Record<string, LibraryFunction> = {
  ...Object.fromEntries(Object.entries(fsModule("callback")).map(([name, fn]) => [name, fn.style === "callback" ? { ...fn, style: "promise-or-callback" } : fn])),
  outputFile: either("write", { createsParents: true }),
  outputFileSync: sync("write", { createsParents: true }),
  writeJson: either("write", { json: true }),
  writeJSON: either("write", { json: true }),
  writeJsonSync: sync("write", { json: true }),
  writeJSONSync: sync("write", { json: true }),
  outputJson: either("write", { json: true, createsParents: true }),
  outputJSON: either("write", { json: true, createsParents: true }),
  outputJsonSync: sync("write", { json: true, createsParents: true }),
  outputJSONSync: sync("write", { json: true, createsParents: true }),
  readJson: either("read", { json: true }),
  readJSON: either("read", { json: true }),
  readJsonSync: sync("read", { json: true }),
  readJSONSync: sync("read", { json: true }),
  move: either("rename"),
  moveSync: sync("rename"),
  copy: either("copy"),
  copySync: sync("copy"),
  remove: either("unlink", { toleratesMissing: true }),
  removeSync: sync("unlink", { toleratesMissing: true }),
  emptyDir: either("unlink", { toleratesMissing: true }),
  ensureDir: either("mkdir", RECURSIVE),
  ensureDirSync: sync("mkdir", RECURSIVE),
  mkdirp: either("mkdir", RECURSIVE),
  mkdirpSync: sync("mkdir", RECURSIVE),
  mkdirs: either("mkdir", RECURSIVE),
  mkdirsSync: sync("mkdir", RECURSIVE),
  pathExists: either("exists"),
  pathExistsSync: sync("exists"),
};

const RUNTIME_WRITE = { atomic: true, fsyncs: true, createsParents: true, serializesSamePath: true } as const;

const TABLE: Record<LibraryModuleId, Record<string, LibraryFunction>> = {
  fs: fsModule("callback"),
  "fs/promises": fsModule("promise"),
  "fs-extra": FS_EXTRA,
  jsonfile: {
    writeFile: either("write", { json: true }),
    writeFileSync: sync("write", { json: true }),
    readFile: either("read", { json: true }),
    readFileSync: sync("read", { json: true }),
  },
  // Temp file beside the target, fsync, rename; writes to one path queue in order.
  "write-file-atomic": { default: either("write", { atomic: true, fsyncs: true, serializesSamePath: true }), sync: sync("write", { atomic: true, fsyncs: true }) },
  atomically: { writeFile: promise("write", { atomic: true, fsyncs: true, createsParents: true, serializesSamePath: true }), writeFileSync: sync("write", { atomic: true, fsyncs: true, createsParents: true }), readFile: promise("read"), readFileSync: sync("read") },
  steno: { Writer: sync("make-store", { atomic: true }) },
  // A lock directory with an mtime heartbeat; locks older than `stale` are taken over.
  "proper-lockfile": {
    lock: promise("lock", { crossProcess: true, staleRecovery: true }),
    lockSync: sync("lock", { crossProcess: true, staleRecovery: true }),
    unlock: promise("unlock", { crossProcess: true }),
    unlockSync: sync("unlock", { crossProcess: true }),
    check: promise("exists"),
    checkSync: sync("exists"),
  },
  // An exclusive-create lock file; stale locks are only recovered when the `stale` option is given.
  lockfile: { lock: callback("lock", { crossProcess: true }), lockSync: sync("lock", { crossProcess: true }), unlock: callback("unlock", { crossProcess: true }), unlockSync: sync("unlock", { crossProcess: true }) },
  // In-process locks; async-mutex's release() runs the next waiter's continuation before it returns.
  "async-mutex": { Mutex: sync("make-lock", { handsOverSynchronously: true }), Semaphore: sync("make-lock", { handsOverSynchronously: true }), withTimeout: sync("make-lock", { handsOverSynchronously: true, wrapsItsArgument: true }), tryAcquire: sync("make-lock", { handsOverSynchronously: true, wrapsItsArgument: true }) },
  "p-limit": { default: sync("make-lock", { exclusiveWhenOne: true }) },
  "p-queue": { default: sync("make-lock", { exclusiveWhenOne: true }) },
  // lowdb, conf, configstore, electron-store: write their file atomically (write-file-atomic, steno).
  "safe-store": { default: sync("make-store", { atomic: true }), Low: sync("make-store", { atomic: true }), LowSync: sync("make-store", { atomic: true }), JSONFile: sync("make-store", { atomic: true }), JSONFilePreset: promise("make-store", { atomic: true }) },
  // Recursive mkdir (`mkdirp(dir)`, `mkdirp.sync(dir)`, v2+'s named `mkdirp`/`mkdirpSync`; make-dir's default).
  mkdirp: { default: either("mkdir", RECURSIVE), mkdirp: promise("mkdir", RECURSIVE), mkdirpSync: sync("mkdir", RECURSIVE), sync: sync("mkdir", RECURSIVE), native: promise("mkdir", RECURSIVE), manual: promise("mkdir", RECURSIVE), nativeSync: sync("mkdir", RECURSIVE), manualSync: sync("mkdir", RECURSIVE) },
  "make-dir": { default: promise("mkdir", RECURSIVE), sync: sync("mkdir", RECURSIVE), makeDirectory: promise("mkdir", RECURSIVE), makeDirectorySync: sync("mkdir", RECURSIVE) },
  // `rm -rf`: a delete that does not mind a missing file.
  rimraf: { default: either("unlink", { toleratesMissing: true }), rimraf: promise("unlink", { toleratesMissing: true }), rimrafSync: sync("unlink", { toleratesMissing: true }), sync: sync("unlink", { toleratesMissing: true }) },
  "tornwrite-runtime": {
    atomicWriteFile: promise("write", RUNTIME_WRITE),
    atomicWriteFileSync: sync("write", { atomic: true, fsyncs: true, createsParents: true }),
    atomicWriteJson: promise("write", { ...RUNTIME_WRITE, json: true }),
    atomicWriteJsonSync: sync("write", { atomic: true, fsyncs: true, createsParents: true, json: true }),
    readJsonFile: promise("read", { json: true }),
    updateFile: promise("update", { crossProcess: true, staleRecovery: true }),
    updateJsonFile: promise("update", { crossProcess: true, staleRecovery: true, json: true }),
    withFileLock: promise("lock-run", { crossProcess: true, staleRecovery: true }),
    acquireFileLock: promise("lock", { crossProcess: true, staleRecovery: true }),
    runExclusive: promise("lock-run"),
    KeyedMutex: sync("make-lock"),
  },
};

/** What a module's function does; undefined for functions the table does not know. */
export function libraryFunction(module: LibraryModuleId, name: string): LibraryFunction | undefined {
  const table = TABLE[module];
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Whether some function of the module makes an instance (a lock, a limiter, a store) whose methods the table knows. */
export function makesInstances(module: LibraryModuleId): boolean {
  return Object.values(TABLE[module]).some((fn) => fn.op === "make-lock" || fn.op === "make-store");
}

/** Methods of the instances `make-lock` and `make-store` functions create. */
export function instanceMethod(module: LibraryModuleId, maker: string, method: string): LibraryFunction | undefined {
  if (module === "async-mutex") {
    if (method === "acquire" || method === "waitForUnlock") return promise("lock", { handsOverSynchronously: true });
    if (method === "runExclusive") return promise("lock-run", { handsOverSynchronously: true });
    if (method === "release") return sync("unlock", { handsOverSynchronously: true });
    return undefined;
  }
  if (module === "p-limit" || module === "p-queue") return method === "call" || method === "add" ? promise("lock-run", { exclusiveWhenOne: true }) : undefined;
  if (module === "tornwrite-runtime" && maker === "KeyedMutex") return method === "runExclusive" ? promise("lock-run") : undefined;
  if (module === "steno" || module === "safe-store") return method === "write" || method === "set" || method === "update" ? promise("write", { atomic: true }) : undefined;
  return undefined;
}

/** Every name some module's function may be called by (a cheap filter before resolving a call). */
export const LIBRARY_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(TABLE).flatMap((table) => Object.keys(table)),
  "acquire", "runExclusive", "release", "waitForUnlock", "add", "write", "set", "update",
]);

/**
 * Chat platforms' bot clients (discord.js, Eris, Telegram, WhatsApp and Twitch clients): a module that imports one is
 * part of a bot, a long-running program that runs as one process per token (seeds 64-65).
 */
export const CHAT_BOT_CLIENT = /^(discord\.js|eris|oceanic\.js|telegraf|grammy|node-telegram-bot-api|whatsapp-web\.js|baileys|@whiskeysockets\/baileys|@adiwajshing\/baileys|tmi\.js)$/;

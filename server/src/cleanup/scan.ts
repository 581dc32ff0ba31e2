import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtInMatcher, type NameMatch, type NameMatcher } from "./patterns";
import { pidIsAlive, scanOpenFiles, type OpenFiles } from "./liveness";

/** A leftover the scan would remove; `identity` is re-checked right before removal. */
export interface StaleCandidate {
  path: string;
  /** Relative to the scanned folder, with `/`. */
  relativePath: string;
  kind: "temp" | "lock";
  isDirectory: boolean;
  reason: string;
  size: number;
  ageSeconds: number;
  /** `file:line` of the workspace code that names its temps this way. */
  site?: string;
  /** How it goes: runtime locks through the runtime's takeover protocol, so a concurrent taker keeps its lock. */
  removal: "unlink" | "rmdir" | "breakLock";
  identity: { dev: number; ino: number; mtimeMs: number };
}

/** A name that matched but is kept, and why: shown so users see the safety rules at work. */
export interface KeptFile {
  relativePath: string;
  why: string;
}

export interface ScanOptions {
  /** Only leftovers older than this are offered. Default 10. */
  minAgeMinutes?: number;
  /** Also scan node_modules and .git. */
  includeDependencies?: boolean;
  /** Matchers from the workspace's own temp templates (tried first, so a match names its site). */
  siteMatchers?: readonly NameMatcher[];
  now?: number;
}

export interface ScanResult {
  root: string;
  candidates: StaleCandidate[];
  kept: KeptFile[];
  scannedEntries: number;
  /** Open-file information was incomplete (not Linux, or other users' processes unreadable). */
  openFilesNote?: string;
}

const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);
const LOCK_CONTENT_LIMIT = 4096;

/**
 * Finds leftover temps and stale locks under `root`. Never follows symlinks (they are neither
 * descended into nor offered), never opens a file for writing, and only reads small lock files.
 */
export async function scanStaleFiles(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const realRoot = await fs.promises.realpath(root);
  const context: ScanContext = {
    root: realRoot,
    minAgeMs: (options.minAgeMinutes ?? 10) * 60_000,
    now: options.now ?? Date.now(),
    matchers: [...(options.siteMatchers ?? []), builtInMatcher],
    openFiles: undefined,
  };
  const result: ScanResult = { root: realRoot, candidates: [], kept: [], scannedEntries: 0 };
  const pending: string[] = [realRoot];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished: nothing to clean there
    }
    result.scannedEntries += entries.length;
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      if (entry.isSymbolicLink() || !(entry.isFile() || entry.isDirectory())) continue;
      const full = path.join(dir, entry.name);
      const match = matchName(context.matchers, entry.name, entry.isDirectory());
      if (match) {
        const verdict = await judge(context, full, entry.isDirectory(), match, names);
        if (verdict?.candidate) result.candidates.push(verdict.candidate);
        else if (verdict?.kept) result.kept.push({ relativePath: relative(realRoot, full), why: verdict.kept });
        if (verdict) continue; // a matched lock directory is not descended into
      }
      if (entry.isDirectory() && (options.includeDependencies || !SKIPPED_DIRECTORIES.has(entry.name))) pending.push(full);
    }
  }
  result.candidates.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  result.kept.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  const open = context.openFiles;
  if (open && !open.available) result.openFilesNote = "no /proc here: open files were judged by age and owner pid only";
  else if (open && open.unreadableProcesses > 0) result.openFilesNote = `${open.unreadableProcesses} processes of other users could not be inspected for open files`;
  return result;
}

/**
 * Judges one path again, as the removal does right before deleting: still there, the same file
 * (device, inode, mtime) and still stale. Open files are looked up afresh.
 */
export async function recheck(candidate: StaleCandidate, root: string, options: ScanOptions = {}): Promise<StaleCandidate | undefined> {
  const context: ScanContext = {
    root,
    minAgeMs: (options.minAgeMinutes ?? 10) * 60_000,
    now: Date.now(),
    matchers: [...(options.siteMatchers ?? []), builtInMatcher],
    openFiles: undefined,
  };
  const name = path.basename(candidate.path);
  const match = matchName(context.matchers, name, candidate.isDirectory);
  if (!match) return undefined;
  let names: Set<string>;
  try {
    names = new Set(await fs.promises.readdir(path.dirname(candidate.path)));
  } catch {
    return undefined;
  }
  const verdict = await judge(context, candidate.path, candidate.isDirectory, match, names);
  const fresh = verdict?.candidate;
  if (!fresh) return undefined;
  const same = fresh.identity.dev === candidate.identity.dev && fresh.identity.ino === candidate.identity.ino && fresh.identity.mtimeMs === candidate.identity.mtimeMs;
  return same ? fresh : undefined;
}

interface ScanContext {
  root: string;
  minAgeMs: number;
  now: number;
  matchers: readonly NameMatcher[];
  /** Read once, only when a name matched: the /proc walk is the costly part. */
  openFiles: OpenFiles | undefined;
}

function matchName(matchers: readonly NameMatcher[], name: string, isDirectory: boolean): NameMatch | undefined {
  for (const matcher of matchers) {
    const match = matcher(name, isDirectory);
    if (match) return match;
  }
  return undefined;
}

function relative(root: string, full: string): string {
  return path.relative(root, full).split(path.sep).join("/");
}

async function judge(
  context: ScanContext,
  full: string,
  isDirectory: boolean,
  match: NameMatch,
  siblings: ReadonlySet<string>,
): Promise<{ candidate?: StaleCandidate; kept?: string } | undefined> {
  if (match.needsBase && !siblings.has(match.base)) return undefined;
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(full);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) return undefined;
  let reason = match.reason;
  let removal: StaleCandidate["removal"] = isDirectory ? "rmdir" : "unlink";
  if (match.kind === "lock") {
    const lockVerdict = await judgeLock(full, stat, match, siblings.has(match.base));
    if (lockVerdict === undefined) return undefined;
    if (lockVerdict.kept) return { kept: lockVerdict.kept };
    reason = lockVerdict.reason;
    if (lockVerdict.owned) removal = "breakLock";
  }
  const ageMs = context.now - stat.mtimeMs;
  if (ageMs < context.minAgeMs) return { kept: `younger than ${Math.round(context.minAgeMs / 60_000)} minutes` };
  if (match.ownerPid !== undefined && match.ownerPid !== process.pid && pidIsAlive(match.ownerPid)) {
    return { kept: `its writer, pid ${match.ownerPid}, is alive` };
  }
  if (match.ownerPid === process.pid) return { kept: "written by this process" };
  if (!isDirectory) {
    context.openFiles ??= scanOpenFiles();
    if (context.openFiles.paths.has(full)) return { kept: "a process holds it open" };
  }
  const candidate: StaleCandidate = {
    path: full,
    relativePath: relative(context.root, full),
    kind: match.kind,
    isDirectory,
    reason,
    size: isDirectory ? 0 : stat.size,
    ageSeconds: Math.floor(ageMs / 1000),
    removal,
    identity: { dev: stat.dev, ino: stat.ino, mtimeMs: stat.mtimeMs },
    ...(match.site === undefined ? {} : { site: match.site }),
  };
  return { candidate };
}

/**
 * Locks: the runtime's lock file names its owner (pid, host); other lock files must be empty and
 * beside what they lock (so a package manager's `Gemfile.lock` is never touched), lock directories
 * empty (proper-lockfile's are).
 */
async function judgeLock(full: string, stat: fs.Stats, match: NameMatch, baseExists: boolean): Promise<{ reason: string; kept?: string; owned?: boolean } | undefined> {
  if (stat.isDirectory()) {
    try {
      return (await fs.promises.readdir(full)).length === 0 ? { reason: match.reason } : undefined;
    } catch {
      return undefined;
    }
  }
  if (stat.size === 0) return baseExists ? { reason: match.reason } : undefined;
  if (stat.size > LOCK_CONTENT_LIMIT) return undefined;
  let owner: { pid?: unknown; hostname?: unknown; token?: unknown };
  try {
    owner = JSON.parse(await fs.promises.readFile(full, "utf8")) as typeof owner;
  } catch {
    return undefined;
  }
  if (typeof owner.pid !== "number" || typeof owner.hostname !== "string" || typeof owner.token !== "string") return undefined;
  if (owner.hostname !== os.hostname()) return { reason: `TornWrite lock of pid ${owner.pid} on ${owner.hostname}; its heartbeat stopped`, owned: true };
  if (pidIsAlive(owner.pid)) return { reason: "", kept: `held by live pid ${owner.pid}` };
  return { reason: `TornWrite lock of dead pid ${owner.pid}`, owned: true };
}

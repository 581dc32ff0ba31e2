import * as fs from "node:fs";
import { analyzeWithFacts } from "../engine/analyze";
import { FS_MODULE_MENTION } from "../engine/fsModel";
import { allRules } from "../rules";
import type { ModuleFacts } from "../engine/workspace/moduleFacts";
import type { AnalyzeOptions, Finding, ImportedAccessors, RuleSetting } from "../engine/types";
import { LOCK_CALL_MENTION } from "../engine/lockAcquisitions";
import { NestingIndex, lockOrderFindingsAt, resolvedNestings, importedCallFindings, type AnalysedModule, type WorkspaceView } from "../engine/workspace/crossFile";
import { resolveImport } from "../engine/workspace/resolve";
import { collectFiles, collectFilesSync } from "../cli/files";
import { importableNames, mayImportAny, relativeSpecifiers } from "../engine/workspace/imports";
import { accessorNames, mayCallAccessors } from "../engine/workspace/importedCycles";


/** Beyond this many files the workspace is not scanned for locks (imports are still followed). */
const MAX_SCANNED_FILES = 20_000;
/** Background reading starts after this long without an edit. */
const IDLE_MS = 400;
/** Larger files are generated or minified, as the server's per-document limit says. */
const MAX_MODULE_CHARS = 4 * 1024 * 1024;

interface Cached {
  stamp: string;
  module: AnalysedModule;
  /** Constants were read too (not only writers). */
  complete: boolean;
}

/**
 * What the editor knows of the workspace's other files, for the workspace-wide checks: the facts of the
 * modules open documents import, and of every file that takes locks. Disk is read only in `refresh`
 * (on open and save, off the keystroke path); `findingsFor` runs on every keystroke from memory.
 */
export class WorkspaceModules {
  private readonly cache = new Map<string, Cached>();
  private readonly lockFiles = new Set<string>();
  /** Every file the scan found: imports resolve against these without touching the disk. */
  private knownFiles = new Set<string>();
  private scan: Promise<void> | undefined;
  private lastActivity = 0;
  /** Lock sites of the cached files, rebuilt after the cache changes. */
  private index: NestingIndex | undefined;
  private writerNames: Set<string> | undefined;
  private accessors: ImportedAccessors | undefined;
  /** When `prepareSync` last re-checked the lock files. */
  private lockFilesCheckedAt = 0;

  constructor(private readonly log: (message: string) => void) {}

  /**
   * Reloads the modules `file` imports, then (once) scans the folders and reads every lock file; after a save
   * (`changed`) re-reads the lock files whose size or time changed, since the save may be one of them. The
   * scan and the lock files are read only while the user is not typing (see `noteActivity`), one file at a
   * time, so a large workspace never delays a keystroke's diagnostics.
   */
  async refresh(folders: readonly string[], file: string, text: string, changed: boolean): Promise<void> {
    if (text.length > MAX_MODULE_CHARS) return;
    this.noteLocks(file, text);
    this.loadImports(file, relativeSpecifiers(text));
    const first = this.scan === undefined;
    this.scan ??= this.scanFolders(folders);
    await this.scan;
    if (!first && changed) await this.loadLockFiles();
  }

  /**
   * `refresh` for hosts that lint file by file and cannot wait (the ESLint plugin): the folders are scanned
   * once, in full, on first use; after that the lock files are re-checked for changes at most every
   * `recheckMs` (a stat each), so a long-lived host (an editor's ESLint server) sees other files' edits.
   */
  prepareSync(folders: readonly string[], file: string, text: string, recheckMs = 1000): void {
    if (text.length > MAX_MODULE_CHARS) return;
    this.noteLocks(file, text);
    this.loadImports(file, relativeSpecifiers(text));
    const now = Date.now();
    if (this.scan === undefined) {
      this.scan = Promise.resolve();
      this.indexFiles(folders.length > 0 ? this.listFiles(() => collectFilesSync(folders)) : []);
    } else if (now - this.lockFilesCheckedAt < recheckMs) return;
    this.lockFilesCheckedAt = now;
    for (const lockFile of [...this.lockFiles]) this.loadLockFile(lockFile);
  }

  /** Called on every edit: background reading waits until edits pause. */
  noteActivity(): void {
    this.lastActivity = Date.now();
  }

  private async whenIdle(): Promise<void> {
    for (let quiet = Date.now() - this.lastActivity; quiet < IDLE_MS; quiet = Date.now() - this.lastActivity) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS - quiet));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  private async loadLockFiles(): Promise<void> {
    for (const lockFile of [...this.lockFiles]) {
      await this.whenIdle();
      this.loadLockFile(lockFile);
    }
  }

  private loadLockFile(lockFile: string): void {
    this.loadImports(lockFile, (this.load(lockFile)?.facts?.imports ?? []).map((entry) => entry.specifier), true);
  }

  /** One level of imports: the wrappers a file calls, the constants its locks name. */
  private loadImports(file: string, specifiers: Iterable<string>, full = false): void {
    for (const specifier of specifiers) {
      const imported = resolveImport(file, specifier, (candidate) => this.knownFiles.has(candidate) || fs.existsSync(candidate));
      if (imported) this.load(imported, full);
    }
  }

  /**
   * Whether the text imports a module named like one that exports an in-place writer: only then does a
   * keystroke read the calls of a file no rule parses.
   */
  mayCallWriters(text: string): boolean {
    this.writerNames ??= new Set([...this.cache].filter(([, { module }]) => (module.facts?.writers.length ?? 0) > 0).flatMap(([name]) => importableNames(name)));
    return mayImportAny(text, this.writerNames);
  }

  /**
   * The names of the read and write helpers other files export, when the text calls one of each: then its calls
   * are read (also where no rule parses it) and those calls paired into read-modify-write candidates
   * (importedCycles.ts).
   */
  accessorsCalledBy(text: string): ImportedAccessors | undefined {
    this.accessors ??= accessorNames([...this.cache].map(([name, { module }]) => [name, module.facts]));
    return mayCallAccessors(text, this.accessors) ? this.accessors : undefined;
  }

  /**
   * The workspace-wide findings of one document (unsorted), from its current text's facts and the others' cached ones.
   * Runs per keystroke: the other files' lock sites are resolved once per change of the cache, not here.
   */
  findingsFor(file: string, own: AnalysedModule, rules: Readonly<Record<string, RuleSetting>> | undefined): Finding[] {
    const view: WorkspaceView = {
      facts: (name) => (name === file ? own.facts : this.cache.get(name)?.module.facts),
      exists: (name) => name === file || this.cache.has(name) || this.knownFiles.has(name),
      rules: (name) => (name === file ? rules : undefined),
    };
    return [...lockOrderFindingsAt(resolvedNestings(file, view), this.nestingIndex(), view), ...importedCallFindings(file, own.calls ?? [], view)];
  }

  private invalidate(): void {
    this.index = undefined;
    this.writerNames = undefined;
    this.accessors = undefined;
  }

  private nestingIndex(): NestingIndex {
    if (this.index) return this.index;
    const index = new NestingIndex();
    const view: WorkspaceView = { facts: (name) => this.cache.get(name)?.module.facts, exists: (name) => this.cache.has(name) || this.knownFiles.has(name), rules: () => undefined };
    for (const [name, { module }] of this.cache) if (module.facts?.nestings.length) index.add(resolvedNestings(name, view));
    this.index = index;
    return index;
  }

  private async scanFolders(folders: readonly string[]): Promise<void> {
    const started = Date.now();
    const files = folders.length > 0 ? this.listFiles(await collectFiles(folders).catch((error: unknown) => this.listFailed(error))) : [];
    if (files.length === 0) return;
    for (const [index, file] of files.entries()) {
      if (index % 50 === 0) await this.whenIdle();
      try {
        this.noteLocks(file, await fs.promises.readFile(file, "utf8"));
      } catch {
        // unreadable: not part of the index
      }
    }
    await this.loadLockFiles();
    this.log(`TornWrite indexed ${this.lockFiles.size} of ${files.length} files that take locks (${Date.now() - started} ms).`);
  }

  /** The scan's synchronous form: every file read now (see `prepareSync`). */
  private indexFiles(files: readonly string[]): void {
    for (const file of files) {
      try {
        this.noteLocks(file, fs.readFileSync(file, "utf8"));
      } catch {
        // unreadable: not part of the index
      }
    }
  }

  /** Records the workspace's files; returns those to read for locks (none beyond the limit). */
  private listFiles(files: readonly string[] | (() => string[])): string[] {
    let listed: readonly string[] = [];
    try {
      listed = typeof files === "function" ? files() : files;
    } catch (error) {
      listed = this.listFailed(error);
    }
    this.knownFiles = new Set(listed);
    if (listed.length <= MAX_SCANNED_FILES) return [...listed];
    this.log(`TornWrite: ${listed.length} files in the workspace; lock orders across files are checked only between open documents and their imports.`);
    return [];
  }

  private listFailed(error: unknown): string[] {
    this.log(`TornWrite could not list the workspace's files: ${String(error)}`);
    return [];
  }

  private noteLocks(file: string, text: string): void {
    if (LOCK_CALL_MENTION.test(text)) this.lockFiles.add(file);
    else this.lockFiles.delete(file);
  }

  /**
   * A module's facts, re-read when its size or modification time changed. Only what the checks use is kept
   * and computed: an import of an open document matters only if it can write (it mentions an fs module)
   * or names locks; a lock file's imports also for their constants (`full`).
   */
  private load(file: string, full = false): AnalysedModule | undefined {
    let stamp: string;
    let size: number;
    try {
      const stat = fs.statSync(file);
      size = stat.size;
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      if (this.cache.delete(file)) this.invalidate();
      this.lockFiles.delete(file);
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp && (cached.complete || !full)) return cached.module;
    if (size > MAX_MODULE_CHARS) return undefined;
    let module: AnalysedModule = {};
    let complete = true;
    try {
      const text = fs.readFileSync(file, "utf8");
      this.noteLocks(file, text);
      if (full || FS_MODULE_MENTION.test(text) || LOCK_CALL_MENTION.test(text)) module = { facts: slim(analyzeWithFacts(file, text, WRITERS_ONLY, "always").facts) };
      else complete = false;
    } catch (error) {
      this.log(`TornWrite could not analyse ${file} for the workspace checks: ${String(error)}`);
    }
    this.cache.set(file, { stamp, module, complete });
    this.invalidate();
    return module;
  }
}

/** Facts need only non-atomic-write's findings (which exported functions write in place): no other rule runs. */
const WRITERS_ONLY: AnalyzeOptions = { fixes: "none", rules: Object.fromEntries(allRules.filter((rule) => rule.id !== "non-atomic-write").map((rule) => [rule.id, "off" as const])) };

/** What is kept per module: imports only where locks need them resolved. */
function slim(facts: ModuleFacts | undefined): ModuleFacts | undefined {
  return facts && { ...facts, imports: facts.nestings.length > 0 ? facts.imports : [] };
}

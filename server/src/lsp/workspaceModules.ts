import * as fs from "node:fs";
import { analyzeWithFacts, parse } from "../engine/analyze";
import type { Finding, RuleSetting } from "../engine/types";
import { LOCK_CALL_MENTION } from "../engine/lockAcquisitions";
import { workspaceFindings, type AnalysedModule } from "../engine/workspace/crossFile";
import { resolveImport } from "../engine/workspace/resolve";
import { collectFiles } from "../cli/files";
import { moduleImports, type ModuleImport } from "../engine/workspace/imports";

/** Beyond this many files the workspace is not scanned for locks (imports are still followed). */
const MAX_SCANNED_FILES = 20_000;
/** Larger files are generated or minified, as the server's per-document limit says. */
const MAX_MODULE_CHARS = 4 * 1024 * 1024;

interface Cached {
  stamp: string;
  module: AnalysedModule;
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

  constructor(private readonly log: (message: string) => void) {}

  /** Scans the folders once, then reloads the modules `file` imports and the lock files that changed. */
  async refresh(folders: readonly string[], file: string, text: string): Promise<void> {
    this.scan ??= this.scanFolders(folders);
    await this.scan;
    if (text.length > MAX_MODULE_CHARS) return;
    this.noteLocks(file, text);
    this.loadImports(file, moduleImports(parse(file, text)));
    for (const lockFile of this.lockFiles) this.loadImports(lockFile, this.load(lockFile)?.facts?.imports);
  }

  /** One level of imports: the wrappers a file calls, the constants its locks name. */
  private loadImports(file: string, imports: readonly ModuleImport[] | undefined): void {
    for (const { specifier } of imports ?? []) {
      const imported = resolveImport(file, specifier, (candidate) => this.knownFiles.has(candidate) || fs.existsSync(candidate));
      if (imported) this.load(imported);
    }
  }

  /** Whether any known module exports an in-place writer (only then do keystrokes read calls of files no rule parses). */
  hasWriters(): boolean {
    for (const { module } of this.cache.values()) if (module.facts?.writers.length) return true;
    return false;
  }

  /** The workspace-wide findings of one document, from its current text's facts and the others' cached ones. */
  findingsFor(file: string, own: AnalysedModule, rules: Readonly<Record<string, RuleSetting>> | undefined): Finding[] {
    const modules = new Map<string, AnalysedModule>();
    for (const [name, { module }] of this.cache) modules.set(name, module);
    modules.set(file, own);
    const exists = (name: string) => modules.has(name) || this.knownFiles.has(name);
    return workspaceFindings(modules, (name) => (name === file ? rules : undefined), new Set([file]), exists).get(file) ?? [];
  }

  private async scanFolders(folders: readonly string[]): Promise<void> {
    const started = Date.now();
    let files: string[] = [];
    try {
      files = folders.length > 0 ? await collectFiles(folders) : [];
    } catch (error) {
      this.log(`TornWrite could not list the workspace's files: ${String(error)}`);
    }
    this.knownFiles = new Set(files);
    if (files.length > MAX_SCANNED_FILES) {
      this.log(`TornWrite: ${files.length} files in the workspace; lock orders across files are checked only between open documents and their imports.`);
      return;
    }
    for (const file of files) {
      try {
        this.noteLocks(file, await fs.promises.readFile(file, "utf8"));
      } catch {
        // unreadable: not part of the index
      }
    }
    this.log(`TornWrite indexed ${this.lockFiles.size} of ${files.length} files that take locks (${Date.now() - started} ms).`);
  }

  private noteLocks(file: string, text: string): void {
    if (LOCK_CALL_MENTION.test(text)) this.lockFiles.add(file);
    else this.lockFiles.delete(file);
  }

  /** A module's facts, re-read when its size or modification time changed. */
  private load(file: string): AnalysedModule | undefined {
    let stamp: string;
    let size: number;
    try {
      const stat = fs.statSync(file);
      size = stat.size;
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      this.cache.delete(file);
      this.lockFiles.delete(file);
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp) return cached.module;
    if (size > MAX_MODULE_CHARS) return undefined;
    try {
      const text = fs.readFileSync(file, "utf8");
      this.noteLocks(file, text);
      const module = { facts: analyzeWithFacts(file, text, { fixes: "none" }, "always").facts };
      this.cache.set(file, { stamp, module });
      return module;
    } catch (error) {
      this.log(`TornWrite could not analyse ${file} for the workspace checks: ${String(error)}`);
      this.cache.set(file, { stamp, module: {} });
      return undefined;
    }
  }
}

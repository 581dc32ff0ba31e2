import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeSites, type WriteSite } from "../engine/writeSites";
import { analyseFolder } from "../cli/files";
import { DEFAULT_BUDGET, stressProtocol, stressSite, type ScenarioOutcome, type StressBudget } from "./runner";
import { loadProjectConfig, type LiveTarget as ConfiguredTarget } from "../project/config";
import { fixText } from "../engine/analyze";
import { runtimeContextFor } from "../project/runtimeContext";
import { loadRuntimeSources } from "../project/runtimeSources";
import { findProjectRoot } from "../project/projectRoot";
import type { ReplayProtocol } from "../engine/writeSites";

export interface StressSiteReport {
  file: string;
  /** Relative to the checked folder, with `/`. */
  relativePath: string;
  line: number;
  character: number;
  target: string;
  summary: string;
  ruleIds: string[];
  before: ScenarioOutcome;
  after: ScenarioOutcome;
}

export interface StressReport {
  root: string;
  sites: StressSiteReport[];
  budget: StressBudget;
  durationMs: number;
}

export interface StressOptions {
  budget?: Partial<StressBudget>;
  /** Only the site at `file:line` (1-based line, path relative to the folder). */
  site?: string;
  /** Only sites some rule reports (the old, faster behaviour); by default correct sites are replayed too. */
  suspectsOnly?: boolean;
  signal?: AbortSignal;
  /**
   * Also call the live targets of `.tornwrite.json` (`stress.targets`): this RUNS WORKSPACE CODE, so
   * callers allow it only in trusted workspaces and on explicit request (CLI: --allow-exec).
   */
  live?: boolean;
  onSite?: (done: number, total: number, next: { relativePath: string; line: number } | undefined) => void;
  workerPath?: string;
}

export interface FoundSite extends WriteSite {
  file: string;
  relativePath: string;
}

/** Every write site of the folder's analysable files, with its protocol (no code runs). */
export async function findWriteSites(root: string, only?: string): Promise<FoundSite[]> {
  return analyseFolder(root, (file, text, relativePath) =>
    writeSites(file, text)
      .filter((site) => only === undefined || only === `${relativePath}:${site.line + 1}`)
      .map((site) => ({ ...site, file, relativePath })),
  );
}

/**
 * Replays every write site of the folder for real, before and after its fix, in a scratch folder on
 * the workspace's own file system (`.tornwrite/stress/<run>/`), always removed afterwards — also on
 * cancel and on error. `.tornwrite/` ignores itself (a `.gitignore` of `*`) while it exists.
 */
export async function stressWorkspace(root: string, options: StressOptions = {}): Promise<StressReport> {
  const started = Date.now();
  const budget: StressBudget = { ...DEFAULT_BUDGET, ...options.budget };
  const sites = (await findWriteSites(root, options.site)).filter((site) => !options.suspectsOnly || site.ruleIds.length > 0);
  const liveTargets = options.live ? configuredTargets(root) : [];
  const tornwriteDir = path.join(root, ".tornwrite");
  const createdTornwriteDir = !fs.existsSync(tornwriteDir);
  const runDir = path.join(tornwriteDir, "stress", `${Date.now().toString(36)}-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(runDir, { recursive: true });
  if (createdTornwriteDir) fs.writeFileSync(path.join(tornwriteDir, ".gitignore"), "*\n");
  const reports: StressSiteReport[] = [];
  try {
    for (const [index, site] of sites.entries()) {
      options.onSite?.(index, sites.length, { relativePath: site.relativePath, line: site.line });
      const outcome = await stressSite(site, path.join(runDir, String(index)), budget, options.signal, options.workerPath);
      const { file, relativePath, line, character, target, summary, ruleIds } = site;
      reports.push({ file, relativePath, line, character, target, summary, ruleIds, ...outcome });
    }
    for (const [index, target] of liveTargets.entries()) {
      const site = liveSite(root, target);
      options.onSite?.(sites.length + index, sites.length + liveTargets.length, { relativePath: site.relativePath, line: site.line });
      const outcome = await stressLiveTarget(root, target, path.join(runDir, `live-${index}`), budget, options.signal, options.workerPath);
      reports.push({ ...site, ...outcome });
    }
    options.onSite?.(sites.length + liveTargets.length, sites.length + liveTargets.length, undefined);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
    if (createdTornwriteDir) fs.rmSync(tornwriteDir, { recursive: true, force: true });
    else if (fs.readdirSync(path.join(tornwriteDir, "stress")).length === 0) fs.rmdirSync(path.join(tornwriteDir, "stress"));
  }
  return { root, sites: reports, budget, durationMs: Date.now() - started };
}

/** The live targets of the folder's `.tornwrite.json`; a clear error when there are none or they are wrong. */
export function configuredTargets(root: string): ConfiguredTarget[] {
  const config = loadProjectConfig(root);
  const problems = config.problems.filter((problem) => problem.includes("stress"));
  if (problems.length > 0) throw new Error(problems.join("\n"));
  if (config.stressTargets.length === 0) {
    throw new Error('No live targets: add "stress": { "targets": [{ "module": "src/store.ts", "export": "save", "args": ["{path}", "{payload}"], "path": "state.json", "kind": "write" }] } to .tornwrite.json');
  }
  return config.stressTargets;
}

const LIVE_PROTOCOL: ReplayProtocol = { write: "direct", exclusive: false, fsync: false, cleanupOnError: false, readModifyWrite: false, lock: "none", sync: false };

function liveSite(root: string, target: ConfiguredTarget): Omit<StressSiteReport, "before" | "after"> {
  let line = 0;
  try {
    const text = fs.readFileSync(target.module, "utf8");
    const at = new RegExp(`export\\s+(?:async\\s+)?(?:function\\s*\\*?\\s*|const\\s+|let\\s+)${target.export}\\b`).exec(text)?.index;
    if (at !== undefined) line = text.slice(0, at).split("\n").length - 1;
  } catch {
    // reported when the worker loads it
  }
  return {
    file: target.module,
    relativePath: path.relative(root, target.module).split(path.sep).join("/"),
    line,
    character: 0,
    target: `${target.export}(${target.args.map((arg) => JSON.stringify(arg)).join(", ")})`,
    summary: `live: ${target.export}() ${target.kind === "update" ? "updates" : "writes"} ${target.path} (workspace code, in child processes)`,
    ruleIds: [],
  };
}

/**
 * The quick-fixed copy of a live target's module, at the same relative path under `mirror` (with the
 * runtime it vendors); everything else still loads from the project. Undefined when no fix applies.
 */
function fixedMirror(root: string, module: string, mirror: string): { original: string; mirror: string } | undefined {
  const projectRoot = findProjectRoot(module, [root]);
  const text = fs.readFileSync(module, "utf8");
  const config = loadProjectConfig(path.dirname(module));
  const runtime = runtimeContextFor(module, projectRoot, { runtimePath: config.runtimePath ?? "", runtimeImport: config.runtimeImport }, loadRuntimeSources(), text);
  const fixed = fixText(module, text, { rules: config.rules, runtime });
  if (fixed.text === text) return undefined;
  const place = (file: string, content: string) => {
    const destination = path.join(mirror, path.relative(projectRoot, file));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.writeFileSync(destination, content);
  };
  place(module, fixed.text);
  for (const created of fixed.created) if (created.kind === "create") place(created.fileName, created.text);
  return { original: projectRoot, mirror };
}

async function stressLiveTarget(root: string, target: ConfiguredTarget, dir: string, budget: StressBudget, signal?: AbortSignal, workerPath?: string): Promise<{ before: ScenarioOutcome; after: ScenarioOutcome }> {
  const spec = { module: target.module, export: target.export, args: target.args, kind: target.kind };
  const protocol = { ...LIVE_PROTOCOL, readModifyWrite: target.kind === "update" };
  const before = await stressProtocol(protocol, path.join(dir, "before"), budget, signal, workerPath, { spec, path: target.path });
  const mirror = fixedMirror(root, target.module, path.join(dir, "fixed-source"));
  if (!mirror) return { before, after: before };
  const after = await stressProtocol(protocol, path.join(dir, "after"), budget, signal, workerPath, { spec: { ...spec, mirror }, path: target.path });
  return { before, after };
}

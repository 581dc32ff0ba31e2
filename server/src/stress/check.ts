import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeSites, type WriteSite } from "../engine/writeSites";
import { collectFiles } from "../cli/files";
import { DEFAULT_BUDGET, stressSite, type ScenarioOutcome, type StressBudget } from "./runner";

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
  signal?: AbortSignal;
  onSite?: (done: number, total: number, next: { relativePath: string; line: number } | undefined) => void;
  workerPath?: string;
}

export interface FoundSite extends WriteSite {
  file: string;
  relativePath: string;
}

/** Every write site of the folder's analysable files, with its protocol (no code runs). */
export async function findWriteSites(root: string, only?: string): Promise<FoundSite[]> {
  const sites: FoundSite[] = [];
  for (const file of await collectFiles([root])) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch {
      continue;
    }
    const relativePath = path.relative(root, file).split(path.sep).join("/");
    let found: WriteSite[];
    try {
      found = writeSites(file, text);
    } catch {
      continue; // unparsable files have no sites to replay
    }
    for (const site of found) {
      if (only === undefined || only === `${relativePath}:${site.line + 1}`) sites.push({ ...site, file, relativePath });
    }
  }
  return sites;
}

/**
 * Replays every write site of the folder for real, before and after its fix, in a scratch folder on
 * the workspace's own file system (`.tornwrite/stress/<run>/`), always removed afterwards — also on
 * cancel and on error. `.tornwrite/` ignores itself (a `.gitignore` of `*`) while it exists.
 */
export async function stressWorkspace(root: string, options: StressOptions = {}): Promise<StressReport> {
  const started = Date.now();
  const budget: StressBudget = { ...DEFAULT_BUDGET, ...options.budget };
  const sites = await findWriteSites(root, options.site);
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
    options.onSite?.(sites.length, sites.length, undefined);
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
    if (createdTornwriteDir) fs.rmSync(tornwriteDir, { recursive: true, force: true });
    else if (fs.readdirSync(path.join(tornwriteDir, "stress")).length === 0) fs.rmdirSync(path.join(tornwriteDir, "stress"));
  }
  return { root, sites: reports, budget, durationMs: Date.now() - started };
}

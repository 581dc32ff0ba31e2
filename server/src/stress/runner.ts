import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { ReplayProtocol, WriteSite } from "../engine/writeSites";
import type { WorkerResult, WorkerTask } from "./worker";
import { isWholePayload, makeCounter, makePayload, parseCounter } from "./payload";

/** How hard each site is exercised. The defaults check the demo workspace in well under a minute on 2 cores. */
export interface StressBudget {
  /** Concurrent writer (or incrementer) processes. */
  processes: number;
  /** Writes per writer process. */
  operations: number;
  /** Writes each async writer keeps in flight at once. */
  inFlight: number;
  /** Payload body size: large enough that one write spans many chunks. */
  bodyBytes: number;
  /** SIGKILL rounds. */
  crashRounds: number;
  /** Increments per process for read-modify-write sites. */
  increments: number;
}

export const DEFAULT_BUDGET: StressBudget = { processes: 4, operations: 24, inFlight: 4, bodyBytes: 256 * 1024, crashRounds: 2, increments: 30 };

export interface ScenarioOutcome {
  verdict: "pass" | "fail";
  operations: number;
  reads: number;
  tornReads: number;
  /** The target after the writers finished or were killed is not a whole payload (or is missing). */
  corruptFinalStates: number;
  lostUpdates: number;
  renameErrors: number;
  writeErrors: number;
  /** Every failed operation, by step and code (`rename:ENOENT`). */
  errors: Record<string, number>;
  /** Temps left behind that nothing can attribute to a dead writer. */
  orphanedTemps: number;
  /** Temps of killed writers whose names carry the writer's pid: `tornwrite clean` removes them. */
  reclaimableTemps: number;
  durationMs: number;
}

export interface SiteOutcome {
  before: ScenarioOutcome;
  after: ScenarioOutcome;
}

/** A stress run was cancelled: the children were killed and the scratch folder removed. */
export class StressCancelledError extends Error {
  override name = "StressCancelledError";
}

function emptyOutcome(): ScenarioOutcome {
  return { verdict: "pass", operations: 0, reads: 0, tornReads: 0, corruptFinalStates: 0, lostUpdates: 0, renameErrors: 0, writeErrors: 0, errors: {}, orphanedTemps: 0, reclaimableTemps: 0, durationMs: 0 };
}

function defaultWorkerPath(): string {
  // Bundled: dist/stressWorker.js beside dist/cli.js and dist/server.js; compiled for tests: worker.js here.
  const bundled = path.join(__dirname, "stressWorker.js");
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, "worker.js");
}

class Children {
  private readonly running = new Set<ChildProcess>();
  constructor(
    private readonly workerPath: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  start(task: WorkerTask): { child: ChildProcess; result: Promise<WorkerResult | undefined> } {
    if (this.signal?.aborted) throw new StressCancelledError("stress check cancelled");
    const child = spawn(process.execPath, [this.workerPath, JSON.stringify(task)], { stdio: ["ignore", "pipe", "pipe"] });
    this.running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const result = new Promise<WorkerResult | undefined>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        this.running.delete(child);
        if (signal === "SIGKILL") return resolve(undefined); // a crash the scenario caused (or a cancel)
        if (code !== 0) return reject(new Error(`stress worker (${task.role}) exited with ${code}: ${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as WorkerResult);
        } catch {
          reject(new Error(`stress worker (${task.role}) printed no result: ${stdout}${stderr}`));
        }
      });
    });
    return { child, result };
  }

  killAll(): void {
    for (const child of this.running) child.kill("SIGKILL");
  }
}

function absorb(outcome: ScenarioOutcome, result: WorkerResult | undefined): void {
  if (!result) return;
  outcome.operations += result.operations;
  outcome.reads += result.reads;
  outcome.tornReads += result.tornReads;
  for (const [key, count] of Object.entries(result.errors)) {
    outcome.errors[key] = (outcome.errors[key] ?? 0) + count;
    if (key.startsWith("rename:")) outcome.renameErrors += count;
    else outcome.writeErrors += count;
  }
}

/** What is left in the site's folder besides the target and the run's own files; lock files are not temps. */
function leftovers(dir: string, target: string): string[] {
  return fs.readdirSync(dir).filter((name) => name !== path.basename(target) && !name.startsWith("_") && !/\.lock(\.takeover)?$/.test(name));
}

function finish(outcome: ScenarioOutcome, started: number): ScenarioOutcome {
  outcome.durationMs = Date.now() - started;
  const failed = outcome.tornReads + outcome.corruptFinalStates + outcome.lostUpdates + outcome.renameErrors + outcome.writeErrors + outcome.orphanedTemps;
  outcome.verdict = failed > 0 ? "fail" : "pass";
  return outcome;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Time for every child to boot before the barrier releases them together. */
const BARRIER_MS = 350;

async function concurrentWriters(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome): Promise<void> {
  const target = path.join(dir, "target.dat");
  fs.writeFileSync(target, makePayload(999, 0, budget.bodyBytes));
  const stopFile = path.join(dir, "_stop");
  const startAt = Date.now() + BARRIER_MS;
  const base = { protocol: { ...protocol, readModifyWrite: false }, target, dir, inFlight: budget.inFlight, bodyBytes: budget.bodyBytes, startAt };
  const reader = children.start({ ...base, role: "reader", id: 0, operations: 0, stopFile });
  const writers = Array.from({ length: budget.processes }, (_, index) => children.start({ ...base, role: "writer", id: index + 1, operations: budget.operations }));
  try {
    for (const writer of writers) absorb(outcome, await writer.result);
  } finally {
    fs.writeFileSync(stopFile, "");
  }
  absorb(outcome, await reader.result);
  if (!fs.existsSync(target) || !isWholePayload(fs.readFileSync(target))) outcome.corruptFinalStates++;
  outcome.orphanedTemps += leftovers(dir, target).length;
}

async function readModifyWrite(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome): Promise<void> {
  const target = path.join(dir, "counter.json");
  const pad = Math.min(budget.bodyBytes, 64 * 1024);
  fs.writeFileSync(target, makeCounter(0, pad));
  const startAt = Date.now() + BARRIER_MS;
  const incrementers = Array.from({ length: budget.processes }, (_, index) =>
    children.start({ role: "incrementer", id: index + 1, protocol, target, dir, operations: budget.increments, inFlight: budget.inFlight, bodyBytes: pad, startAt }),
  );
  for (const incrementer of incrementers) absorb(outcome, await incrementer.result);
  const final = fs.existsSync(target) ? parseCounter(fs.readFileSync(target, "utf8")) : undefined;
  const expected = budget.processes * budget.increments;
  if (final === undefined) {
    outcome.corruptFinalStates++;
    outcome.lostUpdates += expected;
  } else outcome.lostUpdates += Math.max(0, expected - final);
  outcome.orphanedTemps += leftovers(dir, target).length;
}

async function crashes(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome): Promise<void> {
  for (let round = 0; round < budget.crashRounds; round++) {
    const roundDir = path.join(dir, `crash-${round}`);
    fs.mkdirSync(roundDir);
    const target = path.join(roundDir, "target.dat");
    fs.writeFileSync(target, makePayload(999, 0, budget.bodyBytes));
    const startAt = Date.now() + BARRIER_MS;
    const writers = Array.from({ length: budget.processes }, (_, index) =>
      children.start({ role: "writer", id: index + 1, protocol: { ...protocol, readModifyWrite: false }, target, dir: roundDir, operations: 0, inFlight: budget.inFlight, bodyBytes: budget.bodyBytes, startAt }),
    );
    const pids = writers.map((writer) => writer.child.pid);
    // Kill at a random point after the writers started: mid-write, mid-fsync or mid-rename.
    await sleep(BARRIER_MS + 40 + Math.floor(Math.random() * 160));
    for (const writer of writers) writer.child.kill("SIGKILL");
    for (const writer of writers) await writer.result;
    if (!fs.existsSync(target) || !isWholePayload(fs.readFileSync(target))) outcome.corruptFinalStates++;
    for (const name of leftovers(roundDir, target)) {
      if (pids.some((pid) => pid !== undefined && new RegExp(`(^|\\D)${pid}(\\D|$)`).test(name))) outcome.reclaimableTemps++;
      else outcome.orphanedTemps++;
    }
  }
}

/** Replays one protocol under every scenario in its own folder (removed afterwards). */
export async function stressProtocol(protocol: ReplayProtocol, dir: string, budget: StressBudget = DEFAULT_BUDGET, signal?: AbortSignal, workerPath = defaultWorkerPath()): Promise<ScenarioOutcome> {
  const children = new Children(workerPath, signal);
  const onAbort = () => children.killAll();
  signal?.addEventListener("abort", onAbort);
  const outcome = emptyOutcome();
  const started = Date.now();
  fs.mkdirSync(dir, { recursive: true });
  try {
    const scenario = path.join(dir, "concurrent");
    fs.mkdirSync(scenario);
    if (protocol.readModifyWrite) await readModifyWrite(children, protocol, scenario, budget, outcome);
    else await concurrentWriters(children, protocol, scenario, budget, outcome);
    await crashes(children, protocol, path.join(dir), budget, outcome);
    if (signal?.aborted) throw new StressCancelledError("stress check cancelled");
    return finish(outcome, started);
  } catch (error) {
    children.killAll();
    if (signal?.aborted) throw new StressCancelledError("stress check cancelled");
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The site's protocol, then what the quick-fix makes of it (the runtime), each in a fresh folder. */
export async function stressSite(site: WriteSite, scratch: string, budget: StressBudget = DEFAULT_BUDGET, signal?: AbortSignal, workerPath?: string): Promise<SiteOutcome> {
  const before = await stressProtocol(site.protocol, path.join(scratch, "before"), budget, signal, workerPath);
  const after = await stressProtocol(site.fixed, path.join(scratch, "after"), budget, signal, workerPath);
  return { before, after };
}

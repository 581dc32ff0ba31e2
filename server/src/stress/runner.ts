import * as fs from "node:fs";
import * as path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { ReplayProtocol, WriteSite } from "../engine/writeSites";
import type { LiveSpec, WorkerResult, WorkerTask } from "./worker";
import { containsWholePayload, countTokens, isWholePayload, makeCounter, makePayload, parseCounter } from "./payload";

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

interface Worker {
  child: ChildProcess;
  result: Promise<WorkerResult | undefined>;
  ready: Promise<void>;
}

class Children {
  private readonly running = new Set<ChildProcess>();
  constructor(
    private readonly workerPath: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  start(task: WorkerTask, cwd?: string): Worker {
    if (this.signal?.aborted) throw new StressCancelledError("stress check cancelled");
    const child = spawn(process.execPath, [this.workerPath, JSON.stringify(task)], { stdio: ["pipe", "pipe", "pipe"], ...(cwd ? { cwd } : {}) });
    child.stdin!.on("error", () => undefined); // a worker that died before the start signal
    this.running.add(child);
    let stdout = "";
    let stderr = "";
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^ready$/m.test(stdout)) markReady();
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const result = new Promise<WorkerResult | undefined>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        this.running.delete(child);
        markReady(); // never wait for the start signal of a worker that is gone
        if (signal === "SIGKILL") return resolve(undefined); // a crash the scenario caused (or a cancel)
        if (code !== 0) return reject(new Error(`stress worker (${task.role}) exited with ${code}: ${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as WorkerResult);
        } catch {
          reject(new Error(`stress worker (${task.role}) printed no result: ${stdout}${stderr}`));
        }
      });
    });
    return { child, result, ready };
  }

  /** Waits until every worker has loaded, then releases them all at the same moment. */
  async release(workers: readonly Worker[]): Promise<void> {
    await Promise.all(workers.map((worker) => worker.ready));
    const startAt = Date.now() + 20;
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.stdin!.end(`${startAt}\n`);
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

/** A live target run once, alone, so there is a previous state to tear (and to compare leftovers with). */
async function warmUp(children: Children, task: WorkerTask, cwd: string): Promise<void> {
  const single = children.start({ ...task, role: "writer", id: 0, operations: 1 }, cwd);
  await children.release([single]);
  const result = await single.result;
  const failure = Object.keys(result?.errors ?? {})[0];
  if (failure) throw new Error(`the live target failed on its first call (${failure}); check its args in .tornwrite.json`);
}

async function concurrentWriters(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome, live?: LiveTarget): Promise<void> {
  const target = path.join(dir, live?.path ?? "target.dat");
  const stopFile = path.join(dir, "_stop");
  const base = { protocol: { ...protocol, readModifyWrite: false }, target, dir, inFlight: budget.inFlight, bodyBytes: budget.bodyBytes, ...(live ? { live: live.spec } : {}) };
  if (live) await warmUp(children, { ...base, role: "writer", id: 0, operations: 1 }, dir);
  else fs.writeFileSync(target, makePayload(999, 0, budget.bodyBytes));
  const baseline = new Set(fs.readdirSync(dir));
  const reader = children.start({ ...base, role: "reader", id: 0, operations: 0, stopFile });
  const writers = Array.from({ length: budget.processes }, (_, index) => children.start({ ...base, role: "writer", id: index + 1, operations: budget.operations }, dir));
  await children.release([reader, ...writers]);
  try {
    for (const writer of writers) absorb(outcome, await writer.result);
  } finally {
    fs.writeFileSync(stopFile, "");
  }
  absorb(outcome, await reader.result);
  const whole = live ? containsWholePayload : isWholePayload;
  if (!fs.existsSync(target) || !whole(fs.readFileSync(target))) outcome.corruptFinalStates++;
  outcome.orphanedTemps += leftovers(dir, target).filter((name) => !baseline.has(name)).length;
}

async function readModifyWrite(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome): Promise<void> {
  const target = path.join(dir, "counter.json");
  const pad = Math.min(budget.bodyBytes, 64 * 1024);
  fs.writeFileSync(target, makeCounter(0, pad));
  const incrementers = Array.from({ length: budget.processes }, (_, index) =>
    children.start({ role: "incrementer", id: index + 1, protocol, target, dir, operations: budget.increments, inFlight: budget.inFlight, bodyBytes: pad }),
  );
  await children.release(incrementers);
  for (const incrementer of incrementers) absorb(outcome, await incrementer.result);
  const final = fs.existsSync(target) ? parseCounter(fs.readFileSync(target, "utf8")) : undefined;
  const expected = budget.processes * budget.increments;
  if (final === undefined) {
    outcome.corruptFinalStates++;
    outcome.lostUpdates += expected;
  } else outcome.lostUpdates += Math.max(0, expected - final);
  outcome.orphanedTemps += leftovers(dir, target).length;
}

/** Live `update` targets: every call adds a unique token; the final file must hold all of them. */
async function liveUpdates(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome, live: LiveTarget): Promise<void> {
  const target = path.join(dir, live.path);
  const base = { protocol, target, dir, inFlight: budget.inFlight, bodyBytes: 0, live: live.spec };
  const baseline = new Set(fs.readdirSync(dir));
  const incrementers = Array.from({ length: budget.processes }, (_, index) => children.start({ ...base, role: "incrementer", id: index + 1, operations: budget.increments }, dir));
  await children.release(incrementers);
  let completed = 0;
  for (const incrementer of incrementers) {
    const result = await incrementer.result;
    absorb(outcome, result);
    completed += result?.completed ?? 0;
  }
  const kept = fs.existsSync(target) ? countTokens(fs.readFileSync(target, "utf8")) : 0;
  outcome.lostUpdates += Math.max(0, completed - kept);
  outcome.orphanedTemps += leftovers(dir, target).filter((name) => !baseline.has(name)).length;
}

async function crashes(children: Children, protocol: ReplayProtocol, dir: string, budget: StressBudget, outcome: ScenarioOutcome, live?: LiveTarget): Promise<void> {
  for (let round = 0; round < budget.crashRounds; round++) {
    const roundDir = path.join(dir, `crash-${round}`);
    fs.mkdirSync(roundDir);
    const target = path.join(roundDir, live?.path ?? "target.dat");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const base = { protocol: { ...protocol, readModifyWrite: false }, target, dir: roundDir, inFlight: budget.inFlight, bodyBytes: budget.bodyBytes, ...(live ? { live: live.spec } : {}) };
    if (live) await warmUp(children, { ...base, role: "writer", id: 0, operations: 1 }, roundDir);
    else fs.writeFileSync(target, makePayload(999, 0, budget.bodyBytes));
    const baseline = new Set(fs.readdirSync(roundDir));
    const writers = Array.from({ length: budget.processes }, (_, index) => children.start({ ...base, role: "writer", id: index + 1, operations: 0 }, roundDir));
    const pids = writers.map((writer) => writer.child.pid);
    await children.release(writers);
    // Kill at a random point after the writers started: mid-write, mid-fsync or mid-rename.
    await sleep(40 + Math.floor(Math.random() * 160));
    for (const writer of writers) writer.child.kill("SIGKILL");
    for (const writer of writers) await writer.result;
    const whole = live ? containsWholePayload : isWholePayload;
    if (!fs.existsSync(target) || !whole(fs.readFileSync(target))) outcome.corruptFinalStates++;
    for (const name of leftovers(roundDir, target).filter((each) => !baseline.has(each))) {
      if (pids.some((pid) => pid !== undefined && new RegExp(`(^|\\D)${pid}(\\D|$)`).test(name))) outcome.reclaimableTemps++;
      else outcome.orphanedTemps++;
    }
  }
}

/** A workspace function the user named for live mode, with where its file lands in the scratch folder. */
export interface LiveTarget {
  spec: LiveSpec;
  /** The file the function writes, relative to the folder it runs in. */
  path: string;
}

/**
 * Replays one protocol (or calls one live target) under every scenario in its own folder, removed
 * afterwards.
 */
export async function stressProtocol(
  protocol: ReplayProtocol,
  dir: string,
  budget: StressBudget = DEFAULT_BUDGET,
  signal?: AbortSignal,
  workerPath = defaultWorkerPath(),
  live?: LiveTarget,
): Promise<ScenarioOutcome> {
  const children = new Children(workerPath, signal);
  const onAbort = () => children.killAll();
  signal?.addEventListener("abort", onAbort);
  const outcome = emptyOutcome();
  const started = Date.now();
  fs.mkdirSync(dir, { recursive: true });
  try {
    const scenario = path.join(dir, "concurrent");
    fs.mkdirSync(path.dirname(path.join(scenario, live?.path ?? "x")), { recursive: true });
    if (live?.spec.kind === "update") await liveUpdates(children, protocol, scenario, budget, outcome, live);
    else if (protocol.readModifyWrite && !live) await readModifyWrite(children, protocol, scenario, budget, outcome);
    else await concurrentWriters(children, protocol, scenario, budget, outcome, live);
    if (live?.spec.kind !== "update") await crashes(children, protocol, path.join(dir), budget, outcome, live);
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

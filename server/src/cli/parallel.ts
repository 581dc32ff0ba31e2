import * as os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import type { AnalyzeOptions } from "../engine/types";
import type { FileAnalysis } from "./fileAnalysis";

/** Below this many files a worker's start-up (loading the compiler) costs more than it saves. */
const PARALLEL_THRESHOLD = 400;

type Analyzer = (file: string, options: AnalyzeOptions) => FileAnalysis;

interface WorkerRequest {
  files: string[];
  /** Each file's options, as an index into the distinct `choices` (most files share one). */
  options: number[];
  choices: AnalyzeOptions[];
}

/**
 * Analyses files on all cores: the main thread and `cores - 1` workers each take an interleaved slice of
 * the files (fixed up front; a profile of the 5,000-file scan showed the main thread idle a third of the time
 * while the worker finished its slice: a shared work index is the next step). Results keep the input order.
 * `workerEntry` is the script a worker starts: the one that calls `runAsWorkerIfNeeded` at load (the CLI's
 * entry, bundled or compiled; this module alone would start workers that do nothing).
 */
export async function analyzeAll(files: readonly string[], options: readonly AnalyzeOptions[], analyze: Analyzer, onProgress: (done: number) => void, workerEntry: string): Promise<FileAnalysis[]> {
  const workerCount = Math.min(os.availableParallelism?.() ?? os.cpus().length, 8) - 1;
  const results: FileAnalysis[] = new Array(files.length);
  let done = 0;
  if (files.length < PARALLEL_THRESHOLD || workerCount < 1) {
    files.forEach((file, index) => {
      results[index] = analyze(file, options[index]!);
      onProgress(++done);
    });
    return results;
  }
  // Interleaved slices: neighbouring files (often alike in size) spread over the threads.
  const slices = Array.from({ length: workerCount + 1 }, (_, slice) => files.map((_, index) => index).filter((index) => index % (workerCount + 1) === slice));
  const workers = slices.slice(1).map(
    (indexes) =>
      new Promise<void>((resolve, reject) => {
        const choices = [...new Map(indexes.map((index) => [JSON.stringify(options[index]), options[index]!])).values()];
        const keys = choices.map((choice) => JSON.stringify(choice));
        const request: WorkerRequest = { files: indexes.map((index) => files[index]!), options: indexes.map((index) => keys.indexOf(JSON.stringify(options[index]))), choices };
        const worker = new Worker(workerEntry, { workerData: request });
        let received = 0;
        worker.on("message", (message: { index: number; result: FileAnalysis }) => {
          results[indexes[message.index]!] = message.result;
          received++;
          onProgress(++done);
        });
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (code !== 0) reject(new Error(`analysis worker exited with ${code}`));
          else if (received < indexes.length) reject(new Error(`analysis worker ${workerEntry} returned ${received} of its ${indexes.length} files`));
          else resolve();
        });
      }),
  );
  for (const index of slices[0]!) {
    results[index] = analyze(files[index]!, options[index]!);
    onProgress(++done);
    // Let worker messages in between files.
    if (done % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
  return results;
}

/** Worker side: called at start-up of the CLI bundle; returns true when this thread is a worker. */
export function runAsWorkerIfNeeded(analyze: Analyzer): boolean {
  if (isMainThread || !parentPort) return false;
  const request = workerData as WorkerRequest;
  request.files.forEach((file, index) => parentPort!.postMessage({ index, result: analyze(file, request.choices[request.options[index]!]!) }));
  return true;
}

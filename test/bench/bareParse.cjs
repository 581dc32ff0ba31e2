// The floor of the scan benchmark (issue 16): read and parse every file of the list in argv[2] with
// `ts.createSourceFile` (parent pointers set, as TornWrite's engine parses), nothing else, on the same threads
// `tornwrite check` uses (the main thread and min(cores, 8) - 1 workers, interleaved slices). Prints the
// number of files parsed.
const fs = require("node:fs");
const os = require("node:os");
const { Worker, isMainThread, workerData, parentPort } = require("node:worker_threads");
const ts = require("typescript");

function parseAll(files) {
  let statements = 0;
  for (const file of files) {
    const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    statements += ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, kind).statements.length;
  }
  return statements;
}

if (!isMainThread) {
  parentPort.postMessage(parseAll(workerData));
} else {
  const files = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const threads = Math.min(os.availableParallelism?.() ?? os.cpus().length, 8);
  const slices = Array.from({ length: threads }, (_, slice) => files.filter((_, index) => index % threads === slice));
  const workers = slices.slice(1).map((slice) => new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: slice });
    worker.once("message", resolve);
    worker.once("error", reject);
  }));
  parseAll(slices[0]);
  Promise.all(workers).then(() => process.stdout.write(String(files.length)));
}

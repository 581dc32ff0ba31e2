// Same-run A/B of one analysis: this checkout's engine against another build of it, on the benchmark's realistic
// and worst-case modules, in alternating rounds (the machines are shared and noisy: only a same-run ratio means
// anything). Build the other engine first, e.g. `git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci
// && npx tsc -p .)`, then:
//
//   node test/bench/abEngine.mjs /tmp/base [rounds=8] [analyses per round=10]
//
// Prints each module's median analysis time for both engines and their ratio (this one over the other).
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { generatedModule, realisticModule } from "./modules.mjs";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [other, roundsArg, perRoundArg] = process.argv.slice(2);
if (!other) {
  console.error("usage: node test/bench/abEngine.mjs <other checkout, built with tsc> [rounds] [analyses per round]");
  process.exit(2);
}
const engines = {
  other: require(path.resolve(other, "out/server/src/engine/analyze.js")),
  this: require(path.join(root, "out/server/src/engine/analyze.js")),
};
const rounds = Number(roundsArg ?? 8);
const perRound = Number(perRoundArg ?? 10);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const [label, text] of [["realistic", realisticModule(2000)], ["worst case", generatedModule(2000)]]) {
  const times = { other: [], this: [] };
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? ["this", "other"] : ["other", "this"]) {
      for (let i = 0; i < perRound; i++) {
        // A different comment each time: no engine may reuse an earlier tree.
        const edited = `${text}\n// ${round} ${i}\n`;
        const start = process.hrtime.bigint();
        engines[name].analyze("/bench/keystroke.ts", edited, { fixes: "none" });
        times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  const [a, b] = [median(times.other), median(times.this)];
  console.log(`${label}: other ${a.toFixed(1)} ms, this ${b.toFixed(1)} ms, ratio ${(b / a).toFixed(3)}`);
}

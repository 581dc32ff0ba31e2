// Child for stale-takeover races: at a shared start time, tries (without waiting) every round's
// stale lock in order, keeps whatever it wins, and reports the rounds it won. It stays alive until every
// contender has finished: a contender that exited would leave its locks to a dead pid, and a late one
// (a loaded machine starts it long after the other) would rightly take them over as stale.
import * as fs from "node:fs";
import * as path from "node:path";
import { acquireFileLock, type FileLockHandle } from "../../src/tornwrite-runtime";

const [dir, roundsText, startAtText, contendersText = "2"] = process.argv.slice(2);
const rounds = Number(roundsText);
const held: FileLockHandle[] = [];

async function main(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
  const won: number[] = [];
  for (let round = 0; round < rounds; round++) {
    try {
      held.push(await acquireFileLock(`${dir}/round-${round}`, { timeout: 0, stale: 60_000 }));
      won.push(round);
    } catch (error) {
      if ((error as Error).name !== "LockTimeoutError") throw error;
    }
  }
  fs.writeFileSync(path.join(dir!, `done-${process.pid}`), "");
  while (fs.readdirSync(dir!).filter((name) => name.startsWith("done-")).length < Number(contendersText)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  process.stdout.write(JSON.stringify(won));
}
void main();

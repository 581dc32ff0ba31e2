// Child for stale-takeover races: at a shared start time, tries (without waiting) every round's
// stale lock in order, keeps whatever it wins, and reports the rounds it won.
import { acquireFileLock, type FileLockHandle } from "../../src/tornwrite-runtime";

const [dir, roundsText, startAtText] = process.argv.slice(2);
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
  process.stdout.write(JSON.stringify(won));
}
void main();

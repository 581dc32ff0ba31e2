// Child that takes a file lock, says "held", and keeps it until killed.
import { acquireFileLock } from "../../src/tornwrite-runtime";

const [file, stale] = process.argv.slice(2);
void acquireFileLock(file!, { stale: Number(stale ?? 10_000) }).then(() => {
  process.stdout.write("held\n");
  setInterval(() => undefined, 1000);
});

// Child for lost-update tests: increments a JSON counter N times, with or without the file lock.
import { atomicWriteJson, readJsonFile, updateJsonFile } from "../../src/tornwrite-runtime";

const [file, mode, countText] = process.argv.slice(2);
const count = Number(countText);

async function main(): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (mode === "locked") {
      await updateJsonFile<{ n: number }>(file!, (value) => { value.n++; }, { default: { n: 0 }, fsync: false });
    } else {
      const value = await readJsonFile<{ n: number }>(file!, { default: { n: 0 } });
      value.n++;
      await atomicWriteJson(file!, value, { fsync: false });
    }
  }
}
void main().then(() => process.stdout.write("done\n"));

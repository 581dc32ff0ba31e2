// One process of the contended-counter benchmark: N locked read-increment-write cycles.
const fs = require("node:fs");
const path = require("node:path");
const tw = require(path.join(__dirname, "../dist/tornwrite-runtime.cjs"));
const lockfile = require("proper-lockfile");
const writeFileAtomic = require("write-file-atomic");

const [kind, file, incrementsText, startAtText] = process.argv.slice(2);
const increments = Number(incrementsText);

async function main() {
  // Start together at the barrier, so process start-up is not part of the measurement.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
  for (let i = 0; i < increments; i++) {
    if (kind.startsWith("TornWrite")) {
      await tw.updateJsonFile(file, (value) => { value.n++; });
    } else {
      const release = await lockfile.lock(file, { retries: { retries: 10000, minTimeout: 1, maxTimeout: 50, factor: 1.5 } });
      try {
        const value = JSON.parse(fs.readFileSync(file, "utf8"));
        value.n++;
        await writeFileAtomic(file, JSON.stringify(value));
      } finally {
        await release();
      }
    }
  }
}
main().then(() => process.stdout.write(String(Date.now())), (error) => {
  console.error(error);
  process.exit(1);
});
